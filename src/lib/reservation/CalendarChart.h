#pragma once

#include <optional>
#include <string>
#include <vector>

#include "reservation/GanttChart.h"
#include "reservation/ReservationBook.h"

namespace vcluster::reservation {

// A host of the calendar: its pool, index in the inventory and capacity.
struct CalendarHost {
    std::string name;
    calendar::Pool pool;
    int index;
    calendar::Amount capacity;
};

// The hosts with capacity (vm-servers, gateways, storage), or only `only`.
std::vector<CalendarHost> calendarHosts(const SiteCalendar& sc,
                                        const std::optional<std::string>& only);

// The Gantt chart of `rocks report vcluster calendar output-format=svg` and of
// the portal: every reservation and maintenance window over `span`. With
// `viewer`, reservations of other owners are drawn as anonymous "reserved"
// bars (a provider sees when capacity is taken, not by whom).
GanttChart calendarChart(const SiteCalendar& sc, const Interval& span,
                         const std::optional<std::string>& only,
                         const std::optional<std::string>& viewer = std::nullopt);

}  // namespace vcluster::reservation
