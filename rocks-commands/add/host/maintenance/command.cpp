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
                "Reservations already placed on it during that interval collide: they are listed "
                "(one row each) so they can be moved or cancelled; they are not changed.",
                {{"host", "the physical host"}},
                {{"start", "start of the maintenance (ISO 8601)", "", true},
                 {"end", "end of the maintenance (ISO 8601)", "", true},
                 {"comment", "why", ""},
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
        db::Transaction tx(ctx.db());
        auto colliding = ReservationBook(ctx.db()).addMaintenance(m);
        tx.commit();
        if (!colliding.empty()) {
            ctx.err() << "warning - " << colliding.size() << " reservation"
                      << (colliding.size() == 1 ? "" : "s") << " use " << m.host
                      << " during this maintenance\n";
            Table table({{"colliding"}, {"owner"}, {"start"}, {"end"}});
            for (const auto& r : colliding) {
                table.addRow({r.request.name, r.request.owner, formatTime(r.request.start),
                              formatTime(r.request.end)});
            }
            ctx.print(table);
        }
    }
};

}  // namespace

ROCKS_COMMAND(AddHostMaintenance)
