// What an appliance gets: the graph walk in kickstart order, and the
// appliances the database is seeded with all root in this roll's graph.
#include <gtest/gtest.h>

#include "RollFixture.h"
#include "cluster/Appliances.h"
#include "db/Schema.h"
#include "db/SqliteDatabase.h"
#include "roll/ApplianceGraph.h"
#include "util/Error.h"

namespace vcluster::test {
namespace {

using Names = std::vector<std::string>;

Names names(const std::vector<roll::WalkStep>& steps) {
    Names out;
    for (const auto& s : steps) {
        out.push_back(s.node);
    }
    return out;
}

TEST(RollWalk, AVmServerGetsItsNodesInKickstartOrder) {
    auto tree = roll::RollTree::load(VCLUSTER_SOURCE_DIR);
    auto steps = tree.walk("default", "vcluster-vm-server");
    EXPECT_EQ(names(steps),
              (Names{"client", "vcluster-base", "vcluster-network", "vcluster-iscsi-initiator",
                     "vcluster-kvm", "vcluster-vmware", "vcluster-vm-server"}));
    EXPECT_EQ(steps[4].conditions, "cond=\"vc_default_hypervisor == 'kvm'\"");
    EXPECT_EQ(steps[0].file, nullptr);  // Rocks' base roll
    ASSERT_NE(steps[1].file, nullptr);
    EXPECT_EQ(steps[1].file->where.file, "nodes/vcluster-base.xml");
    EXPECT_EQ(steps[1].parent, "vcluster-vm-server");
    EXPECT_EQ(steps.back().parent, "");
}

TEST(RollWalk, StorageGetsTheTargetButNoHypervisor) {
    auto tree = roll::RollTree::load(VCLUSTER_SOURCE_DIR);
    EXPECT_EQ(names(tree.walk("default", "vcluster-storage")),
              (Names{"client", "vcluster-base", "vcluster-iscsi-target", "vcluster-storage"}));
}

TEST(RollWalk, TheFrontendGetsTheManagerSide) {
    auto tree = roll::RollTree::load(VCLUSTER_SOURCE_DIR);
    auto steps = tree.walk("default", "server");
    EXPECT_EQ(names(steps), (Names{"server", "vcluster-base", "vcluster-server",
                                   "vcluster-virtual-frontend", "vcluster-server-db-data"}));
    // A virtual frontend this roll builds (its site.attrs say so) gets only
    // the node that finishes its install; a physical one the manager side.
    EXPECT_EQ(steps[1].conditions, "cond=\"vc_virtual_frontend != 'yes'\"");
    EXPECT_EQ(steps[3].conditions, "cond=\"vc_virtual_frontend == 'yes'\"");
}

TEST(RollWalk, OrdersWinOverDepthFirstOrderAndHeadTailAnchor) {
    TempDir dir;
    const char* empty = "<?xml version=\"1.0\"?>\n<kickstart/>\n";
    for (const char* n : {"a", "b", "c", "d", "e"}) {
        writeFile(dir / ("nodes/" + std::string(n) + ".xml"), empty);
    }
    writeFile(dir / "graphs/default/g.xml", R"(<graph>
  <edge from="a"><to>b</to><to>c</to><to>d</to><to>e</to></edge>
  <edge from="c" to="b" cond="x"/>
  <order head="c" tail="b"/>
  <order head="TAIL" tail="d"/>
  <order head="e" tail="HEAD"/>
</graph>
)");
    auto tree = roll::RollTree::load(dir.path());
    auto steps = tree.walk("default", "a");
    EXPECT_EQ(names(steps), (Names{"e", "a", "c", "b", "d"}));
    EXPECT_EQ(steps[3].parent, "a");  // the first edge that reached it
}

TEST(RollWalk, UnknownGraphOrRootIsAnError) {
    auto tree = roll::RollTree::load(VCLUSTER_SOURCE_DIR);
    EXPECT_THROW(tree.walk("nope", "vcluster-storage"), Error);
    EXPECT_THROW(tree.walk("default", "vcluster-nope"), Error);
}

TEST(RollWalk, EveryApplianceOfTheDatabaseRootsInTheRoll) {
    TempDir dir;
    db::SqliteDatabase db((dir / "cluster.db").string());
    db::migrate(db);
    auto appliances = AppliancePool(db).list();
    auto tree = roll::RollTree::load(VCLUSTER_SOURCE_DIR);
    ASSERT_EQ(appliances.size(), 5U);
    for (const auto& a : appliances) {
        auto g = roll::walkAppliance(tree, appliances, a.name);
        ASSERT_FALSE(g.steps.empty()) << a.name;
        EXPECT_EQ(g.steps.back().node == a.node || g.steps.front().node == a.node, true) << a.name;
    }
    // ...and the roll registers its appliances exactly as the database has them.
    for (const auto& decl : tree.appliances()) {
        auto it = std::find_if(appliances.begin(), appliances.end(),
                               [&](const Appliance& a) { return a.name == decl.name; });
        ASSERT_NE(it, appliances.end()) << decl.name;
        EXPECT_EQ(it->membership, decl.membership);
        EXPECT_EQ(it->node, decl.node);
        EXPECT_EQ(it->graph, decl.graph);
        EXPECT_EQ(it->isPublic ? "yes" : "no", decl.isPublic);
    }
    EXPECT_THROW(roll::walkAppliance(tree, appliances, "nas"), Error);
}

}  // namespace
}  // namespace vcluster::test
