// rocks create vcluster snapshot <name> [label=]: asks for an LVM snapshot of
// every disk of an active virtual cluster; the next sync takes it.
#include "cli/Plugin.h"
#include "lifecycle/SnapshotPool.h"
#include "lifecycle/SnapshotRequests.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;

class CreateVclusterSnapshot : public Command {
  public:
    std::vector<std::string> words() const override { return {"create", "vcluster", "snapshot"}; }
    CommandHelp help() const override {
        return {"Snapshot every disk of an active virtual cluster",
                "Records a snapshot request; the next `rocks sync vcluster` (the timer runs it "
                "every minute) takes an LVM snapshot of each of the cluster's volumes on its "
                "storage node (thick volumes: a snapshot as large as its origin; thin: in the "
                "thin pool) while the VMs run, as after a power cut. A snapshot named "
                "'installed' is taken automatically when the virtual frontend's install is "
                "over. `rocks rollback vcluster` returns the disks to a snapshot; snapshots are "
                "removed with the cluster at its end, or one by one with `rocks remove vcluster "
                "snapshot`. The cluster must be active; the label "
                "must be new.",
                {{"name", "the vcluster", false, false}},
                {{"label", "the snapshot's name: 1-24 of a-z, 0-9 and '-' (not first)",
                  "the current UTC time, e.g. 20261207-0930"}},
                {{"rocks create vcluster snapshot dc1 label=before-lab3",
                  "the next sync snapshots dc1's disks as 'before-lab3'"}}};
    }
    void run(Context& ctx) override {
        const std::string name = ctx.requireArg(0, "name");
        if (ctx.args().size() > 1) {
            throw Error("one vcluster at a time, not " + std::to_string(ctx.args().size()));
        }
        reservation::Time now = reservation::currentTime();
        std::string label = ctx.param("label", reservation::formatTime(now));
        if (!ctx.has("label")) {
            // 2026-12-07T09:30:00Z -> 20261207-0930
            std::string digits;
            for (char c : label) {
                if (c >= '0' && c <= '9') {
                    digits += c;
                }
            }
            label = digits.substr(0, 8) + "-" + digits.substr(8, 4);
        }
        lifecycle::requestSnapshot(ctx.db(), name, label, now);
        ctx.out() << name << ": snapshot '" << label
                  << "' requested; the next rocks sync vcluster takes it\n";
    }
};

}  // namespace

ROCKS_COMMAND(CreateVclusterSnapshot)
