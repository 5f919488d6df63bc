#include "reservation/CalendarChart.h"

#include <algorithm>
#include <map>

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
    std::map<std::string, std::size_t> lane;
    for (const auto& h : calendarHosts(sc, only)) {
        lane[h.name] = c.lanes.size();
        c.lanes.push_back({h.name, calendar::poolNoun(h.pool), {}});
    }
    auto addBar = [&](const std::string& host, const Interval& iv, const std::string& label,
                      const std::string& tip, bool maintenance) {
        auto it = lane.find(host);
        if (it != lane.end() && iv.start < span.end && iv.end > span.start) {
            c.lanes[it->second].bars.push_back({iv.start, iv.end, label, tip, maintenance});
        }
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
        for (const auto& w : q.computeWindows()) {
            for (const auto& [h, n] : perHost) {
                addBar(h, w, q.name,
                       q.name + " (" + q.owner + "): " + std::to_string(n) + " node(s), " + period,
                       false);
            }
            addBar(r.gateway, w, q.name, q.name + " frontend " + r.publicIp + ", " + period, false);
        }
        addBar(r.storage, q.span(), q.name,
               q.name + ": " + formatSizeMiB(q.totalDiskMiB()) + ", " + period, false);
    }
    for (const auto& m : sc.maintenance) {
        addBar(m.host, m.interval, "maintenance",
               viewer ? std::string("maintenance") : "maintenance: " + m.comment, true);
    }
    return c;
}

}  // namespace vcluster::reservation
