// rocks set vcluster <name> end=|nodes=|memory=|cycle=|skip=+DATES: changes a reservation.
#include <optional>
#include "cli/Plugin.h"

#include "portal/PortalClient.h"
#include "reservation/ReservationBook.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;
using namespace vcluster::reservation;

class SetVcluster : public Command {
  public:
    std::vector<std::string> words() const override { return {"set", "vcluster"}; }
    CommandHelp help() const override {
        return {"Extend, shrink or grow a virtual cluster reservation",
                "Changes the end time, the number of compute nodes or the memory per node, and "
                "re-admits the reservation as a whole: its network id, frontend, storage and "
                "existing nodes stay where they are and only added nodes are placed. If anything "
                "does not fit, the command is refused (exit 2) and nothing changes. On a built "
                "cluster the next `rocks sync vcluster` carries the change out: added computes "
                "are built, started and install from the virtual frontend, removed ones (highest "
                "index first) are powered off and torn down; a new memory size is written into "
                "the VMs' definitions and takes effect at their next power cycle (cycle=yes asks "
                "the sync for it). skip=+DATES "
                "adds holidays to a weekly reservation (or to every cluster of a count= group): "
                "those days (in its time zone) lose their windows and their capacity is free.",
                {{"name", "the vcluster"}},
                portal::withPortalParams(
                    {{"end", "new end time (ISO 8601)", ""},
                     {"nodes", "new number of compute nodes", ""},
                     {"memory", "new memory per compute node", ""},
                     {"cycle",
                      "yes: power-cycle a built cluster's computes at the next sync, so a "
                      "new memory size takes effect",
                      "no"},
                     {"skip", "+DATE[,DATE..DATE]: days to add to the skipped ones", ""}}),
                {{"rocks set vcluster dc1 end=2027-01-31T23:59:59Z", "extends dc1 by a month"},
                 {"rocks set vcluster dc1 nodes=24", "grows dc1 to 24 nodes"},
                 {"rocks set vcluster dc1 memory=8GiB cycle=yes",
                  "8 GiB per compute from the next sync on (their VMs restarted)"},
                 {"rocks set vcluster hpc101 skip=+2027-05-04", "no class on 4 May"},
                 {"rocks set vcluster dc1 end=2027-01-31T23:59:59Z "
                  "portal=https://manager.example.org:8443 token-file=~/.vcluster-token",
                  "the same through a remote portal (end=, nodes= and memory= there)"}}};
    }
    void run(Context& ctx) override {
        std::string name = ctx.requireArg(0, "name");
        if (ctx.args().size() > 1) {
            throw Error("one vcluster at a time, not " + std::to_string(ctx.args().size()));
        }
        if (auto portal = portal::portalConfig(ctx.params())) {
            // The portal's PATCH takes what `rocks set vcluster` changes of a
            // reservation's size and span; the rest is the admin's, here.
            nlohmann::json body = nlohmann::json::object();
            for (const auto& [key, value] : portal::withoutClientParams(ctx.params())) {
                if (key != "end" && key != "nodes" && key != "memory") {
                    throw Error(key +
                                "= is not taken through a portal (end=, nodes=, memory= are)");
                }
                body[key] = value;
            }
            if (body.empty()) {
                throw Error("nothing to change: give end=, nodes= or memory=");
            }
            portal::PortalClient(*portal).call(
                "PATCH", "/api/v1/reservations/" + portal::PortalClient::segment(name), body);
            return;
        }
        auto params = ctx.params();
        std::optional<std::vector<DateRange>> skips;
        if (auto it = params.find("skip"); it != params.end()) {
            if (it->second.empty() || it->second[0] != '+') {
                throw Error("skip= takes +DATES (days to add, e.g. skip=+2027-05-04)");
            }
            skips = parseSkipDates(it->second.substr(1));
            params.erase(it);
        }
        std::optional<ReservationChange> change;
        if (!skips || params.count("end") + params.count("nodes") + params.count("memory") +
                              params.count("cycle") >
                          0) {
            change = parseReservationChange(params);
        }
        Time now = currentTime();
        db::Transaction tx(ctx.db());
        ReservationBook book(ctx.db());
        if (skips) {
            book.addSkips(name, *skips);
        }
        if (change) {
            book.change(name, *change, now);
        }
        tx.commit();
    }
};

}  // namespace

ROCKS_COMMAND(SetVcluster)
