#pragma once

#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cli/Table.h"
#include "db/Database.h"

namespace vcluster::cli {

class PluginDirectory;

// What a command sees of its invocation: positional args, key=value params
// (already checked against its help), output streams, and the database,
// opened (and migrated) only when the command first asks for it.
class Context {
  public:
    Context(std::vector<std::string> args, std::map<std::string, std::string> params,
            std::string databasePath, const PluginDirectory& plugins, std::ostream& out,
            std::ostream& err, db::Access access = db::Access::Write);
    ~Context();
    Context(const Context&) = delete;
    Context& operator=(const Context&) = delete;

    const std::vector<std::string>& args() const { return args_; }
    const std::map<std::string, std::string>& params() const { return params_; }
    bool has(const std::string& name) const { return params_.count(name) != 0; }
    std::optional<std::string> param(const std::string& name) const;
    std::string param(const std::string& name, const std::string& fallback) const;
    // Throws Error("missing required parameter <name>=").
    std::string requireParam(const std::string& name) const;
    // The first positional argument, or a param of the same name; throws when neither.
    std::string requireArg(std::size_t index, const std::string& name) const;

    std::ostream& out() { return out_; }
    std::ostream& err() { return err_; }
    db::Database& db();
    const std::string& databasePath() const { return databasePath_; }
    const PluginDirectory& plugins() const { return plugins_; }

    OutputFormat outputFormat() const;
    void print(const Table& table) { table.render(out_, outputFormat()); }

  private:
    std::vector<std::string> args_;
    std::map<std::string, std::string> params_;
    std::string databasePath_;
    db::Access access_;
    const PluginDirectory& plugins_;
    std::ostream& out_;
    std::ostream& err_;
    std::unique_ptr<db::Database> db_;
};

// The database: db= param, else $ROCKS_DB, else on a Rocks frontend Rocks'
// own (mysql://root@localhost/cluster over Rocks' socket, root's option
// file), else the installed default SQLite file. A mysql:// URL or a file.
std::string resolveDatabasePath(const std::optional<std::string>& fromParam);

// How a command opens the database: read-only for the verbs that change
// nothing (list, report, help, dump); created when absent only when asked,
// by `rocks create vcluster database`, or by the first `rocks add host` on
// the installed default path (a fresh install's first command); every other
// command needs it to exist.
db::Access databaseAccess(const std::vector<std::string>& words, const std::string& databasePath);

}  // namespace vcluster::cli
