// The generated tgt configuration loaded by a real tgtd on loopback (with a
// private control port), then checked with libiscsi's clients: the right
// CHAP credentials see exactly the cluster's LUNs with the right sizes;
// another cluster's credentials, none, a wrong password, and an initiator
// outside the ACL are refused. Teardown removes target and account.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

#include "Fixtures.h"
#include "materialise/Generator.h"
#include "support/Process.h"

using namespace vcluster;
using namespace vcluster::materialise;
namespace fs = std::filesystem;

namespace {

// tgtd in the foreground, killed (and its control sockets removed) however
// the test ends.
class Tgtd {
  public:
    Tgtd(const fs::path& log, int controlPort, int iscsiPort)
        : controlPort_(controlPort), iscsiPort_(iscsiPort) {
        pid_ = fork();
        if (pid_ == 0) {
            FILE* out = std::freopen(log.c_str(), "w", stdout);
            (void)out;
            dup2(fileno(stdout), fileno(stderr));
            std::string control = std::to_string(controlPort);
            std::string portal = "portal=127.0.0.1:" + std::to_string(iscsiPort);
            execlp("tgtd", "tgtd", "-f", "-C", control.c_str(), "--iscsi", portal.c_str(),
                   static_cast<char*>(nullptr));
            _exit(127);
        }
    }
    ~Tgtd() {
        if (pid_ > 0) {
            kill(pid_, SIGKILL);
            int status = 0;
            waitpid(pid_, &status, 0);
        }
        std::error_code ec;
        for (const char* suffix : {"", ".lock"}) {
            fs::remove("/var/run/tgtd/socket." + std::to_string(controlPort_) + suffix, ec);
        }
    }
    bool waitReady() const {
        for (int i = 0; i < 50; ++i) {
            auto r = test::runProcess(
                {"tgtadm", "-C", std::to_string(controlPort_), "--mode", "system", "--op", "show"});
            if (r.exitCode == 0) {
                return true;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return false;
    }
    std::string show() const {
        return test::runProcess({"tgtadm", "-C", std::to_string(controlPort_), "--lld", "iscsi",
                                 "--mode", "target", "--op", "show"})
            .out;
    }
    std::string accounts() const {
        return test::runProcess({"tgtadm", "-C", std::to_string(controlPort_), "--lld", "iscsi",
                                 "--mode", "account", "--op", "show"})
            .out;
    }
    int iscsiPort() const { return iscsiPort_; }
    int controlPort() const { return controlPort_; }

  private:
    pid_t pid_ = -1;
    int controlPort_;
    int iscsiPort_;
};

struct Cluster {
    Materialisation m;
    fs::path storageDir;
};

Cluster makeCluster(const test::TempDir& dir, const std::string& name, int vlan, int computes,
                    int port, const std::string& initiatorAddress) {
    auto plan = test::samplePlan(name, vlan, computes);
    for (auto& h : plan.site.hosts) {
        h.address = h.name == "storage-2-0" ? "127.0.0.1" : initiatorAddress;
    }
    plan.storage.portalPort = port;
    plan.frontend.diskBytes = 16ULL << 20;
    for (std::size_t i = 0; i < plan.computes.size(); ++i) {
        plan.computes[i].diskBytes = (8ULL + 4 * i) << 20;
    }
    Cluster c{resolve(plan, {}), dir / name};
    // LUNs backed by sparse files instead of logical volumes.
    for (auto& node : c.m.nodes) {
        for (auto& disk : node.disks) {
            disk.backingStore = (dir / (disk.logicalVolume + ".img")).string();
            test::writeFile(disk.backingStore, "");
            fs::resize_file(disk.backingStore, disk.bytes);
        }
    }
    auto hosts = generateHosts(c.m);
    hostTree(hosts.at("storage-2-0")).writeTo(c.storageDir);
    return c;
}

test::ProcessResult runScript(const Cluster& c, const std::string& script, const Tgtd& tgtd,
                              const fs::path& root) {
    return test::runProcess({"bash", (c.storageDir / script).string()},
                            {{"VCLUSTER_SECTIONS", "target"},
                             {"VCLUSTER_ROOT", root.string()},
                             {"VCLUSTER_TGT_CONTROL_PORT", std::to_string(tgtd.controlPort())}});
}

std::string url(const Tgtd& tgtd, const std::string& user, const std::string& secret,
                const std::string& rest = "") {
    std::string auth = user.empty() ? "" : user + (secret.empty() ? "" : "%" + secret) + "@";
    return "iscsi://" + auth + "127.0.0.1:" + std::to_string(tgtd.iscsiPort()) + "/" + rest;
}

// The LUN numbers and sizes (bytes) iscsi-readcapacity16 reports for a
// target, or an empty list when the login is refused.
std::vector<std::pair<int, std::uint64_t>> lunSizes(const Tgtd& tgtd, const Cluster& target,
                                                    const std::string& user,
                                                    const std::string& secret) {
    std::vector<std::pair<int, std::uint64_t>> out;
    for (int lun = 1; lun <= 8; ++lun) {
        auto r =
            test::runProcess({"iscsi-readcapacity16", "-s",
                              url(tgtd, user, secret, target.m.iqn + "/" + std::to_string(lun))});
        if (r.exitCode == 0) {
            out.emplace_back(lun, std::stoull(r.out));
        }
    }
    return out;
}

}  // namespace

TEST(Tgtd, GeneratedTargetsEnforceChapAndAcl) {
    if (geteuid() != 0 || test::runProcess({"sh", "-c", "command -v tgtd"}).exitCode != 0) {
        GTEST_SKIP() << "needs root and tgtd";
    }
    std::mt19937 rng(std::random_device{}());
    const int port = 20000 + static_cast<int>(rng() % 20000);
    const int control = 2000 + static_cast<int>(rng() % 6000);
    test::TempDir dir;
    Tgtd tgtd(dir / "tgtd.log", control, port);
    ASSERT_TRUE(tgtd.waitReady()) << test::readFile(dir / "tgtd.log");
    const fs::path root = dir / "root";

    Cluster a = makeCluster(dir, "alpha", 100, 2, port, "127.0.0.1");
    Cluster b = makeCluster(dir, "beta", 101, 1, port, "127.0.0.1");
    Cluster outside = makeCluster(dir, "gamma", 102, 1, port, "127.0.0.2");
    for (const Cluster* c : {&a, &b, &outside}) {
        auto r = runScript(*c, "apply.sh", tgtd, root);
        ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
    }
    EXPECT_EQ(
        fs::status(root / "etc/tgt/conf.d/vcluster-alpha.conf").permissions() & fs::perms::all,
        fs::perms::owner_read | fs::perms::owner_write);
    // Idempotent: a second apply succeeds and changes nothing.
    const std::string loaded = tgtd.show();
    for (const Cluster* c : {&a, &b, &outside}) {
        auto r = runScript(*c, "apply.sh", tgtd, root);
        ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
    }
    EXPECT_EQ(tgtd.show(), loaded);

    // The right credentials: exactly the cluster's LUNs, with their sizes.
    using Luns = std::vector<std::pair<int, std::uint64_t>>;
    EXPECT_EQ(lunSizes(tgtd, a, a.m.chap.user, a.m.chap.secret),
              (Luns{{1, 16ULL << 20}, {2, 8ULL << 20}, {3, 12ULL << 20}}));
    EXPECT_EQ(lunSizes(tgtd, b, b.m.chap.user, b.m.chap.secret),
              (Luns{{1, 16ULL << 20}, {2, 8ULL << 20}}));
    // Discovery shows the targets whose ACL admits this initiator.
    auto listing = test::runProcess({"iscsi-ls", url(tgtd, "", "")});
    EXPECT_NE(listing.out.find("Target:" + a.m.iqn + " "), std::string::npos) << listing.out;
    EXPECT_NE(listing.out.find("Target:" + b.m.iqn + " "), std::string::npos) << listing.out;
    // Refused: another cluster's credentials, none, a wrong password.
    EXPECT_TRUE(lunSizes(tgtd, a, b.m.chap.user, b.m.chap.secret).empty());
    EXPECT_TRUE(lunSizes(tgtd, b, a.m.chap.user, a.m.chap.secret).empty());
    EXPECT_TRUE(lunSizes(tgtd, a, "", "").empty());
    EXPECT_TRUE(lunSizes(tgtd, a, a.m.chap.user, a.m.chap.secret + "x").empty());
    EXPECT_TRUE(lunSizes(tgtd, a, a.m.chap.user, "WrongPassword123").empty());
    // Refused: right credentials from an initiator outside the ACL.
    EXPECT_TRUE(lunSizes(tgtd, outside, outside.m.chap.user, outside.m.chap.secret).empty());
    auto discovery = test::runProcess({"iscsi-ls", url(tgtd, "", "")});
    EXPECT_EQ(discovery.out.find(outside.m.iqn), std::string::npos) << discovery.out;

    // Teardown, twice: targets and CHAP accounts gone, the rest untouched.
    for (int round = 0; round < 2; ++round) {
        auto r = runScript(a, "teardown.sh", tgtd, root);
        ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
    }
    EXPECT_EQ(tgtd.show().find(a.m.iqn), std::string::npos);
    EXPECT_NE(tgtd.show().find(b.m.iqn), std::string::npos);
    EXPECT_EQ(tgtd.accounts().find(a.m.chap.user), std::string::npos);
    EXPECT_NE(tgtd.accounts().find(b.m.chap.user), std::string::npos);
    EXPECT_FALSE(fs::exists(root / "etc/tgt/conf.d/vcluster-alpha.conf"));
    EXPECT_EQ(lunSizes(tgtd, b, b.m.chap.user, b.m.chap.secret).size(), 2u);
    for (const Cluster* c : {&b, &outside}) {
        auto r = runScript(*c, "teardown.sh", tgtd, root);
        ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
    }
    EXPECT_EQ(tgtd.show(), "");
}

// A teardown after a half-done apply (target created, account never bound)
// still cleans up.
TEST(Tgtd, TeardownAfterPartialApply) {
    if (geteuid() != 0 || test::runProcess({"sh", "-c", "command -v tgtd"}).exitCode != 0) {
        GTEST_SKIP() << "needs root and tgtd";
    }
    std::mt19937 rng(std::random_device{}());
    const int port = 20000 + static_cast<int>(rng() % 20000);
    const int control = 2000 + static_cast<int>(rng() % 6000);
    test::TempDir dir;
    Tgtd tgtd(dir / "tgtd.log", control, port);
    ASSERT_TRUE(tgtd.waitReady());
    Cluster a = makeCluster(dir, "alpha", 100, 1, port, "127.0.0.1");
    const std::string c = std::to_string(control);
    test::runProcess({"tgtadm", "-C", c, "--lld", "iscsi", "--mode", "target", "--op", "new",
                      "--tid", "1", "-T", a.m.iqn});
    ASSERT_NE(tgtd.show().find(a.m.iqn), std::string::npos);
    auto r = runScript(a, "teardown.sh", tgtd, dir / "root");
    ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
    EXPECT_EQ(tgtd.show(), "");
}
