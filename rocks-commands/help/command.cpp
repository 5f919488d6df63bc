// rocks help [verb [noun...]]: the list of commands, or one command's usage.
#include <algorithm>
#include <iomanip>

#include "cli/Plugin.h"
#include "cli/PluginDirectory.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;

std::string usageLine(const Command& command, const CommandHelp& help) {
    std::string line = "rocks " + join(command.words(), " ");
    for (const auto& a : help.args) {
        std::string arg = "<" + a.name + ">" + (a.repeatable ? " ..." : "");
        line += " " + (a.optional ? "[" + arg + "]" : arg);
    }
    for (const auto& p : help.params) {
        std::string param = p.name + "=" + (p.defaultValue.empty() ? "string" : p.defaultValue);
        line += " " + (p.required ? param : "[" + param + "]");
    }
    return line;
}

class Help : public Command {
  public:
    std::vector<std::string> words() const override { return {"help"}; }

    CommandHelp help() const override {
        return {"List the rocks commands, or show one command's usage",
                "Without arguments, lists every command the plugin directory offers with a "
                "one-line summary. "
                "With a command's words, prints its usage, arguments, parameters and examples. A "
                "plugin that "
                "fails to load is reported by name and the others are still listed.",
                {{"command", "the words of a command, e.g. add vcluster", true, true}},
                {},
                {{"rocks help", "list all commands"},
                 {"rocks help add host", "show how to add a host"}}};
    }

    void run(Context& ctx) override {
        if (ctx.args().empty()) {
            listAll(ctx);
        } else {
            showOne(ctx);
        }
    }

  private:
    static void listAll(Context& ctx) {
        std::vector<PluginFailure> failures;
        auto loaded = ctx.plugins().loadAll(failures);
        std::size_t width = 0;
        for (const auto& l : loaded) {
            width = std::max(width, join(l.command->words(), " ").size());
        }
        ctx.out() << "usage: rocks [--db PATH] <verb> <noun...> [args...] [key=value...]\n\n";
        for (const auto& l : loaded) {
            ctx.out() << "  " << std::left << std::setw(static_cast<int>(width))
                      << join(l.command->words(), " ") << "  " << l.command->help().summary << '\n';
        }
        ctx.out()
            << "\nCommon parameters: db=<path> (the database file; default $ROCKS_DB, then the "
               "installed database)\n";
        for (const auto& f : failures) {
            ctx.err() << "warning - " << f.reason << '\n';
        }
    }

    static void showOne(Context& ctx) {
        const auto& typed = ctx.args();
        for (std::size_t n = typed.size(); n > 0; --n) {
            std::vector<std::string> words(typed.begin(),
                                           typed.begin() + static_cast<std::ptrdiff_t>(n));
            if (ctx.plugins().has(words)) {
                LoadedCommand loaded = ctx.plugins().load(words);
                print(ctx.out(), *loaded.command);
                return;
            }
        }
        throw Error("no command \"rocks " + join(typed, " ") + "\"; \"rocks help\" lists them all");
    }

    static void print(std::ostream& out, const Command& command) {
        CommandHelp help = command.help();
        out << usageLine(command, help) << "\n\n" << help.summary << ".\n";
        if (!help.description.empty()) {
            out << "\nDescription:\n  " << help.description << '\n';
        }
        if (!help.args.empty()) {
            out << "\nArguments:\n";
            for (const auto& a : help.args) {
                out << "  <" << a.name << ">" << (a.optional ? " (optional)" : "") << "\n      "
                    << a.description << '\n';
            }
        }
        out << "\nParameters:\n";
        for (const auto& p : help.params) {
            out << "  " << p.name << "=" << (p.required ? " (required)" : "")
                << (p.defaultValue.empty() ? "" : " (default: " + p.defaultValue + ")")
                << "\n      " << p.description << '\n';
        }
        out << "  db=\n      the database file (default: $ROCKS_DB, then the installed database)\n";
        if (!help.examples.empty()) {
            out << "\nExamples:\n";
            for (const auto& [cmd, what] : help.examples) {
                out << "  $ " << cmd << "\n      " << what << '\n';
            }
        }
    }
};

}  // namespace

ROCKS_COMMAND(Help)
