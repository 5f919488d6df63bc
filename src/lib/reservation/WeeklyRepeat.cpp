#include "reservation/WeeklyRepeat.h"

#include <algorithm>
#include <array>
#include <ctime>
#include <tuple>

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

std::vector<Interval> WeeklyRepeat::expand(const Interval& span) const {
    std::vector<Interval> out;
    std::time_t t = span.start - 86400;  // a day early: a window may start before span.start
    std::tm day{};
    localtime_r(&t, &day);
    day.tm_hour = 0;
    day.tm_min = 0;
    day.tm_sec = 0;
    for (int i = 0;; ++i) {
        std::tm d = day;
        d.tm_mday += i;
        d.tm_isdst = -1;
        std::time_t midnight = std::mktime(&d);  // normalises d, fills tm_wday
        if (midnight >= span.end) {
            break;
        }
        for (const auto& w : windows) {
            if (w.weekday != d.tm_wday) {
                continue;
            }
            std::tm a = d;
            a.tm_hour = w.startMinute / 60;
            a.tm_min = w.startMinute % 60;
            a.tm_isdst = -1;
            std::tm b = d;
            b.tm_hour = w.endMinute / 60;
            b.tm_min = w.endMinute % 60;
            b.tm_isdst = -1;
            Interval iv{std::max<Time>(std::mktime(&a), span.start),
                        std::min<Time>(std::mktime(&b), span.end)};
            if (iv.start < iv.end) {
                out.push_back(iv);
            }
        }
    }
    return out;
}

}  // namespace vcluster::reservation
