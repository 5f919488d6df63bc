// rocks report vcluster <name> [dir=<path>]
#include <filesystem>

#include "cli/Plugin.h"
#include "lifecycle/PlanFromReservation.h"
#include "materialise/Generator.h"
#include "materialise/MaterialisationPool.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;
using namespace vcluster::materialise;

class ReportVcluster : public Command {
  public:
    std::vector<std::string> words() const override { return {"report", "vcluster"}; }
    CommandHelp help() const override {
        return {"Show or write what a virtual cluster becomes on each physical host",
                "Without dir=, prints the plan: for every physical host (storage node, gateway, "
                "vm-servers) what it gets: logical volumes and the iSCSI target, the VLAN or "
                "VXLAN bridge, the VMs with their MACs and IPs. With dir=, writes the whole tree "
                "there: <dir>/<host>/apply.sh, teardown.sh and files/ (secrets mode 0600). "
                "apply.sh and teardown.sh are idempotent; VCLUSTER_SECTIONS restricts them to "
                "some of lvm, target, network, iscsi, vm, kit.",
                {{"vcluster", "the virtual cluster's name"}},
                {{"dir", "directory to write the per-host tree into", ""}, outputFormatParam()},
                {{"rocks report vcluster alpha", "which host gets what"},
                 {"rocks report vcluster alpha dir=/tmp/alpha", "write every host's files"}}};
    }
    void run(Context& ctx) override {
        const std::string name = ctx.requireArg(0, "vcluster");
        Materialisation m = lifecycle::currentPlan(ctx.db(), name);
        if (auto dir = ctx.param("dir")) {
            FileTree tree = generateTree(m);
            tree.writeTo(*dir);
            ctx.out() << "wrote " << tree.size() << " files for virtual cluster " << name << " to "
                      << *dir << "\n";
            return;
        }
        Table table({{"host"}, {"roles"}, {"what"}});
        for (const auto& a : assignments(m)) {
            for (const auto& item : a.items) {
                table.addRow({a.host, join(a.roles, ","), item});
            }
        }
        ctx.print(table);
    }
};

}  // namespace

ROCKS_COMMAND(ReportVcluster)
