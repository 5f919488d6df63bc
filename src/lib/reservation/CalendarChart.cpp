#include "reservation/CalendarChart.h"

#include <algorithm>
#include <map>

#include "reservation/WeeklyRepeat.h"

namespace vcluster::reservation {

using calendar::Pool;

std::vector<CalendarHost> calendarHosts(const SiteCalendar& sc,
                                        const std::optional<std::string>& only) {
    std::vector<CalendarHost> out;
    const auto& inv = sc.site.inventory;
    for (std::size_t i = 0; i < inv.vmServers.size(); ++i) {
        out.push_back({inv.vmServers[i].name, Pool::VmServers, static_cast<int>(i),
                       inv.vmServers[i].capacity});
    }
    for (std::size_t i = 0; i < inv.gateways.size(); ++i) {
        out.push_back(
            {inv.gateways[i].name, Pool::Gateways, static_cast<int>(i), inv.gateways[i].capacity});
    }
    for (std::size_t i = 0; i < inv.storage.size(); ++i) {
        out.push_back(
            {inv.storage[i].name, Pool::Storage, static_cast<int>(i), inv.storage[i].capacity});
    }
    if (only) {
        out.erase(std::remove_if(out.begin(), out.end(),
                                 [&](const CalendarHost& h) { return h.name != *only; }),
                  out.end());
    }
    return out;
}

GanttChart calendarChart(const SiteCalendar& sc, const Interval& span,
                         const std::optional<std::string>& only,
                         const std::optional<std::string>& viewer) {
    GanttChart c;
    c.title = "vcluster calendar " + formatTime(span.start) + " - " + formatTime(span.end);
    c.from = span.start;
    c.to = span.end;
    c.now = currentTime();
    std::map<std::string, std::size_t> lane;
    for (const auto& h : calendarHosts(sc, only)) {
        lane[h.name] = c.lanes.size();
        GanttChart::Lane l{h.name, calendar::poolNoun(h.pool), {}, {}};
        // The fill level: the fuller of CPUs and memory (bytes for storage).
        for (const auto& [t, used] : sc.calendar.steps(h.pool, h.index, span)) {
            double level = 0;
            for (int dim = 0; dim < 2; ++dim) {
                if (h.capacity.get(dim) > 0) {
                    level = std::max(level, static_cast<double>(used.get(dim)) /
                                                static_cast<double>(h.capacity.get(dim)));
                }
            }
            l.fill.emplace_back(t, level);
        }
        c.lanes.push_back(std::move(l));
    }
    GanttChart::Kind kind = GanttChart::Kind::Booking;
    std::string caption;
    auto addBar = [&](const std::string& host, const Interval& iv, const std::string& label,
                      const std::string& tip, bool maintenance) {
        auto it = lane.find(host);
        if (it != lane.end() && iv.start < span.end && iv.end > span.start) {
            GanttChart::Bar bar{iv.start, iv.end, label, tip, maintenance, kind, caption};
            if (maintenance) {
                bar.kind = GanttChart::Kind::Maintenance;
            }
            c.lanes[it->second].bars.push_back(std::move(bar));
        }
    };
    // A weekly window's hours in the reservation's own zone ("13:00-16:00 Europe/Berlin").
    auto hours = [](const ReservationRequest& q, const Interval& w) {
        return zonedClock(q.timeZone, w.start) + "-" + zonedClock(q.timeZone, w.end);
    };
    for (const auto& r : sc.reservations) {
        const auto& q = r.request;
        std::string period = formatTime(q.start) + " - " + formatTime(q.end);
        if (viewer && q.owner != *viewer) {
            std::map<std::string, int> hostsUsed;
            for (const auto& h : r.nodeHosts) {
                hostsUsed[h] = 1;
            }
            for (const auto& w : q.computeWindows()) {
                for (const auto& entry : hostsUsed) {
                    addBar(entry.first, w, "reserved", "reserved: " + period, false);
                }
                addBar(r.gateway, w, "reserved", "reserved: " + period, false);
            }
            addBar(r.storage, q.span(), "reserved", "reserved: " + period, false);
            continue;
        }
        std::map<std::string, int> perHost;
        for (const auto& h : r.nodeHosts) {
            ++perHost[h];
        }
        const auto windows = q.computeWindows();
        for (std::size_t i = 0; i < windows.size(); ++i) {
            const auto& w = windows[i];
            std::string when;  // " 13:00-16:00 Europe/Berlin;" for the tooltips
            if (q.repeat) {
                std::string h = hours(q, w);
                if (i == 0 && w.start < q.repeat->expand(q.span()).front().start) {
                    h += " (build)";
                }
                caption = q.name;
                caption += ' ';
                caption += h;
                when += ' ';
                when += h;
                when += ' ';
                when += q.timeZone;
                when += ';';
            }
            for (const auto& [h, n] : perHost) {
                std::string tip = q.name + " (" + q.owner + "):";
                tip += when;
                tip += ' ';
                tip += std::to_string(n);
                tip += " node(s), ";
                tip += period;
                addBar(h, w, q.name, tip, false);
            }
            std::string tip = q.name + " frontend " + r.publicIp + ",";
            tip += when;
            tip += ' ';
            tip += period;
            addBar(r.gateway, w, q.name, tip, false);
        }
        if (q.repeat) {
            // Skipped days: hollow bars where the window would have been.
            kind = GanttChart::Kind::Skipped;
            for (const auto& w : q.repeat->skipped(q.span())) {
                caption = "skipped " + formatDay(zonedDay(q.timeZone, w.start));
                const std::string tip = q.name + ": no window on " +
                                        formatDay(zonedDay(q.timeZone, w.start)) + " (skip=, " +
                                        q.timeZone + ")";
                for (const auto& [h, n] : perHost) {
                    addBar(h, w, q.name, tip, false);
                }
                addBar(r.gateway, w, q.name, tip, false);
            }
            kind = GanttChart::Kind::Booking;
        }
        caption.clear();
        addBar(r.storage, q.span(), q.name,
               q.name + ": " + formatSizeMiB(q.totalDiskMiB()) + ", " + period, false);
    }
    for (const auto& m : sc.maintenance) {
        caption =
            viewer || m.comment.empty() ? std::string("maintenance") : "maintenance: " + m.comment;
        addBar(m.host, m.interval, "maintenance",
               viewer ? std::string("maintenance") : "maintenance: " + m.comment, true);
    }
    return c;
}

}  // namespace vcluster::reservation
