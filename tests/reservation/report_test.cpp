// rocks report vcluster calendar: the table and the SVG Gantt chart.
#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <png.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <set>

#include "support/Keys.h"
#include "support/Process.h"

using namespace vcluster::test;
namespace fs = std::filesystem;

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

namespace {

double attr(xmlNodePtr n, const char* name, double fallback = 0) {
    xmlChar* v = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
    if (v == nullptr) {
        return fallback;
    }
    double d = std::strtod(reinterpret_cast<const char*>(v), nullptr);
    xmlFree(v);
    return d;
}

std::string content(xmlNodePtr n) {
    xmlChar* v = xmlNodeGetContent(n);
    std::string s = v != nullptr ? reinterpret_cast<const char*>(v) : "";
    xmlFree(v);
    return s;
}

// Every element under `n`, depth first.
void walk(xmlNodePtr n, const std::function<void(xmlNodePtr)>& visit) {
    for (xmlNodePtr c = n->children; c != nullptr; c = c->next) {
        if (c->type == XML_ELEMENT_NODE) {
            visit(c);
            walk(c, visit);
        }
    }
}

}  // namespace

// The picture a teacher reads: a course with its window hours, a skipped
// week, each host's fill level, labelled maintenance, a legend and "now";
// rendered to PNG by librsvg (rsvg-convert) and looked at as pixels.
TEST_F(Report, TheCalendarPictureShowsWhatATeacherNeedsAndRendersInsideItsCanvas) {
    std::string key = "sshkey=" + sshKeyLine("ssh-ed25519", "t@x");
    rocks_.ok({"remove", "vcluster", "dc1", "course"});  // one course, as a teacher sees it
    rocks_.ok({"add", "vcluster", "hpc101", "start=2030-02-25T00:00:00Z",
               "end=2030-04-01T00:00:00Z", "nodes=4", "memory=4GiB", "repeat=wed@13:00-16:00",
               "tz=Europe/Berlin", "skip=2030-03-13", key});
    const fs::path svgFile = dir_ / "calendar.svg";
    auto r = rocks_({"report", "vcluster", "calendar", "from=2030-03-04T00:00:00Z",
                     "to=2030-03-18T00:00:00Z", "output-format=svg"},
                    {{"VCLUSTER_NOW", "2030-03-09T12:00:00Z"}});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    writeFile(svgFile, r.out);

    xmlDocPtr doc = xmlReadMemory(r.out.data(), static_cast<int>(r.out.size()), "calendar.svg",
                                  nullptr, XML_PARSE_NONET);
    ASSERT_NE(doc, nullptr);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    const double width = attr(root, "width");
    const double height = attr(root, "height");
    std::vector<std::string> texts;
    std::vector<std::string> outside;
    walk(root, [&](xmlNodePtr n) {
        const std::string name = reinterpret_cast<const char*>(n->name);
        const double x = attr(n, "x");
        const double y = attr(n, "y");
        if (name == "text") {
            const std::string t = content(n);
            texts.push_back(t);
            // 11px sans-serif: at most ~6.2px a character.
            if (x < 0 || y < 0 || y > height || x + 6.2 * static_cast<double>(t.size()) > width) {
                outside.push_back("text '" + t + "' at " + std::to_string(x));
            }
        } else if (name == "rect") {
            if (x < 0 || y < 0 || x + attr(n, "width") > width + 0.05 ||
                y + attr(n, "height") > height + 0.05) {
                outside.push_back("rect at " + std::to_string(x) + "," + std::to_string(y));
            }
        } else if (name == "line") {
            for (const char* a : {"x1", "x2"}) {
                if (attr(n, a) < 0 || attr(n, a) > width) {
                    outside.push_back("line");
                }
            }
            for (const char* a : {"y1", "y2"}) {
                if (attr(n, a) < 0 || attr(n, a) > height) {
                    outside.push_back("line");
                }
            }
        }
    });
    xmlFreeDoc(doc);
    EXPECT_TRUE(outside.empty()) << ::testing::PrintToString(outside);
    auto has = [&](const std::string& want) {
        return std::any_of(texts.begin(), texts.end(),
                           [&](const std::string& t) { return t.find(want) != std::string::npos; });
    };
    // Wednesdays 13:00-16:00 in Berlin, labelled with their hours; the
    // skipped one; the maintenance with its reason; the fill; legend; now.
    EXPECT_TRUE(has("hpc101 13:00-16:00")) << ::testing::PrintToString(texts);
    EXPECT_TRUE(has("skipped 2030-03-13")) << ::testing::PrintToString(texts);
    EXPECT_TRUE(has("maintenance: bios<2> & bmc")) << ::testing::PrintToString(texts);
    EXPECT_TRUE(has("% full"));
    EXPECT_TRUE(has("skipped (holiday)"));
    EXPECT_TRUE(has("maintenance"));
    EXPECT_TRUE(has("fill level"));
    EXPECT_TRUE(has("now"));
    EXPECT_NE(r.out.find("class=\"fill\""), std::string::npos);

    // Rendered by librsvg: a PNG of the canvas's size that is not blank
    // (many non-white pixels, and the colours of bars, maintenance and now).
    const fs::path png = dir_ / "calendar.png";
    auto render = runProcess({"rsvg-convert", "-f", "png", "-o", png.string(), svgFile.string()});
    ASSERT_EQ(render.exitCode, 0) << render.err;
    png_image image{};
    image.version = PNG_IMAGE_VERSION;
    ASSERT_NE(png_image_begin_read_from_file(&image, png.string().c_str()), 0) << image.message;
    image.format = PNG_FORMAT_RGB;
    std::vector<unsigned char> pixels(PNG_IMAGE_SIZE(image));
    ASSERT_NE(png_image_finish_read(&image, nullptr, pixels.data(), 0, nullptr), 0)
        << image.message;
    EXPECT_EQ(image.width, static_cast<unsigned>(width));
    EXPECT_EQ(image.height, static_cast<unsigned>(height));
    std::size_t inked = 0;
    std::size_t red = 0;
    std::set<std::uint32_t> colours;
    for (std::size_t i = 0; i + 2 < pixels.size(); i += 3) {
        const unsigned char pr = pixels[i], pg = pixels[i + 1], pb = pixels[i + 2];
        if (pr < 240 || pg < 240 || pb < 240) {
            ++inked;
        }
        if (pr > 180 && pg < 60 && pb < 60) {
            ++red;  // the "now" line and the skipped outline
        }
        colours.insert((std::uint32_t{pr} << 16) | (std::uint32_t{pg} << 8) | pb);
    }
    const std::size_t total = pixels.size() / 3;
    EXPECT_GT(inked, total / 20) << "at least 5% of the picture is drawn";
    EXPECT_GT(red, 20U);
    EXPECT_GT(colours.size(), 20U);
    // A copy kept for people (build/artifacts, like the portal's screenshot).
    std::error_code ec;
    fs::create_directories(fs::path(VCLUSTER_BINARY_DIR) / "artifacts", ec);
    fs::copy_file(png, fs::path(VCLUSTER_BINARY_DIR) / "artifacts/calendar.png",
                  fs::copy_options::overwrite_existing, ec);
}
