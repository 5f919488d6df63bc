#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "db/Database.h"
#include "execute/Executor.h"
#include "execute/StageRunner.h"
#include "reservation/ReservationPool.h"
#include "reservation/TimeText.h"

namespace vcluster::lifecycle {

// States a reservation moves through (the `State` column):
//   scheduled -> provisioning -> active -> releasing -> released
//   cancelled (removed before it started), failed (with a reason)
// `rocks sync vcluster` performs every transition due at `now`.
struct TransitionReport {
    std::string cluster;
    std::string from;
    std::string to;
    std::string detail;  // e.g. the failure reason
};

// Steps of one host recorded in vcluster_journal (SQL lives here).
class JournalPool : public execute::StepJournal {
  public:
    JournalPool(db::Database& db, std::string clusterKey)
        : db_(db), cluster_(std::move(clusterKey)) {}
    bool isDone(const std::string& transition, const execute::Step& step) override;
    void started(const std::string& transition, const execute::Step& step) override;
    void finished(const std::string& transition, const execute::Step& step,
                  const execute::StepResult& result) override;
    // Forgets a transition's steps (before a fresh attempt of a whole transition).
    void clear(const std::string& transition);

  private:
    db::Database& db_;
    std::string cluster_;
};

class Lifecycle {
  public:
    static constexpr int kMaxAttempts = 3;

    Lifecycle(db::Database& db, execute::Executor& executor, execute::Progress& progress,
              std::size_t width)
        : db_(db), executor_(executor), progress_(progress), width_(width) {}

    // Performs every transition due at `now`, in start-time order.
    std::vector<TransitionReport> sync(reservation::Time now);

    // The stages that build (teardown=false) or release a materialised
    // cluster, in the seed's order: storage, networks, the frontend, then
    // the computes; and the reverse to release.
    std::vector<execute::Stage> stages(const reservation::StoredReservation& r,
                                       bool teardown) const;

  private:
    TransitionReport provision(const reservation::StoredReservation& r);
    TransitionReport release(const reservation::StoredReservation& r);
    TransitionReport fail(const reservation::StoredReservation& r, const std::string& from,
                          const execute::StepFailure& failure);
    db::Database& db_;
    execute::Executor& executor_;
    execute::Progress& progress_;
    std::size_t width_;
};

}  // namespace vcluster::lifecycle
