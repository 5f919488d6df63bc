// rocks list vcluster user token <name>: a user's API tokens (never their secrets).
#include "cli/Plugin.h"
#include "portal/Accounts.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;
using namespace vcluster::portal;

class ListVclusterUserToken : public Command {
  public:
    std::vector<std::string> words() const override {
        return {"list", "vcluster", "user", "token"};
    }
    CommandHelp help() const override {
        return {"List the API tokens of portal users",
                "One row per token: its id (the number before the '.' of the token), label "
                "and creation time, and VCLUSTER for a token scoped to one cluster (the "
                "credential of its frontend's kit, label kit: it acts only on that cluster's "
                "nodes). The secret part is never stored and cannot be shown.",
                {{"name", "the user", false, true}},
                {outputFormatParam()},
                {{"rocks list vcluster user token alice", "alice's tokens"}}};
    }
    void run(Context& ctx) override {
        ctx.requireArg(0, "name");
        Table table({{"user"}, {"id", Table::Kind::Number}, {"label"}, {"created"}, {"vcluster"}});
        for (const auto& name : ctx.args()) {
            for (const auto& t : Accounts(ctx.db()).listTokens(name)) {
                table.addRow({t.user, std::to_string(t.id), t.label, t.created, t.cluster});
            }
        }
        ctx.print(table);
    }
};

}  // namespace

ROCKS_COMMAND(ListVclusterUserToken)
