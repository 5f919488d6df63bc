#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "reservation/TimeText.h"

namespace vcluster::reservation {

// A Gantt chart of hosts x time, as a typed model; rendered to SVG by
// renderSvg (libxml2 builds the document, nothing is pasted as text).
struct GanttChart {
    enum class Kind {
        Booking,      // a reservation (its span, or one weekly window)
        Skipped,      // a weekly window on a skipped day (a holiday): drawn hollow
        Maintenance,  // the host is out of service
    };
    struct Bar {
        Time start = 0;
        Time end = 0;
        std::string label;  // its colour key, drawn inside when no caption is given
        std::string tooltip;
        bool maintenance = false;  // = kind Maintenance (kept for callers)
        Kind kind = Kind::Booking;
        std::string caption;  // what is written in the bar ("hpc101 13:00-16:00")
    };
    struct Lane {
        std::string label;  // host name
        std::string group;  // "vm-server", "gateway", "storage"
        std::vector<Bar> bars;
        // How full the host is over time (0..1 of its capacity, the fuller of
        // CPUs and memory, or bytes): steps (from, level), drawn under the lane.
        std::vector<std::pair<Time, double>> fill;
    };
    std::string title;
    Time from = 0;
    Time to = 0;
    std::optional<Time> now;  // drawn as a red line labelled "now" when in range
    std::vector<Lane> lanes;
};

// Overlapping bars of a lane are stacked in sub-rows; times are in UTC. The
// picture has a legend, and everything is drawn inside its canvas (labels
// that do not fit are shortened).
std::string renderSvg(const GanttChart& chart);

}  // namespace vcluster::reservation
