// Parsing and validation of reservation requests: times, sizes, weekly
// windows, OpenSSH keys, names.
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <set>

#include "reservation/ReservationRequest.h"
#include "reservation/SshPublicKey.h"
#include "reservation/TimeText.h"
#include "reservation/WeeklyRepeat.h"
#include "support/Keys.h"
#include "util/Error.h"

using namespace vcluster;
using namespace vcluster::reservation;

namespace {

// Runs the test body with TZ set, restoring it afterwards.
class LocalTime {
  public:
    explicit LocalTime(const char* tz) {
        if (const char* old = std::getenv("TZ")) {
            old_ = old;
        }
        setenv("TZ", tz, 1);
        tzset();
    }
    ~LocalTime() {
        if (old_.empty()) {
            unsetenv("TZ");
        } else {
            setenv("TZ", old_.c_str(), 1);
        }
        tzset();
    }

  private:
    std::string old_;
};

}  // namespace

TEST(TimeText, ParsesUtcOffsetsAndLocal) {
    EXPECT_EQ(parseTime("2026-12-01T09:00:00Z", "t"), 1796115600);
    EXPECT_EQ(parseTime("2026-12-01T10:00:00+01:00", "t"), 1796115600);
    EXPECT_EQ(parseTime("2026-12-01T04:00-0500", "t"), 1796115600);
    EXPECT_EQ(parseTime("2026-12-01 09:00Z", "t"), 1796115600);
    LocalTime tz("Europe/Amsterdam");
    EXPECT_EQ(parseTime("2026-12-01T10:00", "t"), 1796115600);  // CET = UTC+1
    EXPECT_EQ(parseTime("2026-07-01T11:00", "t"), parseTime("2026-07-01T09:00:00Z", "t"));
    EXPECT_EQ(formatTime(1796115600), "2026-12-01T09:00:00Z");
}

// formatTime computes the civil date itself (std::chrono's calendar): the
// same text as gmtime_r + strftime for instants spread over 1970..9999,
// leap days and the last second of a year among them, and each read back.
TEST(TimeText, FormatsAsGmtimeAndStrftimeDoOverTheWholeRange) {
    auto reference = [](Time t) {
        std::time_t tt = t;
        std::tm tm{};
        gmtime_r(&tt, &tm);
        char buf[48];
        std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
        return std::string(buf);
    };
    std::vector<Time> instants = {0,         59,         86399,      951782400,
                                  951868799, 1796115600, 4107542399, 253402300799};
    unsigned long long x = 88172645463325252ULL;  // xorshift: a fixed spread of instants
    for (int i = 0; i < 20000; ++i) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        instants.push_back(static_cast<Time>(x % 253402300800ULL));
    }
    for (Time t : instants) {
        ASSERT_EQ(formatTime(t), reference(t)) << t;
        ASSERT_EQ(parseTime(formatTime(t), "t"), t) << t;
    }
}

TEST(TimeText, RefusesMalformedTimes) {
    for (const char* bad : {"", "2026-13-01T00:00Z", "2026-02-30", "2026-12-01T25:00Z",
                            "2026-12-01T09:00:00Q", "tomorrow", "2026-12-01T09:00:00+25:00",
                            "2026-12-01T09:00:00Z; rm -rf /", "1969-12-31"}) {
        EXPECT_THROW(parseTime(bad, "start"), Error) << bad;
    }
}

// Found by fuzz/fuzz_time.cpp's round-trip property (fuzz/regressions/fuzz-time/):
// an offset moved a date of year 9999 (or 1970) out of what formatTime
// prints and parseTime reads back.
TEST(TimeText, RefusesInstantsItCouldNotPrintAndReadBack) {
    EXPECT_THROW(parseTime("9999-12-31T23:00:00-05:00", "start"), vcluster::Error);
    EXPECT_THROW(parseTime("1970-01-01T00:30:00+01:00", "start"), vcluster::Error);
    Time last = parseTime("9999-12-31T23:59:59Z", "end");
    EXPECT_EQ(parseTime(formatTime(last), "end"), last);
    EXPECT_EQ(parseTime("9999-12-31T18:59:59-05:00", "end"), last);
}

