// rocks list vcluster [name...]: the reservations in the calendar.
#include "cli/Plugin.h"
#include "reservation/ReservationPool.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;
using namespace vcluster::reservation;

class ListVcluster : public Command {
  public:
    std::vector<std::string> words() const override { return {"list", "vcluster"}; }
    CommandHelp help() const override {
        return {"List the reserved virtual clusters",
                "One row per reservation still in the calendar (not released or cancelled): its "
                "owner, state, period (UTC), number of compute nodes, memory and disk per node, "
                "and its VLAN id (or VNI, shown as vxlan:<id>). Weekly reservations show their "
                "windows in REPEAT.",
                {{"name", "a vcluster name; lists all when none is given", true, true}},
                {outputFormatParam()},
                {{"rocks list vcluster", "all reservations"},
                 {"rocks list vcluster dc1 output-format=json", "one, as JSON"}}};
    }
    void run(Context& ctx) override {
        ReservationPool pool(ctx.db());
        std::vector<StoredReservation> rows;
        if (ctx.args().empty()) {
            rows = pool.listWithFailed();
        } else {
            for (const auto& name : ctx.args()) {
                auto r = pool.findLive(name);
                if (!r) {
                    throw Error("unknown vcluster '" + name + "'");
                }
                rows.push_back(*r);
            }
        }
        Table table({{"name"},
                     {"owner"},
                     {"state"},
                     {"start"},
                     {"end"},
                     {"nodes", Table::Kind::Number},
                     {"memory"},
                     {"disk"},
                     {"vlan"},
                     {"repeat"},
                     {"failure"}});
        for (const auto& s : rows) {
            const auto& r = s.request;
            std::string net = std::to_string(s.networkId);
            if (r.network == NetworkKind::Vxlan) {
                net.insert(0, "vxlan:");
            }
            table.addRow({r.name, r.owner, s.state, formatTime(r.start), formatTime(r.end),
                          std::to_string(r.nodes), formatSizeMiB(r.memoryMiB),
                          formatSizeMiB(r.diskMiB), net, r.repeat ? r.repeat->text() : "",
                          s.failureReason});
        }
        ctx.print(table);
    }
};

}  // namespace

ROCKS_COMMAND(ListVcluster)
