// rocks rollback vcluster <name> [label=]: returns an active virtual
// cluster's disks to a snapshot and restarts its VMs (at the next sync).
#include "cli/Plugin.h"
#include "lifecycle/SnapshotPool.h"
#include "lifecycle/SnapshotRequests.h"
#include "reservation/ReservationBook.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;

class RollbackVcluster : public Command {
  public:
    std::vector<std::string> words() const override { return {"rollback", "vcluster"}; }
    CommandHelp help() const override {
        return {
            "Return an active virtual cluster's disks to a snapshot",
            "Records a roll-back request; the next `rocks sync vcluster` performs it: the "
            "cluster's VMs are powered off, the hosts log out of its iSCSI target and the "
            "target is stopped (so that nothing holds the volumes open and LVM merges at "
            "once), each snapshot is merged into its volume and taken again (so the same "
            "label can be rolled back to again), then the target, the logins and the VMs "
            "(frontend first) are started again. The cluster must be active and have the "
            "snapshot. The name of a count= group rolls back all of its clusters (each must be "
            "active; one at a time: name the cluster, hpc101-07).",
            {{"name", "the vcluster (or group)", false, false}},
            {{"label", "the snapshot to return to", "installed (taken after the install)"}},
            {{"rocks rollback vcluster hpc101", "back to the freshly installed cluster"},
             {"rocks rollback vcluster dc1 label=before-lab3", "back to a snapshot"},
             {"rocks rollback vcluster hpc101-07", "one student's cluster of the group hpc101"}}};
    }
    void run(Context& ctx) override {
        const std::string name = ctx.requireArg(0, "name");
        if (ctx.args().size() > 1) {
            throw Error("one vcluster at a time, not " + std::to_string(ctx.args().size()));
        }
        const std::string label = ctx.param("label", lifecycle::kInstalledLabel);
        std::vector<std::string> names{name};
        if (!reservation::ReservationPool(ctx.db()).findLive(name)) {
            auto members = reservation::ReservationBook(ctx.db()).group(name);
            if (!members.empty()) {
                names.clear();
                for (const auto& m : members) {
                    names.push_back(m.request.name);
                }
            }
        }
        if (names.size() > 1) {  // a group: every member must be able to, or none is asked
            for (const auto& n : names) {
                lifecycle::activeCluster(ctx.db(), n);
            }
        }
        for (const auto& n : names) {
            lifecycle::requestRollback(ctx.db(), n, label);
        }
        for (const auto& n : names) {
            ctx.out() << n << ": roll-back to '" << label
                      << "' requested; the next rocks sync vcluster performs it\n";
        }
    }
};

}  // namespace

ROCKS_COMMAND(RollbackVcluster)