TEST(TimeText, SizesAndDurations) {
    EXPECT_EQ(parseSizeMiB("2048", "m"), 2048);
    EXPECT_EQ(parseSizeMiB("2GiB", "m"), 2048);
    EXPECT_EQ(parseSizeMiB("20G", "m"), 20480);
    EXPECT_EQ(parseSizeMiB("8TiB", "m"), 8 * 1024 * 1024);
    EXPECT_EQ(parseSizeMiB("512MiB", "m"), 512);
    for (const char* bad : {"", "GiB", "2 PB", "-1", "1.5GiB", "2KiB", "99999999999999TiB"}) {
        EXPECT_THROW(parseSizeMiB(bad, "memory"), Error) << bad;
    }
    EXPECT_EQ(formatSizeMiB(2048), "2 GiB");
    EXPECT_EQ(parseDuration("30d", "d"), 30 * 86400);
    EXPECT_EQ(parseDuration("90m", "d"), 5400);
    EXPECT_THROW(parseDuration("0h", "d"), Error);
    EXPECT_THROW(parseDuration("3y", "d"), Error);
}

TEST(WeeklyRepeat, ParsesAndExpands) {
    LocalTime tz("UTC");
    WeeklyRepeat r = parseWeeklyRepeat("tue,thu@13:00-16:00");
    EXPECT_EQ(r.text(), "tue,thu@13:00-16:00");
    // Tue 2026-12-01 .. Tue 2026-12-15 (exclusive of the last day's window
    // past the end).
    auto windows =
        r.expand({parseTime("2026-12-01T14:00:00Z", "t"), parseTime("2026-12-15T15:00:00Z", "t")});
    ASSERT_EQ(windows.size(), 5U);
    EXPECT_EQ(windows[0].start, parseTime("2026-12-01T14:00:00Z", "t"));  // clipped
    EXPECT_EQ(windows[0].end, parseTime("2026-12-01T16:00:00Z", "t"));
    EXPECT_EQ(windows[1].start, parseTime("2026-12-03T13:00:00Z", "t"));
    EXPECT_EQ(windows[4].end, parseTime("2026-12-15T15:00:00Z", "t"));  // clipped
    EXPECT_EQ(parseWeeklyRepeat("mon@09:00-12:00;fri@14:00-17:30").windows.size(), 2U);
    for (const char* bad : {"", "tue", "tue@16:00-13:00", "xyz@10:00-11:00", "tue@9:00-10:00",
                            "tue@10:00-11:00;tue@10:30-12:00", "tue@10:00-25:00"}) {
        EXPECT_THROW(parseWeeklyRepeat(bad), Error) << bad;
    }
}

TEST(WeeklyRepeat, KeepsLocalHoursAcrossDaylightSaving) {
    LocalTime tz("America/New_York");  // the process's zone plays no part
    WeeklyRepeat r = parseWeeklyRepeat("tue@13:00-16:00");
    r.zone = "Europe/Amsterdam";
    auto windows =
        r.expand({parseTime("2026-03-17T00:00:00Z", "t"), parseTime("2026-04-01T00:00:00Z", "t")});
    ASSERT_EQ(windows.size(), 3U);  // 17th, 24th, 31st; summer time from the 29th
    EXPECT_EQ(formatTime(windows[0].start), "2026-03-17T12:00:00Z");  // CET
    EXPECT_EQ(formatTime(windows[2].start), "2026-03-31T11:00:00Z");  // CEST
}

// Which 2027 instants are Berlin summer time (CEST, UTC+2): from the last
// Sunday of March 01:00Z to the last Sunday of October 01:00Z. Test data for
// the expected values, written out; the product reads tzdata.
Time berlinLocal(const std::string& date, int hour, int minute) {
    const Time asUtc = parseTime(date + "T00:00:00Z", "t") + hour * 3600 + minute * 60;
    const Time summerFrom = parseTime("2027-03-28T01:00:00Z", "t");
    const Time summerUntil = parseTime("2027-10-31T01:00:00Z", "t");
    const Time cest = asUtc - 2 * 3600;
    return cest >= summerFrom && cest < summerUntil ? cest : asUtc - 3600;
}

