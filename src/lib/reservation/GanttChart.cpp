#include "reservation/GanttChart.h"

#include <libxml/tree.h>

#include <algorithm>
#include <cmath>
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
constexpr double kFillHeight = 8;  // the fill-level strip under each lane
constexpr double kLegendHeight = 40;
constexpr double kCharWidth = 6.2;  // of the 11px sans-serif text, generously

// `text` cut to fit `width` pixels ("..." when cut; empty when nothing fits).
std::string fitted(const std::string& text, double width) {
    const auto chars = static_cast<std::size_t>(std::max(0.0, width / kCharWidth));
    if (text.size() <= chars) {
        return text;
    }
    return chars < 4 ? std::string() : text.substr(0, chars - 3) + "...";
}

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
        height += n * kRowHeight + kFillHeight + kLanePad;
    }
    const double legendTop = height + 8;
    height = legendTop + kLegendHeight;

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
          fitted(c.title, width / 1.3 - 20));

    // Time axis: a grid line and a label per tick (the last one only when
    // its label fits in the canvas).
    const Time step = tickStep(span);
    for (Time t = (c.from / step + 1) * step; t < c.to; t += step) {
        std::string label = formatTime(t).substr(0, step >= 86400 ? 10 : 16);
        child(svg, "line",
              {{"x1", num(xOf(t))},
               {"x2", num(xOf(t))},
               {"y1", num(kHeader - 8)},
               {"y2", num(legendTop - 8)},
               {"stroke", "#ddd"}});
        child(svg, "text", {{"x", num(xOf(t) + 2)}, {"y", num(kHeader - 12)}, {"fill", "#555"}},
              fitted(label, width - xOf(t) - 4));
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
               {"height", num(laneHeight + kFillHeight)},
               {"fill", l % 2 == 0 ? "#f7f7f7" : "#fff"}});
        double peak = 0;
        for (const auto& [t, level] : lane.fill) {
            peak = std::max(peak, level);
        }
        child(g, "text", {{"x", "10"}, {"y", num(y + 12)}}, fitted(lane.label, kLabelWidth - 14));
        if (!lane.fill.empty()) {
            child(g, "text",
                  {{"x", "10"},
                   {"y", num(y + 12 + kFillHeight)},
                   {"font-size", "9"},
                   {"fill", "#555"}},
                  "peak " + std::to_string(std::lround(peak * 100)) + "% full");
        }
        for (std::size_t b = 0; b < lane.bars.size(); ++b) {
            const auto& bar = lane.bars[b];
            if (bar.end <= c.from || bar.start >= c.to) {
                continue;
            }
            const bool maintenance = bar.maintenance || bar.kind == GanttChart::Kind::Maintenance;
            const bool skipped = bar.kind == GanttChart::Kind::Skipped;
            const double bx = xOf(bar.start);
            const double bw = std::max(1.0, xOf(bar.end) - bx);
            const double by = y + rows[l][b] * kRowHeight + 1;
            xmlNodePtr r = child(g, "rect",
                                 {{"x", num(bx)},
                                  {"y", num(by)},
                                  {"width", num(bw)},
                                  {"height", num(kRowHeight - 2)},
                                  {"fill", maintenance ? "#888"
                                           : skipped   ? "white"
                                                       : colour(bar.label)},
                                  {"stroke", maintenance ? "#444"
                                             : skipped   ? "#c00"
                                                         : "none"},
                                  {"stroke-dasharray", skipped ? "3,2" : "none"},
                                  {"fill-opacity", maintenance ? "0.5" : "0.9"}});
            child(r, "title", {}, bar.tooltip.empty() ? bar.label : bar.tooltip);
            // The caption inside the bar, or, for a narrow one (a weekly
            // window), right of it up to the next bar of its sub-row.
            const std::string& full = bar.caption.empty() ? bar.label : bar.caption;
            double room = kLabelWidth + kPlotWidth - bx;
            for (std::size_t o = 0; o < lane.bars.size(); ++o) {
                if (rows[l][o] == rows[l][b] && lane.bars[o].start >= bar.end &&
                    lane.bars[o].start < c.to) {
                    room = std::min(room, xOf(lane.bars[o].start) - bx);
                }
            }
            const bool inside = bw - 5 >= kCharWidth * static_cast<double>(full.size());
            const std::string caption = fitted(full, inside ? bw - 5 : room - 5);
            if (!caption.empty()) {
                child(g, "text",
                      {{"x", num(bx + 3)},
                       {"y", num(by + 11)},
                       {"fill", skipped ? "#c00" : "black"},
                       {"class", inside ? "caption" : "caption beside"}},
                      caption);
            }
        }
        // The fill level: a bar per step, its height the share of the host in use.
        const double fy = y + laneHeight;
        for (std::size_t i = 0; i < lane.fill.size(); ++i) {
            const Time from = std::max(lane.fill[i].first, c.from);
            const Time to = i + 1 < lane.fill.size() ? lane.fill[i + 1].first : c.to;
            const double level = std::clamp(lane.fill[i].second, 0.0, 1.0);
            if (to <= from || level <= 0) {
                continue;
            }
            const double h = (kFillHeight - 1) * level;
            child(g, "rect",
                  {{"x", num(xOf(from))},
                   {"y", num(fy + kFillHeight - h)},
                   {"width", num(std::max(0.5, xOf(to) - xOf(from)))},
                   {"height", num(h)},
                   {"class", "fill"},
                   {"fill", level > 0.9   ? "#d33"
                            : level > 0.6 ? "#e90"
                                          : "#4a4"}});
        }
        y += laneHeight + kFillHeight + kLanePad;
    }

    if (c.now && *c.now >= c.from && *c.now <= c.to) {
        const double nx = xOf(*c.now);
        child(svg, "line",
              {{"x1", num(nx)},
               {"x2", num(nx)},
               {"y1", num(kHeader - 30)},
               {"y2", num(legendTop - 8)},
               {"stroke", "#d00"},
               {"stroke-width", "1.5"}});
        const double lx = std::min(nx + 3, width - 4 * kCharWidth);
        child(svg, "text",
              {{"x", num(lx)}, {"y", num(kHeader - 22)}, {"fill", "#d00"}, {"font-weight", "bold"}},
              "now");
    }

    // The legend.
    xmlNodePtr legend = child(svg, "g", {{"class", "legend"}});
    double lx = 10;
    const double ly = legendTop + 10;
    auto entry = [&](const std::string& text,
                     std::initializer_list<std::pair<const char*, std::string>> style) {
        xmlNodePtr swatch = child(
            legend, "rect", {{"x", num(lx)}, {"y", num(ly)}, {"width", "18"}, {"height", "10"}});
        for (const auto& [k, v] : style) {
            xmlNewProp(swatch, x(k), x(v.c_str()));
        }
        child(legend, "text", {{"x", num(lx + 22)}, {"y", num(ly + 9)}}, text);
        lx += 22 + kCharWidth * static_cast<double>(text.size()) + 16;
    };
    entry("reservation (weekly: one bar per window, its hours)", {{"fill", colour("hpc101")}});
    entry("skipped (holiday)",
          {{"fill", "white"}, {"stroke", "#c00"}, {"stroke-dasharray", "3,2"}});
    entry("maintenance", {{"fill", "#888"}, {"fill-opacity", "0.5"}, {"stroke", "#444"}});
    entry("fill level (green/orange/red)", {{"fill", "#4a4"}});
    entry("now", {{"fill", "#d00"}});
    child(legend, "text", {{"x", "10"}, {"y", num(ly + 26)}, {"fill", "#555"}},
          "times on the axis are UTC; window hours are in each reservation's time zone");

    xmlChar* out = nullptr;
    int size = 0;
    xmlDocDumpFormatMemoryEnc(doc.get(), &out, &size, "UTF-8", 1);
    std::string text(reinterpret_cast<const char*>(out), static_cast<std::size_t>(size));
    xmlFree(out);
    return text;
}

}  // namespace vcluster::reservation
