// rocks: the command dispatcher. It knows no command itself: it finds the
// plugin for `rocks <verb> <noun...>` in the plugin directory and runs it.
#include <boost/program_options.hpp>

#include <iostream>
#include <string>
#include <vector>

#include "cli/BuildInfo.h"
#include "cli/Dispatcher.h"

namespace po = boost::program_options;

int main(int argc, char** argv) {
    std::ios::sync_with_stdio(false);
    std::vector<std::string> leading;  // global --options come before the command words
    int first = 1;
    while (first < argc && std::string(argv[first]).rfind("--", 0) == 0) {
        leading.emplace_back(argv[first]);
        ++first;
        if (leading.back().find('=') == std::string::npos && leading.back() != "--version" &&
            leading.back() != "--help" && first < argc) {
            leading.emplace_back(argv[first]);  // "--db PATH"
            ++first;
        }
    }

    po::options_description options("Global options (before the command)");
    options.add_options()("help", "show the list of commands (same as `rocks help`)")(
        "version", "print the roll's name, version and release")(
        "db", po::value<std::string>(),
        "database file (else db= param, $ROCKS_DB, or the installed default)")(
        "plugin-dir", po::value<std::string>(),
        "command plugin directory (else $ROCKS_PLUGIN_PATH)");
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(leading).options(options).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        std::cerr << "error - " << e.what() << '\n';
        return 1;
    }

    if (vm.count("version") != 0U) {
        std::cout << vcluster::build::kRollName << ' ' << vcluster::build::kVersion << '-'
                  << vcluster::build::kRelease << '\n';
        return 0;
    }
    vcluster::cli::GlobalOptions global;
    if (vm.count("plugin-dir") != 0U) {
        global.pluginDir = vm["plugin-dir"].as<std::string>();
    }
    if (vm.count("db") != 0U) {
        global.database = vm["db"].as<std::string>();
    }
    std::vector<std::string> words(argv + first, argv + argc);
    if (vm.count("help") != 0U) {
        words.insert(words.begin(), "help");
    }
    return vcluster::cli::dispatch(words, global, std::cout, std::cerr);
}
