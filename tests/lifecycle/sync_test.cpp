// The lifecycle engine through the real `rocks` binary: a reservation is
// materialised and built at its start, released at its end with nothing
// left behind, a failing step is retried and then fails the reservation.
#include <gtest/gtest.h>

#include <filesystem>
#include <future>

#include "db/Schema.h"
#include "support/Keys.h"
#include "support/Process.h"
#include "support/TestDatabase.h"

using namespace vcluster;
using namespace vcluster::test;

namespace {

const char* kCounted[] = {"nodes", "networks", "vm_nodes", "vm_disks", "attributes", "catindex"};

class Sync : public ::testing::Test {
  protected:
    void SetUp() override {
        auto r = rocks_.loadSampleCluster();
        ASSERT_EQ(r.exitCode, 0) << r.err;
        writeFile(dir_ / "tenant.pub", sshKeyLine("ssh-ed25519", "tenant@example.org") + "\n");
        baseline_ = counts();
    }

    std::map<std::string, std::int64_t> counts() {
        auto handle = vcluster::test::openTestDatabase(rocks_.db());
        vcluster::db::Database& db = *handle;
        std::map<std::string, std::int64_t> out;
        for (const char* table : kCounted) {
            out[table] = db.queryOne(std::string("SELECT COUNT(*) FROM ") + table)->integer(0);
        }
        return out;
    }
    std::string state(const std::string& name) {
        auto handle = vcluster::test::openTestDatabase(rocks_.db());
        vcluster::db::Database& db = *handle;
        auto row = db.queryOne(
            "SELECT State, COALESCE(FailureReason, '') FROM vcluster_reservations WHERE Name = ? "
            "ORDER BY ID DESC",
            {name});
        return row ? row->text(0) + (row->text(1).empty() ? "" : ": " + row->text(1)) : "";
    }
    void reserve(const std::string& name, int nodes) {
        rocks_.ok({"add", "vcluster", name, "start=2026-12-07T09:00:00Z",
                   "end=2026-12-31T23:59:59Z", "nodes=" + std::to_string(nodes), "memory=2GiB",
                   "disk=20GiB", "rolls=base,kernel,os,hpc,sge",
                   "sshkey=" + (dir_ / "tenant.pub").string(), "owner=provider",
                   "fqdn=" + name + ".example.org"});
    }

    TempDir dir_;
    Rocks rocks_{dir_ / "cluster.db"};
    std::map<std::string, std::int64_t> baseline_;
};

}  // namespace

TEST_F(Sync, StartBuildsInTheSeedsOrderAndEndLeavesNothing) {
    reserve("dc1", 4);
    EXPECT_EQ(rocks_.ok({"sync", "vcluster", "now=2026-12-07T08:59:00Z", "executor=pretend"}),
              "nothing is due at 2026-12-07T08:59:00Z\n");
    EXPECT_EQ(state("dc1"), "scheduled");

    std::string out =
        rocks_.ok({"sync", "vcluster", "now=2026-12-07T09:00:30Z", "executor=pretend"});
    EXPECT_EQ(state("dc1"), "active");
    // Storage first, then networks, the frontend, then the computes.
    auto storage = out.find("--- storage-2-0: storage");
    auto network = out.find(": network (pretend");
    auto frontend = out.find("--- gateway-0-0: frontend");
    auto computes = out.find(": computes (pretend");
    ASSERT_NE(storage, std::string::npos) << out;
    ASSERT_NE(computes, std::string::npos) << out;
    EXPECT_LT(storage, network);
    EXPECT_LT(network, frontend);
    EXPECT_LT(frontend, computes);
    EXPECT_NE(out.find("apply.sh sections: lvm target"), std::string::npos);

    // Rows: the frontend and 4 computes, their interfaces (frontend: private
    // and public), VM rows and disks; the cluster's vlan<N> interface on the
    // gateway and the vm-server, and the gateway's public bridge.
    auto now = counts();
    EXPECT_EQ(now["nodes"] - baseline_["nodes"], 5);
    EXPECT_EQ(now["networks"] - baseline_["networks"], 6 + 2 + 1);
    EXPECT_EQ(now["vm_nodes"] - baseline_["vm_nodes"], 5);
    EXPECT_EQ(now["vm_disks"] - baseline_["vm_disks"], 5);
    std::string nodes = rocks_.ok({"list", "vcluster", "node", "dc1"});
    EXPECT_NE(nodes.find("dc1-frontend:    dc1      frontend gateway-0-0"), std::string::npos)
        << nodes;
    EXPECT_NE(nodes.find("10.1.1.1"), std::string::npos) << nodes;
    EXPECT_NE(nodes.find("10.1.255.254"), std::string::npos) << nodes;
    {
        auto handle = vcluster::test::openTestDatabase(rocks_.db());
        vcluster::db::Database& db = *handle;
        // storage, network on the gateway and the vm-server, frontend and its
        // power-on, the install probe, computes and their power-on, the
        // computes probe, the "installed" snapshot.
        EXPECT_EQ(
            db.queryOne("SELECT COUNT(*) FROM vcluster_journal WHERE State = 'done'")->integer(0),
            10);
    }

    // A second sync at the same time changes nothing.
    EXPECT_EQ(rocks_.ok({"sync", "vcluster", "now=2026-12-07T09:01:00Z", "executor=pretend"}),
              "nothing is due at 2026-12-07T09:01:00Z\n");
    EXPECT_EQ(counts(), now);

    out = rocks_.ok({"sync", "vcluster", "now=2027-01-01T00:00:00Z", "executor=pretend"});
    EXPECT_EQ(state("dc1"), "released");
    EXPECT_LT(out.find(": computes (pretend"), out.find("--- storage-2-0: storage"))
        << "release in reverse";
    EXPECT_EQ(counts(), baseline_) << "rows left behind after the end";
    EXPECT_EQ(rocks_.ok({"list", "vcluster"}).find("dc1"), std::string::npos);

    // The capacity is free again: the same reservation fits right after.
    rocks_.ok({"add", "vcluster", "dc2", "start=2027-01-02T00:00:00Z", "end=2027-01-03T00:00:00Z",
               "nodes=4", "sshkey=" + (dir_ / "tenant.pub").string()});
}

