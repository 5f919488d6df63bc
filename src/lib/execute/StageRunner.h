#pragma once

#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "execute/Executor.h"
#include "execute/Step.h"

namespace vcluster::execute {

// Where each step's start and end are recorded before and after it runs, so
// a run killed at any point can be resumed: a step recorded as done is not
// run again; one that started but did not finish is run again (steps are
// idempotent).
class StepJournal {
  public:
    virtual ~StepJournal() = default;
    virtual bool isDone(const std::string& transition, const Step& step) = 0;
    virtual void started(const std::string& transition, const Step& step) = 0;
    virtual void finished(const std::string& transition, const Step& step,
                          const StepResult& result) = 0;
};

// Shows progress: one line per host and a bar for the whole run on a
// terminal, plain log lines otherwise. Each call writes its text in one
// piece (std::osyncstream), so an executor that prints to the same stream
// from another thread (dry-run) never interleaves with it or races on it.
class Progress {
  public:
    Progress(std::ostream& out, bool terminal) : out_(out), terminal_(terminal) {}
    void begin(const std::string& transition, std::size_t totalSteps);
    void stepStarted(const Step& step);
    void stepFinished(const Step& step, const StepResult& result, bool skipped);
    void end();

  private:
    void redraw(std::ostream& out);
    std::ostream& out_;
    bool terminal_;
    std::string transition_;
    std::size_t total_ = 0;
    std::size_t finished_ = 0;
    std::vector<std::pair<std::string, std::string>> hostLines_;  // host -> its current status
    std::size_t drawnLines_ = 0;
};

struct StepFailure {
    Step step;
    StepResult result;
};

// Runs stages in order; the steps of a stage run in parallel, at most
// `width` at a time, one at a time per host. After a stage with a failed
// step, later stages are not started.
class StageRunner {
  public:
    StageRunner(Executor& executor, StepJournal& journal, Progress& progress, std::size_t width)
        : executor_(executor),
          journal_(journal),
          progress_(progress),
          width_(width == 0 ? 1 : width) {}

    std::optional<StepFailure> run(const std::string& transition, const std::vector<Stage>& stages);

  private:
    std::optional<StepFailure> runStage(const std::string& transition, const Stage& stage);
    Executor& executor_;
    StepJournal& journal_;
    Progress& progress_;
    std::size_t width_;
};

}  // namespace vcluster::execute
