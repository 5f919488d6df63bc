// rocks report vcluster calendar: the table and the SVG Gantt chart.
#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "support/Keys.h"
#include "support/Process.h"

using namespace vcluster::test;

namespace {

class Report : public ::testing::Test {
  protected:
    void SetUp() override {
        auto r = rocks_.loadSampleCluster();
        ASSERT_EQ(r.exitCode, 0) << r.err;
        std::string key = "sshkey=" + sshKeyLine("ssh-ed25519", "t@x");
        rocks_.ok({"add", "vcluster", "dc1", "start=2030-03-04T09:00:00Z",
                   "end=2030-03-31T23:59:59Z", "nodes=16", "memory=2GiB", "disk=20GiB",
                   "owner=provider", key});
        rocks_.ok({"add", "vcluster", "course", "start=2030-03-01T00:00:00Z",
                   "end=2030-04-30T00:00:00Z", "nodes=8", "memory=4GiB",
                   "repeat=tue,thu@13:00-16:00", key});
        rocks_.ok({"add", "host", "maintenance", "vm-server-1-7", "start=2030-03-10T00:00:00Z",
                   "end=2030-03-11T00:00:00Z", "comment=bios<2> & bmc"});
    }
    TempDir dir_;
    Rocks rocks_{dir_ / "cluster.db"};
};

}  // namespace

TEST_F(Report, TableShowsUsedAndFreeCapacityOverTime) {
    std::string out = rocks_.ok({"report", "vcluster", "calendar", "host=vm-server-1-0",
                                 "from=2030-03-04T00:00:00Z", "to=2030-03-05T00:00:00Z"});
    EXPECT_EQ(out.rfind("RESOURCE", 0), 0U) << out;
    EXPECT_NE(out.find("2030-03-04T09:00:00Z"), std::string::npos) << out;
    EXPECT_NE(out.find("vm-server-1-0"), std::string::npos);
    EXPECT_EQ(out.find("vm-server-1-1"), std::string::npos);
    std::string all = rocks_.ok({"report", "vcluster", "calendar", "from=2030-03-04T00:00:00Z",
                                 "to=2030-03-12T00:00:00Z", "output-format=json"});
    EXPECT_NE(all.find("vlan-ids"), std::string::npos);
    EXPECT_NE(all.find("storage-2-0"), std::string::npos);
    // The maintenance day shows the whole host used.
    std::string m = rocks_.ok({"report", "vcluster", "calendar", "host=vm-server-1-7",
                               "from=2030-03-10T00:00:00Z", "to=2030-03-11T00:00:00Z"});
    EXPECT_NE(m.find("128 GiB"), std::string::npos) << m;
    EXPECT_EQ(rocks_({"report", "vcluster", "calendar", "host=nosuch"}).exitCode, 1);
    EXPECT_EQ(rocks_({"report", "vcluster", "calendar", "from=2030-03-04T00:00:00Z",
                      "to=2030-03-01T00:00:00Z"})
                  .exitCode,
              1);
}

TEST_F(Report, SvgIsAWellFormedGanttChart) {
    std::string svg = rocks_.ok({"report", "vcluster", "calendar", "from=2030-03-01T00:00:00Z",
                                 "to=2030-04-01T00:00:00Z", "output-format=svg"});
    xmlDocPtr doc = xmlReadMemory(svg.data(), static_cast<int>(svg.size()), "calendar.svg", nullptr,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR);
    ASSERT_NE(doc, nullptr) << svg.substr(0, 400);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    ASSERT_NE(root, nullptr);
    EXPECT_STREQ(reinterpret_cast<const char*>(root->name), "svg");
    ASSERT_NE(root->ns, nullptr);
    EXPECT_STREQ(reinterpret_cast<const char*>(root->ns->href), "http://www.w3.org/2000/svg");
    int rects = 0;
    for (xmlNodePtr g = root->children; g != nullptr; g = g->next) {
        for (xmlNodePtr n = g->children; n != nullptr; n = n->next) {
            rects += n->type == XML_ELEMENT_NODE &&
                     xmlStrcmp(n->name, reinterpret_cast<const xmlChar*>("rect")) == 0;
        }
    }
    EXPECT_GT(rects, 20);  // lanes + bars of dc1, the course windows, maintenance
    xmlFreeDoc(doc);
    EXPECT_NE(svg.find("vm-server-1-7"), std::string::npos);
    EXPECT_NE(svg.find("maintenance"), std::string::npos);
    EXPECT_NE(svg.find("bios&lt;2&gt; &amp; bmc"), std::string::npos);  // escaped, not pasted
}
