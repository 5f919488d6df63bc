// Times, durations and sizes as typed on a command line or sent to the portal.
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>

#include "reservation/TimeText.h"
#include "util/Error.h"

using namespace vcluster;
using namespace vcluster::reservation;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static bool utc = (setenv("TZ", "UTC", 1), true);
    (void)utc;
    std::string text(reinterpret_cast<const char*>(data), size);
    std::optional<Time> t;
    try {
        t = parseTime(text, "start");
    } catch (const Error&) {
    }
    if (t) {
        // What we print, we read back as the same instant (never an Error).
        if (parseTime(formatTime(*t), "start") != *t) {
            std::abort();
        }
    }
    try {
        if (parseDuration(text, "duration") <= 0) {
            std::abort();  // documented: > 0
        }
    } catch (const Error&) {
    }
    try {
        std::int64_t mib = parseSizeMiB(text, "memory");
        if (mib < 0) {
            std::abort();
        }
        (void)formatSizeMiB(mib);
    } catch (const Error&) {
    }
    return 0;
}
