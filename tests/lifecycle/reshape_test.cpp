// Changes of a built cluster carried out on the (fake) hosts through the
// real `rocks` binary: growing builds, defines and starts the new computes
// (their LVs, LUNs, rows and the frontend's kit with them), shrinking tears
// the removed ones down highest index first and only then frees their
// capacity, a new memory size is written into the definitions at once and
// held in the calendar at the larger size until the power cycle the admin
// asks for (cycle=yes), and a change that cannot be carried out is refused
// with nothing changed.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <regex>

#include "support/FakeHosts.h"
#include "support/Keys.h"
#include "support/Process.h"
#include "support/TestDatabase.h"

using namespace vcluster;
using namespace vcluster::test;
namespace fs = std::filesystem;

namespace {

class Reshape : public ::testing::Test {
  protected:
    void SetUp() override {
        auto r = rocks_.loadSampleCluster();
        ASSERT_EQ(r.exitCode, 0) << r.err;
        writeFile(dir_ / "tenant.pub", sshKeyLine("ssh-ed25519", "tenant@example.org") + "\n");
        ASSERT_EQ(rocks({"add", "vcluster", "c1", "nodes=2", "memory=1GiB", "cpus=1", "disk=10GiB",
                         "start=2026-12-07T09:00:00Z", "end=2026-12-31T00:00:00Z",
                         "sshkey=" + (dir_ / "tenant.pub").string(), "fqdn=c1.example.org"})
                      .exitCode,
                  0);
        sync("2026-12-07T09:00:30Z");
        ASSERT_EQ(row("State"), "active");
    }

    ProcessResult rocks(const std::vector<std::string>& args) {
        return rocks_(args, {{"TZ", "UTC"}, {"VCLUSTER_NOW", "2026-12-07T10:00:00Z"}});
    }

    std::string sync(const std::string& now) {
        auto r = rocks_({"sync", "vcluster", "now=" + now, "executor=local",
                         "host-root=" + hosts_.string(), "tool-path=" + kFakeHostTools},
                        syncEnv_);
        EXPECT_EQ(r.exitCode, 0) << r.out << r.err;
        return r.out;
    }

    std::string row(const std::string& column) {
        auto handle = openTestDatabase(rocks_.db());
        auto v = handle->queryOne("SELECT COALESCE(CAST(" + column +
                                  " AS CHAR), '') FROM vcluster_reservations WHERE Name = 'c1'");
        return v ? v->text(0) : "";
    }
    std::int64_t allocations() {
        auto handle = openTestDatabase(rocks_.db());
        return handle
            ->queryOne(
                "SELECT COUNT(*) FROM vcluster_allocations a JOIN vcluster_reservations r "
                "ON r.ID = a.Reservation WHERE r.Name = 'c1'")
            ->integer(0);
    }

    // The compute domains on every fake host: name -> state.
    std::map<std::string, std::string> computes() {
        std::map<std::string, std::string> out;
        for (const auto& host : fs::directory_iterator(hosts_)) {
            const fs::path d = host.path() / "state/domain";
            if (!fs::is_directory(d)) {
                continue;
            }
            for (const auto& e : fs::directory_iterator(d)) {
                const std::string name = e.path().filename().string();
                if (name.find("-compute-") != std::string::npos) {
                    std::string s = readFile(e.path());
                    out[name] = s.substr(0, s.find('\n'));
                }
            }
        }
        return out;
    }
    std::string domainXml(const std::string& name) {
        for (const auto& host : fs::directory_iterator(hosts_)) {
            const fs::path f = host.path() / "state/domain-xml" / name;
            if (fs::exists(f)) {
                return readFile(f);
            }
        }
        return "";
    }
    bool lv(const std::string& name) {
        return fs::exists(hosts_ / "storage-2-0/state/lv/vg_vcluster" / name);
    }
    std::string target() {
        for (const auto& e : fs::directory_iterator(hosts_ / "storage-2-0/state/target")) {
            return readFile(e.path());
        }
        return "";
    }
    std::string kit() {
        return readFile(hosts_ / "gateway-0-0/export/vcluster/c1/kit/computes.csv");
    }
    // How often a call is in the fake hosts' logs.
    int calls(const std::string& call) {
        int n = 0;
        for (const auto& host : fs::directory_iterator(hosts_)) {
            const fs::path log = host.path() / "state/calls.log";
            if (!fs::exists(log)) {
                continue;
            }
            const std::string text = readFile(log);
            for (auto at = text.find(call); at != std::string::npos; at = text.find(call, at + 1)) {
                ++n;
            }
        }
        return n;
    }
    std::vector<std::string> leftovers() {
        std::vector<std::string> out;
        for (const auto& e : fs::recursive_directory_iterator(hosts_)) {
            if ((e.is_regular_file() || e.is_symlink()) && e.path().filename() != "calls.log") {
                out.push_back(e.path().lexically_relative(hosts_).string());
            }
        }
        std::sort(out.begin(), out.end());
        return out;
    }
    std::size_t nodeRows() {
        const std::string out = rocks_.ok({"list", "vcluster", "node", "c1"});
        return static_cast<std::size_t>(std::count(out.begin(), out.end(), '\n')) - 1;
    }

