// rocks add vcluster user token <name> [label=]: an API token of the portal.
#include "cli/Plugin.h"
#include "lifecycle/NodeActions.h"
#include "portal/Accounts.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;
using namespace vcluster::portal;

class AddVclusterUserToken : public Command {
  public:
    std::vector<std::string> words() const override { return {"add", "vcluster", "user", "token"}; }
    CommandHelp help() const override {
        return {
            "Issue an API token for a portal user",
            "Prints a new random token on standard output, once: only its hash is stored. "
            "Clients send it as `Authorization: Bearer <token>`; the rocks commands read it "
            "from token-file= or $VCLUSTER_PORTAL_TOKEN. A token acts as its user (a "
            "provider's token reaches only that provider's reservations). Removing the user "
            "revokes its tokens. With vcluster=: a new kit credential of that cluster (the "
            "user must own it; the site must name its portal, vc_portal_url), good for its "
            "nodes and nothing else, as vc-power on its frontend uses: the cluster's "
            "previous ones are revoked, and its frontend's next install (a reinstall, a "
            "rebuild) carries the new one; put it in /root/.vc-power.conf (token=) on the "
            "running frontend. A frontend's reinstall renews a revoked one by itself.",
            {{"name", "the user the token acts as"}},
            {{"label", "a note to tell tokens apart (identifier)", "kit with vcluster="},
             {"vcluster", "scope the token to this one cluster's nodes (its kit credential)", ""}},
            {{"rocks add vcluster user token alice label=laptop > ~/.vcluster-token",
              "a token for alice's laptop"},
             {"rocks add vcluster user token alice vcluster=dc1",
              "a new credential for vc-power on dc1's frontend (the old one revoked)"}}};
    }
    void run(Context& ctx) override {
        std::string name = ctx.requireArg(0, "name");
        db::Transaction tx(ctx.db());
        std::string token;
        if (auto cluster = ctx.param("vcluster")) {
            token =
                lifecycle::renewKitCredential(ctx.db(), *cluster, name, ctx.param("label", "kit"));
        } else {
            token = Accounts(ctx.db()).createToken(name, ctx.param("label", ""));
        }
        tx.commit();
        ctx.out() << token << '\n';
    }
};

}  // namespace

ROCKS_COMMAND(AddVclusterUserToken)
