#include "reservation/WeeklyRepeat.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <tuple>

#include <date/date.h>
#include <date/tz.h>

#include "util/Error.h"
#include "util/Strings.h"

namespace vcluster::reservation {

namespace {

constexpr std::array<const char*, 7> kDays = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

[[noreturn]] void badRepeat(std::string_view text, std::string_view what) {
    throw Error("invalid " + std::string(what) + " '" + std::string(text) +
                "': expected weekdays and hours like tue,thu@13:00-16:00 (several joined by ';')");
}

int parseClock(std::string_view hhmm, std::string_view text, std::string_view what) {
    if (hhmm.size() != 5 || hhmm[2] != ':') {
        badRepeat(text, what);
    }
    for (std::size_t i : {0, 1, 3, 4}) {
        if (hhmm[i] < '0' || hhmm[i] > '9') {
            badRepeat(text, what);
        }
    }
    int h = (hhmm[0] - '0') * 10 + (hhmm[1] - '0');
    int m = (hhmm[3] - '0') * 10 + (hhmm[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && m != 0)) {
        badRepeat(text, what);
    }
    return h * 60 + m;
}

std::string clock(int minutes) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d:%02d", minutes / 60, minutes % 60);
    return buf;
}

}  // namespace

WeeklyRepeat parseWeeklyRepeat(std::string_view text, std::string_view what) {
    WeeklyRepeat repeat;
    if (text.empty() || text.size() > 256) {
        badRepeat(text, what);
    }
    for (const auto& part : split(text, ';')) {
        auto at = part.find('@');
        if (at == std::string::npos) {
            badRepeat(text, what);
        }
        std::string hours = part.substr(at + 1);
        auto dash = hours.find('-');
        if (dash == std::string::npos) {
            badRepeat(text, what);
        }
        int from = parseClock(hours.substr(0, dash), text, what);
        int to = parseClock(hours.substr(dash + 1), text, what);
        if (to <= from) {
            throw Error("invalid " + std::string(what) + " '" + std::string(text) +
                        "': a window must end after it starts, on the same day");
        }
        for (const auto& day : split(part.substr(0, at), ',')) {
            auto it = std::find(kDays.begin(), kDays.end(), toLower(trim(day)));
            if (it == kDays.end()) {
                badRepeat(text, what);
            }
            repeat.windows.push_back({static_cast<int>(it - kDays.begin()), from, to});
        }
    }
    std::sort(repeat.windows.begin(), repeat.windows.end(), [](const auto& a, const auto& b) {
        return std::tie(a.weekday, a.startMinute) < std::tie(b.weekday, b.startMinute);
    });
    for (std::size_t i = 1; i < repeat.windows.size(); ++i) {
        const auto& p = repeat.windows[i - 1];
        const auto& w = repeat.windows[i];
        if (p.weekday == w.weekday && w.startMinute < p.endMinute) {
            throw Error("invalid " + std::string(what) + " '" + std::string(text) +
                        "': windows on the same day overlap");
        }
    }
    return repeat;
}

std::string WeeklyRepeat::text() const {
    std::vector<std::string> parts;
    std::vector<bool> done(windows.size(), false);
    for (std::size_t i = 0; i < windows.size(); ++i) {
        if (done[i]) {
            continue;
        }
        std::vector<std::string> days;
        for (std::size_t j = i; j < windows.size(); ++j) {
            if (!done[j] && windows[j].startMinute == windows[i].startMinute &&
                windows[j].endMinute == windows[i].endMinute) {
                days.push_back(kDays[static_cast<std::size_t>(windows[j].weekday)]);
                done[j] = true;
            }
        }
        parts.push_back(join(days, ",") + "@" + clock(windows[i].startMinute) + "-" +
                        clock(windows[i].endMinute));
    }
    return join(parts, ";");
}

namespace {

// The zone database is the system's tzdata, read by Howard Hinnant's date
// library (libhowardhinnant-date-dev, built with USE_OS_TZDB): g++ 12's
// <chrono> has no time zones yet, and zone rules must not be hand-written.
const date::time_zone* zoneNamed(const std::string& name) {
    try {
        return date::locate_zone(name);
    } catch (const std::exception&) {
        throw Error("unknown time zone '" + name +
                    "': expected an IANA name such as Europe/Berlin or UTC");
    }
}

int weekdayOf(int day) {
    return static_cast<int>(date::weekday(date::sys_days(date::days(day))).c_encoding());
}

bool isSkipped(const std::vector<DateRange>& skips, int day) {
    return std::any_of(skips.begin(), skips.end(),
                       [&](const DateRange& r) { return r.first <= day && day <= r.last; });
}

}  // namespace

namespace {

Time instantIn(const date::time_zone* zone, int day, int minute) {
    const auto local =
        date::local_seconds(date::local_days(date::days(day)) + std::chrono::minutes(minute));
    return zone->to_sys(local, date::choose::earliest).time_since_epoch().count();
}

int dayIn(const date::time_zone* zone, Time t) {
    const auto local = zone->to_local(date::sys_seconds(std::chrono::seconds(t)));
    return static_cast<int>(date::floor<date::days>(local).time_since_epoch().count());
}

}  // namespace

