#include "util/Clock.h"

namespace vcluster {

std::string utcNow(const char* format) {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::size_t n = std::strftime(buf, sizeof buf, format, &tm);
    return {buf, n};
}

}  // namespace vcluster
