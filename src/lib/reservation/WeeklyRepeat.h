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

// A run of calendar days [first, last] in a reservation's time zone, as days
// since 1970-01-01 (a holiday, or a week of one: "2027-04-13..2027-04-20").
struct DateRange {
    int first = 0;
    int last = 0;
    bool operator==(const DateRange&) const = default;
};

// A weekly pattern such as "tue,thu@13:00-16:00" (several patterns joined by
// ';'). Times are wall-clock times in one named IANA zone stored with the
// reservation (not the zone of whichever process reads it), so a course
// keeps its hours across a daylight-saving change and every process (shell,
// portal, timer) agrees on its instants. Days in `skips` have no window.
struct WeeklyRepeat {
    struct Window {
        int weekday = 0;  // 0 = Sunday ... 6 = Saturday, as in struct tm
        int startMinute = 0;
        int endMinute = 0;  // > startMinute; a window never crosses midnight
    };
    std::vector<Window> windows;
    std::string zone = "UTC";      // an IANA name (validated by parseTimeZone)
    std::vector<DateRange> skips;  // sorted, not overlapping

    // Canonical text of the windows ("tue,thu@13:00-16:00").
    std::string text() const;
    // Canonical text of the skipped days ("2027-03-23,2027-04-13..2027-04-20").
    std::string skipText() const;
    // The windows that fall in [span.start, span.end), clipped to it, in
    // order, without those of skipped days.
    std::vector<Interval> expand(const Interval& span) const;
    // The windows of skipped days that fall in the span (for the calendar
    // picture and the listing).
    std::vector<Interval> skipped(const Interval& span) const;
};

// Throws Error naming `what` for anything but the grammar above.
WeeklyRepeat parseWeeklyRepeat(std::string_view text, std::string_view what = "repeat");

// An IANA time zone name known to the system's tz database (tzdata), e.g.
// Europe/Berlin or UTC; returns it. Throws Error otherwise.
std::string parseTimeZone(std::string_view text, std::string_view what = "tz");

// "2027-03-23,2027-04-13..2027-04-20": dates and inclusive ranges, merged
// and sorted. Throws Error naming `what`.
std::vector<DateRange> parseSkipDates(std::string_view text, std::string_view what = "skip");
// Adds ranges to a sorted list, merging overlapping or adjacent ones.
std::vector<DateRange> mergeSkips(std::vector<DateRange> ranges);
std::string formatDay(int day);  // YYYY-MM-DD

// The instant of a local wall-clock time in `zone` (a time in a DST gap is
// taken as the instant the clocks jumped; an ambiguous one as the earlier).
Time zonedInstant(const std::string& zone, int day, int minute);
// The local calendar day (days since 1970-01-01) of an instant in `zone`.
int zonedDay(const std::string& zone, Time t);
// The wall-clock time of an instant in `zone`: "13:00".
std::string zonedClock(const std::string& zone, Time t);

}  // namespace vcluster::reservation
