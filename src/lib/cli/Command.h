#pragma once

#include <string>
#include <utility>
#include <vector>

namespace vcluster::cli {

class Context;

// Bumped whenever Command, Context or CommandHelp change layout. A plugin
// built against another ABI is reported by name and not used.
inline constexpr int kPluginAbi = 2;  // 2: Context carries the database access

struct ArgHelp {
    std::string name;
    std::string description;
    bool optional = false;
    bool repeatable = false;
};

struct ParamHelp {
    std::string name;
    std::string description;
    std::string defaultValue;  // shown in help; "" for none
    bool required = false;
};

// Each plugin carries its own help, next to its code.
struct CommandHelp {
    std::string summary;      // one line, shown by `rocks help`
    std::string description;  // a paragraph or more
    std::vector<ArgHelp> args;
    std::vector<ParamHelp> params;
    std::vector<std::pair<std::string, std::string>> examples;  // command, what it does
};

// One `rocks <verb> <noun...>` command. A plugin shared object exports
// rocks_plugin_abi() and rocks_plugin_create() (see ROCKS_COMMAND below).
class Command {
  public:
    virtual ~Command() = default;
    // The command's words, e.g. {"list", "host", "interface"}.
    virtual std::vector<std::string> words() const = 0;
    virtual CommandHelp help() const = 0;
    // Throws vcluster::Error (one line) on bad input; changes nothing then.
    virtual void run(Context& ctx) = 0;
};

// The `output-format` parameter every list command accepts.
ParamHelp outputFormatParam();

}  // namespace vcluster::cli

extern "C" {
using RocksPluginAbiFn = int (*)();
using RocksPluginCreateFn = vcluster::cli::Command* (*)();
}

// A class name cannot be parenthesised in a new-expression.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define ROCKS_COMMAND(CommandClass)                                             \
    extern "C" __attribute__((visibility("default"))) int rocks_plugin_abi() {  \
        return ::vcluster::cli::kPluginAbi;                                     \
    }                                                                           \
    extern "C" __attribute__((visibility("default"))) ::vcluster::cli::Command* \
    rocks_plugin_create() {                                                     \
        return new CommandClass();                                              \
    }
// NOLINTEND(bugprone-macro-parentheses)
