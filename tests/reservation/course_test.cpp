// What a teacher books, through the real `rocks` binary: a course's weekly
// windows in its own time zone whatever the TZ of the process, holidays
// (skip=, and added later with rocks set vcluster skip=+), and a cluster per
// student (count=, sshkeys=) admitted all or nothing, listed, rolled back and
// removed as a group; the bad input of each: one line, nothing changed.
#include <gtest/gtest.h>

#include <algorithm>

#include "support/Keys.h"
#include "support/Process.h"
#include "support/TestDatabase.h"

using namespace vcluster;
using namespace vcluster::test;

namespace {

class Course : public ::testing::Test {
  protected:
    void SetUp() override {
        writeFile(dir_ / "teacher.pub", sshKeyLine("ssh-ed25519", "teacher@example.org") + "\n");
        // One gateway with 4 public addresses (so 4 clusters at once), one
        // storage node, two vm-servers of 8 CPUs.
        rocks_.ok({"add", "host", "gateway-0-0", "membership=Gateway"});
        // The roll server's rolls and the site's answers a frontend install needs.
        for (const char* roll : {"base", "kernel", "os"}) {
            rocks_.ok({"add", "vcluster", "roll", roll, "version=7.0"});
        }
        rocks_.ok({"set", "attr", "Kickstart_PublicHostname", "manager.example.org"});
        rocks_.ok({"set", "attr", "Kickstart_PublicGateway", "192.0.2.1"});
        rocks_.ok({"set", "host", "attr", "gateway-0-0", "vc_cpus", "64"});
        rocks_.ok({"set", "host", "attr", "gateway-0-0", "vc_memory", "262144"});
        rocks_.ok(
            {"set", "host", "attr", "gateway-0-0", "vc_public_ips", "192.0.2.100-192.0.2.103"});
        rocks_.ok({"add", "host", "storage-2-0", "membership=Storage"});
        rocks_.ok({"set", "host", "attr", "storage-2-0", "vc_pool_size", "8TiB"});
        for (int i = 0; i < 2; ++i) {
            std::string h = "vm-server-1-" + std::to_string(i);
            rocks_.ok({"add", "host", h, "membership=VM Server"});
            rocks_.ok({"set", "host", "attr", h, "vc_cpus", "8"});
            rocks_.ok({"set", "host", "attr", h, "vc_memory", "65536"});
        }
    }

    ProcessResult run(std::vector<std::string> args, const std::string& tz = "UTC") {
        return rocks_(args, {{"TZ", tz}});
    }

    std::vector<std::string> course(std::vector<std::string> extra) {
        std::vector<std::string> args{"add",
                                      "vcluster",
                                      "hpc101",
                                      "start=2027-03-01T00:00:00Z",
                                      "end=2027-05-01T00:00:00Z",
                                      "repeat=tue@13:00-16:00",
                                      "nodes=2",
                                      "cpus=2",
                                      "memory=1GiB",
                                      "disk=10GiB",
                                      "sshkey=" + (dir_ / "teacher.pub").string()};
        for (const auto& e : extra) {  // a given key replaces the default one
            const std::string key = e.substr(0, e.find('=') + 1);
            args.erase(std::remove_if(args.begin() + 3, args.end(),
                                      [&](const std::string& a) { return a.rfind(key, 0) == 0; }),
                       args.end());
            args.push_back(e);
        }
        return args;
    }

    // The rows of the reservations table that a bad command must not change.
    std::string snapshot() {
        auto handle = vcluster::test::openTestDatabase(rocks_.db());
        db::Database& db = *handle;
        std::string out;
        for (const auto& row :
             db.query("SELECT Name, StartTime, EndTime, RepeatSpec, TimeZone, SkipDates, "
                      "GroupName, SshKey FROM vcluster_reservations "
                      "WHERE State NOT IN ('released', 'cancelled') ORDER BY Name")) {
            for (int i = 0; i < 8; ++i) {
                out += (i == 1 || i == 2 ? std::to_string(row.integer(static_cast<std::size_t>(i)))
                                         : row.text(static_cast<std::size_t>(i))) +
                       "|";
            }
            out += "\n";
        }
        return out;
    }

    std::string listJson(const std::string& name = "") {
        std::vector<std::string> args{"list", "vcluster", "output-format=json"};
        if (!name.empty()) {
            args.insert(args.begin() + 2, name);
        }
        return rocks_.ok(args);
    }

    TempDir dir_;
    Rocks rocks_{dir_ / "cluster.db"};
};

}  // namespace

