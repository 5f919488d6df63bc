// Tenants' node actions (issue 18) through the real `rocks` binary and the
// local executor against the fake hosts: each action is asked with `rocks
// set vcluster node power`, carried out by the next sync, and the fake
// hosts' state is checked after it (the node acted on changed, the others
// not); every refusal changes nothing.
#include <gtest/gtest.h>

#include <filesystem>

#include "support/FakeHosts.h"
#include "support/Keys.h"
#include "support/Process.h"
#include "support/TestDatabase.h"

using namespace vcluster;
using namespace vcluster::test;
namespace fs = std::filesystem;

namespace {

class NodeActions : public ::testing::Test {
  protected:
    void SetUp() override {
        auto r = rocks_.loadSampleCluster();
        ASSERT_EQ(r.exitCode, 0) << r.err;
        writeFile(dir_ / "tenant.pub", sshKeyLine("ssh-ed25519", "tenant@example.org") + "\n");
    }

    void build() {
        auto r = rocks_({"add", "vcluster", "c1", "nodes=2", "memory=1GiB", "disk=10GiB",
                         "sshkey=" + (dir_ / "tenant.pub").string(), "fqdn=c1.example.org",
                         "start=2026-12-07T09:00:00Z", "end=2026-12-31T00:00:00Z"},
                        env_);
        ASSERT_EQ(r.exitCode, 0) << r.err;
        sync("2026-12-07T09:00:30Z");
        ASSERT_EQ(state(), "active");
    }

    std::string sync(const std::string& now) {
        auto r = rocks_({"sync", "vcluster", "now=" + now, "executor=local",
                         "host-root=" + hosts_.string(), "tool-path=" + kFakeHostTools},
                        env_);
        EXPECT_EQ(r.exitCode, 0) << r.out << r.err;
        return r.out;
    }

    ProcessResult ask(const std::string& node, const std::string& action,
                      const std::vector<std::string>& extra = {}) {
        std::vector<std::string> args{"set", "vcluster",        "node", "power", "c1",
                                      node,  "action=" + action};
        args.insert(args.end(), extra.begin(), extra.end());
        return rocks_(args, env_);
    }

    std::string state() {
        auto handle = openTestDatabase(rocks_.db());
        auto row = handle->queryOne(
            "SELECT CASE WHEN Phase <> '' THEN Phase ELSE State END FROM vcluster_reservations "
            "WHERE Name = 'c1'");
        return row ? row->text(0) : "";
    }

    std::int64_t actionRows() {
        auto handle = openTestDatabase(rocks_.db());
        return handle->queryOne("SELECT COUNT(*) FROM vcluster_node_actions")->integer(0);
    }

    // The state and detail of action `id`.
    std::string action(std::int64_t id) {
        auto handle = openTestDatabase(rocks_.db());
        auto row = handle->queryOne(
            "SELECT State, COALESCE(Detail, '') FROM vcluster_node_actions WHERE ID = ?", {id});
        return row ? row->text(0) + ": " + row->text(1) : "";
    }

    std::string host(const std::string& vm) {
        return vm.find("frontend") != std::string::npos ? "gateway-0-0" : "vm-server-1-0";
    }

    std::string domain(const std::string& vm) {
        fs::path f = hosts_ / host(vm) / "state/domain" / vm;
        if (!fs::exists(f)) {
            return "";
        }
        std::string s = readFile(f);
        return s.substr(0, s.find('\n'));
    }

    std::string resets(const std::string& vm) {
        fs::path f = hosts_ / host(vm) / "state/reset" / vm;
        return fs::exists(f) ? readFile(f) : "0\n";
    }

    fs::path disk(const std::string& lv) {
        return hosts_ / "storage-2-0/state/disk/vg_vcluster" / lv;
    }

    std::string nodes() { return rocks_.ok({"list", "vcluster", "node", "c1"}); }

    TempDir dir_;
    Rocks rocks_{dir_ / "cluster.db"};
    fs::path hosts_ = dir_ / "hosts";
    std::map<std::string, std::string> env_{{"TZ", "UTC"}};
};

}  // namespace

