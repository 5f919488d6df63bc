// The RELAX NG schemas accept what Rocks' own node and graph files contain
// and reject what Rocks' kickstart generator would not understand.
#include <gtest/gtest.h>

#include <regex>

#include "RollFixture.h"

namespace vcluster::test {
namespace {

// Written for this test in the style of Rocks' base roll node files: every
// construct kpp/kgen understand (main, pre with eval, post with file/var/eval,
// attribute entities, arch/os/cond conditionals, interface=public).
const char* kRocksStyleNode = R"(<?xml version="1.0" standalone="no"?>

<kickstart interface="public">
  <description>
  A node file using the whole kickstart grammar.
  </description>
  <copyright>Copyright (c) the authors.</copyright>
  <changelog>
  $Log$
  </changelog>

<main>
  <lang>&Kickstart_Lang;</lang>
  <timezone>--utc &Kickstart_Timezone;</timezone>
  <url> --url http://&Kickstart_PrivateKickstartHost;/&Kickstart_PrivateKickstartBasedir;/&distribution;/&arch; </url>
  <interactive/>
</main>

  <package>tcsh</package>
  <package arch="x86_64,i386">glibc.i686</package>
  <package os="linux" cond="x11">@base</package>
  <package type="meta">development</package>

<pre>
cat &gt; /tmp/keys &lt;&lt; 'END'
<eval shell="python">
print('key')
</eval>
END
</pre>

<post os="linux" interpreter="/opt/rocks/bin/python" arg="--nochroot">
print("hello")
</post>

<post cond="appliance != 'devel-server'">
<eval mode="xml">
/opt/rocks/bin/rocks report dbhost
</eval>
<file name="/etc/motd" mode="append" vars="expanded">
Rocks &version; (&release;) on &hostname;
</file>
<file name="/etc/exports" perms="0644" owner="root.root">
/export <var name="Kickstart_PrivateNetwork"/>/<var name="Kickstart_PrivateNetmask"/>(rw)
</file>
</post>

</kickstart>
)";

const char* kRocksStyleGraph = R"(<?xml version="1.0" standalone="no"?>
<graph>
  <description>All the shapes of edge and order.</description>
  <changelog>none</changelog>
  <order tail="HEAD"><head>vcluster-test</head></order>
  <order head="TAIL"><tail>vcluster-last</tail></order>
  <order head="database-data" tail="vcluster-test"/>
  <edge from="server" to="vcluster-test"/>
  <edge from="server" cond="vcluster_enabled"><to os="linux">vcluster-last</to></edge>
  <edge to="vcluster-last"><from arch="x86_64">client</from></edge>
  <edge from="client" to="vcluster-test" gen="kgen"/>
</graph>
)";

const char* kEmptyNode = "<?xml version=\"1.0\"?>\n<kickstart>\n</kickstart>\n";

struct Tree {
    TempDir dir;
    Tree() {
        writeFile(dir / "nodes/vcluster-test.xml", kRocksStyleNode);
        writeFile(dir / "nodes/vcluster-last.xml", kEmptyNode);
        writeFile(dir / "graphs/default/test.xml", kRocksStyleGraph);
    }
    std::vector<roll::Problem> check() const { return roll::RollTree::load(dir.path()).check(); }
};

TEST(RollSchema, AcceptsTheConstructsOfRealRocksNodeAndGraphFiles) {
    Tree tree;
    auto problems = tree.check();
    EXPECT_TRUE(problems.empty()) << describe(problems);
}

TEST(RollSchema, ReadsAllEdgeShapes) {
    Tree tree;
    auto loaded = roll::RollTree::load(tree.dir.path());
    const auto& g = loaded.graphs().at("default");
    ASSERT_EQ(g.edges.size(), 4U);
    EXPECT_EQ(g.edges[1].from, "server");
    EXPECT_EQ(g.edges[1].to, "vcluster-last");
    EXPECT_EQ(g.edges[1].conditions, "cond=\"vcluster_enabled\" os=\"linux\"");
    EXPECT_EQ(g.edges[2].from, "client");
    EXPECT_EQ(g.edges[2].to, "vcluster-last");
    ASSERT_EQ(g.orders.size(), 3U);
    EXPECT_EQ(g.orders[0].head, "vcluster-test");
    EXPECT_EQ(g.orders[0].tail, "HEAD");
}

