#pragma once

#include <algorithm>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "db/Database.h"
#include "reservation/ReservationRequest.h"

namespace vcluster::reservation {

// A reservation as recorded: the request, its state and where its parts went.
struct StoredReservation {
    std::int64_t id = 0;
    std::string state = "scheduled";
    ReservationRequest request;
    std::int64_t networkId = 0;          // VLAN id or VNI, by request.network
    std::string gateway;                 // host running the virtual frontend
    std::string publicIp;                // its public address
    std::string storage;                 // storage node holding the disks
    std::vector<std::string> nodeHosts;  // vm-server of each compute node, by index
    std::string created;
    std::string failureReason;  // host, step and error of the last failed step
    // What the hosts run of a built cluster (0: nothing materialised yet). A
    // change to a built cluster is carried out by the next sync; until then
    // the calendar holds the larger of these and the request's.
    int builtNodes = 0;
    std::int64_t builtMemoryMiB = 0;
    int builtCpus = 0;
    // The history of an ended reservation (released, cancelled, failed).
    std::string ended;      // when
    std::string endedBy;    // who: the user who removed it, or "sync"
    std::string endReason;  // why
    int snapshots = 0;      // its LVM snapshots, taken or asked for

    bool built() const { return builtNodes > 0 || builtMemoryMiB > 0; }
    // Compute nodes held in the calendar, and their per-node size: the larger
    // of what is asked and what runs.
    int heldNodes() const { return std::max(request.nodes, builtNodes); }
    std::int64_t heldMemoryMiB() const { return std::max(request.memoryMiB, builtMemoryMiB); }
    int heldCpus() const { return std::max(request.cpus, builtCpus); }
    // When the clean shutdown at a window's close was asked (none pending: nullopt).
    std::optional<Time> shutdownAsked;
    // The frontend's root password in clear: set only in the answer of
    // ReservationBook::add (shown once; the database keeps its hash), or
    // kKeyOnlyRoot when the site logs root in by key only.
    std::string rootPassword;
};

inline constexpr const char* kKeyOnlyRoot = "(key only)";

// A host taken out of service for an interval.
struct MaintenanceWindow {
    std::int64_t id = 0;
    std::string host;
    Interval interval;
    std::string comment;
};

// Owns the vcluster_reservations, vcluster_allocations and
// vcluster_maintenance rows and their SQL.
class ReservationPool {
  public:
    explicit ReservationPool(db::Database& db) : db_(db) {}

    // Reservations still in the calendar, by start time then name: every
    // state but released and cancelled. A failed one holds what it holds on
    // the hosts, and its name, until it is torn down (the admin removes it).
    std::vector<StoredReservation> listLive() const;
    std::optional<StoredReservation> findLive(const std::string& name) const;
    // Every reservation ever booked, ended ones included (the history).
    std::vector<StoredReservation> listAll() const;
    // Live ones whose end has passed (not torn down yet: they hold on).
    std::vector<StoredReservation> listPastEnd(Time now) const;
    // The live members of a count= group, and the names of the live groups.
    std::vector<StoredReservation> listLiveGroup(const std::string& group) const;
    std::set<std::string> liveGroupNames() const;
    // Live reservations whose span overlaps `interval` (what a decision
    // about that interval needs), through the interval index.
    std::vector<StoredReservation> listOverlapping(const Interval& interval) const;
    // Live reservations with something for `rocks sync vcluster` to do at
    // `now`, by start time then name (not the others spanning now).
    std::vector<StoredReservation> listDue(Time now) const;
    // The active ones with a tenant's node action asked (the portal's worker).
    std::vector<StoredReservation> listWithNodeActions() const;
    // What `rocks list vcluster` shows (not released or cancelled, or the one
    // state asked), filtered; without the node hosts.
    struct ListFilter {
        std::optional<std::string> state;  // as shown: installing, powered-off too
        std::optional<std::string> owner;
        std::optional<Time> from;  // overlapping [from, to)
        std::optional<Time> to;
        std::optional<std::string> name;
        std::optional<std::int64_t> limit;  // a page: at most `limit` rows from `offset` on
        std::int64_t offset = 0;
    };
    std::vector<StoredReservation> list(const ListFilter& filter) const;
    // The same rows (with history: every reservation ever booked, the filter
    // still applied), one at a time in the database's order (a page: in the
    // listing's; ListingTable sorts the others), with only what `rocks
    // list vcluster` prints (listTable, historyTable): no ssh key, rolls,
    // appliances, gateway, storage or snapshot count, read without the
    // joins, and none held (a listing of 50,000 took 126 MB).
    void eachListed(const ListFilter& filter, bool history,
                    const std::function<void(const StoredReservation&)>& visit) const;
    std::int64_t countAll() const;

