// rocks report appliance kickstart <appliance> [dir=]
#include "cli/Plugin.h"
#include "cluster/Appliances.h"
#include "roll/ApplianceGraph.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;

class ReportApplianceKickstart : public Command {
  public:
    std::vector<std::string> words() const override { return {"report", "appliance", "kickstart"}; }
    CommandHelp help() const override {
        return {"Show what installing an appliance does: its node files, packages and scripts",
                "Walks the roll's graph from the appliance's node and prints each node file in "
                "kickstart order with its <package>s and its <pre>/<post> sections as written "
                "(Rocks attributes such as &hostname; are left for Rocks to fill in). Nodes of "
                "Rocks' own rolls (client, base, ...) are named, not expanded.",
                {{"appliance", "an appliance name, e.g. storage"}},
                {{"dir",
                  "the roll source directory, holding nodes/ and graphs/ (default: the "
                  "installed roll, /opt/rocks/share/vcluster)",
                  ""}},
                {{"rocks report appliance kickstart storage",
                  "the packages and post scripts a storage node gets"}}};
    }
    void run(Context& ctx) override {
        auto dir = ctx.has("dir") ? std::filesystem::path(ctx.requireParam("dir"))
                                  : roll::defaultRollDirectory();
        auto tree = roll::RollTree::load(dir);
        roll::writeKickstartOutline(ctx.out(),
                                    roll::walkAppliance(tree, AppliancePool(ctx.db()).list(),
                                                        ctx.requireArg(0, "appliance")));
    }
};

}  // namespace

ROCKS_COMMAND(ReportApplianceKickstart)
