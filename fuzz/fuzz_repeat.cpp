// Weekly repeat specs (repeat=).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "reservation/WeeklyRepeat.h"
#include "util/Error.h"

using namespace vcluster;
using namespace vcluster::reservation;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    try {
        WeeklyRepeat r = parseWeeklyRepeat(text);
        // Its own wording parses to the same wording.
        std::string again = parseWeeklyRepeat(r.text()).text();
        if (again != r.text()) {
            std::abort();
        }
    } catch (const Error&) {
    }
    return 0;
}
