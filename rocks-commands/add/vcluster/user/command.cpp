// rocks add vcluster user <name> [role=] [password-file=]: a portal account.
#include <iostream>
#include <sstream>

#include "cli/Plugin.h"
#include "portal/Accounts.h"
#include "util/Files.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;
using namespace vcluster::portal;

// The first line of `in`, without its line end.
std::string firstLine(std::istream& in) {
    std::string line;
    std::getline(in, line);
    if (!line.empty() && line.back() == '\r') {
        line.pop_back();
    }
    return line;
}

class AddVclusterUser : public Command {
  public:
    std::vector<std::string> words() const override { return {"add", "vcluster", "user"}; }
    CommandHelp help() const override {
        return {
            "Add an account of the reservation portal",
            "A provider logs in to the portal (or uses an API token) to book, extend and "
            "cancel its own virtual clusters; an admin sees and changes all of them. The "
            "password is read from the first line of password-file=, else from the first "
            "line of standard input (never from the command line, where `ps` shows it); it "
            "is stored as an argon2id hash.",
            {{"name", "the user name (letters, digits, '_', '.', '-')"}},
            {{"role", "provider or admin", "provider"},
             {"password-file", "file whose first line is the password", "standard input"}},
            {{"echo 'correct horse battery' | rocks add vcluster user alice", "a provider account"},
             {"rocks add vcluster user root role=admin password-file=/root/portal.pw",
              "an admin account"}}};
    }
    void run(Context& ctx) override {
        std::string name = ctx.requireArg(0, "name");
        Role role = parseRole(ctx.param("role", "provider"));
        std::string password;
        if (auto file = ctx.param("password-file")) {
            std::istringstream in(readSmallFile(*file, 4096, "password file"));
            password = firstLine(in);
        } else {
            password = firstLine(std::cin);
        }
        db::Transaction tx(ctx.db());
        Accounts(ctx.db()).addUser(name, role, password);
        tx.commit();
    }
};

}  // namespace

ROCKS_COMMAND(AddVclusterUser)
