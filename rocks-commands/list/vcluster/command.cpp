// rocks list vcluster [name...]: the reservations in the calendar.
#include <algorithm>

#include "cli/Plugin.h"
#include "portal/PortalClient.h"
#include "reservation/ReservationBook.h"
#include "reservation/ReservationPool.h"
#include "reservation/ReservationTables.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;
using namespace vcluster::reservation;

class ListVcluster : public Command {
  public:
    std::vector<std::string> words() const override { return {"list", "vcluster"}; }
    CommandHelp help() const override {
        return {
            "List the reserved virtual clusters",
            "One row per reservation still in the calendar (not released or cancelled): its "
            "owner, state, period (UTC), number of compute nodes, memory and disk per node, "
            "and its VLAN id (or VNI, shown as vxlan:<id>). Weekly reservations show their "
            "windows in REPEAT, in the time zone TZ, and the days they skip in SKIP. Clusters "
            "booked together with count= show their group in GROUP; naming the group lists "
            "all of its clusters. With state=all: every reservation ever booked, released and "
            "cancelled ones too, with when it ended (ENDED), who ended it (ENDED-BY: the user "
            "who removed it, or sync at its end time) and why (REASON, or the failure).",
            {{"name", "a vcluster name; lists all when none is given", true, true}},
            portal::withPortalParams(
                {outputFormatParam(),
                 {"state", "all: the history, ended reservations included", "the live ones"}}),
            {{"rocks list vcluster", "all reservations"},
             {"rocks list vcluster dc1 output-format=json", "one, as JSON"},
             {"rocks list vcluster state=all", "the history: who ended what, when and why"},
             {"rocks list vcluster hpc101", "the clusters of the count= group hpc101"},
             {"VCLUSTER_PORTAL=https://manager:8443 VCLUSTER_PORTAL_TOKEN_FILE=~/.vcluster-token "
              "rocks list vcluster",
              "what a remote portal shows this token's user"}}};
    }
    void run(Context& ctx) override {
        if (auto portal = portal::portalConfig(ctx.params())) {
            portal::PortalClient client(*portal);
            nlohmann::json rows = nlohmann::json::array();
            if (ctx.args().empty()) {
                rows = client.call("GET", "/api/v1/reservations");
            } else {
                for (const auto& name : ctx.args()) {
                    rows.push_back(client.call(
                        "GET", "/api/v1/reservations/" + portal::PortalClient::segment(name)));
                }
            }
            ctx.print(portal::tableFromJson(listColumns(), rows));
            return;
        }
        ReservationPool pool(ctx.db());
        std::vector<StoredReservation> rows;
        if (ctx.has("state")) {
            if (ctx.param("state", "") != "all") {
                throw Error("state must be all (the history), not '" + ctx.param("state", "") +
                            "'");
            }
            for (auto& r : pool.listAll()) {
                if (ctx.args().empty() || std::find(ctx.args().begin(), ctx.args().end(),
                                                    r.request.name) != ctx.args().end()) {
                    rows.push_back(std::move(r));
                }
            }
            ctx.print(historyTable(rows));
            return;
        }
        if (ctx.args().empty()) {
            rows = pool.listLive();
        } else {
            for (const auto& name : ctx.args()) {
                auto r = pool.findLive(name);
                auto members = ReservationBook(ctx.db()).group(name);
                if (!r && members.empty()) {
                    throw Error("unknown vcluster '" + name + "'");
                }
                if (r) {
                    rows.push_back(*r);
                }
                rows.insert(rows.end(), members.begin(), members.end());
            }
        }
        ctx.print(listTable(rows));
    }
};

}  // namespace

ROCKS_COMMAND(ListVcluster)
