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

// States a reservation moves through:
//   scheduled -> provisioning -> installing -> active -> releasing -> released
//   active <-> powered-off (weekly reservations, between their windows)
//   cancelled (removed before it started), failed (with a reason)
// provisioning builds storage, networks and the virtual frontend and starts
// it; installing waits (one probe per sync) for its install to finish, then
// takes the "installed" snapshot and starts the computes. `rocks sync
// vcluster` performs every transition due at `now`, and the snapshots and
// roll-backs requested of active clusters.
struct TransitionReport {
    std::string cluster;
    std::string from;
    std::string to;
    std::string detail;  // e.g. the failure reason
};

class Lifecycle {
  public:
    static constexpr int kMaxAttempts = 3;
    static constexpr const char* kDefaultInstallTimeout = "2h";
    static constexpr const char* kDefaultShutdownTimeout = "5m";

    Lifecycle(db::Database& db, execute::Executor& executor, execute::Progress& progress,
              std::size_t width)
        : db_(db), executor_(executor), progress_(progress), width_(width) {}

    // Performs every transition due at `now`, in start-time order.
    std::vector<TransitionReport> sync(reservation::Time now);
    // Only the tenants' node actions asked of active clusters, nothing else
    // that may be due: what the portal's worker carries out as soon as they
    // are asked (the next sync would do them as well).
    std::vector<TransitionReport> nodeActionsOnly(reservation::Time now);

  private:
    struct Context;
    // Each performs what is due for one reservation and returns its reports;
    // `state` follows the reservation's state.
    void provision(Context& c);
    void install(Context& c);
    // Not installed yet: report what is awaited, or fail once vc_install_timeout
    // has passed since the install started (`install` names it in the reason).
    void waitOrTimeOut(Context& c, const std::string& install, const std::string& what);
    void power(Context& c);
    void powerOff(Context& c, reservation::Time since);
    void requests(Context& c);
    void release(Context& c);
    // Changes of a built cluster (active or powered-off), carried out on the
    // hosts: computes added, removed (highest index first) or moved to
    // another vm-server, a new size written into the definitions. reshape()
    // tears down what goes, rewrites the rows, then builds what comes.
    void reshape(Context& c);
    // A power cycle of the computes the admin asked for (cycle=yes), after
    // which the calendar holds only their new size; a powered-off cluster's
    // size is taken as its definitions' at once (its VMs boot with it).
    void cycle(Context& c);
    // The tenants' node actions (NodeActions.h), oldest first. A failed one
    // is marked failed with its host, step and error; it never fails the
    // reservation (the tenant may ask again).
    void nodeActions(Context& c);
    void report(Context& c, const std::string& to, const std::string& detail);
    enum class Outcome { Done, NotYet, Failed };
    // Runs the stages; a failed step is counted (fail()), a "not yet"
    // (execute::kExitNotYet) is not.
    Outcome runStages(Context& c, const std::string& transition,
                      const std::vector<execute::Stage>& stages);
    void fail(Context& c, const execute::StepFailure& failure);
    // Counts a failed attempt of the current transition (failed after kMaxAttempts).
    void failAttempt(Context& c, const std::string& reason);
    void failNow(Context& c, const std::string& reason);
    void setState(Context& c, const std::string& state);
    db::Database& db_;
    execute::Executor& executor_;
    execute::Progress& progress_;
    std::size_t width_;
};

}  // namespace vcluster::lifecycle
