// The commands over a materialised cluster, through the real `rocks`.
#include <gtest/gtest.h>

#include <filesystem>

#include "Fixtures.h"
#include "materialise/MaterialisationPool.h"
#include "support/Process.h"

using namespace vcluster;
using namespace vcluster::materialise;

namespace {

Materialisation materialiseInto(const std::filesystem::path& path) {
    auto db = test::sampleDatabase(path.string());
    MaterialisationPool pool(*db);
    pool.materialise(test::samplePlan("beta", 201, 1));
    return pool.materialise(test::samplePlan("alpha", 100, 3));
}

}  // namespace

// `rocks list vcluster node` goes from the reservation to the materialised
// rows: tests/lifecycle/sync_test.cpp covers it through the real flow.

TEST(VclusterCommands, ReportPlanAndTree) {
    test::TempDir dir;
    materialiseInto(dir / "c.db");
    test::Rocks rocks(dir / "c.db");
    std::string plan = rocks.ok({"report", "vcluster", "alpha"});
    EXPECT_NE(plan.find("storage-2-0"), std::string::npos) << plan;
    EXPECT_NE(plan.find("LV vg_vcluster/vc-alpha-compute-0-2"), std::string::npos) << plan;
    EXPECT_NE(plan.find("VM alpha-compute-0-1"), std::string::npos) << plan;
    rocks.ok({"report", "vcluster", "alpha", "dir=" + (dir / "tree").string()});
    EXPECT_TRUE(std::filesystem::exists(dir / "tree/vm-server-1-2/apply.sh"));
    EXPECT_TRUE(std::filesystem::exists(dir / "tree/gateway-0-0/files/kit/alpha/site.attrs"));
    EXPECT_FALSE(std::filesystem::exists(dir / "tree/vm-server-1-3"));
}

TEST(VclusterCommands, ReportHostConfig) {
    test::TempDir dir;
    materialiseInto(dir / "c.db");
    test::Rocks rocks(dir / "c.db");
    std::string storage = rocks.ok({"report", "host", "vcluster", "config", "storage-2-0"});
    EXPECT_NE(storage.find("vcluster alpha: storage-2-0/apply.sh (mode 0755)"), std::string::npos);
    EXPECT_NE(storage.find("vcluster beta: storage-2-0/files/tgt/vcluster-beta.conf (mode 0600)"),
              std::string::npos);
    std::string one =
        rocks.ok({"report", "host", "vcluster", "config", "vm-server-1-0", "vcluster=alpha"});
    EXPECT_NE(one.find("alpha-compute-0-0.xml"), std::string::npos);
    EXPECT_EQ(one.find("vcluster beta"), std::string::npos);
    auto none = rocks({"report", "host", "vcluster", "config", "vm-server-1-3"});
    EXPECT_NE(none.exitCode, 0);
    auto help = rocks({"help", "report", "vcluster"});
    EXPECT_EQ(help.exitCode, 0);
}

TEST(VclusterCommands, ReportHostConfigRedactsChapSecretsUnlessAsked) {
    test::TempDir dir;
    const std::string secret = materialiseInto(dir / "c.db").chap.secret;
    test::Rocks rocks(dir / "c.db");
    ASSERT_FALSE(secret.empty());
    for (const std::string host : {"storage-2-0", "vm-server-1-0"}) {
        std::string shown = rocks.ok({"report", "host", "vcluster", "config", host});
        EXPECT_EQ(shown.find(secret), std::string::npos) << host;
        EXPECT_NE(shown.find("<chap-secret:redacted>"), std::string::npos) << host;
    }
    std::string asked =
        rocks.ok({"report", "host", "vcluster", "config", "storage-2-0", "secrets=yes"});
    EXPECT_NE(asked.find(secret), std::string::npos) << "root asked for them";
}
