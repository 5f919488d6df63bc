// rocks create vcluster database: makes the embedded database file (db=,
// ROCKS_DB or the default) when it is absent, with the roll's schema; an
// existing one is upgraded to this roll's schema. The only command, with the
// first `rocks add host` on the installed default path, that creates one:
// every other command refuses a file that is not there (a typo in db= is
// not a new, empty database).
#include "cli/Plugin.h"
#include "db/DatabaseUrl.h"
#include "db/Schema.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;

class CreateVclusterDatabase : public Command {
  public:
    std::vector<std::string> words() const override { return {"create", "vcluster", "database"}; }
    CommandHelp help() const override {
        return {"Create the database (or bring an existing one to this roll's schema)",
                "Creates the embedded SQLite database named by db=, ROCKS_DB or the default "
                "(/var/opt/vcluster/cluster.db), mode 0600, with its directory, and the roll's "
                "tables. Other commands never create a database: they refuse a file that does "
                "not exist, except the first `rocks add host` on the default path of a fresh "
                "install. On an existing database (or a Rocks frontend's MariaDB) it only "
                "applies the migrations this roll has and the database lacks. Prints the "
                "database and its schema version.",
                {},
                {},
                {{"rocks create vcluster database db=/var/opt/vcluster/cluster.db",
                  "the embedded database, created if absent"}}};
    }
    void run(Context& ctx) override {
        db::Database& db = ctx.db();  // opened with Access::Create, migrated
        const std::string& path = ctx.databasePath();
        // A server's URL without its password.
        const std::string shown =
            db::isDatabaseUrl(path) ? db::describe(db::parseMysqlUrl(path)) : path;
        ctx.out() << shown << ": schema version " << db::schemaVersion(db) << '\n';
    }
};

}  // namespace

ROCKS_COMMAND(CreateVclusterDatabase)
