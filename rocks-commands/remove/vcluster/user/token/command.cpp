// rocks remove vcluster user token <name> [id=] [label=] [all=]: revokes API tokens.
#include "cli/Plugin.h"
#include "portal/Accounts.h"
#include "util/Strings.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;
using namespace vcluster::portal;

class RemoveVclusterUserToken : public Command {
  public:
    std::vector<std::string> words() const override {
        return {"remove", "vcluster", "user", "token"};
    }
    CommandHelp help() const override {
        return {"Revoke API tokens of a portal user",
                "Revokes the user's token with id= (the number before the '.' of the token, "
                "as `rocks list vcluster user token` shows), or those with label=, or with "
                "all=yes every one; the user and its web sessions stay. A revoked token is "
                "refused (401) from the next request on.",
                {{"name", "the user"}},
                {{"id", "the token's id", ""},
                 {"label", "the tokens with this label", ""},
                 {"all", "every token of the user (yes)", "no"}},
                {{"rocks remove vcluster user token alice id=12", "alice's token 12.*"},
                 {"rocks remove vcluster user token alice label=laptop", "her laptop's tokens"}}};
    }
    void run(Context& ctx) override {
        std::string name = ctx.requireArg(0, "name");
        std::optional<std::int64_t> id;
        if (auto text = ctx.param("id")) {
            id = parseInteger(*text, "id");
        }
        std::optional<std::string> label = ctx.param("label");
        bool all = parseBool(ctx.param("all", "no"), "all");
        if (!id && !label && !all) {
            throw Error("say which tokens: id=, label= or all=yes");
        }
        if (all && (id || label)) {
            throw Error("all=yes takes no id= or label=");
        }
        db::Transaction tx(ctx.db());
        Accounts(ctx.db()).removeTokens(name, id, label);
        tx.commit();
    }
};

}  // namespace

ROCKS_COMMAND(RemoveVclusterUserToken)
