// The lifecycle's second half through the real `rocks` binary with the local
// executor against fake hosts (tests/fakehost/bin): the wait for the virtual
// frontend's install, the automatic snapshot, snapshots and roll-backs that
// really restore the fake volumes' content, weekly power windows that
// converge whatever syncs were missed, and an end that leaves nothing.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "support/FakeHosts.h"
#include "support/Keys.h"
#include "support/Process.h"
#include "support/TestDatabase.h"

using namespace vcluster;
using namespace vcluster::test;
namespace fs = std::filesystem;

namespace {

class Phases : public ::testing::Test {
  protected:
    void SetUp() override {
        auto r = rocks_.loadSampleCluster();
        ASSERT_EQ(r.exitCode, 0) << r.err;
        writeFile(dir_ / "tenant.pub", sshKeyLine("ssh-ed25519", "tenant@example.org") + "\n");
    }

    void reserve(const std::vector<std::string>& extra) {
        std::vector<std::string> args{"add",
                                      "vcluster",
                                      "c1",
                                      "nodes=1",
                                      "memory=1GiB",
                                      "disk=10GiB",
                                      "sshkey=" + (dir_ / "tenant.pub").string(),
                                      "fqdn=c1.example.org"};
        args.insert(args.end(), extra.begin(), extra.end());
        auto r = rocks_(args, env_);
        ASSERT_EQ(r.exitCode, 0) << r.err;
    }

    // One sync at `now`; returns its output (the test fails on a non-zero exit).
    std::string sync(const std::string& now) {
        auto r = rocks_({"sync", "vcluster", "now=" + now, "executor=local",
                         "host-root=" + hosts_.string(), "tool-path=" + kFakeHostTools},
                        env_);
        EXPECT_EQ(r.exitCode, 0) << r.out << r.err;
        return r.out;
    }

    std::string state() {
        auto handle = vcluster::test::openTestDatabase(rocks_.db());
        vcluster::db::Database& db = *handle;
        auto row = db.queryOne(
            "SELECT CASE WHEN Phase <> '' THEN Phase ELSE State END, Attempts, "
            "COALESCE(FailureReason, '') FROM vcluster_reservations WHERE Name = 'c1'");
        if (!row) {
            return "";
        }
        std::string s = row->text(0);
        if (row->integer(1) != 0 || !row->text(2).empty()) {
            s += " (attempts " + std::to_string(row->integer(1)) + ": " + row->text(2) + ")";
        }
        return s;
    }

    // A fake domain's state ("running", "shut off") or "" when undefined.
    std::string domain(const std::string& host, const std::string& name) {
        fs::path f = hosts_ / host / "state/domain" / name;
        if (!fs::exists(f)) {
            return "";
        }
        std::string s = readFile(f);
        return s.substr(0, s.find('\n'));
    }

    fs::path disk(const std::string& lv) {
        return hosts_ / "storage-2-0/state/disk/vg_vcluster" / lv;
    }

    // Every file the fakes keep (their call logs aside), sorted.
    std::vector<std::string> leftovers() {
        std::vector<std::string> out;
        if (!fs::exists(hosts_)) {
            return out;
        }
        for (const auto& e : fs::recursive_directory_iterator(hosts_)) {
            if ((e.is_regular_file() || e.is_symlink()) && e.path().filename() != "calls.log") {
                out.push_back(e.path().lexically_relative(hosts_).string());
            }
        }
        std::sort(out.begin(), out.end());
        return out;
    }

    std::int64_t snapshotRows() {
        auto handle = vcluster::test::openTestDatabase(rocks_.db());
        vcluster::db::Database& db = *handle;
        return db.queryOne("SELECT COUNT(*) FROM vcluster_snapshots")->integer(0);
    }

    TempDir dir_;
    Rocks rocks_{dir_ / "cluster.db"};
    fs::path hosts_ = dir_ / "hosts";
    std::map<std::string, std::string> env_{{"TZ", "UTC"}};
};

}  // namespace

