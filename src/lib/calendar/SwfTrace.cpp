#include "calendar/SwfTrace.h"

#include <charconv>
#include <climits>

namespace vcluster::calendar {

std::optional<SwfJob> parseSwfLine(std::string_view line) {
    if (!line.empty() && line.front() == ';') {
        return std::nullopt;
    }
    // The fields up to the 9th; what follows them is not read. (sscanf's %lld
    // read them before: a value out of range is undefined behaviour there,
    // and a processor count past INT_MAX became a negative int.)
    std::int64_t f[9];
    std::size_t n = 0;
    std::size_t at = 0;
    auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (n < 9) {
        while (at < line.size() && blank(line[at])) {
            ++at;
        }
        if (at == line.size()) {
            break;
        }
        std::size_t end = at;
        while (end < line.size() && !blank(line[end])) {
            ++end;
        }
        const char* first = line.data() + at;
        const char* last = line.data() + end;
        auto [ptr, ec] = std::from_chars(first, last, f[n]);
        if (ec != std::errc() || ptr != last) {
            return std::nullopt;
        }
        ++n;
        at = end;
    }
    if (n < 9) {
        return std::nullopt;
    }
    const std::int64_t runtime = f[3] > 0 ? f[3] : f[8];
    const std::int64_t procs = f[4] > 0 ? f[4] : f[7];
    if (f[1] < 0 || runtime <= 0 || runtime > kSwfMaxRuntime || procs <= 0 || procs > INT_MAX) {
        return std::nullopt;
    }
    return SwfJob{f[1], runtime, static_cast<int>(procs)};
}

}  // namespace vcluster::calendar
