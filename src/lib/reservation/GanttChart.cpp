#include "reservation/GanttChart.h"

#include <libxml/tree.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <memory>

namespace vcluster::reservation {

namespace {

constexpr double kLabelWidth = 150;
constexpr double kPlotWidth = 1000;
constexpr double kRowHeight = 16;
constexpr double kLanePad = 4;
constexpr double kHeader = 50;

const xmlChar* x(const char* s) { return reinterpret_cast<const xmlChar*>(s); }

std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

xmlNodePtr child(xmlNodePtr parent, const char* name,
                 std::initializer_list<std::pair<const char*, std::string>> attrs,
                 const std::string& text = "") {
    xmlNodePtr n = xmlNewChild(parent, nullptr, x(name), nullptr);
    for (const auto& [k, v] : attrs) {
        xmlNewProp(n, x(k), x(v.c_str()));
    }
    if (!text.empty()) {
        xmlNodeAddContent(n, x(text.c_str()));  // escaped by libxml2
    }
    return n;
}

// A stable colour per reservation name.
std::string colour(const std::string& name) {
    auto h = std::hash<std::string>{}(name);
    return "hsl(" + std::to_string(h % 360) + ",60%," + std::to_string(55 + (h / 360) % 20) + "%)";
}

// Greedy interval colouring: the sub-row of each bar.
std::vector<int> subRows(const std::vector<GanttChart::Bar>& bars, int& rows) {
    std::vector<std::size_t> order(bars.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        order[i] = i;
    }
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return bars[a].start < bars[b].start; });
    std::vector<Time> rowEnd;
    std::vector<int> row(bars.size(), 0);
    for (std::size_t i : order) {
        std::size_t r = 0;
        while (r < rowEnd.size() && rowEnd[r] > bars[i].start) {
            ++r;
        }
        if (r == rowEnd.size()) {
            rowEnd.push_back(0);
        }
        rowEnd[r] = bars[i].end;
        row[i] = static_cast<int>(r);
    }
    rows = std::max<int>(1, static_cast<int>(rowEnd.size()));
    return row;
}

Time tickStep(Time span) {
    for (Time step : {Time{3600}, Time{6} * 3600, Time{86400}, Time{7} * 86400, Time{30} * 86400}) {
        if (span / step <= 14) {
            return step;
        }
    }
    return Time{365} * 86400;
}

}  // namespace

std::string renderSvg(const GanttChart& c) {
    const Time span = std::max<Time>(1, c.to - c.from);
    auto xOf = [&](Time t) {
        t = std::clamp(t, c.from, c.to);
        return kLabelWidth +
               kPlotWidth * static_cast<double>(t - c.from) / static_cast<double>(span);
    };
    std::vector<std::vector<int>> rows;
    std::vector<int> rowCounts;
    double height = kHeader;
    for (const auto& lane : c.lanes) {
        int n = 1;
        rows.push_back(subRows(lane.bars, n));
        rowCounts.push_back(n);
        height += n * kRowHeight + kLanePad;
    }
    height += 20;

    std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> doc(xmlNewDoc(x("1.0")), xmlFreeDoc);
    xmlNodePtr svg = xmlNewNode(nullptr, x("svg"));
    xmlDocSetRootElement(doc.get(), svg);
    xmlNsPtr ns = xmlNewNs(svg, x("http://www.w3.org/2000/svg"), nullptr);
    xmlSetNs(svg, ns);
    const double width = kLabelWidth + kPlotWidth + 20;
    xmlNewProp(svg, x("width"), x(num(width).c_str()));
    xmlNewProp(svg, x("height"), x(num(height).c_str()));
    xmlNewProp(svg, x("viewBox"), x(("0 0 " + num(width) + " " + num(height)).c_str()));
    xmlNewProp(svg, x("font-family"), x("sans-serif"));
    xmlNewProp(svg, x("font-size"), x("11"));
    child(svg, "title", {}, c.title);
    child(svg, "rect",
          {{"x", "0"},
           {"y", "0"},
           {"width", num(width)},
           {"height", num(height)},
           {"fill", "white"}});
    child(svg, "text", {{"x", "10"}, {"y", "18"}, {"font-size", "14"}, {"font-weight", "bold"}},
          c.title);

    // Time axis: a grid line and a label per tick.
    const Time step = tickStep(span);
    for (Time t = (c.from / step + 1) * step; t < c.to; t += step) {
        std::string label = formatTime(t).substr(0, step >= 86400 ? 10 : 16);
        child(svg, "line",
              {{"x1", num(xOf(t))},
               {"x2", num(xOf(t))},
               {"y1", num(kHeader - 8)},
               {"y2", num(height - 20)},
               {"stroke", "#ddd"}});
        child(svg, "text", {{"x", num(xOf(t) + 2)}, {"y", num(kHeader - 12)}, {"fill", "#555"}},
              label);
    }

    double y = kHeader;
    for (std::size_t l = 0; l < c.lanes.size(); ++l) {
        const auto& lane = c.lanes[l];
        const double laneHeight = rowCounts[l] * kRowHeight;
        xmlNodePtr g = child(svg, "g", {{"class", lane.group}});
        child(g, "rect",
              {{"x", num(kLabelWidth)},
               {"y", num(y)},
               {"width", num(kPlotWidth)},
               {"height", num(laneHeight)},
               {"fill", l % 2 == 0 ? "#f7f7f7" : "#fff"}});
        child(g, "text", {{"x", "10"}, {"y", num(y + 12)}}, lane.label);
        for (std::size_t b = 0; b < lane.bars.size(); ++b) {
            const auto& bar = lane.bars[b];
            if (bar.end <= c.from || bar.start >= c.to) {
                continue;
            }
            const double bx = xOf(bar.start);
            const double bw = std::max(1.0, xOf(bar.end) - bx);
            const double by = y + rows[l][b] * kRowHeight + 1;
            xmlNodePtr r = child(g, "rect",
                                 {{"x", num(bx)},
                                  {"y", num(by)},
                                  {"width", num(bw)},
                                  {"height", num(kRowHeight - 2)},
                                  {"fill", bar.maintenance ? "#888" : colour(bar.label)},
                                  {"stroke", bar.maintenance ? "#444" : "none"},
                                  {"fill-opacity", bar.maintenance ? "0.5" : "0.9"}});
            child(r, "title", {}, bar.tooltip.empty() ? bar.label : bar.tooltip);
            if (bw > 7.0 * static_cast<double>(bar.label.size())) {
                child(g, "text", {{"x", num(bx + 3)}, {"y", num(by + 11)}, {"fill", "black"}},
                      bar.label);
            }
        }
        y += laneHeight + kLanePad;
    }

    xmlChar* out = nullptr;
    int size = 0;
    xmlDocDumpFormatMemoryEnc(doc.get(), &out, &size, "UTF-8", 1);
    std::string text(reinterpret_cast<const char*>(out), static_cast<std::size_t>(size));
    xmlFree(out);
    return text;
}

}  // namespace vcluster::reservation
