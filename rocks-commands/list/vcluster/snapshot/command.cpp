// rocks list vcluster snapshot <name>: the snapshots of a virtual cluster.
#include "cli/Plugin.h"
#include "lifecycle/SnapshotPool.h"
#include "reservation/ReservationPool.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;

class ListVclusterSnapshot : public Command {
  public:
    std::vector<std::string> words() const override { return {"list", "vcluster", "snapshot"}; }
    CommandHelp help() const override {
        return {"List the snapshots of a virtual cluster",
                "One row per snapshot: its label, its state (requested: the next sync takes it; "
                "present), when it was requested and taken, how many roll-backs to it were "
                "done and whether a roll-back to it or its removal is pending.",
                {{"name", "the vcluster", false, false}},
                {outputFormatParam()},
                {{"rocks list vcluster snapshot dc1", "dc1's snapshots"}}};
    }
    void run(Context& ctx) override {
        const std::string name = ctx.requireArg(0, "name");
        auto r = reservation::ReservationPool(ctx.db()).findLive(name);
        if (!r) {
            throw Error("unknown vcluster '" + name + "'");
        }
        Table table({{"label"},
                     {"state"},
                     {"requested"},
                     {"created"},
                     {"rollbacks", Table::Kind::Number},
                     {"pending"}});
        for (const auto& s : lifecycle::SnapshotPool(ctx.db(), r->id).list()) {
            table.addRow({s.label, s.state, s.requested, s.created, std::to_string(s.rollbacks),
                          s.removalPending()    ? "removal"
                          : s.rollbackPending() ? "roll-back"
                                                : ""});
        }
        ctx.print(table);
    }
};

}  // namespace

ROCKS_COMMAND(ListVclusterSnapshot)
