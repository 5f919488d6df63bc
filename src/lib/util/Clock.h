#pragma once

#include <ctime>
#include <string>

namespace vcluster {

// The current time in UTC, formatted with strftime's `format`
// (default ISO 8601, "2026-11-25T12:00:00Z"): for records and log lines.
std::string utcNow(const char* format = "%Y-%m-%dT%H:%M:%SZ");

}  // namespace vcluster
