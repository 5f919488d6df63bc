// rocks remove vcluster snapshot <name> label=: frees the space of one of an
// active virtual cluster's snapshots; the next sync removes it.
#include "cli/Plugin.h"
#include "lifecycle/SnapshotRequests.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;

class RemoveVclusterSnapshot : public Command {
  public:
    std::vector<std::string> words() const override { return {"remove", "vcluster", "snapshot"}; }
    CommandHelp help() const override {
        return {"Remove a snapshot of an active virtual cluster",
                "Records the removal; the next `rocks sync vcluster` removes the snapshot of "
                "each of the cluster's volumes on its storage node (`lvremove`; a thick "
                "snapshot gives its space back to the volume group), then forgets the label, "
                "which may be used again. A snapshot not taken yet is dropped at once. The "
                "cluster must be active and no roll-back to the snapshot may be pending. "
                "Removing 'installed' leaves no way back to the freshly installed cluster.",
                {{"name", "the vcluster", false, false}},
                {{"label", "the snapshot to remove", ""}},
                {{"rocks remove vcluster snapshot hpc101 label=week3",
                  "the next sync removes hpc101's snapshot 'week3'"}}};
    }
    void run(Context& ctx) override {
        const std::string name = ctx.requireArg(0, "name");
        if (ctx.args().size() > 1) {
            throw Error("one vcluster at a time, not " + std::to_string(ctx.args().size()));
        }
        if (!ctx.has("label")) {
            throw Error("missing parameter label= (the snapshot to remove)");
        }
        const std::string label = ctx.param("label", "");
        if (lifecycle::requestSnapshotRemoval(ctx.db(), name, label, reservation::currentTime())) {
            ctx.out() << name << ": snapshot '" << label << "' was not taken yet: dropped\n";
        } else {
            ctx.out() << name << ": removal of snapshot '" << label
                      << "' requested; the next rocks sync vcluster performs it\n";
        }
    }
};

}  // namespace

ROCKS_COMMAND(RemoveVclusterSnapshot)
