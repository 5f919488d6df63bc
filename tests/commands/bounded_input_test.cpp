// File arguments are read within a small bound and only when they are
// regular files: a device, FIFO or huge file is refused at once, with one
// line, exit 1 and nothing changed.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "support/Keys.h"
#include "support/Process.h"
#include "support/TestDatabase.h"

using namespace vcluster;
using namespace vcluster::test;

namespace {

class BoundedInput : public ::testing::Test {
  protected:
    void SetUp() override {
        auto r = rocks_.loadSampleCluster();
        ASSERT_EQ(r.exitCode, 0) << r.err;
    }
    long long count(const std::string& table) {
        auto handle = vcluster::test::openTestDatabase(rocks_.db());
        db::Database& db = *handle;
        return db.query("SELECT COUNT(*) FROM " + table)[0].integer(0);
    }
    TempDir dir_;
    Rocks rocks_{dir_ / "cluster.db"};
};

}  // namespace

TEST_F(BoundedInput, SshKeyFilesThatAreNotSmallRegularFilesAreRefused) {
    const std::string fifo = (dir_ / "key.fifo").string();
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    const std::string big = (dir_ / "big.pub").string();
    {
        std::ofstream out(big);
        out << sshKeyLine("ssh-ed25519", "t@example.org") << ' ' << std::string(70000, 'x') << "\n";
    }
    const std::map<std::string, std::string> cases = {
        {"/dev/zero", "is not a regular file"},
        {"/dev/urandom", "is not a regular file"},
        {fifo, "is not a regular file"},
        {dir_.path().string(), "is not a regular file"},
        {big, "is larger than 16384 bytes"}};
    for (const auto& [path, why] : cases) {
        auto r = rocks_({"add", "vcluster", "k1", "start=2026-12-07T09:00:00Z",
                         "end=2026-12-31T00:00:00Z", "nodes=1", "sshkey=" + path});
        EXPECT_EQ(r.exitCode, 1) << path;
        EXPECT_EQ(r.err.rfind("error - invalid sshkey: file '" + path + "' " + why, 0), 0U)
            << r.err;
        EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
    }
    EXPECT_EQ(count("vcluster_reservations"), 0);
}

TEST_F(BoundedInput, PasswordFilesThatAreDevicesAreRefused) {
    auto r = rocks_({"add", "vcluster", "user", "carol", "password-file=/dev/zero"});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_EQ(r.err, "error - password file '/dev/zero' is not a regular file\n");
    r = rocks_({"add", "vcluster", "user", "carol", "password-file=/dev/urandom"});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_EQ(count("vcluster_users"), 0);
}
