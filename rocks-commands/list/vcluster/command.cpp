// rocks list vcluster [name...]: the reservations in the calendar.
#include <set>

#include "cli/Plugin.h"
#include "portal/PortalClient.h"
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
            "windows in REPEAT.",
            {{"name", "a vcluster name; lists all when none is given", true, true}},
            portal::withPortalParams(
                {{"state",
                  "only those in this state (scheduled, provisioning, installing, "
                  "active, powered-off, releasing, failed, released, cancelled)",
                  ""},
                 {"owner", "only this owner's", ""},
                 {"from", "only those whose period ends after this time", ""},
                 {"to", "only those whose period starts before this time", ""},
                 outputFormatParam()}),
            {{"rocks list vcluster", "all reservations"},
             {"rocks list vcluster state=active owner=provider", "one owner's running clusters"},
             {"rocks list vcluster from=2027-01-04T00:00:00Z to=2027-01-11T00:00:00Z",
              "the reservations of one week"},
             {"rocks list vcluster dc1 output-format=json", "one, as JSON"},
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
        if (auto state = ctx.param("state")) {
            static const std::set<std::string> kStates = {"scheduled", "provisioning", "installing",
                                                          "active",    "powered-off",  "releasing",
                                                          "failed",    "released",     "cancelled"};
            if (kStates.count(*state) == 0) {
                throw Error("unknown state '" + *state +
                            "': expected scheduled, provisioning, installing, active, "
                            "powered-off, releasing, failed, released or cancelled");
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
        std::vector<StoredReservation> rows;
        if (ctx.args().empty()) {
            rows = pool.list(filter);
        } else {
            for (const auto& name : ctx.args()) {
                auto r = pool.findLive(name);
                if (!r) {
                    throw Error("unknown vcluster '" + name + "'");
                }
                rows.push_back(*r);
            }
        }
        ctx.print(listTable(rows));
    }
};

}  // namespace

ROCKS_COMMAND(ListVcluster)
