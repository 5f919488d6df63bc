// rocks report vcluster calendar [host=] [from=] [to=] [output-format=]:
// free and used capacity over time.
#include <algorithm>
#include <map>

#include "cli/Plugin.h"
#include "reservation/CalendarChart.h"
#include "reservation/ReservationBook.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;
using namespace vcluster::reservation;
using calendar::Pool;

class ReportVclusterCalendar : public Command {
  public:
    std::vector<std::string> words() const override { return {"report", "vcluster", "calendar"}; }
    CommandHelp help() const override {
        return {"Report free and used capacity over time",
                "As a table: one row per host and period in which its usage is constant (CPUs "
                "and memory for vm-servers and gateways, disk for storage pools; a host in "
                "maintenance shows all of its capacity used), then the VLAN ids and VNIs in use. "
                "With output-format=svg: a Gantt chart of hosts x time with every reservation "
                "(and maintenance window) as bars, to open in a browser.",
                {},
                {{"host", "only this host", ""},
                 {"from", "start of the report (ISO 8601)", "now"},
                 {"to", "end of the report (ISO 8601)", "from + 30 days"},
                 {"output-format", "text, json or svg", "text"}},
                {{"rocks report vcluster calendar", "the next 30 days"},
                 {"rocks report vcluster calendar from=2026-12-01T00:00:00Z "
                  "to=2027-01-01T00:00:00Z output-format=svg > december.svg",
                  "December as a Gantt chart"}}};
    }
    void run(Context& ctx) override {
        Time now = currentTime();
        Interval span;
        span.start = ctx.has("from") ? parseTime(*ctx.param("from"), "from") : now;
        span.end =
            ctx.has("to") ? parseTime(*ctx.param("to"), "to") : span.start + Time{30} * 86400;
        if (span.end <= span.start) {
            throw Error("to must be after from");
        }
        std::optional<std::string> host = ctx.param("host");
        std::string format = ctx.param("output-format", "text");
        if (format != "svg") {
            parseOutputFormat(format);  // reports a bad value before any work
        }
        db::Transaction tx(ctx.db(), db::Transaction::Mode::Deferred);
        SiteCalendar sc = loadSiteCalendar(ctx.db());
        tx.commit();
        if (host && sc.site.hostIndex.count(*host) == 0) {
            throw Error("host '" + *host +
                        "' has no capacity in the calendar (vc_cpus/vc_memory "
                        "or vc_pool_size)");
        }
        if (format == "svg") {
            ctx.out() << renderSvg(calendarChart(sc, span, host));
            return;
        }
        ctx.print(table(sc, span, host));
    }

  private:
    static Table table(const SiteCalendar& sc, const Interval& span,
                       const std::optional<std::string>& only) {
        Table t({{"resource"},
                 {"kind"},
                 {"from"},
                 {"to"},
                 {"used-cpus", Table::Kind::Number},
                 {"free-cpus", Table::Kind::Number},
                 {"used"},
                 {"free"}},
                false);
        for (const auto& h : calendarHosts(sc, only)) {
            auto steps = sc.calendar.steps(h.pool, h.index, span);
            for (std::size_t i = 0; i < steps.size(); ++i) {
                Time end = i + 1 < steps.size() ? steps[i + 1].first : span.end;
                const auto& used = steps[i].second;
                bool disk = h.pool == Pool::Storage;
                t.addRow({h.name, disk ? "disk" : std::string(calendar::poolNoun(h.pool)),
                          formatTime(steps[i].first), formatTime(end),
                          disk ? "" : std::to_string(used.cpus),
                          disk ? "" : std::to_string(h.capacity.cpus - used.cpus),
                          formatSizeMiB(used.mib), formatSizeMiB(h.capacity.mib - used.mib)});
            }
        }
        if (!only) {
            for (auto kind : {NetworkKind::Vlan, NetworkKind::Vxlan}) {
                idRows(t, sc, span, kind);
            }
        }
        return t;
    }

    // Network ids in use over time, from the reservations' spans.
    static void idRows(Table& t, const SiteCalendar& sc, const Interval& span, NetworkKind kind) {
        std::map<Time, int> delta;
        for (const auto& r : sc.reservations) {
            if (r.request.network == kind && r.request.start < span.end &&
                r.request.end > span.start) {
                ++delta[std::max(r.request.start, span.start)];
                --delta[std::min(r.request.end, span.end)];
            }
        }
        const auto& range =
            kind == NetworkKind::Vlan ? sc.site.inventory.vlans : sc.site.inventory.vnis;
        int used = 0;
        Time at = span.start;
        auto row = [&](Time end) {
            if (end > at) {
                t.addRow({kind == NetworkKind::Vlan ? "vlan-ids" : "vnis", "network",
                          formatTime(at), formatTime(end), "", "", std::to_string(used),
                          std::to_string(range.size() - used)});
            }
        };
        for (const auto& [time, d] : delta) {
            if (d == 0) {
                continue;
            }
            row(time);
            used += d;
            at = time;
        }
        row(span.end);
    }
};

}  // namespace

ROCKS_COMMAND(ReportVclusterCalendar)