TEST(WeeklyRepeat, ABerlinCourseOverBothDaylightSavingChangesHasEveryWindowAtItsHours) {
    // Tuesdays 13:00-16:00 and Sundays 01:00-04:00 (spanning the change
    // itself) from 2027-03-14 to 2027-11-08 in Europe/Berlin, expanded in
    // processes whose own zones differ: every window's UTC instants agree
    // and are the Berlin wall-clock hours of its day.
    std::vector<std::vector<Interval>> seen;
    for (const char* processTz : {"UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo"}) {
        LocalTime tz(processTz);
        WeeklyRepeat r = parseWeeklyRepeat("tue@13:00-16:00;sun@01:00-04:00");
        r.zone = "Europe/Berlin";
        seen.push_back(r.expand({parseTime("2027-03-14T00:00:00", "t", "Europe/Berlin"),
                                 parseTime("2027-11-08T00:00:00", "t", "Europe/Berlin")}));
    }
    for (std::size_t i = 1; i < seen.size(); ++i) {
        EXPECT_EQ(seen[i], seen[0]) << "process zone " << i;
    }
    const auto& windows = seen[0];
    ASSERT_EQ(windows.size(), 69U);  // 34 Tuesdays and 35 Sundays
    std::size_t checked = 0;
    for (Time day = parseTime("2027-03-14T00:00:00Z", "t");
         day < parseTime("2027-11-08T00:00:00Z", "t"); day += 86400) {
        const std::string date = formatTime(day).substr(0, 10);
        const int weekday = static_cast<int>((day / 86400 + 4) % 7);  // 1970-01-01: Thursday
        if (weekday != 0 && weekday != 2) {
            continue;
        }
        ASSERT_LT(checked, windows.size());
        const auto& w = windows[checked++];
        const int from = weekday == 2 ? 13 : 1;
        const int to = weekday == 2 ? 16 : 4;
        EXPECT_EQ(formatTime(w.start), formatTime(berlinLocal(date, from, 0))) << date;
        EXPECT_EQ(formatTime(w.end), formatTime(berlinLocal(date, to, 0))) << date;
    }
    EXPECT_EQ(checked, windows.size());
    // The change days themselves: 01:00 CET-04:00 CEST is 2 hours, 01:00
    // CEST-04:00 CET is 4 hours.
    auto on = [&](const char* start) {
        for (const auto& w : windows) {
            if (formatTime(w.start) == start) {
                return w.length();
            }
        }
        return Time{-1};
    };
    EXPECT_EQ(on("2027-03-28T00:00:00Z"), 2 * 3600);
    EXPECT_EQ(on("2027-10-30T23:00:00Z"), 4 * 3600);
    EXPECT_EQ(formatTime(windows[3].start), "2027-03-23T12:00:00Z");  // Tue, CET
    EXPECT_EQ(formatTime(windows[5].start), "2027-03-30T11:00:00Z");  // Tue, CEST
}

TEST(WeeklyRepeat, SkippedDaysHaveNoWindowAndAreListed) {
    WeeklyRepeat r = parseWeeklyRepeat("tue@13:00-16:00");
    r.zone = "Europe/Berlin";
    r.skips = parseSkipDates("2027-04-20,2027-03-23,2027-04-13..2027-04-19");
    EXPECT_EQ(r.skipText(), "2027-03-23,2027-04-13..2027-04-20");  // merged, sorted
    const Interval term{parseTime("2027-03-01T00:00:00Z", "t"),
                        parseTime("2027-05-01T00:00:00Z", "t")};
    auto windows = r.expand(term);
    auto skipped = r.skipped(term);
    ASSERT_EQ(windows.size() + skipped.size(), 9U);  // the Tuesdays of March and April
    ASSERT_EQ(skipped.size(), 3U);
    EXPECT_EQ(formatTime(skipped[0].start), "2027-03-23T12:00:00Z");
    EXPECT_EQ(formatTime(skipped[1].start), "2027-04-13T11:00:00Z");
    EXPECT_EQ(formatTime(skipped[2].start), "2027-04-20T11:00:00Z");
    for (const auto& w : windows) {
        for (const auto& s : skipped) {
            EXPECT_NE(w.start, s.start);
        }
    }
    // A skipped day is a day of the reservation's zone: Tuesday 2027-03-23,
    // 13:00 in Tokyo, is 04:00Z.
    WeeklyRepeat tokyo = parseWeeklyRepeat("tue@13:00-16:00");
    tokyo.zone = "Asia/Tokyo";
    tokyo.skips = parseSkipDates("2027-03-23");
    auto t = tokyo.skipped(term);
    ASSERT_EQ(t.size(), 1U);
    EXPECT_EQ(formatTime(t[0].start), "2027-03-23T04:00:00Z");
    for (const char* bad : {"", "2027-3-23", "2027-02-30", "2027-04-20..2027-04-13", "tomorrow",
                            "2027-04-13...2027-04-20", "2027-04-13,"}) {
        EXPECT_THROW(parseSkipDates(bad), Error) << bad;
    }
}

