// The roll commands, run through the real `rocks` binary.
#include <gtest/gtest.h>

#include "RollFixture.h"

namespace vcluster::test {
namespace {

const std::string kSource = VCLUSTER_SOURCE_DIR;

TEST(RollCommands, ReportRollCheckPassesOnTheRepository) {
    TempDir dir;
    Rocks rocks(dir / "cluster.db");
    std::string out = rocks.ok({"report", "roll", "check", "dir=" + kSource});
    EXPECT_NE(out.find("12 node files, 3 appliances"), std::string::npos) << out;
    EXPECT_NE(out.find("no problems"), std::string::npos) << out;
}

TEST(RollCommands, ReportRollCheckFindsTheInstalledRollInTheBuildTree) {
    TempDir dir;
    Rocks rocks(dir / "cluster.db");
    std::string out = rocks.ok({"report", "roll", "check"});
    EXPECT_NE(out.find("share/vcluster"), std::string::npos) << out;
}

TEST(RollCommands, ReportRollCheckPrintsFileAndLineAndFails) {
    RollCopy roll;
    roll.replace("graphs/default/vcluster.xml", "to=\"vcluster-kvm\"", "to=\"vcluster-kvvm\"");
    long line = roll.lineOf("graphs/default/vcluster.xml", "vcluster-kvvm");
    TempDir dir;
    Rocks rocks(dir / "cluster.db");
    auto r = rocks({"report", "roll", "check", "dir=" + roll.path().string()});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_NE(r.out.find("graphs/default/vcluster.xml:" + std::to_string(line) +
                         ": edge vcluster-gateway -> vcluster-kvvm"),
              std::string::npos)
        << r.out;
    EXPECT_EQ(r.err.rfind("error - ", 0), 0U) << r.err;
    EXPECT_NE(r.err.find("problem(s)"), std::string::npos) << r.err;
}

TEST(RollCommands, ListApplianceGraphShowsTheWalk) {
    TempDir dir;
    Rocks rocks(dir / "cluster.db");
    std::string out = rocks.ok({"list", "appliance", "graph", "vm-server", "dir=" + kSource});
    ASSERT_EQ(countLines(out), 8U) << out;
    EXPECT_EQ(out.rfind("ORDER NODE", 0), 0U) << out;
    auto base = out.find("vcluster-base");
    auto kvm = out.find("vcluster-kvm");
    auto root = out.find("vcluster-vm-server ");
    EXPECT_LT(base, kvm);
    EXPECT_NE(out.find("qemu-kvm,libvirt"), std::string::npos) << out;
    EXPECT_NE(root, std::string::npos);

    std::string json =
        rocks.ok({"list", "appliance", "graph", "storage", "dir=" + kSource, "output-format=json"});
    EXPECT_NE(json.find("\"node\":\"vcluster-iscsi-target\""), std::string::npos) << json;
}

TEST(RollCommands, ListApplianceGraphOfAnUnknownApplianceIsAnError) {
    TempDir dir;
    Rocks rocks(dir / "cluster.db");
    auto r = rocks({"list", "appliance", "graph", "toaster", "dir=" + kSource});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_NE(r.err.find("error - no appliance 'toaster'"), std::string::npos) << r.err;
}

TEST(RollCommands, ReportApplianceKickstartShowsPackagesAndPostSections) {
    TempDir dir;
    Rocks rocks(dir / "cluster.db");
    std::string out = rocks.ok({"report", "appliance", "kickstart", "storage", "dir=" + kSource});
    EXPECT_NE(out.find("# appliance storage (membership Storage)"), std::string::npos) << out;
    EXPECT_NE(out.find("# 1. client -- a node of Rocks' own rolls"), std::string::npos) << out;
    EXPECT_NE(out.find("<package>scsi-target-utils</package>"), std::string::npos) << out;
    EXPECT_NE(out.find("/sbin/vgcreate &vc_volume_group;"), std::string::npos) << out;
    EXPECT_NE(out.find("if ! /sbin/vgs &vc_volume_group; > /dev/null 2>&1; then"),
              std::string::npos)
        << out;
    EXPECT_LT(out.find("vcluster-iscsi-target.xml"), out.find("vcluster-storage.xml"));
}

}  // namespace
}  // namespace vcluster::test
