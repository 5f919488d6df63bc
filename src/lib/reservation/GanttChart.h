#pragma once

#include <string>
#include <vector>

#include "reservation/TimeText.h"

namespace vcluster::reservation {

// A Gantt chart of hosts x time, as a typed model; rendered to SVG by
// renderSvg (libxml2 builds the document, nothing is pasted as text).
struct GanttChart {
    struct Bar {
        Time start = 0;
        Time end = 0;
        std::string label;  // drawn inside the bar when it fits, and as its tooltip
        std::string tooltip;
        bool maintenance = false;
    };
    struct Lane {
        std::string label;  // host name
        std::string group;  // "vm-server", "gateway", "storage"
        std::vector<Bar> bars;
    };
    std::string title;
    Time from = 0;
    Time to = 0;
    std::vector<Lane> lanes;
};

// Overlapping bars of a lane are stacked in sub-rows; times are in UTC.
std::string renderSvg(const GanttChart& chart);

}  // namespace vcluster::reservation