TEST_F(NodeActions, ResetOffOnAndReinstallOfAComputeTouchOnlyThatNode) {
    build();
    ASSERT_EQ(domain("c1-compute-0-0"), "running");
    ASSERT_EQ(domain("c1-compute-0-1"), "running");

    auto r = ask("compute-0-1", "reset");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(
        r.out,
        "c1 compute-0-1: reset requested (#1); the next rocks sync vcluster carries it out\n");
    EXPECT_EQ(resets("c1-compute-0-1"), "0\n") << "nothing before the sync";
    std::string out = sync("2026-12-07T10:00:00Z");
    EXPECT_NE(out.find("compute-0-1 reset (#1): reset"), std::string::npos) << out;
    EXPECT_EQ(resets("c1-compute-0-1"), "1\n");
    EXPECT_EQ(resets("c1-compute-0-0"), "0\n");
    EXPECT_EQ(resets("c1-frontend"), "0\n");
    EXPECT_EQ(action(1), "done: reset");
    EXPECT_NE(nodes().find("on    reset done"), std::string::npos) << nodes();

    // The physical database's name of the node is taken too.
    r = ask("c1-compute-0-1", "off");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    sync("2026-12-07T10:01:00Z");
    EXPECT_EQ(domain("c1-compute-0-1"), "shut off");
    EXPECT_EQ(domain("c1-compute-0-0"), "running");
    EXPECT_EQ(domain("c1-frontend"), "running");
    EXPECT_EQ(action(2), "done: shut down cleanly");
    EXPECT_NE(nodes().find("off   off done"), std::string::npos) << nodes();
    // Another sync leaves it off (the cluster is active: no power window undoes it).
    sync("2026-12-07T10:02:00Z");
    EXPECT_EQ(domain("c1-compute-0-1"), "shut off");

    ASSERT_EQ(ask("compute-0-1", "on").exitCode, 0);
    sync("2026-12-07T10:03:00Z");
    EXPECT_EQ(domain("c1-compute-0-1"), "running");
    EXPECT_EQ(action(3), "done: powered on");

    // A reinstall wipes the start of the node's disk only.
    writeFile(disk("vc-c1-compute-0-0"), "compute 0 system\n");
    writeFile(disk("vc-c1-compute-0-1"), "compute 1 system\n");
    ASSERT_EQ(ask("compute-0-1", "reinstall").exitCode, 0);
    out = sync("2026-12-07T10:04:00Z");
    EXPECT_EQ(action(4), "done: disk wiped, booted from the network to install from the frontend")
        << out;
    EXPECT_EQ(readFile(disk("vc-c1-compute-0-1")), "");
    EXPECT_EQ(readFile(disk("vc-c1-compute-0-0")), "compute 0 system\n");
    EXPECT_EQ(domain("c1-compute-0-1"), "running");
    EXPECT_EQ(domain("c1-compute-0-0"), "running");
    EXPECT_EQ(state(), "active");
}

TEST_F(NodeActions, RefusalsChangeNothing) {
    auto r = rocks_({"add", "vcluster", "c1", "nodes=2", "memory=1GiB", "disk=10GiB",
                     "sshkey=" + (dir_ / "tenant.pub").string(), "fqdn=c1.example.org",
                     "start=2026-12-07T09:00:00Z", "end=2026-12-31T00:00:00Z"},
                    env_);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    struct Case {
        std::vector<std::string> args;
        int exit;
        std::string err;
    };
    auto check = [&](const Case& c) {
        auto res = rocks_(c.args, env_);
        EXPECT_EQ(res.exitCode, c.exit) << res.err;
        EXPECT_EQ(res.err, "error - " + c.err + "\n");
        EXPECT_EQ(res.out, "");
        EXPECT_EQ(actionRows(), 0);
    };
    const std::vector<std::string> base{"set", "vcluster", "node", "power"};
    auto with = [&](std::vector<std::string> rest) {
        std::vector<std::string> a = base;
        a.insert(a.end(), rest.begin(), rest.end());
        return a;
    };
    // Not built yet.
    check({with({"c1", "compute-0-0", "action=reset"}), 2,
           "vcluster 'c1' is scheduled, not active: its nodes take actions once it is built and "
           "running"});
    check({with({"nope", "compute-0-0", "action=reset"}), 1, "unknown vcluster 'nope'"});
    check({with({"c1", "compute-0-7", "action=reset"}), 1,
           "vcluster 'c1' has no node 'compute-0-7'"});
    check({with({"c1", "compute-0-0", "action=explode"}), 1,
           "action must be on, off, reset, reinstall, rollback or console, not 'explode'"});
    check({with({"c1", "compute-0-0", "action=reset", "label=x"}), 1,
           "label= is for action=rollback only"});
    check({with({"c1", "compute-0-0", "action=rollback", "label=Bad!"}), 1,
           "label 'Bad!' may only have lower-case letters, digits and '-' (not first)"});
    check({with({"c1", "compute-0-0"}), 1, "missing required parameter action="});

    sync("2026-12-07T09:00:30Z");
    ASSERT_EQ(state(), "active");
    check({with({"c1", "compute-0-0", "action=rollback", "label=none"}), 1,
           "vcluster 'c1' has no snapshot 'none'"});
    ASSERT_EQ(ask("compute-0-0", "reset").exitCode, 0);
    r = ask("compute-0-0", "off");
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_EQ(
        r.err.rfind("error - an action of c1 compute-0-0 is in progress: reset #1 asked by ", 0),
        0U)
        << r.err;
    EXPECT_EQ(actionRows(), 1);
    // Another node may act meanwhile.
    EXPECT_EQ(ask("compute-0-1", "off").exitCode, 0);
}

