#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "reservation/TimeText.h"

namespace vcluster::reservation {

// [start, end): half-open, so a booking that ends at 12:00 and one that
// starts at 12:00 do not overlap.
struct Interval {
    Time start = 0;
    Time end = 0;
    Time length() const { return end - start; }
    bool operator==(const Interval&) const = default;
};

// A weekly pattern such as "tue,thu@13:00-16:00" (several patterns joined by
// ';'). Times are the manager's local wall-clock time, so a course keeps its
// hours across a daylight-saving change.
struct WeeklyRepeat {
    struct Window {
        int weekday = 0;  // 0 = Sunday ... 6 = Saturday, as in struct tm
        int startMinute = 0;
        int endMinute = 0;  // > startMinute; a window never crosses midnight
    };
    std::vector<Window> windows;

    // Canonical text ("tue,thu@13:00-16:00").
    std::string text() const;
    // The windows that fall in [span.start, span.end), clipped to it, in order.
    std::vector<Interval> expand(const Interval& span) const;
};

// Throws Error naming `what` for anything but the grammar above.
WeeklyRepeat parseWeeklyRepeat(std::string_view text, std::string_view what = "repeat");

}  // namespace vcluster::reservation
