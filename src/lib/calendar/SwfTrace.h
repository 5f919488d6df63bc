#pragma once

// The Standard Workload Format (Feitelson's Parallel Workloads Archive): one
// job a line, 18 whitespace-separated integer fields, ';' comment lines. The
// benchmark replays such traces as bookings.
#include <cstdint>
#include <optional>
#include <string_view>

namespace vcluster::calendar {

struct SwfJob {
    std::int64_t submit = 0;   // seconds from the trace's start, >= 0
    std::int64_t runtime = 0;  // seconds, 1 .. kSwfMaxRuntime
    int procs = 0;             // processors, 1 .. INT_MAX
};

// The longest run time taken (a year): a trace's run times are scaled and
// added to times later, which must not overflow.
inline constexpr std::int64_t kSwfMaxRuntime = 366LL * 86400;

// One line: the job it describes, or nothing for a comment, a blank or short
// line, and a job that cannot be replayed (no run time or processors, a
// negative submit time, a field that is not a decimal integer or does not
// fit). Fields used: 2 (submit time), 4 (run time; 9, the requested time,
// when missing) and 5 (allocated processors; 8, requested, when missing).
std::optional<SwfJob> parseSwfLine(std::string_view line);

}  // namespace vcluster::calendar