TEST_F(Course, WindowsAreInTheSitesZoneWhateverTheTzOfTheProcess) {
    // The site's zone (Kickstart_Timezone) is Berlin; the admin's shell is in
    // New York. Tuesdays 13:00-16:00 Berlin are 12:00-15:00Z in March.
    rocks_.ok({"set", "attr", "Kickstart_Timezone", "Europe/Berlin"});
    auto r = run(course({}), "America/New_York");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    std::string calendar;
    for (const char* tz : {"UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo"}) {
        auto c = run({"report", "vcluster", "calendar", "host=vm-server-1-0",
                      "from=2027-03-02T00:00:00Z", "to=2027-03-03T00:00:00Z", "output-format=json"},
                     tz);
        ASSERT_EQ(c.exitCode, 0) << c.err;
        if (calendar.empty()) {
            calendar = c.out;
        }
        EXPECT_EQ(c.out, calendar) << "read under TZ=" << tz;
    }
    auto l = run({"list", "vcluster", "hpc101", "output-format=json"}, "Asia/Tokyo");
    EXPECT_NE(l.out.find("\"tz\":\"Europe/Berlin\""), std::string::npos) << l.out;
    // The window is held 12:00-15:00Z (the first reaching back by the 2h
    // install allowance, to 10:00Z): 4 CPUs at 14:30Z, none at 15:30Z.
    EXPECT_NE(calendar.find("2027-03-02T10:00:00Z"), std::string::npos) << calendar;
    EXPECT_NE(calendar.find("2027-03-02T15:00:00Z"), std::string::npos) << calendar;
    EXPECT_EQ(calendar.find("2027-03-02T16:00:00Z"), std::string::npos) << calendar;
}

TEST_F(Course, AnUnknownZoneIsRefusedAndChangesNothing) {
    auto r = run(course({"tz=Europe/Atlantis"}));
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_EQ(r.err,
              "error - unknown time zone 'Europe/Atlantis': expected an IANA name such as "
              "Europe/Berlin or UTC\n");
    EXPECT_EQ(snapshot(), "");
    r = rocks_({"set", "attr", "Kickstart_Timezone", "Nowhere/City"});
    if (r.exitCode == 0) {  // the site's zone is checked where it is read
        r = run(course({}));
        EXPECT_EQ(r.exitCode, 1);
        EXPECT_NE(r.err.find("Kickstart_Timezone"), std::string::npos) << r.err;
    }
    EXPECT_EQ(snapshot(), "");
}

TEST_F(Course, SkippedDaysFreeTheirCapacityAndAreListed) {
    // Two courses need all 16 CPUs of the vm-servers on Tuesdays (2 x 2 x 2
    // CPUs each, with frontends on the gateway): a third fits only on the
    // days both skip.
    rocks_.ok({"set", "attr", "vc_install_allowance", "0"});
    for (const char* name : {"a", "b"}) {
        auto args = course({"nodes=4", "skip=2027-03-23,2027-04-13..2027-04-20"});
        args[2] = name;
        auto r = run(args);
        ASSERT_EQ(r.exitCode, 0) << r.err;
    }
    auto lab = [&](const std::string& day) {
        return run({"add", "vcluster", "lab", "start=" + day + "T13:00:00Z",
                    "end=" + day + "T14:00:00Z", "nodes=4", "cpus=4", "memory=1GiB", "disk=10GiB",
                    "sshkey=" + (dir_ / "teacher.pub").string()});
    };
    auto r = lab("2027-03-16");
    EXPECT_EQ(r.exitCode, 2) << r.err;
    r = lab("2027-04-13");
    EXPECT_EQ(r.exitCode, 0) << r.err;  // both skip it: the capacity is free
    rocks_.ok({"remove", "vcluster", "lab"});
    std::string json = listJson("a");
    EXPECT_NE(json.find("\"skip\":\"2027-03-23,2027-04-13..2027-04-20\""), std::string::npos)
        << json;

    // A holiday added later; the bad ones change nothing.
    const std::string before = snapshot();
    for (const auto& [args, err] : std::vector<std::pair<std::vector<std::string>, std::string>>{
             {{"set", "vcluster", "a", "skip=+2027-06-01"},
              "error - skip date 2027-06-01 is outside the reservation (2027-03-01 to 2027-04-30 "
              "in UTC)\n"},
             {{"set", "vcluster", "a", "skip=2027-03-30"},
              "error - skip= takes +DATES (days to add, e.g. skip=+2027-05-04)\n"},
             {{"set", "vcluster", "a", "skip=+2027-02-30"},
              "error - invalid skip '2027-02-30': expected dates YYYY-MM-DD or ranges "
              "YYYY-MM-DD..YYYY-MM-DD, joined by ','\n"},
             {{"set", "vcluster", "nosuch", "skip=+2027-03-30"},
              "error - unknown vcluster 'nosuch'\n"}}) {
        auto bad = rocks_(args);
        EXPECT_EQ(bad.exitCode, 1) << bad.err;
        EXPECT_EQ(bad.err, err);
    }
    EXPECT_EQ(snapshot(), before);
    rocks_.ok({"set", "vcluster", "a", "skip=+2027-03-30"});
    rocks_.ok({"set", "vcluster", "b", "skip=+2027-03-30"});
    EXPECT_NE(listJson("a").find("\"skip\":\"2027-03-23,2027-03-30,2027-04-13..2027-04-20\""),
              std::string::npos);
    r = lab("2027-03-30");
    EXPECT_EQ(r.exitCode, 0) << r.err;
}

