// rocks rollback vcluster <name> [label=]: returns an active virtual
// cluster's disks to a snapshot and restarts its VMs (at the next sync).
#include "cli/Plugin.h"
#include "lifecycle/SnapshotPool.h"
#include "lifecycle/SnapshotRequests.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;

class RollbackVcluster : public Command {
  public:
    std::vector<std::string> words() const override { return {"rollback", "vcluster"}; }
    CommandHelp help() const override {
        return {"Return an active virtual cluster's disks to a snapshot",
                "Records a roll-back request; the next `rocks sync vcluster` performs it: the "
                "cluster's VMs are powered off, the hosts log out of its iSCSI target and the "
                "target is stopped (so that nothing holds the volumes open and LVM merges at "
                "once), each snapshot is merged into its volume and taken again (so the same "
                "label can be rolled back to again), then the target, the logins and the VMs "
                "(frontend first) are started again. The cluster must be active and have the "
                "snapshot.",
                {{"name", "the vcluster", false, false}},
                {{"label", "the snapshot to return to", "installed (taken after the install)"}},
                {{"rocks rollback vcluster hpc101", "back to the freshly installed cluster"},
                 {"rocks rollback vcluster dc1 label=before-lab3", "back to a snapshot"}}};
    }
    void run(Context& ctx) override {
        const std::string name = ctx.requireArg(0, "name");
        if (ctx.args().size() > 1) {
            throw Error("one vcluster at a time, not " + std::to_string(ctx.args().size()));
        }
        const std::string label = ctx.param("label", lifecycle::kInstalledLabel);
        lifecycle::requestRollback(ctx.db(), name, label);
        ctx.out() << name << ": roll-back to '" << label
                  << "' requested; the next rocks sync vcluster performs it\n";
    }
};

}  // namespace

ROCKS_COMMAND(RollbackVcluster)
