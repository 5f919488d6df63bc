// The roll checker: the real roll passes; each kind of breakage is reported
// with its file and line.
#include "roll/RollTree.h"

#include <gtest/gtest.h>

#include "RollFixture.h"
#include "util/Error.h"

namespace vcluster::test {
namespace {

TEST(RollCheck, TheRollInTheRepositoryHasNoProblems) {
    auto tree = roll::RollTree::load(VCLUSTER_SOURCE_DIR);
    auto problems = tree.check();
    EXPECT_TRUE(problems.empty()) << describe(problems);
    EXPECT_EQ(tree.nodes().size(), 12U);
    ASSERT_EQ(tree.graphs().count("default"), 1U);
    EXPECT_FALSE(tree.graphs().at("default").edges.empty());
}

TEST(RollCheck, TheRollRegistersItsThreeAppliancesTheRocksWay) {
    auto tree = roll::RollTree::load(VCLUSTER_SOURCE_DIR);
    auto decls = tree.appliances();
    ASSERT_EQ(decls.size(), 3U);
    EXPECT_EQ(decls[0].name, "gateway");
    EXPECT_EQ(decls[0].membership, "Gateway");
    EXPECT_EQ(decls[0].node, "vcluster-gateway");
    EXPECT_EQ(decls[0].isPublic, "yes");
    EXPECT_EQ(decls[1].name, "vm-server");
    EXPECT_EQ(decls[1].membership, "VM Server");
    EXPECT_EQ(decls[2].node, "vcluster-storage");
    EXPECT_EQ(decls[0].where.file, "nodes/vcluster-server-db-data.xml");
}

TEST(RollCheck, MalformedXmlIsReportedAtItsLine) {
    RollCopy roll;
    roll.replace("nodes/vcluster-kvm.xml", "<package>libvirt</package>",
                 "<package>libvirt</pakage>");
    long line = roll.lineOf("nodes/vcluster-kvm.xml", "</pakage>");
    auto problems = roll.check();
    EXPECT_TRUE(hasProblem(problems, "nodes/vcluster-kvm.xml", line, "not well-formed"))
        << describe(problems);
    EXPECT_EQ(problems.size(), 1U) << describe(problems);
}

// Found by fuzz/fuzz_roll_xml.cpp (fuzz/regressions/fuzz-roll-xml/): libxml2
// says of bytes that are not UTF-8 "Input is not proper UTF-8, indicate
// encoding !\nBytes: 0xED ...", two lines, and a name written "a&#10;b"
// keeps its line break; `rocks report roll check` prints one problem a line.
TEST(RollCheck, EveryProblemIsOneLine) {
    RollCopy roll;
    roll.replace("nodes/vcluster-kvm.xml", "<package>libvirt</package>",
                 "<package>libvirt\xed\xed\xed\xed</package>");
    roll.replace("graphs/default/vcluster.xml", "<edge from=\"vcluster-storage\">",
                 "<edge from=\"vcluster-storage\"><to>no&#10;such</to></edge>\n"
                 "<edge from=\"vcluster-storage\">");
    auto problems = roll.check();
    EXPECT_TRUE(hasProblem(problems, "nodes/vcluster-kvm.xml",
                           roll.lineOf("nodes/vcluster-kvm.xml", "<package>libvirt"),
                           "not proper UTF-8"))
        << describe(problems);
    EXPECT_TRUE(hasProblem(problems, "graphs/default/vcluster.xml",
                           roll.lineOf("graphs/default/vcluster.xml", "no&#10;such"), "no such"))
        << describe(problems);
    for (const auto& p : problems) {
        EXPECT_EQ(p.text().find_first_of("\r\n"), std::string::npos) << p.text();
    }
}

TEST(RollCheck, SchemaViolationsAreReportedAtTheirLine) {
    RollCopy roll;
    roll.replace("nodes/vcluster-storage.xml", "<package>lvm2</package>",
                 "<packages>lvm2</packages>");
    roll.replace("graphs/default/vcluster.xml", "<edge from=\"vcluster-storage\">",
                 "<edge from=\"vcluster-storage\" weight=\"3\">");
    auto problems = roll.check();
    EXPECT_TRUE(hasProblem(problems, "nodes/vcluster-storage.xml",
                           roll.lineOf("nodes/vcluster-storage.xml", "<packages>"), "schema"))
        << describe(problems);
    EXPECT_TRUE(hasProblem(problems, "graphs/default/vcluster.xml",
                           roll.lineOf("graphs/default/vcluster.xml", "weight="), "schema"))
        << describe(problems);
}

TEST(RollCheck, AnEdgeToAMissingNodeIsReported) {
    RollCopy roll;
    roll.replace("graphs/default/vcluster.xml", "<to>vcluster-iscsi-target</to>",
                 "<to>vcluster-iscsi-targett</to>");
    auto problems = roll.check();
    long line = roll.lineOf("graphs/default/vcluster.xml", "vcluster-iscsi-targett");
    EXPECT_TRUE(hasProblem(problems, "graphs/default/vcluster.xml", line,
                           "no node file 'vcluster-iscsi-targett'"))
        << describe(problems);
}

TEST(RollCheck, NodesOfRocksBaseRollAreNotMissing) {
    auto problems = roll::RollTree::load(VCLUSTER_SOURCE_DIR).check();
    for (const auto& p : problems) {
        EXPECT_EQ(p.message.find("'client'"), std::string::npos) << p.text();
        EXPECT_EQ(p.message.find("'server'"), std::string::npos) << p.text();
    }
}

TEST(RollCheck, EdgeCyclesAreReportedWithThePath) {
    RollCopy roll;
    roll.replace("graphs/default/vcluster.xml", "</graph>",
                 "<edge from=\"vcluster-kvm\" to=\"vcluster-vm-server\"/>\n</graph>");
    auto problems = roll.check();
    // Reported once, at the edge the depth-first search closes the cycle with:
    // it enters at vcluster-gateway -> vcluster-kvm, so it is vm-server -> kvm.
    long line =
        roll.lineOf("graphs/default/vcluster.xml",
                    "<edge from=\"vcluster-vm-server\" cond=\"vc_default_hypervisor == 'kvm'\"");
    EXPECT_TRUE(hasProblem(problems, "graphs/default/vcluster.xml", line,
                           "edge cycle: vcluster-kvm -> vcluster-vm-server -> vcluster-kvm"))
        << describe(problems);
    EXPECT_EQ(problems.size(), 1U) << describe(problems);
}

TEST(RollCheck, OrderCyclesAreReported) {
    RollCopy roll;
    roll.replace("graphs/default/vcluster.xml", "</graph>",
                 "<order head=\"vcluster-storage\" tail=\"vcluster-base\"/>\n</graph>");
    auto problems = roll.check();
    long line = roll.lineOf("graphs/default/vcluster.xml", "<order head=\"vcluster-storage\"");
    EXPECT_TRUE(hasProblem(problems, "graphs/default/vcluster.xml", line, "order cycle"))
        << describe(problems);
}

TEST(RollCheck, ANodeFileNoApplianceReachesIsReported) {
    RollCopy roll;
    roll.write("nodes/vcluster-orphan.xml",
               "<?xml version=\"1.0\" standalone=\"no\"?>\n\n<kickstart>\n"
               "<package>tcsh</package>\n</kickstart>\n");
    auto problems = roll.check();
    EXPECT_TRUE(hasProblem(problems, "nodes/vcluster-orphan.xml", 3, "in no appliance"))
        << describe(problems);
    EXPECT_EQ(problems.size(), 1U) << describe(problems);
}

TEST(RollCheck, RemovingTheEdgeToANodeMakesItUnreachable) {
    RollCopy roll;
    roll.replace("graphs/default/vcluster.xml", "<to>vcluster-iscsi-target</to>", "");
    auto problems = roll.check();
    EXPECT_TRUE(hasProblem(problems, "nodes/vcluster-iscsi-target.xml", 3, "in no appliance"))
        << describe(problems);
}

TEST(RollCheck, UnknownRocksAttributesAreReported) {
    RollCopy roll;
    roll.replace("nodes/vcluster-base.xml", "&Kickstart_PrivateHostname;",
                 "&Kickstart_PrivateHostame;");
    auto problems = roll.check();
    long line = roll.lineOf("nodes/vcluster-base.xml", "Hostame");
    EXPECT_TRUE(hasProblem(problems, "nodes/vcluster-base.xml", line,
                           "unknown Rocks attribute &Kickstart_PrivateHostame;"))
        << describe(problems);
}

TEST(RollCheck, AnApplianceNamingAMissingNodeIsReported) {
    RollCopy roll;
    roll.replace("nodes/vcluster-server-db-data.xml", "node='vcluster-storage'",
                 "node='vcluster-storge'");
    auto problems = roll.check();
    long line = roll.lineOf("nodes/vcluster-server-db-data.xml", "add appliance storage");
    EXPECT_TRUE(hasProblem(problems, "nodes/vcluster-server-db-data.xml", line,
                           "appliance 'storage' names node 'vcluster-storge'"))
        << describe(problems);
    // ...and the real storage node is then in no appliance.
    EXPECT_TRUE(hasProblem(problems, "nodes/vcluster-storage.xml", 3, "in no appliance"))
        << describe(problems);
}

TEST(RollCheck, ProblemsAreSortedByFileAndLine) {
    RollCopy roll;
    roll.replace("graphs/default/vcluster.xml", "<to>vcluster-network</to>", "<to>nope-b</to>");
    roll.replace("graphs/default/vcluster.xml", "<to>vcluster-base</to>", "<to>nope-a</to>");
    auto problems = roll.check();
    ASSERT_GE(problems.size(), 2U);
    EXPECT_TRUE(std::is_sorted(problems.begin(), problems.end(), [](const auto& a, const auto& b) {
        return std::tie(a.where.file, a.where.line) < std::tie(b.where.file, b.where.line);
    }));
}

TEST(RollCheck, ADirectoryWithoutNodesIsAnError) {
    TempDir empty;
    EXPECT_THROW(roll::RollTree::load(empty.path()), Error);
}

}  // namespace
}  // namespace vcluster::test