    // Names of the reservations still in the calendar (live ones).
    std::vector<std::string> liveNames() const;

    std::int64_t insert(const StoredReservation& r);
    // Inserts each with its allocations (statements prepared once: a bulk
    // load of 100,000); sets their IDs.
    void insertMany(std::vector<StoredReservation>& rs);
    // Rewrites the row and its allocations (same ID).
    void update(const StoredReservation& r);
    void erase(std::int64_t id);
    void setState(std::int64_t id, const std::string& state);
    void setEnd(std::int64_t id, Time end);
    // Records what the hosts now run of the cluster (after a build or a change).
    void setBuilt(std::int64_t id, int nodes, std::int64_t memoryMiB, int cpus);
    // The lifecycle's bookkeeping: failed attempts of the current transition
    // (countFailure returns the new count), the last failure, the start of
    // the frontend's install.
    void resetAttempts(std::int64_t id);
    std::int64_t countFailure(std::int64_t id, const std::string& reason);
    void setFailureReason(std::int64_t id, const std::string& reason);
    void markInstallStarted(std::int64_t id, Time at);  // the first call's time stays
    std::optional<Time> installStarted(std::int64_t id) const;
    // Records who ended a reservation and why (the first record stays), and
    // when it ended once `when` is given. Its state is set apart.
    void recordEnd(std::int64_t id, const std::optional<std::string>& when, const std::string& by,
                   const std::string& reason);
    void setShutdownAsked(std::int64_t id, std::optional<Time> at);
    // The admin's request that a built cluster's computes be power-cycled
    // (so a changed size takes effect), until the sync that does it.
    bool cycleAsked(std::int64_t id) const;
    void setCycleAsked(std::int64_t id, bool asked);
    // Whether a change of a built cluster is being carried out on the hosts.
    bool reshaping(std::int64_t id) const;
    // A reinstall of the virtual frontend: its install starts again at `at`.
    void restartInstall(std::int64_t id, Time at);
    void setReshaping(std::int64_t id, bool reshaping);
    // Rewrites where each compute node runs (the allocations), e.g. after
    // removed nodes are torn down.
    void setNodeHosts(std::int64_t id, const std::vector<std::string>& hosts);
    // Gives every reservation of owner `from` (any state) to `to`; returns how many.
    int reassignOwner(const std::string& from, const std::string& to);

    std::vector<MaintenanceWindow> maintenance(const std::optional<std::string>& host = {}) const;
    std::vector<MaintenanceWindow> maintenanceOverlapping(const Interval& interval) const;
    std::int64_t addMaintenance(const MaintenanceWindow& m);
    // Removes one window (by ID) or all windows of the host; returns how many.
    int removeMaintenance(const std::string& host, std::optional<std::int64_t> id);

  private:
    void writeAllocations(const StoredReservation& r);
    std::vector<StoredReservation> load(const std::string& where,
                                        const std::vector<db::Value>& params, bool withNodes = true,
                                        const std::string& page = {}) const;
    db::Database& db_;
};

}  // namespace vcluster::reservation
