// Parsing and validation of reservation requests: times, sizes, weekly
// windows, OpenSSH keys, names.
#include <gtest/gtest.h>

#include <cstdlib>
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
    LocalTime tz("Europe/Amsterdam");
    WeeklyRepeat r = parseWeeklyRepeat("tue@13:00-16:00");
    auto windows =
        r.expand({parseTime("2026-03-17T00:00", "t"), parseTime("2026-04-01T00:00", "t")});
    ASSERT_EQ(windows.size(), 3U);  // 17th, 24th, 31st; summer time from the 29th
    EXPECT_EQ(formatTime(windows[0].start), "2026-03-17T12:00:00Z");  // CET
    EXPECT_EQ(formatTime(windows[2].start), "2026-03-31T11:00:00Z");  // CEST
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
