// rocks-python-shims: writes the Python modules that put the roll's commands
// into Rocks' own `rocks` command (cli/PythonShims.h). Run by the build
// after the plugins are linked; not installed.
//
//   rocks-python-shims --plugin-dir DIR --rocks-packages FILE --dispatcher PATH
//                      --out SITE_PACKAGES [--owned-list FILE]
//
// SITE_PACKAGES/rocks is replaced by the tree of the roll's modules; the
// owned list gets the directories the roll owns there, one a line, relative
// to SITE_PACKAGES (the RPM's %files).
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>

#include "cli/PluginDirectory.h"
#include "cli/PythonShims.h"
#include "util/Error.h"

namespace fs = std::filesystem;
using namespace vcluster;

namespace {

void writeFile(const fs::path& path, const std::string& content) {
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out.flush()) {
        throw Error("cannot write " + path.string());
    }
}

}  // namespace

int main(int argc, char** argv) {
    std::map<std::string, std::string> options;
    for (int i = 1; i + 1 < argc; i += 2) {
        options[argv[i]] = argv[i + 1];
    }
    for (const char* required : {"--plugin-dir", "--rocks-packages", "--dispatcher", "--out"}) {
        if (options.count(required) == 0) {
            std::cerr << "error - rocks-python-shims: missing " << required
                      << " (usage: --plugin-dir DIR --rocks-packages FILE --dispatcher PATH "
                         "--out DIR [--owned-list FILE])\n";
            return 1;
        }
    }
    try {
        cli::PluginDirectory plugins(options["--plugin-dir"]);
        std::vector<cli::PluginFailure> failures;
        auto loaded = plugins.loadAll(failures);
        if (!failures.empty()) {
            throw Error(failures.front().reason);
        }
        if (loaded.empty()) {
            throw Error("no command plugins in " + options["--plugin-dir"]);
        }
        std::vector<std::pair<std::vector<std::string>, cli::CommandHelp>> commands;
        commands.reserve(loaded.size());
        for (const auto& l : loaded) {
            commands.emplace_back(l.command->words(), l.command->help());
        }
        auto tree = cli::pythonShimTree(
            commands, cli::readRocksPackages(options["--rocks-packages"]), options["--dispatcher"]);
        const fs::path out = options["--out"];
        fs::remove_all(out / "rocks");
        for (const auto& f : tree.files) {
            writeFile(out / f.path, f.content);
        }
        if (options.count("--owned-list") != 0) {
            std::string list;
            for (const auto& dir : tree.ownedDirectories) {
                list += dir + "\n";
            }
            writeFile(options["--owned-list"], list);
        }
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "error - rocks-python-shims: " << e.what() << '\n';
        return 1;
    }
}
