#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vcluster::reservation {

// Seconds since the Unix epoch, UTC. Every instant the calendar handles.
using Time = std::int64_t;

// ISO 8601: YYYY-MM-DD[(T| )HH:MM[:SS]][Z|+HH:MM|-HH:MM|+HHMM]. Without an
// offset the time is wall-clock time in `zone` (an IANA name: a
// reservation's time zone), or without a zone the manager's local time (TZ),
// as an admin types it. Throws Error naming `what`.
Time parseTime(std::string_view text, std::string_view what, const std::string& zone = {});

// The current time; $VCLUSTER_NOW (ISO 8601) overrides it, for tests and
// rehearsals of a schedule.
Time currentTime();

// ISO 8601 UTC with a Z, e.g. 2026-12-01T09:00:00Z.
std::string formatTime(Time t);

// A duration such as 90m, 12h, 30d, 2w or plain seconds; > 0.
Time parseDuration(std::string_view text, std::string_view what);

// A size in MiB: a number with an optional MiB/GiB/TiB suffix (M/G/T also
// accepted); a bare number is MiB. Throws Error naming `what`.
std::int64_t parseSizeMiB(std::string_view text, std::string_view what);

// "2048 MiB" / "20 GiB" when exact, for messages and listings.
std::string formatSizeMiB(std::int64_t mib);

}  // namespace vcluster::reservation