TEST_F(Phases, TheComputesWaitForTheFrontendsInstallAndNotYetBurnsNoAttempt) {
    reserve({"start=2026-12-07T09:00:00Z", "end=2026-12-31T00:00:00Z"});
    // The fake install answers the 5th probe: 4 "not yet" first, more than
    // the 3 attempts a failing step gets.
    env_["VCLUSTER_FAKE_INSTALL_PROBES"] = "4";
    std::string out = sync("2026-12-07T09:00:30Z");
    EXPECT_EQ(state(), "installing") << out;
    EXPECT_NE(out.find("install-probe not yet"), std::string::npos) << out;
    EXPECT_EQ(out.find("FAILED"), std::string::npos) << out;
    EXPECT_EQ(domain("gateway-0-0", "c1-frontend"), "running");
    EXPECT_EQ(domain("vm-server-1-0", "c1-compute-0-0"), "") << "computes before the install";
    EXPECT_FALSE(fs::exists(disk("vc-c1-frontend.installed")));
    for (const char* now :
         {"2026-12-07T09:01:00Z", "2026-12-07T09:02:00Z", "2026-12-07T09:03:00Z"}) {
        out = sync(now);
        EXPECT_EQ(state(), "installing") << now << "\n" << out;
        EXPECT_NE(out.find("c1:      installing installing waiting for the frontend's install "
                           "(since 2026-12-07T09:00:30Z, timeout 2h)"),
                  std::string::npos)
            << out;
        EXPECT_EQ(domain("vm-server-1-0", "c1-compute-0-0"), "");
    }
    out = sync("2026-12-07T09:04:00Z");
    EXPECT_EQ(state(), "active") << out;
    EXPECT_NE(out.find("c1:      installing active frontend and computes installed, snapshot "
                       "'installed' taken: built on 2 VMs"),
              std::string::npos)
        << out;
    // The snapshot was taken once the computes had installed, of every volume.
    for (const char* lv : {"vc-c1-frontend.installed", "vc-c1-compute-0-0.installed"}) {
        EXPECT_TRUE(fs::exists(disk(lv))) << lv;
    }
    std::string calls = readFile(hosts_ / "vm-server-1-0/state/calls.log");
    EXPECT_NE(calls.find("virsh start c1-compute-0-0"), std::string::npos) << calls;
    EXPECT_EQ(domain("vm-server-1-0", "c1-compute-0-0"), "running");
    EXPECT_EQ(rocks_.ok({"list", "vcluster", "snapshot", "c1"}),
              "LABEL      STATE   REQUESTED            CREATED              ROLLBACKS PENDING\n"
              "installed: present 2026-12-07T09:04:00Z 2026-12-07T09:04:00Z 0\n");
    // Nothing more is due.
    EXPECT_EQ(sync("2026-12-07T09:05:00Z"), "nothing is due at 2026-12-07T09:05:00Z\n");
}

TEST_F(Phases, AnInstallThatOutlastsItsTimeoutFailsWithTheReasonAndIsTornDown) {
    rocks_.ok({"set", "attr", "vc_install_timeout", "30m"});
    reserve({"start=2026-12-07T09:00:00Z", "end=2026-12-31T00:00:00Z"});
    env_["VCLUSTER_FAKE_INSTALL_PROBES"] = "1000";
    sync("2026-12-07T09:00:00Z");
    sync("2026-12-07T09:29:59Z");
    EXPECT_EQ(state(), "installing");
    std::string out = sync("2026-12-07T09:30:00Z");
    const std::string reason =
        "gateway-0-0: install-probe: the install of c1-frontend did not finish within 30m "
        "(vc_install_timeout), since 2026-12-07T09:00:00Z";
    EXPECT_EQ(state(), "failed (attempts 0: " + reason + ")") << out;
    EXPECT_NE(rocks_.ok({"list", "vcluster"}).find(reason), std::string::npos);
    EXPECT_EQ(domain("vm-server-1-0", "c1-compute-0-0"), "");
    // The admin removes it: everything it had is torn down.
    ASSERT_EQ(
        rocks_({"remove", "vcluster", "c1"}, {{"VCLUSTER_NOW", "2026-12-07T10:00:00Z"}}).exitCode,
        0);
    sync("2026-12-07T10:00:30Z");
    EXPECT_EQ(state().rfind("released", 0), 0U) << state();
    EXPECT_EQ(leftovers(), keptPublicBridge());
}

// Snapshots and roll-backs on thick and on thin volumes.
class Rollback : public Phases, public ::testing::WithParamInterface<const char*> {};