TEST_F(Sync, AFailingStepIsRetriedThenFailsTheReservationWithItsReason) {
    reserve("dc1", 2);
    // Hosts are directories of a fake root; the LVM tools there fail as on a
    // storage node whose volume group is missing.
    const std::filesystem::path fs_ = dir_ / "tools";
    writeFile(fs_ / "lvs", "#!/bin/sh\nexit 5\n");
    writeFile(fs_ / "lvcreate",
              "#!/bin/sh\necho '  Volume group \"vg_vcluster\" not found' >&2\nexit 5\n");
    for (const char* tool : {"lvs", "lvcreate"}) {
        std::filesystem::permissions(fs_ / tool, std::filesystem::perms::owner_all);
    }
    std::vector<std::string> sync{"sync",
                                  "vcluster",
                                  "now=2026-12-07T09:00:30Z",
                                  "executor=local",
                                  "host-root=" + (dir_ / "hosts").string(),
                                  "tool-path=" + fs_.string()};
    for (int attempt = 1; attempt <= 3; ++attempt) {
        auto r = rocks_(sync);
        EXPECT_EQ(r.exitCode, 0) << r.err;
        EXPECT_NE(
            r.out.find(
                "storage-2-0: storage failed (exit 5):   Volume group \"vg_vcluster\" not found"),
            std::string::npos)
            << r.out;
    }
    EXPECT_EQ(
        state("dc1"),
        "failed: storage-2-0: storage failed (exit 5):   Volume group \"vg_vcluster\" not found");
    std::string list = rocks_.ok({"list", "vcluster"});
    EXPECT_NE(list.find("dc1: provider failed"), std::string::npos) << list;
    EXPECT_NE(list.find("storage-2-0: storage failed (exit 5)"), std::string::npos) << list;
    // Nothing after the storage stage ran on any other host.
    EXPECT_FALSE(std::filesystem::exists(dir_ / "hosts/gateway-0-0"));

    // The failed cluster keeps its name and everything it holds until it is
    // torn down: nobody else can book the name (and so reach its rows and
    // host objects), a later sync does not retry it on its own, and an
    // overlapping booking gets another VLAN id and public address.
    auto again = rocks_({"add", "vcluster", "dc1", "start=2026-12-08T00:00:00Z", "duration=1d",
                         "nodes=1", "sshkey=" + (dir_ / "tenant.pub").string()});
    EXPECT_EQ(again.exitCode, 1) << again.err;
    EXPECT_NE(again.err.find("is not available"), std::string::npos) << again.err;
    rocks_.ok({"add", "vcluster", "dc2", "start=2026-12-08T00:00:00Z", "duration=1d", "nodes=1",
               "sshkey=" + (dir_ / "tenant.pub").string()});
    {
        auto handle = vcluster::test::openTestDatabase(rocks_.db());
        db::Database& db = *handle;
        auto ids = db.query(
            "SELECT NetworkID, PublicIP FROM vcluster_reservations WHERE Name IN ('dc1', 'dc2') "
            "ORDER BY Name");
        ASSERT_EQ(ids.size(), 2U);
        EXPECT_NE(ids[0].integer(0), ids[1].integer(0));
        EXPECT_NE(ids[0].text(1), ids[1].text(1));
    }
    auto later = rocks_(sync);
    EXPECT_EQ(later.out.find("dc1"), std::string::npos) << later.out;
    rocks_.ok({"remove", "vcluster", "dc2"});

    // The admin removes the failed cluster: the next sync tears down what it
    // had created (its rows included) and it is gone.
    EXPECT_EQ(
        rocks_({"remove", "vcluster", "dc1"}, {{"VCLUSTER_NOW", "2026-12-07T09:05:00Z"}}).exitCode,
        0);
    std::string out =
        rocks_.ok({"sync", "vcluster", "now=2026-12-07T09:10:00Z", "executor=pretend"});
    EXPECT_NE(out.find("dc1:     releasing released"), std::string::npos) << out;
    EXPECT_EQ(
        state("dc1"),
        "released: storage-2-0: storage failed (exit 5):   Volume group \"vg_vcluster\" not found");
    EXPECT_EQ(counts(), baseline_);
}

