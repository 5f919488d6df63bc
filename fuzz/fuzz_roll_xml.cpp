// A roll's node and graph XML files (roll/RollTree.h), as `rocks report roll
// check` and `rocks list appliance graph` read a site's roll tree: the input
// is a node file and a graph file (split at the first NUL byte), loaded,
// checked and walked. Whatever they hold, nothing crashes or leaks, every
// problem is one line ("file:line: message", as the command prints them)
// and the walk either ends with an Error or lists each node once.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "roll/RollTree.h"
#include "util/Error.h"

namespace fs = std::filesystem;
using namespace vcluster;

namespace {

fs::path root;

void write(const fs::path& path, std::string_view text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    // A roll tree of two files, rewritten for every input (in /dev/shm when
    // there is one: memory, not disk).
    const fs::path base =
        fs::is_directory("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
    root = base / ("vcluster-fuzz-roll-" + std::to_string(::getpid()));
    fs::create_directories(root / "nodes");
    fs::create_directories(root / "graphs/default");
    std::atexit([] {
        std::error_code ec;
        fs::remove_all(root, ec);
    });
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::size_t split = input.find('\0');
    write(root / "nodes/fuzz.xml", input.substr(0, split));
    write(root / "graphs/default/fuzz.xml",
          split == std::string_view::npos ? std::string_view() : input.substr(split + 1));
    roll::RollTree tree = roll::RollTree::load(root);
    for (const auto& problem : tree.check()) {
        if (problem.text().find('\n') != std::string::npos) {
            std::abort();
        }
    }
    std::set<std::string> roots = {"fuzz"};
    for (const auto& [name, graph] : tree.graphs()) {
        for (const auto& edge : graph.edges) {
            if (roots.size() < 8) {
                roots.insert(edge.from);
            }
        }
    }
    for (const auto& r : roots) {
        try {
            std::set<std::string> seen;
            for (const auto& step : tree.walk("default", r)) {
                if (!seen.insert(step.node).second) {
                    std::abort();
                }
            }
        } catch (const Error&) {
        }
    }
    return 0;
}
