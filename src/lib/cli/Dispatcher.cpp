#include "cli/Dispatcher.h"

#include <algorithm>
#include <map>
#include <optional>

#include "cli/Context.h"
#include "cli/PluginDirectory.h"
#include "util/AuditLog.h"
#include "util/Error.h"
#include "util/Strings.h"

namespace vcluster::cli {

namespace {

constexpr std::size_t kMaxCommandWords = 8;

bool isParam(const std::string& word) { return word.find('=') != std::string::npos; }

std::string oneLine(std::string text) {
    for (char& c : text) {
        if (c == '\n' || c == '\r') {
            c = ' ';
        }
    }
    return text;
}

std::string commandText(const std::vector<std::string>& words) {
    return "rocks " + join(words, " ");
}

// The nearest known command to what was typed, for the error message.
std::string suggest(const std::vector<std::string>& typed, const PluginDirectory& plugins) {
    std::vector<std::string> candidates;
    for (const auto& words : plugins.commands()) {
        candidates.push_back(join(words, " "));
    }
    std::string best;
    std::size_t bestDistance = std::string::npos;
    for (std::size_t n = 1; n <= typed.size(); ++n) {
        std::vector<std::string> prefix(typed.begin(),
                                        typed.begin() + static_cast<std::ptrdiff_t>(n));
        std::string text = join(prefix, " ");
        for (const auto& candidate : candidates) {
            std::size_t d = editDistance(text, candidate);
            if (d < bestDistance || (d == bestDistance && candidate.size() > best.size())) {
                bestDistance = d;
                best = candidate;
            }
        }
    }
    return bestDistance <= std::max<std::size_t>(3, best.size() / 3) ? best : std::string();
}

ParsedCommandLine resolve(const std::vector<std::string>& argv, const PluginDirectory& plugins) {
    std::vector<std::string> positional;
    for (const auto& word : argv) {
        if (isParam(word)) {
            break;
        }
        positional.push_back(word);
    }
    std::size_t limit = std::min(positional.size(), kMaxCommandWords);
    for (std::size_t n = limit; n > 0; --n) {
        std::vector<std::string> words(positional.begin(),
                                       positional.begin() + static_cast<std::ptrdiff_t>(n));
        if (plugins.has(words)) {
            ParsedCommandLine parsed;
            parsed.words = std::move(words);
            for (std::size_t i = n; i < argv.size(); ++i) {
                if (isParam(argv[i])) {
                    auto eq = argv[i].find('=');
                    parsed.params.emplace_back(argv[i].substr(0, eq), argv[i].substr(eq + 1));
                } else {
                    parsed.args.push_back(argv[i]);
                }
            }
            return parsed;
        }
    }
    std::string message = "unknown command \"" + commandText(positional) + "\"";
    if (std::string near = suggest(positional, plugins); !near.empty()) {
        message += "; did you mean \"rocks " + near + "\"?";
    } else {
        message += "; try \"rocks help\"";
    }
    throw Error(message);
}

std::map<std::string, std::string> checkParams(const ParsedCommandLine& line,
                                               const CommandHelp& help) {
    std::vector<std::string> known = commonParams();
    for (const auto& p : help.params) {
        known.push_back(p.name);
    }
    std::map<std::string, std::string> params;
    for (const auto& [key, value] : line.params) {
        if (std::find(known.begin(), known.end(), key) == known.end()) {
            std::string message =
                "unknown parameter '" + key + "' for \"" + commandText(line.words) + "\"";
            if (std::string near = nearest(key, known); !near.empty()) {
                message += "; did you mean '" + near + "='?";
            }
            throw Error(message);
        }
        if (!params.emplace(key, value).second) {
            throw Error("parameter '" + key + "' given twice");
        }
    }
    for (const auto& p : help.params) {
        if (p.required && params.count(p.name) == 0) {
            throw Error("missing required parameter " + p.name + "= for \"" +
                        commandText(line.words) + "\"");
        }
    }
    std::size_t required = 0;
    bool repeatable = false;
    for (const auto& a : help.args) {
        required += a.optional ? 0 : 1;
        repeatable = repeatable || a.repeatable;
    }
    if (line.args.size() < required) {
        // A required argument may also be given as name=value.
        std::size_t missing = line.args.size();
        const auto& arg = help.args.at(missing);
        if (params.count(arg.name) == 0) {
            throw Error("missing argument <" + arg.name + "> for \"" + commandText(line.words) +
                        "\"");
        }
    }
    if (!repeatable && line.args.size() > help.args.size()) {
        throw Error("unexpected argument '" + line.args[help.args.size()] + "' for \"" +
                    commandText(line.words) + "\"");
    }
    return params;
}

}  // namespace

const std::vector<std::string>& commonParams() {
    static const std::vector<std::string> common = {"db"};
    return common;
}

namespace {

// Commands that change nothing are not audited.
bool changesState(const std::vector<std::string>& words) {
    static const std::vector<std::string> kReading = {"list", "report", "help", "dump"};
    return !words.empty() &&
           std::find(kReading.begin(), kReading.end(), words.front()) == kReading.end();
}

void finishAudit(std::optional<AuditRecord>& record, const std::string& outcome) {
    if (record) {
        record->outcome = outcome;
        audit(*record);
        record.reset();
    }
}

}  // namespace

int dispatch(const std::vector<std::string>& argv, const GlobalOptions& options, std::ostream& out,
             std::ostream& err) {
    std::optional<AuditRecord> record;
    try {
        PluginDirectory plugins(options.pluginDir.empty() ? defaultPluginDirectory()
                                                          : options.pluginDir);
        std::vector<std::string> line = argv.empty() ? std::vector<std::string>{"help"} : argv;
        ParsedCommandLine parsed = resolve(line, plugins);
        LoadedCommand loaded = plugins.load(parsed.words);
        CommandHelp help = loaded.command->help();
        auto params = checkParams(parsed, help);
        if (changesState(parsed.words)) {
            record = AuditRecord{"cli", localUser(), localOrigin(),
                                 auditedCommand(parsed.words, parsed.args, params), ""};
        }
        std::optional<std::string> dbParam = options.database;
        if (auto it = params.find("db"); it != params.end()) {
            dbParam = it->second;
        }
        const std::string databasePath = resolveDatabasePath(dbParam);
        Context ctx(parsed.args, std::move(params), databasePath, plugins, out, err,
                    databaseAccess(parsed.words, databasePath));
        loaded.command->run(ctx);
        out.flush();
        finishAudit(record, "ok");
        return 0;
    } catch (const Refusal& e) {
        out.flush();
        err << "error - " << oneLine(e.what()) << '\n';
        finishAudit(record, "refused: " + oneLine(e.what()));
        return 2;
    } catch (const Error& e) {
        out.flush();
        err << "error - " << oneLine(e.what()) << '\n';
        finishAudit(record, "error: " + oneLine(e.what()));
        return 1;
    } catch (const std::exception& e) {
        out.flush();
        err << "error - internal error: " << oneLine(e.what()) << '\n';
        finishAudit(record, "error: internal error: " + oneLine(e.what()));
        return 1;
    }
}

}  // namespace vcluster::cli
