// rocks list vcluster [name...]: the reservations in the calendar.
#include <algorithm>
#include <set>

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
                {{"state",
                  "only those in this state (scheduled, provisioning, installing, "
                  "active, powered-off, releasing, failed, released, cancelled), or all: "
                  "the history, ended reservations included",
                  "the live ones"},
                 {"owner", "only this owner's", ""},
                 {"from", "only those whose period ends after this time", ""},
                 {"to", "only those whose period starts before this time", ""},
                 outputFormatParam()}),
            {{"rocks list vcluster", "all reservations"},
             {"rocks list vcluster state=active owner=provider", "one owner's running clusters"},
             {"rocks list vcluster from=2027-01-04T00:00:00Z to=2027-01-11T00:00:00Z",
              "the reservations of one week"},
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
        ReservationPool::ListFilter filter;
        const bool history = ctx.param("state", "") == "all";
        if (auto state = ctx.param("state"); state && !history) {
            static const std::set<std::string> kStates = {"scheduled", "provisioning", "installing",
                                                          "active",    "powered-off",  "releasing",
                                                          "failed",    "released",     "cancelled"};
            if (kStates.count(*state) == 0) {
                throw Error("unknown state '" + *state +
                            "': expected scheduled, provisioning, installing, active, "
                            "powered-off, releasing, failed, released, cancelled or all");
            }
            filter.state = *state;
        }
        filter.owner = ctx.param("owner");
        if (auto from = ctx.param("from")) {
            filter.from = parseTime(*from, "from");
        }
        if (auto to = ctx.param("to")) {
            filter.to = parseTime(*to, "to");
        }
        if (filter.from && filter.to && *filter.to <= *filter.from) {
            throw Error("to must be after from");
        }
        ReservationPool pool(ctx.db());
        auto named = [&ctx](const StoredReservation& r) {
            return ctx.args().empty() || std::find(ctx.args().begin(), ctx.args().end(),
                                                   r.request.name) != ctx.args().end();
        };
        if (history ||
            (filter.state && (*filter.state == "released" || *filter.state == "cancelled"))) {
            // The history: who ended what, when and why.
            ListingTable table(true);
            pool.eachListed(filter, history, [&](const StoredReservation& r) {
                if (named(r)) {
                    table.add(r);
                }
            });
            ctx.print(table.table());
            return;
        }
        if (ctx.args().empty()) {
            ctx.print(ListingTable::listed(pool, filter));
            return;
        }
        std::vector<StoredReservation> rows;
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
        ctx.print(listTable(rows));
    }
};

}  // namespace

ROCKS_COMMAND(ListVcluster)
