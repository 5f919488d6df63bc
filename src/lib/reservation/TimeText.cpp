#include "reservation/TimeText.h"

#include <chrono>

#include <cctype>
#include <cstdlib>
#include <ctime>

#include "reservation/WeeklyRepeat.h"
#include "util/Error.h"
#include "util/Strings.h"

namespace vcluster::reservation {

namespace {

[[noreturn]] void badTime(std::string_view text, std::string_view what) {
    throw Error("invalid " + std::string(what) + " '" + std::string(text) +
                "': expected ISO 8601 like 2026-12-01T09:00:00Z, 2026-12-01T10:00+01:00 or "
                "2026-12-01T09:00 (local time)");
}

// Reads exactly `n` digits at `pos`; -1 when they are not there.
int digits(std::string_view s, std::size_t pos, std::size_t n) {
    if (pos + n > s.size()) {
        return -1;
    }
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (std::isdigit(static_cast<unsigned char>(s[i])) == 0) {
            return -1;
        }
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int daysInMonth(int year, int month) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

// The instants rocks prints and reads back: an offset or the local time zone
// can move a date inside 1970..9999 outside it (9999-12-31T23:00-05:00 is
// year 10000 in UTC), which formatTime would print and parseTime refuse.
Time inPrintableRange(Time t, std::string_view text, std::string_view what) {
    constexpr Time kLatest = 253402300799;  // 9999-12-31T23:59:59Z
    if (t < 0 || t > kLatest) {
        throw Error(std::string(what) + " '" + std::string(text) +
                    "' is outside 1970-01-01T00:00:00Z .. 9999-12-31T23:59:59Z");
    }
    return t;
}

}  // namespace

Time parseTime(std::string_view text, std::string_view what, const std::string& zone) {
    std::string_view s = text;
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    if (year < 1970 || year > 9999 || s.size() < 10 || s[4] != '-' || s[7] != '-' || month < 1 ||
        month > 12 || day < 1 || day > daysInMonth(year, month)) {
        badTime(text, what);
    }
    int hour = 0;
    int minute = 0;
    int second = 0;
    std::size_t pos = 10;
    if (pos < s.size() && (s[pos] == 'T' || s[pos] == ' ')) {
        hour = digits(s, pos + 1, 2);
        minute = digits(s, pos + 4, 2);
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || s.size() < pos + 6 ||
            s[pos + 3] != ':') {
            badTime(text, what);
        }
        pos += 6;
        if (pos < s.size() && s[pos] == ':') {
            second = digits(s, pos + 1, 2);
            if (second < 0 || second > 59) {
                badTime(text, what);
            }
            pos += 3;
        }
    }
    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    tm.tm_sec = second;
    if (pos == s.size() && !zone.empty()) {  // no offset: the reservation's zone
        const int days = static_cast<int>(timegm(&tm) / 86400);
        return zonedInstant(zone, days, hour * 60 + minute) + second;
    }
    if (pos == s.size()) {  // no offset: the manager's local time
        tm.tm_isdst = -1;
        std::time_t t = std::mktime(&tm);
        if (t == static_cast<std::time_t>(-1)) {
            badTime(text, what);
        }
        return inPrintableRange(t, text, what);
    }
    Time base = timegm(&tm);
    if (s.substr(pos) == "Z" || s.substr(pos) == "z") {
        return base;
    }
    if (s[pos] != '+' && s[pos] != '-') {
        badTime(text, what);
    }
    int sign = s[pos] == '+' ? 1 : -1;
    int offH = digits(s, pos + 1, 2);
    int offM = -1;
    if (s.size() == pos + 6 && s[pos + 3] == ':') {
        offM = digits(s, pos + 4, 2);
    } else if (s.size() == pos + 5) {
        offM = digits(s, pos + 3, 2);
    } else if (s.size() == pos + 3) {
        offM = 0;
    }
    if (offH < 0 || offH > 14 || offM < 0 || offM > 59) {
        badTime(text, what);
    }
    return inPrintableRange(base - Time{sign} * (Time{offH} * 3600 + Time{offM} * 60), text, what);
}

Time currentTime() {
    if (const char* fake = std::getenv("VCLUSTER_NOW"); fake != nullptr && *fake != '\0') {
        return parseTime(fake, "VCLUSTER_NOW");
    }
    return std::time(nullptr);
}

std::string formatTime(Time t) {
    // The civil date by std::chrono's calendar (not gmtime_r + strftime,
    // whose locale and zone machinery was a twelfth of listing 50,000
    // reservations, two times each); parseTime keeps instants in 1970..9999.
    using namespace std::chrono;
    const sys_seconds instant{seconds{t}};
    const auto day = floor<days>(instant);
    const year_month_day ymd{day};
    const hh_mm_ss<seconds> hms{instant - day};
    auto put = [](char* at, long value, int width) {
        for (int i = width - 1; i >= 0; --i) {
            at[i] = static_cast<char>('0' + value % 10);
            value /= 10;
        }
    };
    const int y = static_cast<int>(ymd.year());
    if (y < 0 || y > 9999) {  // outside what parseTime takes: as strftime wrote it
        std::time_t tt = t;
        std::tm tm{};
        gmtime_r(&tt, &tm);
        char buf[48];
        std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
        return buf;
    }
    std::string out = "0000-00-00T00:00:00Z";
    put(&out[0], y, 4);
    put(&out[5], static_cast<long>(static_cast<unsigned>(ymd.month())), 2);
    put(&out[8], static_cast<long>(static_cast<unsigned>(ymd.day())), 2);
    put(&out[11], hms.hours().count(), 2);
    put(&out[14], hms.minutes().count(), 2);
    put(&out[17], static_cast<long>(hms.seconds().count()), 2);
    return out;
}

namespace {

// Splits "20GiB" into 20 and "gib"; throws when the number part is missing.
std::pair<long long, std::string> numberAndUnit(std::string_view text, std::string_view what,
                                                const std::string& expected) {
    std::size_t i = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) != 0) {
        ++i;
    }
    if (i == 0 || i > 12) {
        throw Error("invalid " + std::string(what) + " '" + std::string(text) + "': expected " +
                    expected);
    }
    return {parseInteger(text.substr(0, i), what), toLower(trim(text.substr(i)))};
}

}  // namespace