TEST_P(Rollback, ReturnsTheDisksToTheSnapshotRepeatablyAndTheEndRemovesEverySnapshot) {
    rocks_.ok({"set", "host", "attr", "storage-2-0", "vc_lv_kind", GetParam()});
    reserve({"start=2026-12-07T09:00:00Z", "end=2026-12-31T00:00:00Z"});
    sync("2026-12-07T09:00:30Z");
    ASSERT_EQ(state(), "active");
    // The guests write to their disks.
    writeFile(disk("vc-c1-frontend"), "lab 1 done\n");
    writeFile(disk("vc-c1-compute-0-0"), "scratch 1\n");
    auto r = rocks_({"create", "vcluster", "snapshot", "c1", "label=lab-1"},
                    {{"VCLUSTER_NOW", "2026-12-08T10:00:00Z"}});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(r.out, "c1: snapshot 'lab-1' requested; the next rocks sync vcluster takes it\n");
    std::string out = sync("2026-12-08T10:00:30Z");
    EXPECT_NE(out.find("c1:      active active snapshot 'lab-1' taken"), std::string::npos) << out;
    EXPECT_EQ(readFile(disk("vc-c1-frontend.lab-1")), "lab 1 done\n");

    // Twice on thick volumes; once is enough to cover thin ones.
    const int rounds = std::string(GetParam()) == "thick" ? 2 : 1;
    for (int round = 0; round < rounds; ++round) {
        writeFile(disk("vc-c1-frontend"), "broken " + std::to_string(round) + "\n");
        writeFile(disk("vc-c1-compute-0-0"), "scratch 2\n");
        r = rocks_({"rollback", "vcluster", "c1", "label=lab-1"});
        ASSERT_EQ(r.exitCode, 0) << r.err;
        out = sync("2026-12-08T11:0" + std::to_string(round) + ":00Z");
        EXPECT_NE(out.find("c1:      active active rolled back to snapshot 'lab-1', VMs restarted"),
                  std::string::npos)
            << out;
        EXPECT_EQ(readFile(disk("vc-c1-frontend")), "lab 1 done\n") << "round " << round;
        EXPECT_EQ(readFile(disk("vc-c1-compute-0-0")), "scratch 1\n");
        EXPECT_TRUE(fs::exists(disk("vc-c1-frontend.lab-1"))) << "the snapshot survives";
        EXPECT_EQ(domain("gateway-0-0", "c1-frontend"), "running");
        EXPECT_EQ(domain("vm-server-1-0", "c1-compute-0-0"), "running");
        EXPECT_EQ(state(), "active");
    }
    // The order on the storage node: the target went away before the merge
    // (the fake lvconvert refuses an exported origin) and came back after.
    std::string calls = readFile(hosts_ / "storage-2-0/state/calls.log");
    auto del = calls.rfind("tgt-admin --force --delete");
    auto merge = calls.rfind("lvconvert --merge vg_vcluster/vc-c1-frontend.lab-1");
    auto update = calls.rfind("tgt-admin -c");
    ASSERT_NE(merge, std::string::npos) << calls;
    EXPECT_LT(del, merge);
    EXPECT_LT(merge, update);
    // And the hosts logged out of the target before, and back in after.
    std::string vm = readFile(hosts_ / "vm-server-1-0/state/calls.log");
    EXPECT_NE(vm.find("--logout"), std::string::npos);
    EXPECT_GT(vm.rfind("--login"), vm.rfind("--logout"));

    // Removing a snapshot frees its volumes; the label can be taken again.
    r = rocks_({"remove", "vcluster", "snapshot", "c1", "label=lab-1"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(r.out,
              "c1: removal of snapshot 'lab-1' requested; the next rocks sync vcluster performs "
              "it\n");
    EXPECT_TRUE(fs::exists(disk("vc-c1-frontend.lab-1"))) << "only the sync removes it";
    EXPECT_NE(rocks_.ok({"list", "vcluster", "snapshot", "c1"}).find(" removal\n"),
              std::string::npos);
    out = sync("2026-12-08T11:30:30Z");
    EXPECT_NE(out.find("c1:      active active snapshot 'lab-1' removed"), std::string::npos)
        << out;
    EXPECT_FALSE(fs::exists(disk("vc-c1-frontend.lab-1")));
    EXPECT_FALSE(fs::exists(disk("vc-c1-compute-0-0.lab-1")));
    EXPECT_TRUE(fs::exists(disk("vc-c1-frontend.installed")));
    EXPECT_EQ(snapshotRows(), 1);
    writeFile(disk("vc-c1-frontend"), "lab 2\n");
    rocks_.ok({"create", "vcluster", "snapshot", "c1", "label=lab-1"});
    out = sync("2026-12-08T11:40:00Z");
    EXPECT_EQ(readFile(disk("vc-c1-frontend.lab-1")), "lab 2\n")
        << "the new 'lab-1' is taken, not skipped as done by the old one's journal:\n"
        << out;
    EXPECT_EQ(snapshotRows(), 2);

    // Back to the freshly installed cluster: the disks are as the start left them.
    rocks_.ok({"rollback", "vcluster", "c1"});
    sync("2026-12-08T12:00:00Z");
    EXPECT_EQ(readFile(disk("vc-c1-frontend")), "");
    EXPECT_EQ(snapshotRows(), 2);

    out = sync("2026-12-31T00:00:30Z");
    EXPECT_EQ(state(), "released") << out;
    EXPECT_EQ(leftovers(), keptPublicBridge());
    EXPECT_EQ(snapshotRows(), 0);
}

INSTANTIATE_TEST_SUITE_P(LvKinds, Rollback, ::testing::Values("thick", "thin"));

// Weekly windows: Tuesdays 13:00-16:00 UTC. 2027-02-02 is a Tuesday.
TEST_F(Phases, WeeklyPowerWindowsConvergeWhateverSyncsWereMissed) {
    reserve({"start=2027-02-01T00:00:00Z", "end=2027-03-01T00:00:00Z", "repeat=tue@13:00-16:00"});
    auto vmsAre = [&](const std::string& want) {
        EXPECT_EQ(domain("gateway-0-0", "c1-frontend"), want);
        EXPECT_EQ(domain("vm-server-1-0", "c1-compute-0-0"), want);
    };
    // Nothing at its start (a Monday): it is built ahead of the first window
    // by the install allowance (vc_install_allowance, 2h) and stays on through it.
    EXPECT_EQ(sync("2027-02-01T00:00:30Z"), "nothing is due at 2027-02-01T00:00:30Z\n");
    EXPECT_EQ(state(), "scheduled");
    std::string out = sync("2027-02-02T11:00:00Z");
    EXPECT_EQ(state(), "active") << out;
    vmsAre("running");
    EXPECT_TRUE(fs::exists(disk("vc-c1-frontend.installed")));
    EXPECT_EQ(sync("2027-02-02T13:00:00Z"), "nothing is due at 2027-02-02T13:00:00Z\n");
    writeFile(disk("vc-c1-frontend"), "homework\n");
    out = sync("2027-02-02T16:00:00Z");
    EXPECT_EQ(state(), "powered-off");
    EXPECT_NE(out.find("window closed at 2027-02-02T16:00:00Z: VMs shut down cleanly, disks kept"),
              std::string::npos)
        << out;
    vmsAre("shut off");

    out = sync("2027-02-09T13:00:00Z");
    EXPECT_EQ(state(), "active");
    EXPECT_NE(out.find("window opened at 2027-02-09T13:00:00Z: VMs on"), std::string::npos) << out;
    vmsAre("running");

    // Every sync of the close and of the next opening is missed: a sync in
    // the next window finds it on, as it should be.
    EXPECT_EQ(sync("2027-02-16T14:00:00Z"), "nothing is due at 2027-02-16T14:00:00Z\n");
    vmsAre("running");
    // A sync long after the close, missing the one at 16:00.
    out = sync("2027-02-18T08:00:00Z");
    EXPECT_EQ(state(), "powered-off");
    EXPECT_NE(out.find("window closed at 2027-02-16T16:00:00Z: VMs shut down cleanly, disks kept"),
              std::string::npos)
        << out;
    vmsAre("shut off");
    EXPECT_EQ(readFile(disk("vc-c1-frontend")), "homework\n") << "disks kept";
    // Snapshots and roll-backs need it on.
    auto r = rocks_({"rollback", "vcluster", "c1"});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_EQ(r.err, "error - vcluster 'c1' is powered-off, not active\n");
    // The last minute of a window, after a missed week.
    sync("2027-02-23T15:59:59Z");
    EXPECT_EQ(state(), "active");
    vmsAre("running");
    sync("2027-02-23T16:00:00Z");
    EXPECT_EQ(state(), "powered-off");
    vmsAre("shut off");
    // The end, from powered-off.
    out = sync("2027-03-01T00:00:00Z");
    EXPECT_EQ(state(), "released") << out;
    EXPECT_EQ(leftovers(), keptPublicBridge());
}

// Defect: at the start, outside a window, one sync started the computes and
// at once destroyed them and the frontend, mid-install. Now the build waits
// for the install allowance before the first window and nothing is powered
// off until that window has closed.
TEST_F(Phases, AWeeklyClusterIsInstalledBeforeItsFirstWindowAndNotKilledMidInstall) {
    reserve({"start=2027-02-01T00:00:00Z", "end=2027-03-01T00:00:00Z", "repeat=tue@13:00-16:00"});
    env_["VCLUSTER_FAKE_INSTALL_PROBES"] = "2";
    EXPECT_EQ(sync("2027-02-01T00:00:30Z"), "nothing is due at 2027-02-01T00:00:30Z\n");
    EXPECT_EQ(sync("2027-02-02T10:59:59Z"), "nothing is due at 2027-02-02T10:59:59Z\n");
    std::string out = sync("2027-02-02T11:00:00Z");
    EXPECT_EQ(state(), "installing") << out;
    sync("2027-02-02T11:10:00Z");
    EXPECT_EQ(state(), "installing");
    out = sync("2027-02-02T11:20:00Z");
    EXPECT_EQ(state(), "active") << out;
    EXPECT_EQ(domain("gateway-0-0", "c1-frontend"), "running");
    EXPECT_EQ(domain("vm-server-1-0", "c1-compute-0-0"), "running") << "computes install";
    // Later syncs before and in the first window leave them running.
    EXPECT_EQ(sync("2027-02-02T12:00:00Z"), "nothing is due at 2027-02-02T12:00:00Z\n");
    EXPECT_EQ(sync("2027-02-02T13:30:00Z"), "nothing is due at 2027-02-02T13:30:00Z\n");
    EXPECT_EQ(domain("vm-server-1-0", "c1-compute-0-0"), "running");
    std::string calls = readFile(hosts_ / "vm-server-1-0/state/calls.log");
    EXPECT_EQ(calls.find("virsh destroy"), std::string::npos) << calls;
    EXPECT_EQ(calls.find("virsh shutdown"), std::string::npos) << calls;
    sync("2027-02-02T16:00:00Z");
    EXPECT_EQ(state(), "powered-off");
}

// Defect (#13, item 2): the sync that started the computes also took the
// `installed` snapshot (of their still empty disks) and made the cluster
// active, so a weekly cluster whose window closed during the computes'
// installs was powered off mid-install. Now the computes' installs are
// awaited (the frontend lists those done), then the snapshot, then power.
TEST_F(Phases, TheInstalledSnapshotAndTheFirstPowerOffWaitForTheComputesInstalls) {
    rocks_.ok({"set", "attr", "vc_install_timeout", "4h"});  // installs longer than a window
    reserve({"start=2027-02-01T00:00:00Z", "end=2027-03-01T00:00:00Z", "repeat=tue@13:00-14:00"});
    env_["VCLUSTER_FAKE_COMPUTE_PROBES"] = "3";  // done at the 4th look
    std::string out = sync("2027-02-02T11:00:00Z");
    EXPECT_EQ(state(), "installing") << out;
    EXPECT_NE(out.find("waiting for the computes' installs from the frontend (since "
                       "2027-02-02T11:00:00Z, timeout 4h)"),
              std::string::npos)
        << out;
    EXPECT_EQ(domain("vm-server-1-0", "c1-compute-0-0"), "running");
    EXPECT_FALSE(fs::exists(disk("vc-c1-compute-0-0.installed"))) << "snapshot before the install";
    EXPECT_EQ(snapshotRows(), 0);
    // The first window opens and closes while the computes still install:
    // nothing is shut down.
    for (const char* now : {"2027-02-02T14:00:00Z", "2027-02-02T14:10:00Z"}) {
        out = sync(now);
        EXPECT_EQ(state(), "installing") << now << "\n" << out;
        EXPECT_EQ(domain("vm-server-1-0", "c1-compute-0-0"), "running") << now;
    }
    std::string calls = readFile(hosts_ / "vm-server-1-0/state/calls.log");
    EXPECT_EQ(calls.find("virsh shutdown"), std::string::npos) << calls;
    EXPECT_EQ(calls.find("virsh destroy"), std::string::npos) << calls;
    EXPECT_EQ(calls.find("virsh start c1-compute-0-0"), calls.rfind("virsh start c1-compute-0-0"))
        << "the computes are started once:\n"
        << calls;
    out = sync("2027-02-02T14:20:00Z");
    EXPECT_NE(out.find("frontend and computes installed, snapshot 'installed' taken"),
              std::string::npos)
        << out;
    EXPECT_TRUE(fs::exists(disk("vc-c1-compute-0-0.installed")));
    sync("2027-02-02T14:30:00Z");
    EXPECT_EQ(state(), "powered-off");
    EXPECT_EQ(domain("vm-server-1-0", "c1-compute-0-0"), "shut off");
}

// A window's close asks the guests to shut down (ACPI) and stops them hard
// only after vc_shutdown_timeout; both are journalled. The end of the
// reservation keeps the plain power-off.
TEST_F(Phases, AWindowsCloseShutsDownCleanlyAndStopsHardOnlyAfterTheTimeout) {
    reserve({"start=2027-02-02T11:00:00Z", "end=2027-03-01T00:00:00Z", "repeat=tue@13:00-16:00"});
    sync("2027-02-02T11:00:00Z");
    ASSERT_EQ(state(), "active");
    env_["VCLUSTER_FAKE_ACPI"] = "ignore";  // a guest that does not react to the button
    std::string out = sync("2027-02-02T16:00:00Z");
    EXPECT_EQ(state(), "active") << out;
    EXPECT_NE(out.find("window closed at 2027-02-02T16:00:00Z: clean shutdown asked at "
                       "2027-02-02T16:00:00Z, waiting (hard stop after 5m, vc_shutdown_timeout)"),
              std::string::npos)
        << out;
    EXPECT_EQ(out.find("FAILED"), std::string::npos) << out;
    EXPECT_EQ(domain("vm-server-1-0", "c1-compute-0-0"), "running");
    out = sync("2027-02-02T16:04:59Z");
    EXPECT_EQ(state(), "active") << out;
    EXPECT_EQ(domain("gateway-0-0", "c1-frontend"), "running");
    out = sync("2027-02-02T16:05:00Z");
    EXPECT_EQ(state(), "powered-off") << out;
    EXPECT_NE(out.find("VMs stopped hard after 5m (vc_shutdown_timeout)"), std::string::npos)
        << out;
    EXPECT_EQ(domain("gateway-0-0", "c1-frontend"), "shut off");
    EXPECT_EQ(domain("vm-server-1-0", "c1-compute-0-0"), "shut off");
    std::string calls = readFile(hosts_ / "vm-server-1-0/state/calls.log");
    const auto soft = calls.find("virsh shutdown c1-compute-0-0 --mode acpi");
    const auto hard = calls.find("virsh destroy c1-compute-0-0");
    EXPECT_NE(soft, std::string::npos) << calls;
    EXPECT_NE(hard, std::string::npos) << calls;
    EXPECT_LT(soft, hard) << calls;
    {
        auto handle = vcluster::test::openTestDatabase(rocks_.db());
        db::Database& db = *handle;
        std::string steps;
        for (const auto& row :
             db.query("SELECT Host || ' ' || Step || ' ' || State FROM vcluster_journal WHERE "
                      "Transition = 'c1: power-off 2027-02-02T16:00:00Z' AND State = 'done' "
                      "ORDER BY ID")) {
            steps += row.text(0) + "\n";
        }
        EXPECT_EQ(steps,
                  "gateway-0-0 shutdown done\nvm-server-1-0 shutdown done\n"
                  "gateway-0-0 hard-stop done\nvm-server-1-0 hard-stop done\n");
    }
    // The next window: on, then the end comes while it runs: plain power-off.
    sync("2027-02-09T13:00:00Z");
    ASSERT_EQ(state(), "active");
    rocks_.ok({"set", "vcluster", "c1", "end=2027-02-09T14:00:00Z"});
    const auto before = readFile(hosts_ / "vm-server-1-0/state/calls.log").size();
    out = sync("2027-02-09T14:00:00Z");
    EXPECT_EQ(state(), "released") << out;
    calls = readFile(hosts_ / "vm-server-1-0/state/calls.log").substr(before);
    EXPECT_NE(calls.find("virsh destroy c1-compute-0-0"), std::string::npos) << calls;
    EXPECT_EQ(calls.find("virsh shutdown"), std::string::npos) << calls;
}

// The report: a course booked from a Berlin shell was read at other
// hours by processes in other zones. Its windows are now in the site's zone
// (Kickstart_Timezone), stored with it; the syncs below run under three TZs.
TEST_F(Phases, SyncsUnderDifferentTzAgreeOnTheWindowsOfTheReservationsZone) {
    rocks_.ok({"set", "attr", "Kickstart_Timezone", "Europe/Berlin"});
    env_["TZ"] = "Europe/Berlin";
    reserve({"start=2027-05-31T00:00", "end=2027-06-30T00:00", "repeat=tue@13:00-16:00",
             "skip=2027-06-15"});
    // Tuesday 2027-06-01 13:00-16:00 CEST is 11:00-14:00Z (built from 09:00Z).
    env_["TZ"] = "America/New_York";
    std::string out = sync("2027-06-01T11:30:00Z");
    EXPECT_EQ(state(), "active") << out;
    env_["TZ"] = "UTC";
    out = sync("2027-06-01T14:00:00Z");
    EXPECT_EQ(state(), "powered-off") << out;
    EXPECT_NE(out.find("window closed at 2027-06-01T14:00:00Z"), std::string::npos) << out;
    env_["TZ"] = "Asia/Tokyo";
    out = sync("2027-06-08T11:00:00Z");
    EXPECT_NE(out.find("window opened at 2027-06-08T11:00:00Z: VMs on"), std::string::npos) << out;
    sync("2027-06-08T14:00:00Z");
    // The skipped Tuesday stays off; a holiday added later too.
    EXPECT_EQ(sync("2027-06-15T12:00:00Z"), "nothing is due at 2027-06-15T12:00:00Z\n");
    rocks_.ok({"set", "vcluster", "c1", "skip=+2027-06-22"});
    EXPECT_EQ(sync("2027-06-22T12:00:00Z"), "nothing is due at 2027-06-22T12:00:00Z\n");
    EXPECT_EQ(state(), "powered-off");
    out = sync("2027-06-29T11:00:00Z");
    EXPECT_EQ(state(), "active") << out;
}

TEST_F(Phases, AVmwareClusterIsRegisteredStartedAndUnregisteredByTheSamePaths) {
    // VMware Server VMs are registered by path: registering, power and
    // unregistering must name the same .vmx, or the end leaks a registration.
    reserve({"start=2026-12-07T09:00:00Z", "end=2026-12-31T00:00:00Z", "hypervisor=vmware"});
    // The gateway's installer files, which its per-cluster boot CD is made of.
    const std::vector<std::string> installer = {"boot/kickstart/default/vmlinuz-7.0-x86_64",
                                                "boot/kickstart/default/initrd.img-7.0-x86_64",
                                                "usr/share/syslinux/isolinux.bin"};
    for (const auto& f : installer) {
        writeFile(hosts_ / "gateway-0-0" / f, std::string(4096, '\0'));
    }
    std::string out = sync("2026-12-07T09:00:30Z");
    EXPECT_EQ(state(), "active") << out;
    EXPECT_EQ(domain("gateway-0-0", "c1-frontend"), "running") << out;
    EXPECT_EQ(domain("vm-server-1-0", "c1-compute-0-0"), "running") << out;
    std::string registered = readFile(hosts_ / "vm-server-1-0/state/vmware/registered");
    EXPECT_NE(registered.find((hosts_ / "vm-server-1-0").string()), std::string::npos)
        << "registered under the host's root: " << registered;
    out = sync("2026-12-31T00:00:30Z");
    EXPECT_EQ(state(), "released") << out;
    EXPECT_EQ(readFile(hosts_ / "vm-server-1-0/state/vmware/registered"), "");
    EXPECT_EQ(readFile(hosts_ / "gateway-0-0/state/vmware/registered"), "");
    std::vector<std::string> left;
    for (const auto& f : leftovers()) {
        if (f.find("state/vmware/registered") == std::string::npos &&
            std::find(installer.begin(), installer.end(), f.substr(f.find('/') + 1)) ==
                installer.end()) {
            left.push_back(f);
        }
    }
    EXPECT_TRUE(left.empty()) << ::testing::PrintToString(left);
}
