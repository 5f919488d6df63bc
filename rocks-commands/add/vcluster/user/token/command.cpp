// rocks add vcluster user token <name> [label=]: an API token of the portal.
#include "cli/Plugin.h"
#include "portal/Accounts.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;
using namespace vcluster::portal;

class AddVclusterUserToken : public Command {
  public:
    std::vector<std::string> words() const override { return {"add", "vcluster", "user", "token"}; }
    CommandHelp help() const override {
        return {"Issue an API token for a portal user",
                "Prints a new random token on standard output, once: only its hash is stored. "
                "Clients send it as `Authorization: Bearer <token>`; the rocks commands read it "
                "from token-file= or $VCLUSTER_PORTAL_TOKEN. A token acts as its user (a "
                "provider's token reaches only that provider's reservations). Removing the user "
                "revokes its tokens.",
                {{"name", "the user the token acts as"}},
                {{"label", "a note to tell tokens apart (identifier)", ""}},
                {{"rocks add vcluster user token alice label=laptop > ~/.vcluster-token",
                  "a token for alice's laptop"}}};
    }
    void run(Context& ctx) override {
        std::string name = ctx.requireArg(0, "name");
        db::Transaction tx(ctx.db());
        std::string token = Accounts(ctx.db()).createToken(name, ctx.param("label", ""));
        tx.commit();
        ctx.out() << token << '\n';
    }
};

}  // namespace

ROCKS_COMMAND(AddVclusterUserToken)
