// rocks remove vcluster user <name>: removes a portal account.
#include "cli/Plugin.h"
#include "portal/Accounts.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;
using namespace vcluster::portal;

class RemoveVclusterUser : public Command {
  public:
    std::vector<std::string> words() const override { return {"remove", "vcluster", "user"}; }
    CommandHelp help() const override {
        return {"Remove accounts of the reservation portal",
                "Removes the users with their API tokens and web sessions (they are logged out "
                "at once). Their reservations stay.",
                {{"name", "the user", false, true}},
                {},
                {{"rocks remove vcluster user alice", "alice can no longer log in"}}};
    }
    void run(Context& ctx) override {
        ctx.requireArg(0, "name");
        db::Transaction tx(ctx.db());
        for (const auto& name : ctx.args()) {
            Accounts(ctx.db()).removeUser(name);
        }
        tx.commit();
    }
};

}  // namespace

ROCKS_COMMAND(RemoveVclusterUser)
