// SWF trace lines (calendar/SwfTrace.h), as the benchmark reads them from a
// workload archive's file: whatever a line holds, a job comes back only with
// a submit time >= 0, a run time of 1 s to a year and 1 to INT_MAX
// processors, so that the replay's arithmetic (scaled lengths, node counts)
// cannot overflow.
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "calendar/SwfTrace.h"

using namespace vcluster::calendar;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    while (!text.empty()) {
        const std::size_t eol = text.find('\n');
        const std::string_view line = text.substr(0, eol);
        text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
        auto job = parseSwfLine(line);
        if (!job) {
            continue;
        }
        if (job->submit < 0 || job->runtime <= 0 || job->runtime > kSwfMaxRuntime ||
            job->procs <= 0) {
            std::abort();
        }
        // The same line with a newline, as gzgets hands it over, reads the same.
        std::string withNewline(line);
        withNewline += '\n';
        auto again = parseSwfLine(withNewline);
        if (!again || again->submit != job->submit || again->runtime != job->runtime ||
            again->procs != job->procs) {
            std::abort();
        }
    }
    return 0;
}
