#include "execute/StageRunner.h"

#include <algorithm>
#include <atomic>
#include <ctime>
#include <map>
#include <mutex>
#include <syncstream>
#include <thread>

#include "util/Clock.h"
#include "util/Strings.h"

namespace vcluster::execute {

namespace {

std::string clock() { return utcNow("%H:%M:%S"); }

}  // namespace

void Progress::begin(const std::string& transition, std::size_t totalSteps) {
    std::osyncstream out(out_);
    transition_ = transition;
    total_ = totalSteps;
    finished_ = 0;
    hostLines_.clear();
    drawnLines_ = 0;
    if (!terminal_) {
        out << clock() << ' ' << transition << ": " << totalSteps << " steps\n";
    }
}

void Progress::stepStarted(const Step& step) {
    std::osyncstream out(out_);
    if (!terminal_) {
        out << clock() << ' ' << transition_ << ": " << step.host << ": " << step.name
            << " started\n";
        out.flush();
        return;
    }
    bool found = false;
    for (auto& [host, line] : hostLines_) {
        if (host == step.host) {
            line = step.name + " ...";
            found = true;
        }
    }
    if (!found) {
        hostLines_.emplace_back(step.host, step.name + " ...");
    }
    redraw(out);
}

void Progress::stepFinished(const Step& step, const StepResult& result, bool skipped) {
    std::osyncstream out(out_);
    ++finished_;
    std::string status = skipped                          ? "already done"
                         : result.exitCode == 0           ? "done"
                         : result.exitCode == kExitNotYet ? "not yet"
                                                          : "FAILED";
    if (!terminal_) {
        out << clock() << ' ' << transition_ << ": " << step.host << ": " << step.name << ' '
            << status;
        if (result.exitCode != 0 && result.exitCode != kExitNotYet) {
            out << " (exit " << result.exitCode << ": " << firstLine(result.error) << ')';
        }
        out << " [" << finished_ << '/' << total_ << "]\n";
        out.flush();
        return;
    }
    for (auto& [host, line] : hostLines_) {
        if (host == step.host) {
            line = step.name + " " + status;
        }
    }
    if (std::none_of(hostLines_.begin(), hostLines_.end(),
                     [&](const auto& l) { return l.first == step.host; })) {
        hostLines_.emplace_back(step.host, step.name + " " + status);
    }
    redraw(out);
}

void Progress::redraw(std::ostream& out) {
    if (drawnLines_ > 0) {
        out << "\x1b[" << drawnLines_ << 'F';  // back to the first line we drew
    }
    for (const auto& [host, line] : hostLines_) {
        out << "\x1b[2K  " << host << ": " << line << '\n';
    }
    const std::size_t width = 40;
    std::size_t filled = total_ == 0 ? width : finished_ * width / total_;
    out << "\x1b[2K" << transition_ << " [" << std::string(filled, '#')
        << std::string(width - filled, '.') << "] " << finished_ << '/' << total_ << '\n';
    drawnLines_ = hostLines_.size() + 1;
    out.flush();
}

void Progress::end() {
    std::osyncstream out(out_);
    if (!terminal_) {
        out << clock() << ' ' << transition_ << ": finished " << finished_ << '/' << total_ << '\n';
    }
    out.flush();
}

std::optional<StepFailure> StageRunner::run(const std::string& transition,
                                            const std::vector<Stage>& stages) {
    std::size_t total = 0;
    for (const auto& stage : stages) {
        total += stage.steps.size();
    }
    progress_.begin(transition, total);
    for (const auto& stage : stages) {
        if (auto failure = runStage(transition, stage)) {
            progress_.end();
            return failure;
        }
    }
    progress_.end();
    return std::nullopt;
}

std::optional<StepFailure> StageRunner::runStage(const std::string& transition,
                                                 const Stage& stage) {
    // Steps grouped by host: a host runs its steps in order, hosts in parallel.
    std::map<std::string, std::vector<const Step*>> byHost;
    for (const auto& step : stage.steps) {
        byHost[step.host].push_back(&step);
    }
    std::vector<const std::vector<const Step*>*> queues;
    queues.reserve(byHost.size());
    for (const auto& [host, steps] : byHost) {
        queues.push_back(&steps);
    }
    std::atomic<std::size_t> next{0};
    std::mutex mutex;  // journal (one database connection) and progress
    std::optional<StepFailure> failure;

    auto worker = [&] {
        for (std::size_t q = next++; q < queues.size(); q = next++) {
            for (const Step* step : *queues[q]) {
                {
                    std::lock_guard<std::mutex> lock(mutex);
                    if (failure) {
                        return;
                    }
                    if (journal_.isDone(transition, *step)) {
                        progress_.stepFinished(*step, {}, true);
                        continue;
                    }
                    journal_.started(transition, *step);
                    progress_.stepStarted(*step);
                }
                StepResult result = executor_.run(*step);
                std::lock_guard<std::mutex> lock(mutex);
                journal_.finished(transition, *step, result);
                progress_.stepFinished(*step, result, false);
                if (result.exitCode != 0) {
                    if (!failure) {
                        failure = StepFailure{*step, result};
                    }
                    break;  // this host's later steps depend on this one
                }
            }
        }
    };
    std::size_t threads = std::min(width_, queues.size());
    std::vector<std::thread> pool;
    pool.reserve(threads);
    for (std::size_t i = 0; i < threads; ++i) {
        pool.emplace_back(worker);
    }
    for (auto& t : pool) {
        t.join();
    }
    return failure;
}

}  // namespace vcluster::execute