TEST(RollSchema, KeepsEntitiesAsTextAndSectionsAsWritten) {
    Tree tree;
    auto loaded = roll::RollTree::load(tree.dir.path());
    const auto& node = loaded.nodes().at("vcluster-test");
    ASSERT_EQ(node.packages.size(), 4U);
    EXPECT_EQ(node.packages[1].name, "glibc.i686");
    EXPECT_EQ(node.packages[1].conditions, "arch=\"x86_64,i386\"");
    ASSERT_EQ(node.sections.size(), 4U);
    EXPECT_EQ(node.sections[0].kind, "main");
    EXPECT_NE(node.sections[0].body.find("&Kickstart_Lang;"), std::string::npos);
    const auto& post = node.sections[3];
    EXPECT_EQ(post.conditions, "cond=\"appliance != 'devel-server'\"");
    EXPECT_NE(post.body.find("<file name=\"/etc/motd\" mode=\"append\" vars=\"expanded\">"),
              std::string::npos)
        << post.body;
    EXPECT_NE(post.body.find("<var name=\"Kickstart_PrivateNetwork\"/>"), std::string::npos);
    EXPECT_NE(post.body.find("Rocks &version; (&release;)"), std::string::npos);
}

struct Garbage {
    const char* what;
    const char* from;
    const char* to;
};

// Names the case in test listings (instead of the struct's bytes).
void PrintTo(const Garbage& garbage, std::ostream* out) { *out << garbage.what; }

class RollSchemaRejects : public ::testing::TestWithParam<Garbage> {};

TEST_P(RollSchemaRejects, Garbage) {
    Tree tree;
    std::string text = kRocksStyleNode;
    text.replace(text.find(GetParam().from), std::string(GetParam().from).size(), GetParam().to);
    writeFile(tree.dir / "nodes/vcluster-test.xml", text);
    auto problems = tree.check();
    ASSERT_FALSE(problems.empty()) << GetParam().what;
    EXPECT_EQ(problems[0].where.file, "nodes/vcluster-test.xml");
    EXPECT_NE(problems[0].message.find("schema"), std::string::npos) << describe(problems);
}

INSTANTIATE_TEST_SUITE_P(
    NodeFiles, RollSchemaRejects,
    ::testing::Values(Garbage{"UnknownElement", "<package>tcsh</package>", "<rpm>tcsh</rpm>"},
                      Garbage{"TwoPackagesInOne", "<package>tcsh</package>",
                              "<package>tcsh bash</package>"},
                      Garbage{"UnknownFileMode", "mode=\"append\"", "mode=\"prepend\""},
                      Garbage{"RelativeFileName", "name=\"/etc/exports\"", "name=\"exports\""},
                      Garbage{"ElementInsideAPost", "print(\"hello\")", "<script>x</script>"},
                      Garbage{"BadInterface", "interface=\"public\"", "interface=\"both\""},
                      Garbage{"NestedRoot", "<kickstart interface=\"public\">",
                              "<kickstart interface=\"public\"><kickstart/>"}),
    [](const ::testing::TestParamInfo<Garbage>& info) { return std::string(info.param.what); });

TEST(RollSchema, XmllintAgreesOnEveryFileOfTheRoll) {
    namespace fs = std::filesystem;
    std::string schemas = std::string(VCLUSTER_SOURCE_DIR) + "/graphs/schema/";
    std::string graph = std::string(VCLUSTER_SOURCE_DIR) + "/graphs/default/vcluster.xml";
    auto r = runProcess({"xmllint", "--noout", "--relaxng", schemas + "graph.rng", graph});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    // Node files after the same entity handling as the checker (see kickstart.rng).
    const std::regex entity("&([A-Za-z_][A-Za-z0-9_.-]*);");
    for (const auto& entry : fs::directory_iterator(fs::path(VCLUSTER_SOURCE_DIR) / "nodes")) {
        std::string text = std::regex_replace(readFile(entry.path()), entity, "&amp;$1;");
        r = runProcess({"xmllint", "--noout", "--relaxng", schemas + "kickstart.rng", "-"}, {},
                       text);
        EXPECT_EQ(r.exitCode, 0) << entry.path() << ": " << r.err;
    }
    TempDir dir;
    writeFile(dir / "bad.xml", "<graph><edge from=\"a\" bogus=\"1\"/></graph>\n");
    r = runProcess(
        {"xmllint", "--noout", "--relaxng", schemas + "graph.rng", (dir / "bad.xml").string()});
    EXPECT_NE(r.exitCode, 0);
}

}  // namespace
}  // namespace vcluster::test
