#pragma once

#include <string>
#include <vector>

namespace vcluster::execute {

// One unit of work on one physical host: an idempotent bash script (an
// apply.sh or teardown.sh, or a part of one). Running a step again after it
// was interrupted must be harmless: that is what makes the journal enough for
// crash safety.
struct Step {
    std::string host;       // physical host it runs on
    std::string name;       // e.g. "storage", "network", "frontend-vm", "compute-vms"
    std::string script;     // bash source
    std::string summary{};  // what the step does, for people (dry-run prints it); "" = the script
};

// Steps of one stage run in parallel across hosts; stages run in order
// (storage before networks before the frontend before the computes).
struct Stage {
    std::string name;
    std::vector<Step> steps;
};

// The exit status of a step that says "not yet" (EX_TEMPFAIL), e.g. a probe
// of an install still running: the step is run again by a later sync and
// the reservation does not count it as a failed attempt.
constexpr int kExitNotYet = 75;

struct StepResult {
    int exitCode = 0;
    std::string output;  // stdout
    std::string error;   // stderr (kept for the failure report)
};

}  // namespace vcluster::execute
