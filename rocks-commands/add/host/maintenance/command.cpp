// rocks add host maintenance <host> start= end=: takes a host out of service.
#include "cli/Plugin.h"
#include "reservation/ReservationBook.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;
using namespace vcluster::reservation;

class AddHostMaintenance : public Command {
  public:
    std::vector<std::string> words() const override { return {"add", "host", "maintenance"}; }
    CommandHelp help() const override {
        return {"Take a host out of service for an interval",
                "While a vm-server, gateway or storage node is in maintenance the calendar "
                "counts all of its capacity as used, so no new reservation is placed on it. "
                "Scheduled reservations placed on it during that interval are re-placed on other "
                "hosts (listed, one row each: MOVED with the hosts before and after). One that "
                "cannot move (built already: its VMs or disks are there, or no room elsewhere) "
                "refuses the maintenance, naming it, with nothing changed; force=yes records the "
                "maintenance anyway and lists it as colliding (shorten or remove it).",
                {{"host", "the physical host"}},
                {{"start", "start of the maintenance (ISO 8601)", "", true},
                 {"end", "end of the maintenance (ISO 8601)", "", true},
                 {"comment", "why", ""},
                 {"force", "yes: record it even when built reservations use the host", "no"},
                 outputFormatParam()},
                {{"rocks add host maintenance vm-server-1-3 start=2026-12-01T08:00:00Z "
                  "end=2026-12-01T18:00:00Z comment=\"replace DIMM\"",
                  "a day out of service"}}};
    }
    void run(Context& ctx) override {
        MaintenanceWindow m;
        m.host = ctx.requireArg(0, "host");
        m.interval = {parseTime(ctx.requireParam("start"), "start"),
                      parseTime(ctx.requireParam("end"), "end")};
        if (m.interval.end <= m.interval.start) {
            throw Error("end must be after start");
        }
        m.comment = ctx.param("comment", "");
        validateText(m.comment, "comment");
        if (m.comment.size() > 140) {
            throw Error("comment is longer than 140 characters");
        }
        const std::string force = ctx.param("force", "no");
        if (force != "yes" && force != "no") {
            throw Error("force must be yes or no, not '" + force + "'");
        }
        db::Transaction tx(ctx.db());
        auto outcome = ReservationBook(ctx.db()).addMaintenance(m, force == "yes");
        tx.commit();
        auto hosts = [](const StoredReservation& r) {
            std::string s = r.gateway + " " + r.storage;
            for (const auto& h : r.nodeHosts) {
                s += " " + h;
            }
            return s;
        };
        Table table({{"vcluster"}, {"owner"}, {"start"}, {"end"}, {"outcome"}, {"hosts"}});
        for (const auto& [before, after] : outcome.moved) {
            table.addRow({after.request.name, after.request.owner, formatTime(after.request.start),
                          formatTime(after.request.end), "moved",
                          hosts(before) + " ->" + hosts(after)});
        }
        for (const auto& r : outcome.colliding) {
            table.addRow({r.request.name, r.request.owner, formatTime(r.request.start),
                          formatTime(r.request.end), "colliding", hosts(r)});
        }
        if (!outcome.colliding.empty()) {
            ctx.err() << "warning - " << outcome.colliding.size() << " reservation"
                      << (outcome.colliding.size() == 1 ? "" : "s") << " still use " << m.host
                      << " during this maintenance (force=yes)\n";
        }
        if (table.rows() > 0) {
            ctx.print(table);
        }
    }
};

}  // namespace

ROCKS_COMMAND(AddHostMaintenance)
