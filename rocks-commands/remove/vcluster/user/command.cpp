// rocks remove vcluster user <name>: removes a portal account.
#include "cli/Plugin.h"
#include "portal/Accounts.h"
#include "reservation/ReservationPool.h"

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
                "at once). Their reservations stay, owned from now on by '<name>~<user id>' "
                "(which no one can log in as): a user later made with the same name does not "
                "see them.",
                {{"name", "the user", false, true}},
                {},
                {{"rocks remove vcluster user alice", "alice can no longer log in"}}};
    }
    void run(Context& ctx) override {
        ctx.requireArg(0, "name");
        db::Transaction tx(ctx.db());
        for (const auto& name : ctx.args()) {
            Accounts accounts(ctx.db());
            auto user = accounts.findUser(name);
            accounts.removeUser(name);  // "unknown user" when there is none
            // '~' is in no user name: the old reservations are no one's to claim.
            reservation::ReservationPool(ctx.db()).reassignOwner(
                name, name.substr(0, 40) + "~" + std::to_string(user->id));
        }
        tx.commit();
    }
};

}  // namespace

ROCKS_COMMAND(RemoveVclusterUser)
