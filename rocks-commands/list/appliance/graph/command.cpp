// rocks list appliance graph <appliance> [dir=]
#include "cli/Plugin.h"
#include "cluster/Appliances.h"
#include "roll/ApplianceGraph.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;

class ListApplianceGraph : public Command {
  public:
    std::vector<std::string> words() const override { return {"list", "appliance", "graph"}; }
    CommandHelp help() const override {
        return {"List the node files an appliance gets, in kickstart order",
                "Walks the roll's graph from the appliance's node (as recorded in the database) "
                "and lists every node file it reaches in the order Rocks puts them in the "
                "kickstart, with their packages and how many pre/post sections each has. FROM "
                "is the node whose edge brings it in, COND that edge's conditions (shown, not "
                "evaluated). Nodes of Rocks' own rolls show no FILE. See `rocks report "
                "appliance kickstart` for the sections themselves.",
                {{"appliance", "an appliance name, e.g. vm-server"}},
                {{"dir",
                  "the roll source directory, holding nodes/ and graphs/ (default: the "
                  "installed roll, /opt/rocks/share/vcluster)",
                  ""},
                 outputFormatParam()},
                {{"rocks list appliance graph vm-server", "what installing a vm-server does"}}};
    }
    void run(Context& ctx) override {
        auto dir = ctx.has("dir") ? std::filesystem::path(ctx.requireParam("dir"))
                                  : roll::defaultRollDirectory();
        auto tree = roll::RollTree::load(dir);
        auto graph = roll::walkAppliance(tree, AppliancePool(ctx.db()).list(),
                                         ctx.requireArg(0, "appliance"));
        Table table({{"order", Table::Kind::Number},
                     {"node"},
                     {"file"},
                     {"from"},
                     {"cond"},
                     {"packages"},
                     {"sections"}},
                    false);
        std::size_t index = 0;
        for (const auto& step : graph.steps) {
            table.addRow({std::to_string(++index), step.node,
                          step.file != nullptr ? step.file->where.file : "", step.parent,
                          step.conditions,
                          step.file != nullptr ? roll::packageList(*step.file) : "",
                          step.file != nullptr ? roll::sectionSummary(*step.file) : ""});
        }
        ctx.print(table);
    }
};

}  // namespace

ROCKS_COMMAND(ListApplianceGraph)
