// rocks list vcluster user: the portal's accounts.
#include "cli/Plugin.h"
#include "portal/Accounts.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;
using namespace vcluster::portal;

class ListVclusterUser : public Command {
  public:
    std::vector<std::string> words() const override { return {"list", "vcluster", "user"}; }
    CommandHelp help() const override {
        return {"List the accounts of the reservation portal",
                "One row per user: role, number of API tokens, and when it was created.",
                {},
                {outputFormatParam()},
                {{"rocks list vcluster user", "every account"}}};
    }
    void run(Context& ctx) override {
        Table table({{"user"}, {"role"}, {"tokens", Table::Kind::Number}, {"created"}});
        for (const auto& u : Accounts(ctx.db()).listUsers()) {
            table.addRow({u.name, roleName(u.role), std::to_string(u.tokens), u.created});
        }
        ctx.print(table);
    }
};

}  // namespace

ROCKS_COMMAND(ListVclusterUser)