TEST_F(NodeActions, OffIsCleanThenHardAfterTheShutdownTimeout) {
    build();
    env_["VCLUSTER_FAKE_ACPI"] = "ignore";  // a hung guest
    ASSERT_EQ(ask("compute-0-0", "off").exitCode, 0);
    std::string out = sync("2026-12-07T10:00:00Z");
    EXPECT_NE(out.find("compute-0-0 off (#1): clean shutdown asked at 2026-12-07T10:00:00Z, "
                       "waiting (hard stop after 5m, vc_shutdown_timeout)"),
              std::string::npos)
        << out;
    EXPECT_EQ(domain("c1-compute-0-0"), "running");
    EXPECT_EQ(action(1), "requested: ");
    // Asking again meanwhile is refused: it is in progress.
    EXPECT_EQ(ask("compute-0-0", "on").exitCode, 2);
    sync("2026-12-07T10:03:00Z");
    EXPECT_EQ(domain("c1-compute-0-0"), "running");
    sync("2026-12-07T10:05:00Z");
    EXPECT_EQ(domain("c1-compute-0-0"), "shut off");
    EXPECT_EQ(domain("c1-compute-0-1"), "running");
    EXPECT_EQ(action(1), "done: stopped hard after 5m (vc_shutdown_timeout)");
}

TEST_F(NodeActions, RollbackOfOneNodeReturnsOnlyItsDiskToTheSnapshot) {
    build();
    ASSERT_TRUE(fs::exists(disk("vc-c1-compute-0-0.installed")));
    const std::string installed = readFile(disk("vc-c1-compute-0-0.installed"));
    writeFile(disk("vc-c1-compute-0-0"), "broken\n");
    writeFile(disk("vc-c1-compute-0-1"), "work of compute 1\n");
    writeFile(disk("vc-c1-frontend"), "frontend work\n");
    auto r = ask("compute-0-0", "rollback");
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(r.out,
              "c1 compute-0-0: rollback to 'installed' requested (#1); the next rocks sync "
              "vcluster carries it out\n");
    std::string out = sync("2026-12-07T10:00:00Z");
    EXPECT_EQ(action(1), "done: disk rolled back to snapshot 'installed', started") << out;
    EXPECT_EQ(readFile(disk("vc-c1-compute-0-0")), installed);
    EXPECT_TRUE(fs::exists(disk("vc-c1-compute-0-0.installed"))) << "the snapshot survives";
    EXPECT_EQ(readFile(disk("vc-c1-compute-0-1")), "work of compute 1\n");
    EXPECT_EQ(readFile(disk("vc-c1-frontend")), "frontend work\n");
    EXPECT_EQ(domain("c1-compute-0-0"), "running");
    EXPECT_EQ(domain("c1-compute-0-1"), "running");
    EXPECT_EQ(domain("c1-frontend"), "running");
    // The LUN is back in the target.
    const std::string target =
        readFile(hosts_ / "storage-2-0/state/target" /
                 fs::directory_iterator(hosts_ / "storage-2-0/state/target")->path().filename());
    EXPECT_NE(target.find("vc-c1-compute-0-0>"), std::string::npos) << target;
}

TEST_F(NodeActions, AReinstalledFrontendBootsItsInstallerAndTheClusterInstallsAgain) {
    build();
    writeFile(disk("vc-c1-frontend"), "old frontend\n");
    ASSERT_EQ(ask("frontend", "reinstall").exitCode, 0);
    std::string out = sync("2026-12-07T10:00:00Z");
    EXPECT_EQ(action(1), "done: disk wiped, booted into the installer with its kit") << out;
    EXPECT_EQ(state(), "installing") << out;
    EXPECT_EQ(readFile(disk("vc-c1-frontend")), "");
    EXPECT_EQ(domain("c1-frontend"), "running");
    const fs::path xml = hosts_ / "gateway-0-0/state/domain-xml/c1-frontend";
    EXPECT_NE(readFile(xml).find("<kernel>"), std::string::npos) << "the installer's definition";
    // Not built meanwhile: a node action waits for the install.
    EXPECT_EQ(ask("compute-0-0", "reset").exitCode, 2);
    // The probe sees the installer stop and the frontend publish its marker.
    out = sync("2026-12-07T10:01:00Z");
    EXPECT_EQ(state(), "active") << out;
    EXPECT_EQ(domain("c1-compute-0-0"), "running");
}
