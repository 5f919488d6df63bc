// rocks list host maintenance [host]: hosts out of service and when.
#include "cli/Plugin.h"
#include "reservation/ReservationBook.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;
using namespace vcluster::reservation;

class ListHostMaintenance : public Command {
  public:
    std::vector<std::string> words() const override { return {"list", "host", "maintenance"}; }
    CommandHelp help() const override {
        return {"List maintenance windows of hosts",
                "One row per maintenance window, with the reservations that collide with it.",
                {{"host", "a host; all hosts when none is given", true}},
                {outputFormatParam()},
                {{"rocks list host maintenance", "every maintenance window"}}};
    }
    void run(Context& ctx) override {
        std::optional<std::string> host;
        if (!ctx.args().empty()) {
            host = ctx.args().front();
        }
        ReservationPool pool(ctx.db());
        auto live = pool.listLive();
        Table table({{"host"},
                     {"id", Table::Kind::Number},
                     {"start"},
                     {"end"},
                     {"comment"},
                     {"colliding"}});
        for (const auto& m : pool.maintenance(host)) {
            std::vector<std::string> names;
            for (const auto& r : reservationsUsing(live, m.host, m.interval)) {
                names.push_back(r.request.name);
            }
            table.addRow({m.host, std::to_string(m.id), formatTime(m.interval.start),
                          formatTime(m.interval.end), m.comment, join(names, ",")});
        }
        ctx.print(table);
    }
};

}  // namespace

ROCKS_COMMAND(ListHostMaintenance)