TEST_F(Sync, TwoSyncsAtOnceActOnTheHostsOneAfterTheOther) {
    // The timer's sync and one the admin runs by hand (or the portal's node
    // actions) at the same moment: without a lock both saw the storage step
    // not done and ran it on the storage node at once.
    reserve("dc1", 1);
    const std::filesystem::path tools = dir_ / "tools";
    const std::string log = (dir_ / "lvcreate.log").string();
    writeFile(tools / "lvs", "#!/bin/sh\nexit 5\n");
    const std::string hold = (dir_ / "hold").string();
    // lvcreate takes a second, or as long as the file "hold" is there (30 s at most).
    writeFile(tools / "lvcreate", "#!/bin/sh\necho begin >> '" + log +
                                      "'\nsleep 1\nfor i in $(seq 300); do [ -e '" + hold +
                                      "' ] || break; sleep 0.1; done\necho end >> '" + log +
                                      "'\necho 'no space' >&2\nexit 5\n");
    for (const char* tool : {"lvs", "lvcreate"}) {
        std::filesystem::permissions(tools / tool, std::filesystem::perms::owner_all);
    }
    std::vector<std::string> sync{"sync",
                                  "vcluster",
                                  "now=2026-12-07T09:00:30Z",
                                  "executor=local",
                                  "host-root=" + (dir_ / "hosts").string(),
                                  "tool-path=" + tools.string()};
    auto first = std::async(std::launch::async, [&] { return rocks_(sync); });
    auto second = std::async(std::launch::async, [&] { return rocks_(sync); });
    auto a = first.get();
    auto b = second.get();
    EXPECT_EQ(a.exitCode, 0) << a.err;
    EXPECT_EQ(b.exitCode, 0) << b.err;
    EXPECT_EQ(readFile(log), "begin\nend\nbegin\nend\n") << "the two syncs overlapped";
    EXPECT_NE((a.out + b.out).find("waiting for the rocks sync vcluster already running"),
              std::string::npos)
        << a.out << b.out;
    // Each was an attempt of its own.
    auto handle = vcluster::test::openTestDatabase(rocks_.db());
    EXPECT_EQ(handle->queryOne("SELECT Attempts FROM vcluster_reservations WHERE Name = 'dc1'")
                  ->integer(0),
              2);

    // One that waits less than the running one takes gives up and changes nothing.
    writeFile(hold, "");
    auto slow = std::async(std::launch::async, [&] { return rocks_(sync); });
    for (int i = 0; i < 300 && countLines(readFile(log)) < 5; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    std::vector<std::string> impatient = sync;
    impatient.push_back("wait=1s");
    auto c = rocks_(impatient);
    std::filesystem::remove(hold);
    EXPECT_EQ(slow.get().exitCode, 0);
    EXPECT_EQ(c.exitCode, 1) << c.out;
    EXPECT_EQ(c.err,
              "error - another rocks sync vcluster has been running for longer than wait=1s; "
              "nothing was done\n");
    EXPECT_EQ(state("dc1"), "failed: storage-2-0: storage failed (exit 5): no space");
}

TEST_F(Sync, ADryRunPrintsTheStepsAndChangesNothing) {
    reserve("dc1", 2);
    auto sum = [&] {
        auto handle = vcluster::test::openTestDatabase(rocks_.db());
        db::Database& db = *handle;
        return db.queryOne(
                     "SELECT State || Phase || COALESCE(InstallStarted, '') || Attempts "
                     "FROM vcluster_reservations")
                   ->text(0) +
               std::to_string(db.queryOne("SELECT COUNT(*) FROM vcluster_journal")->integer(0)) +
               std::to_string(db.queryOne("SELECT COUNT(*) FROM vcluster_snapshots")->integer(0));
    };
    const std::string before = sum();
    std::string out =
        rocks_.ok({"sync", "vcluster", "now=2026-12-07T09:00:30Z", "executor=dry-run"});
    EXPECT_NE(out.find("--- storage-2-0: storage (dry-run, not executed)"), std::string::npos)
        << out;
    EXPECT_NE(out.find("nothing was changed"), std::string::npos) << out;
    EXPECT_EQ(state("dc1"), "scheduled");
    EXPECT_EQ(counts(), baseline_) << "a dry run wrote Rocks rows";
    EXPECT_EQ(sum(), before);
    // So the real sync that follows still does everything.
    out = rocks_.ok({"sync", "vcluster", "now=2026-12-07T09:00:30Z", "executor=pretend"});
    EXPECT_NE(out.find("--- storage-2-0: storage (pretend, not executed)"), std::string::npos)
        << out;
    EXPECT_EQ(state("dc1"), "active");
}

TEST_F(Sync, RemovingAnActiveClusterReleasesItAtTheNextSync) {
    reserve("dc1", 3);
    rocks_.ok({"sync", "vcluster", "now=2026-12-08T00:00:00Z", "executor=pretend"});
    EXPECT_EQ(state("dc1"), "active");
    rocks_({"remove", "vcluster", "dc1"}, {{"VCLUSTER_NOW", "2026-12-09T00:00:00Z"}});
    EXPECT_EQ(state("dc1"), "active");
    rocks_.ok({"sync", "vcluster", "now=2026-12-09T00:00:30Z", "executor=pretend"});
    EXPECT_EQ(state("dc1"), "released");
    EXPECT_EQ(counts(), baseline_);
}

// On the sample cluster (the physical frontend manager-0-0 is 10.1.1.1 on
// the private subnet, a gateway 10.1.255.250), materialised clusters used to
// put their frontend at 10.1.1.1 and computes at 10.1.255.254... on that same
// subnet, which Rocks' DHCP and DNS would serve twice. Now their private
// NICs are MACs on the VLAN only, and the addresses stay the cluster's own:
// in its kit and `rocks list vcluster node`.
TEST_F(Sync, VirtualNodesTakeNoAddressOnThePhysicalSubnet) {
    reserve("hpc101", 3);
    reserve("dc1", 2);
    rocks_.ok({"sync", "vcluster", "now=2026-12-08T00:00:00Z", "executor=pretend"});
    ASSERT_EQ(state("hpc101"), "active");
    ASSERT_EQ(state("dc1"), "active");
    auto handle = vcluster::test::openTestDatabase(rocks_.db());
    db::Database& db = *handle;
    EXPECT_EQ(db.queryOne("SELECT COUNT(*) FROM (SELECT IP, Subnet FROM networks WHERE IP IS NOT "
                          "NULL GROUP BY IP, Subnet HAVING COUNT(*) > 1) d")
                  ->integer(0),
              0);
    EXPECT_EQ(db.queryOne("SELECT COUNT(*) FROM networks w JOIN nodes n ON n.ID = w.Node "
                          "WHERE n.Name LIKE 'hpc101-%' AND w.IP LIKE '10.1.%'")
                  ->integer(0),
              0);
    EXPECT_EQ(db.queryOne("SELECT COUNT(*) FROM networks w JOIN nodes n ON n.ID = w.Node "
                          "WHERE n.Name = 'hpc101-frontend' AND w.MAC IS NOT NULL AND w.VlanID = "
                          "(SELECT SegmentID FROM vc_materialisations WHERE Cluster = 'hpc101')")
                  ->integer(0),
              1);
    const std::string nodes = rocks_.ok({"list", "vcluster", "node", "hpc101"});
    EXPECT_NE(nodes.find("10.1.1.1"), std::string::npos) << nodes;
    rocks_.ok({"report", "vcluster", "hpc101", "dir=" + (dir_ / "tree").string()});
    bool found = false;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir_ / "tree")) {
        if (e.path().filename() == "site.attrs") {
            found =
                readFile(e.path()).find("Kickstart_PrivateAddress:10.1.1.1") != std::string::npos;
        }
    }
    EXPECT_TRUE(found) << "the kit lost the frontend's private address";
}
