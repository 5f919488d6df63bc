#pragma once

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace vcluster::cli {

struct GlobalOptions {
    std::filesystem::path pluginDir;      // empty: defaultPluginDirectory()
    std::optional<std::string> database;  // --db, overridden by a db= param
};

// The split of `rocks <words...> [args...] [key=value...]` once the command
// is known. Exposed for tests.
struct ParsedCommandLine {
    std::vector<std::string> words;
    std::vector<std::string> args;
    std::vector<std::pair<std::string, std::string>> params;
};

// Runs one command line (everything after the global options) and returns
// the exit status: 0 success, 1 error, 2 refusal (a valid request that
// cannot be granted). Errors are one line, "error - ...", on `err`.
int dispatch(const std::vector<std::string>& argv, const GlobalOptions& options, std::ostream& out,
             std::ostream& err);

// The parameters every command accepts.
const std::vector<std::string>& commonParams();

}  // namespace vcluster::cli