Time zonedInstant(const std::string& zone, int day, int minute) {
    return instantIn(zoneNamed(zone), day, minute);
}

int zonedDay(const std::string& zone, Time t) { return dayIn(zoneNamed(zone), t); }

std::string zonedClock(const std::string& zone, Time t) {
    const auto local = zoneNamed(zone)->to_local(date::sys_seconds(std::chrono::seconds(t)));
    return date::format("%H:%M", date::floor<std::chrono::minutes>(local));
}

std::string parseTimeZone(std::string_view text, std::string_view what) {
    std::string name(text);
    if (name.empty() || name.size() > 64) {
        throw Error("invalid " + std::string(what) + " '" + name +
                    "': expected an IANA time zone name such as Europe/Berlin or UTC");
    }
    zoneNamed(name);
    return name;
}

std::string formatDay(int day) { return date::format("%F", date::sys_days(date::days(day))); }

namespace {

int parseDay(const std::string& text, std::string_view all, std::string_view what) {
    int y = 0;
    unsigned m = 0;
    unsigned d = 0;
    bool ok = text.size() == 10 && text[4] == '-' && text[7] == '-';
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
        ok = ok && text[i] >= '0' && text[i] <= '9';
    }
    if (ok) {
        y = std::stoi(text.substr(0, 4));
        m = static_cast<unsigned>(std::stoi(text.substr(5, 2)));
        d = static_cast<unsigned>(std::stoi(text.substr(8, 2)));
    }
    const date::year_month_day ymd{date::year(y), date::month(m), date::day(d)};
    if (!ok || !ymd.ok()) {
        throw Error("invalid " + std::string(what) + " '" + std::string(all) +
                    "': expected dates YYYY-MM-DD or ranges YYYY-MM-DD..YYYY-MM-DD, joined by ','");
    }
    return static_cast<int>(date::sys_days(ymd).time_since_epoch().count());
}

}  // namespace

std::vector<DateRange> mergeSkips(std::vector<DateRange> ranges) {
    std::sort(ranges.begin(), ranges.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<DateRange> out;
    for (const auto& r : ranges) {
        if (!out.empty() && r.first <= out.back().last + 1) {
            out.back().last = std::max(out.back().last, r.last);
        } else {
            out.push_back(r);
        }
    }
    return out;
}

std::vector<DateRange> parseSkipDates(std::string_view text, std::string_view what) {
    if (text.empty() || text.size() > 1024) {
        throw Error("invalid " + std::string(what) + " '" + std::string(text.substr(0, 64)) +
                    "': expected dates YYYY-MM-DD or ranges YYYY-MM-DD..YYYY-MM-DD, joined by ','");
    }
    std::vector<DateRange> ranges;
    for (const auto& item : split(text, ',')) {
        const std::string part = trim(item);
        const auto dots = part.find("..");
        DateRange r;
        if (dots == std::string::npos) {
            r.first = r.last = parseDay(part, text, what);
        } else {
            r.first = parseDay(part.substr(0, dots), text, what);
            r.last = parseDay(part.substr(dots + 2), text, what);
            if (r.last < r.first) {
                throw Error("invalid " + std::string(what) + " '" + part +
                            "': the range ends before it starts");
            }
        }
        ranges.push_back(r);
    }
    return mergeSkips(std::move(ranges));
}

std::string WeeklyRepeat::skipText() const {
    std::vector<std::string> parts;
    for (const auto& r : skips) {
        parts.push_back(r.first == r.last ? formatDay(r.first)
                                          : formatDay(r.first) + ".." + formatDay(r.last));
    }
    return join(parts, ",");
}

namespace {

// Every window of `repeat` on the local days touching `span`, with whether
// its day is skipped.
template <typename Visit>
void eachWindow(const WeeklyRepeat& repeat, const Interval& span, Visit&& visit) {
    if (span.end <= span.start) {
        return;
    }
    // A day early: a window may start before span.start.
    const date::time_zone* zone = zoneNamed(repeat.zone);
    const int first = dayIn(zone, span.start) - 1;
    const int last = dayIn(zone, span.end);
    for (int day = first; day <= last; ++day) {
        const int weekday = weekdayOf(day);
        for (const auto& w : repeat.windows) {
            if (w.weekday != weekday) {
                continue;
            }
            Interval iv{std::max<Time>(instantIn(zone, day, w.startMinute), span.start),
                        std::min<Time>(instantIn(zone, day, w.endMinute), span.end)};
            if (iv.start < iv.end) {
                visit(iv, isSkipped(repeat.skips, day));
            }
        }
    }
}

}  // namespace

std::vector<Interval> WeeklyRepeat::expand(const Interval& span) const {
    std::vector<Interval> out;
    eachWindow(*this, span, [&](const Interval& iv, bool skipped) {
        if (!skipped) {
            out.push_back(iv);
        }
    });
    return out;
}

std::vector<Interval> WeeklyRepeat::skipped(const Interval& span) const {
    std::vector<Interval> out;
    eachWindow(*this, span, [&](const Interval& iv, bool skipped) {
        if (skipped) {
            out.push_back(iv);
        }
    });
    return out;
}

}  // namespace vcluster::reservation