TEST(WeeklyRepeat, TimeZonesAreNamesOfTheSystemsZoneDatabase) {
    EXPECT_EQ(parseTimeZone("Europe/Berlin"), "Europe/Berlin");
    EXPECT_EQ(parseTimeZone("UTC"), "UTC");
    for (const char* bad :
         {"", "Mars/Olympus_Mons", "CEST+2", "../../etc/passwd", "europe/berlin"}) {
        EXPECT_THROW(parseTimeZone(bad), Error) << bad;
    }
    // An offset-less time is in the zone given, whatever TZ says.
    LocalTime tz("America/New_York");
    EXPECT_EQ(formatTime(parseTime("2027-06-01T13:00", "t", "Europe/Berlin")),
              "2027-06-01T11:00:00Z");
    EXPECT_EQ(formatTime(parseTime("2027-12-01T13:00", "t", "Europe/Berlin")),
              "2027-12-01T12:00:00Z");
}

TEST(SshPublicKey, AcceptsKnownTypes) {
    for (const char* type :
         {"ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "sk-ssh-ed25519@openssh.com"}) {
        std::string line = test::sshKeyLine(type, "user@host");
        SshPublicKey key = parseSshPublicKey(line + "\n");
        EXPECT_EQ(key.type, type);
        EXPECT_EQ(key.comment, "user@host");
        EXPECT_EQ(key.line(), line);
    }
}

TEST(SshPublicKey, RefusesAnythingElse) {
    std::string good = test::sshKeyLine("ssh-ed25519", "me");
    std::string blob = good.substr(good.find(' ') + 1, good.rfind(' ') - good.find(' ') - 1);
    std::vector<std::string> bad = {
        "",
        "ssh-ed25519",
        "ssh-dss " + blob,                                          // unknown type
        "ssh-rsa " + blob,                                          // blob says ssh-ed25519
        "ssh-ed25519 " + blob.substr(0, blob.size() - 4) + "!!!!",  // not base64
        "ssh-ed25519 " + blob.substr(1),                            // broken padding/length
        "command=\"/bin/sh\" " + good,                              // options prefix
        "from=\"*\" " + good,
        good + "\nssh-ed25519 " + blob,             // two lines
        good + "\x01",                              // control character
        test::sshKeyLine("ssh-ed25519", "", true),  // type only, no key material
    };
    for (const auto& text : bad) {
        EXPECT_THROW(parseSshPublicKey(text), Error) << text;
    }
    EXPECT_THROW(loadSshPublicKey("/nonexistent/key.pub"), Error);
}

TEST(ReservationRequest, ParsesAFullRequest) {
    ReservationDefaults defaults;
    std::map<std::string, std::string> p = {{"start", "2026-12-07T09:00:00Z"},
                                            {"end", "2026-12-31T23:59:59Z"},
                                            {"nodes", "16"},
                                            {"memory", "2GiB"},
                                            {"disk", "20GiB"},
                                            {"rolls", "base,kernel,os,hpc,sge"},
                                            {"sshkey", test::sshKeyLine("ssh-ed25519", "p@x")},
                                            {"owner", "provider"},
                                            {"network", "vxlan"},
                                            {"hypervisor", "vmware"}};
    auto r = parseReservationRequest("dc1", p, defaults, parseTime("2026-11-01T00:00Z", "t"));
    EXPECT_EQ(r.nodes, 16);
    EXPECT_EQ(r.memoryMiB, 2048);
    EXPECT_EQ(r.totalDiskMiB(), 16 * 20480 + defaults.feDiskMiB);
    EXPECT_EQ(r.rolls.size(), 5U);
    EXPECT_EQ(r.network, NetworkKind::Vxlan);
    EXPECT_EQ(r.hypervisor, Hypervisor::VMware);
    EXPECT_EQ(r.fqdn, "dc1.example.org");
    EXPECT_EQ(r.appliances, std::vector<std::string>{"compute"});
}

TEST(ReservationRequest, RefusesBadRequests) {
    ReservationDefaults defaults;
    const Time now = parseTime("2026-11-01T00:00Z", "t");
    std::map<std::string, std::string> good = {{"start", "2026-12-07T09:00:00Z"},
                                               {"end", "2026-12-08T09:00:00Z"},
                                               {"sshkey", test::sshKeyLine("ssh-rsa", "")}};
    EXPECT_NO_THROW(parseReservationRequest("ok", good, defaults, now));
    auto with = [&](const std::string& k, const std::string& v) {
        auto p = good;
        p[k] = v;
        return p;
    };
    std::vector<std::map<std::string, std::string>> bad = {
        with("start", "2026-12-07 9am"),
        with("end", "2026-12-07T09:00:00Z"),  // end == start
        with("end", "2026-12-01T09:00:00Z"),  // end < start
        with("hypervisor", "xen"),
        with("network", "ethernet"),
        with("sshkey", "ssh-rsa AAAA"),
        with("nodes", "-1"),
        with("memory", "lots"),
        with("cpus", "0"),
        with("repeat", "sun@25:00-26:00"),
        with("repeat", "sat@10:00-11:00;"),
        with("owner", "x`reboot`"),
        with("fqdn", "bad_name.example.org"),
        with("rolls", "base,;rm"),
        with("start", "earliest"),  // without duration=
    };
    for (const auto& p : bad) {
        EXPECT_THROW(parseReservationRequest("ok", p, defaults, now), Error);
    }
    auto onlyStart = good;
    onlyStart.erase("end");
    EXPECT_THROW(parseReservationRequest("ok", onlyStart, defaults, now), Error);
    for (const char* name : {"a;b", "A1", "1abc", "-x", "x-", "has space", "$(id)",
                             "averyveryverylongclustername", "dot.ted", ""}) {
        EXPECT_THROW(parseReservationRequest(name, good, defaults, now), Error) << name;
    }
    // A weekly window that never falls in the span.
    auto weekday = with("repeat", "sat@10:00-11:00");
    weekday["start"] = "2026-12-07T00:00:00Z";  // Monday
    weekday["end"] = "2026-12-08T00:00:00Z";
    EXPECT_THROW(parseReservationRequest("ok", weekday, defaults, now), Error);
}

TEST(ReservationRequest, TimeZoneSkipsAndTheirBadInput) {
    ReservationDefaults defaults;
    defaults.timeZone = "Europe/Berlin";  // the site's Kickstart_Timezone
    const Time now = parseTime("2026-11-01T00:00Z", "t");
    std::map<std::string, std::string> p = {{"start", "2027-03-01T00:00"},
                                            {"end", "2027-05-01T00:00"},
                                            {"repeat", "tue@13:00-16:00"},
                                            {"skip", "2027-03-23,2027-04-13..2027-04-20"},
                                            {"sshkey", test::sshKeyLine("ssh-ed25519", "t@x")}};
    auto r = parseReservationRequest("hpc101", p, defaults, now);
    EXPECT_EQ(r.timeZone, "Europe/Berlin");
    EXPECT_EQ(formatTime(r.start), "2027-02-28T23:00:00Z");  // midnight in Berlin
    ASSERT_TRUE(r.repeat);
    EXPECT_EQ(r.repeat->zone, "Europe/Berlin");
    EXPECT_EQ(r.computeWindows().size(), 6U);  // 9 Tuesdays, 3 skipped
    p["tz"] = "America/New_York";
    p.erase("skip");
    r = parseReservationRequest("hpc101", p, defaults, now);
    EXPECT_EQ(r.repeat->zone, "America/New_York");
    // The first window reaches back by the install allowance (2h); EST until 14 March.
    EXPECT_EQ(formatTime(r.computeWindows()[0].start), "2027-03-02T16:00:00Z");
    EXPECT_EQ(formatTime(r.computeWindows()[1].start), "2027-03-09T18:00:00Z");
    EXPECT_EQ(formatTime(r.computeWindows()[2].start), "2027-03-16T17:00:00Z");  // EDT
    auto error = [&](std::map<std::string, std::string> q) {
        try {
            parseReservationRequest("hpc101", q, defaults, now);
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    auto with = [&](const std::string& k, const std::string& v) {
        auto q = p;
        q.erase("tz");
        q[k] = v;
        return q;
    };
    EXPECT_EQ(error(with("tz", "Mars/Base")),
              "unknown time zone 'Mars/Base': expected an IANA name such as Europe/Berlin or UTC");
    EXPECT_EQ(error(with("skip", "2027-05-04")),
              "skip date 2027-05-04 is outside the reservation (2027-03-01 to 2027-04-30 in "
              "Europe/Berlin)");
    EXPECT_EQ(error(with("skip", "2027-02-20..2027-03-02")),
              "skip date 2027-02-20 is outside the reservation (2027-03-01 to 2027-04-30 in "
              "Europe/Berlin)");
    auto noRepeat = with("skip", "2027-03-23");
    noRepeat.erase("repeat");
    EXPECT_EQ(error(noRepeat), "skip= removes weekly windows: it needs repeat=");
    EXPECT_EQ(error(with("skip", "2027-03-01..2027-04-30")),
              "repeat 'tue@13:00-16:00' has no window between start and end that is not skipped");
}

TEST(ReservationRequest, AWeeklyBuildStartsAheadOfTheFirstWindowByTheInstallAllowance) {
    ReservationDefaults defaults;
    defaults.installAllowance = 3 * 3600;
    const Time now = parseTime("2026-11-01T00:00Z", "t");
    std::map<std::string, std::string> p = {{"start", "2027-02-01T00:00:00Z"},
                                            {"end", "2027-03-01T00:00:00Z"},
                                            {"repeat", "tue@13:00-16:00"},
                                            {"sshkey", test::sshKeyLine("ssh-ed25519", "t@x")}};
    auto r = parseReservationRequest("c1", p, defaults, now);
    EXPECT_EQ(formatTime(r.buildStart()), "2027-02-02T10:00:00Z");
    auto windows = r.computeWindows();
    ASSERT_EQ(windows.size(), 4U);
    EXPECT_EQ(formatTime(windows[0].start), "2027-02-02T10:00:00Z");  // held for the build
    EXPECT_EQ(formatTime(windows[1].start), "2027-02-09T13:00:00Z");
    // Never before the reservation's start.
    p["start"] = "2027-02-02T12:00:00Z";
    EXPECT_EQ(formatTime(parseReservationRequest("c1", p, defaults, now).buildStart()),
              "2027-02-02T12:00:00Z");
}

TEST(ReservationRequest, NamesThatAreWordsOfTheVclusterCommandsAreRefused) {
    // Every word that follows "vcluster" in a plugin's name
    // (rocks-remove-vcluster-snapshot.so: "snapshot") is refused as a name,
    // and the list names no word that no command uses.
    std::set<std::string> words;
    for (const auto& e : std::filesystem::directory_iterator(VCLUSTER_PLUGIN_DIR)) {
        const std::string file = e.path().filename().string();
        // rocks-<verb>-vcluster-<word>...: vcluster is the first noun (not
        // rocks-report-host-vcluster-config, whose argument is a host).
        const auto at = file.find("-vcluster-");
        if (at == std::string::npos || file.rfind("rocks-", 0) != 0 || file.find('-', 6) != at ||
            file.compare(file.size() - 3, 3, ".so") != 0) {
            continue;
        }
        std::string rest = file.substr(at + 10, file.size() - 3 - (at + 10));
        words.insert(rest.substr(0, rest.find('-')));
    }
    const std::set<std::string> listed(std::begin(kVclusterCommandWords),
                                       std::end(kVclusterCommandWords));
    EXPECT_EQ(words, listed);
    for (const auto& word : words) {
        try {
            validateClusterName(word);
            ADD_FAILURE() << "'" << word << "' admitted as a vcluster name";
        } catch (const Error& e) {
            EXPECT_EQ(std::string(e.what()),
                      "vcluster name '" + word +
                          "' is a word of the rocks commands (rocks remove vcluster " + word +
                          " ... is another command): choose another");
        }
    }
    EXPECT_NO_THROW(validateClusterName("snapshots"));
}
