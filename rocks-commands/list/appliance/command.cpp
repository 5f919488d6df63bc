// rocks list appliance
#include "cli/Plugin.h"
#include "cluster/Appliances.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;

class ListAppliance : public Command {
  public:
    std::vector<std::string> words() const override { return {"list", "appliance"}; }
    CommandHelp help() const override {
        return {"List the appliances and their memberships",
                "Rocks' Frontend and Compute, and the Gateway, VM Server and Storage appliances "
                "this roll adds. "
                "PUBLIC says whether insert-ethers offers the membership.",
                {},
                {outputFormatParam()},
                {{"rocks list appliance", "all appliances"}}};
    }
    void run(Context& ctx) override {
        Table table({{"appliance"}, {"membership"}, {"graph"}, {"node"}, {"public"}});
        for (const auto& a : AppliancePool(ctx.db()).list()) {
            table.addRow({a.name, a.membership, a.graph, a.node, a.isPublic ? "yes" : "no"});
        }
        ctx.print(table);
    }
};

}  // namespace

ROCKS_COMMAND(ListAppliance)