    TempDir dir_;
    Rocks rocks_{dir_ / "cluster.db"};
    fs::path hosts_ = dir_ / "hosts";
    std::map<std::string, std::string> syncEnv_{{"TZ", "UTC"}};
};

std::string memoryMiB(const std::string& xml) {
    std::smatch m;
    return std::regex_search(xml, m, std::regex("<memory[^>]*>([0-9]+)</memory>")) ? m[1].str()
                                                                                   : "";
}

}  // namespace

TEST_F(Reshape, GrowingAndShrinkingAreCarriedOutOnTheHostsAndBookedAsTheyRun) {
    ASSERT_EQ(computes().size(), 2U);
    auto r = rocks({"set", "vcluster", "c1", "nodes=4"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    // Booked at once: the calendar holds 4 before any host has them.
    EXPECT_EQ(row("Nodes"), "4");
    EXPECT_EQ(allocations(), 4);
    EXPECT_EQ(row("BuiltNodes"), "2");

    std::string out = sync("2026-12-07T10:01:00Z");
    EXPECT_NE(out.find("2 compute(s) added: 4 compute(s)"), std::string::npos) << out;
    EXPECT_EQ(row("BuiltNodes"), "4");
    EXPECT_EQ(row("Reshaping"), "0");
    auto now = computes();
    ASSERT_EQ(now.size(), 4U) << out;
    for (const auto& [name, state] : now) {
        EXPECT_EQ(state, "running") << name;
    }
    for (const char* name : {"vc-c1-compute-0-2", "vc-c1-compute-0-3"}) {
        EXPECT_TRUE(lv(name)) << name;
        EXPECT_NE(target().find("<backing-store /dev/vg_vcluster/" + std::string(name) + ">"),
                  std::string::npos)
            << target();
    }
    // Rows (MAC, address) and the frontend's list of computes have them.
    EXPECT_EQ(nodeRows(), 6U);  // the frontend's two NICs and one per compute
    EXPECT_NE(kit().find("compute-0-3,3,"), std::string::npos) << kit();
    // The old computes were not restarted.
    EXPECT_EQ(calls("virsh start c1-compute-0-0"), 1);
    EXPECT_EQ(calls("virsh destroy"), 0);
    // Nothing more is due.
    EXPECT_EQ(sync("2026-12-07T10:01:30Z"), "nothing is due at 2026-12-07T10:01:30Z\n");

    // Shrinking: the calendar still holds them while the VMs run, until the
    // sync tears them down.
    ASSERT_EQ(rocks({"set", "vcluster", "c1", "nodes=1"}).exitCode, 0);
    EXPECT_EQ(row("Nodes"), "1");
    EXPECT_EQ(allocations(), 4);
    out = sync("2026-12-07T10:02:00Z");
    EXPECT_NE(out.find("3 compute(s) removed: 1 compute(s)"), std::string::npos) << out;
    EXPECT_EQ(computes(), (std::map<std::string, std::string>{{"c1-compute-0-0", "running"}}));
    for (const char* name : {"vc-c1-compute-0-1", "vc-c1-compute-0-2", "vc-c1-compute-0-3",
                             "vc-c1-compute-0-1.installed"}) {
        EXPECT_FALSE(lv(name)) << name;
    }
    EXPECT_TRUE(lv("vc-c1-compute-0-0"));
    EXPECT_EQ(target().find("compute-0-1>"), std::string::npos) << target();
    EXPECT_NE(target().find("compute-0-0>"), std::string::npos) << target();
    EXPECT_EQ(allocations(), 1);
    EXPECT_EQ(row("BuiltNodes"), "1");
    EXPECT_EQ(nodeRows(), 3U);
    EXPECT_EQ(kit().find("compute-0-1,"), std::string::npos) << kit();
    // Highest index first on each host.
    int undefined = 0;
    for (const auto& host : fs::directory_iterator(hosts_)) {
        if (!fs::exists(host.path() / "state/calls.log")) {
            continue;
        }
        const std::string log = readFile(host.path() / "state/calls.log");
        std::size_t last = 0;
        for (const char* rank : {"3", "2", "1"}) {
            const std::size_t at = log.find(std::string("virsh undefine c1-compute-0-") + rank);
            if (at != std::string::npos) {
                EXPECT_GE(at, last) << host.path().filename() << ": compute-0-" << rank;
                EXPECT_NE(log.rfind(std::string("virsh destroy c1-compute-0-") + rank, at),
                          std::string::npos);
                last = at;
                ++undefined;
            }
        }
    }
    EXPECT_EQ(undefined, 3);
    // The roll-back to the install snapshot still works on what is left.
    ASSERT_EQ(rocks({"rollback", "vcluster", "c1", "label=installed"}).exitCode, 0);
    out = sync("2026-12-07T10:03:00Z");
    EXPECT_NE(out.find("rolled back"), std::string::npos) << out;
    sync("2026-12-31T00:00:30Z");
    EXPECT_EQ(leftovers(), keptPublicBridge());
}

TEST_F(Reshape, MemoryIsWrittenAtOnceHeldAtTheLargerSizeUntilTheCycleAndBadChangesAreRefused) {
    const std::string before = memoryMiB(domainXml("c1-compute-0-0"));
    ASSERT_EQ(before, "1024");
    ASSERT_EQ(rocks({"set", "vcluster", "c1", "memory=2GiB"}).exitCode, 0);
    std::string out = sync("2026-12-07T10:01:00Z");
    EXPECT_NE(out.find("definitions rewritten for 2048 MiB"), std::string::npos) << out;
    // Definitions rewritten, the VMs keep running (no cycle yet), and the
    // calendar still holds what they run.
    EXPECT_EQ(memoryMiB(domainXml("c1-compute-0-0")), "2048");
    EXPECT_EQ(computes().at("c1-compute-0-0"), "running");
    EXPECT_EQ(calls("virsh destroy"), 0);
    EXPECT_EQ(row("BuiltMemory"), "1024");
    EXPECT_EQ(row("Memory"), "2048");
    // Back to 1 GiB before the cycle: the larger (running) size stays booked.
    ASSERT_EQ(rocks({"set", "vcluster", "c1", "memory=512MiB", "cycle=yes"}).exitCode, 0);
    out = sync("2026-12-07T10:02:00Z");
    EXPECT_NE(out.find("computes power-cycled: 512 MiB"), std::string::npos) << out;
    EXPECT_EQ(memoryMiB(domainXml("c1-compute-0-0")), "512");
    EXPECT_EQ(calls("virsh destroy c1-compute-0-0"), 1);
    EXPECT_EQ(calls("virsh destroy c1-frontend"), 0);
    EXPECT_EQ(computes().at("c1-compute-0-0"), "running");
    EXPECT_EQ(row("BuiltMemory"), "512");
    EXPECT_EQ(row("CycleAsked"), "0");
    EXPECT_EQ(sync("2026-12-07T10:03:00Z"), "nothing is due at 2026-12-07T10:03:00Z\n");

    // What cannot be carried out is refused with nothing changed.
    auto r = rocks({"set", "vcluster", "c1", "nodes=500"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_EQ(r.err.rfind("error - refused: ", 0), 0U) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(row("Nodes"), "2");
    EXPECT_EQ(row("Memory"), "512");
    EXPECT_EQ(allocations(), 2);
    r = rocks({"set", "vcluster", "c1", "cycle=maybe"});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_EQ(r.err, "error - cycle must be yes or no, not 'maybe'\n");
    EXPECT_EQ(sync("2026-12-07T10:04:00Z"), "nothing is due at 2026-12-07T10:04:00Z\n");
    EXPECT_EQ(computes().size(), 2U);
}

// Item 8: a new thick LV lands on extents a released cluster's LV had (the
// fake LVM keeps what they held when asked to), and is zeroed under a
// temporary name before it gets its own: the next tenant reads none of it.
TEST_F(Reshape, ANewClustersDisksNeverShowAReleasedClustersBlocks) {
    const fs::path disks = hosts_ / "storage-2-0/state/disk/vg_vcluster";
    const std::string marker = "TENANT-A-SECRET";
    for (const auto& e : fs::directory_iterator(disks)) {
        writeFile(e.path(), marker + "\n");
    }
    syncEnv_["VCLUSTER_FAKE_REUSE_EXTENTS"] = "1";
    ASSERT_EQ(rocks({"remove", "vcluster", "c1"}).exitCode, 0);
    sync("2026-12-07T10:00:30Z");
    ASSERT_EQ(row("State"), "released");
    ASSERT_TRUE(fs::exists(hosts_ / "storage-2-0/state/freed/vg_vcluster"))
        << "the fake kept no freed extents";
    ASSERT_EQ(rocks({"add", "vcluster", "c2", "nodes=1", "memory=1GiB", "disk=10GiB",
                     "start=2026-12-07T11:00:00Z", "end=2026-12-31T00:00:00Z",
                     "sshkey=" + (dir_ / "tenant.pub").string(), "fqdn=c2.example.org"})
                  .exitCode,
              0);
    sync("2026-12-07T11:00:30Z");
    int seen = 0;
    for (const auto& e : fs::directory_iterator(disks)) {
        ++seen;
        EXPECT_EQ(readFile(e.path()).find(marker), std::string::npos)
            << e.path().filename() << " shows the released cluster's blocks";
    }
    EXPECT_GE(seen, 2);
    EXPECT_EQ(calls("lvrename vg_vcluster vc-c2-frontend-zeroing vc-c2-frontend"), 1);
    EXPECT_FALSE(fs::exists(disks / "vc-c2-frontend-zeroing"));
}

// Item 6: a cold move of one built compute to another vm-server.
TEST_F(Reshape, AMovedComputeRunsOnItsNewHostAndNothingOfItIsLeftOnTheOld) {
    auto handle = openTestDatabase(rocks_.db());
    auto from = handle
                    ->queryOne(
                        "SELECT n.Name FROM vcluster_allocations a JOIN nodes n ON n.ID = "
                        "a.Host WHERE a.NodeIndex = 1")
                    ->text(0);
    const std::string to = from == "vm-server-1-7" ? "vm-server-1-6" : "vm-server-1-7";
    ASSERT_TRUE(fs::exists(hosts_ / from / "state/domain/c1-compute-0-1"));
    // Refused when the target lacks the capacity; nothing changed.
    rocks_.ok({"set", "host", "attr", to, "vc_memory", "512"});
    auto r = rocks({"move", "vcluster", "node", "c1", "compute-0-1", "host=" + to});
    EXPECT_EQ(r.exitCode, 2) << r.err;
    EXPECT_EQ(r.err.rfind("error - refused: ", 0), 0U) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    rocks_.ok({"set", "host", "attr", to, "vc_memory", "65536"});
    r = rocks({"move", "vcluster", "node", "c1", "compute-0-9", "host=" + to});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_EQ(r.err, "error - vcluster 'c1' has no node compute-0-9\n");
    r = rocks({"move", "vcluster", "node", "c1", "compute-0-1", "host=gateway-0-0"});
    EXPECT_EQ(r.err, "error - 'gateway-0-0' is not a vm-server of the site\n");
    EXPECT_EQ(sync("2026-12-07T10:00:30Z"), "nothing is due at 2026-12-07T10:00:30Z\n");

    r = rocks({"move", "vcluster", "node", "c1", "c1-compute-0-1", "host=" + to});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    std::string out = sync("2026-12-07T10:01:00Z");
    EXPECT_NE(out.find("compute-0-1 moved from " + from + " to " + to), std::string::npos) << out;
    EXPECT_FALSE(fs::exists(hosts_ / from / "state/domain/c1-compute-0-1"));
    EXPECT_EQ(computes().at("c1-compute-0-1"), "running");
    EXPECT_TRUE(fs::exists(hosts_ / to / "state/domain/c1-compute-0-1"));
    const std::string rows = rocks_.ok({"list", "vcluster", "node", "c1"});
    EXPECT_NE(rows.find("c1-compute-0-1:"), std::string::npos);
    EXPECT_NE(rows.find(to), std::string::npos) << rows;
    // The old host had nothing else of c1: its session and links are gone.
    if (from != handle
                    ->queryOne("SELECT n.Name FROM vcluster_allocations a JOIN nodes n ON "
                               "n.ID = a.Host WHERE a.NodeIndex = 0")
                    ->text(0)) {
        EXPECT_TRUE(fs::is_empty(hosts_ / from / "state/session")) << from;
    }
    EXPECT_EQ(sync("2026-12-07T10:02:00Z"), "nothing is due at 2026-12-07T10:02:00Z\n");
    sync("2026-12-31T00:00:30Z");
    EXPECT_EQ(leftovers(), keptPublicBridge());
}