TEST_F(Course, AClusterPerStudentIsBookedAllOrNothing) {
    std::string keys = "# the students\n";
    for (int i = 1; i <= 3; ++i) {
        keys += sshKeyLine("ssh-ed25519", "student" + std::to_string(i) + "@example.org") + "\n";
    }
    writeFile(dir_ / "students.keys", keys);
    auto r = run(course({"count=3", "sshkeys=" + (dir_ / "students.keys").string()}));
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("hpc101-01"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("hpc101-03"), std::string::npos) << r.out;
    const std::string rows = snapshot();
    EXPECT_NE(rows.find("hpc101-02|"), std::string::npos) << rows;
    EXPECT_NE(rows.find("|hpc101|" + sshKeyLine("ssh-ed25519", "student2@example.org")),
              std::string::npos)
        << "the second cluster has the second key: " << rows;
    std::string json = listJson("hpc101");
    EXPECT_NE(json.find("\"name\":\"hpc101-03\""), std::string::npos) << json;
    EXPECT_NE(json.find("\"group\":\"hpc101\""), std::string::npos) << json;

    // One more group of 2 would need 5 public addresses at once (4 exist):
    // refused as a whole, saying how many fit and when all do: the first
    // whole week after hpc101's end (2027-05-01), from 2027-04-01.
    auto more = course({"count=2", "start=2027-04-01T00:00:00Z", "end=2027-06-01T00:00:00Z"});
    more[2] = "hpc102";
    r = run(more);
    EXPECT_EQ(r.exitCode, 2) << r.err;
    EXPECT_NE(r.err.find("error - refused: 1 of 2 clusters fit ("), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("; earliest start at which all 2 fit: 2027-05-06T00:00:00Z"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(snapshot(), rows) << "nothing of the refused group is left";

    // Bad input: one line, nothing changed.
    writeFile(dir_ / "two.keys", sshKeyLine("ssh-ed25519", "s1@x") + "\n\n" +
                                     sshKeyLine("ssh-ed25519", "s2@x") + "\n");
    writeFile(dir_ / "bad.keys", sshKeyLine("ssh-ed25519", "s1@x") + "\nssh-rsa AAAA\n");
    for (const auto& [extra, err] : std::vector<std::pair<std::vector<std::string>, std::string>>{
             {{"count=0"}, "error - count must be between 1 and 100, not 0\n"},
             {{"count=101"}, "error - count must be between 1 and 100, not 101\n"},
             {{"count=3", "sshkeys=" + (dir_ / "two.keys").string()},
              "error - sshkeys has 2 keys for count=3: one key a line, one per cluster\n"},
             {{"sshkeys=" + (dir_ / "two.keys").string()},
              "error - sshkeys= gives one key per cluster of count=: give count= too\n"}}) {
        auto args = course(extra);
        args[2] = "hpc103";
        auto bad = run(args);
        EXPECT_EQ(bad.exitCode, 1) << bad.err;
        EXPECT_EQ(bad.err, err);
    }
    auto args = course({"count=2", "sshkeys=" + (dir_ / "bad.keys").string()});
    args[2] = "hpc103";
    auto bad = run(args);
    EXPECT_EQ(bad.exitCode, 1);
    EXPECT_EQ(bad.err.rfind("error - sshkeys line 2: ", 0), 0U) << bad.err;
    rocks_.ok({"set", "attr", "vc_group_limit", "2"});
    args = course({"count=3"});
    args[2] = "hpc103";
    bad = run(args);
    EXPECT_EQ(bad.err, "error - count must be between 1 and 2, not 3\n");
    EXPECT_EQ(snapshot(), rows);

    // Removed as a group, once the count is confirmed.
    bad = rocks_({"remove", "vcluster", "hpc101"});
    EXPECT_EQ(bad.exitCode, 1);
    EXPECT_EQ(bad.err,
              "error - vcluster 'hpc101' is a group of 3 clusters: give confirm=3 to remove them "
              "all\n");
    bad = rocks_({"remove", "vcluster", "hpc101", "confirm=30"});
    EXPECT_EQ(bad.exitCode, 1);
    EXPECT_EQ(snapshot(), rows);
    rocks_.ok({"remove", "vcluster", "hpc101-02"});  // one student's, alone
    EXPECT_EQ(listJson("hpc101").find("hpc101-02"), std::string::npos);
    rocks_.ok({"remove", "vcluster", "hpc101", "confirm=2"});
    EXPECT_EQ(snapshot(), "");
}