Time parseDuration(std::string_view text, std::string_view what) {
    const std::string expected = "a number with s, m, h, d or w, e.g. 12h or 30d";
    auto [n, unit] = numberAndUnit(text, what, expected);
    Time scale = 0;
    if (unit.empty() || unit == "s") {
        scale = 1;
    } else if (unit == "m") {
        scale = 60;
    } else if (unit == "h") {
        scale = 3600;
    } else if (unit == "d") {
        scale = 86400;
    } else if (unit == "w") {
        scale = Time{7} * 86400;
    } else {
        throw Error("invalid " + std::string(what) + " '" + std::string(text) + "': expected " +
                    expected);
    }
    if (n <= 0 || n > 10LL * 365 * 86400 / scale) {
        throw Error(std::string(what) + " must be between 1s and 10 years");
    }
    return n * scale;
}

std::int64_t parseSizeMiB(std::string_view text, std::string_view what) {
    const std::string expected = "a number with an optional MiB, GiB or TiB suffix, e.g. 20GiB";
    auto [n, unit] = numberAndUnit(text, what, expected);
    std::int64_t scale = 0;
    if (unit.empty() || unit == "m" || unit == "mib") {
        scale = 1;
    } else if (unit == "g" || unit == "gib") {
        scale = 1024;
    } else if (unit == "t" || unit == "tib") {
        scale = std::int64_t{1024} * 1024;
    } else {
        throw Error("invalid " + std::string(what) + " '" + std::string(text) + "': expected " +
                    expected);
    }
    // 1 EiB in MiB: far beyond any pool, small enough never to overflow sums.
    if (n > (std::int64_t{1} << 40) / scale) {
        throw Error(std::string(what) + " '" + std::string(text) + "' is too large");
    }
    return n * scale;
}

std::string formatSizeMiB(std::int64_t mib) {
    if (mib != 0 && mib % (std::int64_t{1024} * 1024) == 0) {
        return std::to_string(mib / (std::int64_t{1024} * 1024)) + " TiB";
    }
    if (mib != 0 && mib % 1024 == 0) {
        return std::to_string(mib / 1024) + " GiB";
    }
    return std::to_string(mib) + " MiB";
}

}  // namespace vcluster::reservation
