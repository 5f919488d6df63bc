#pragma once

#include <optional>
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
};

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

    // Reservations still in the calendar (not released, cancelled or failed),
    // by start time then name.
    std::vector<StoredReservation> listLive() const;
    std::optional<StoredReservation> findLive(const std::string& name) const;
    // Live ones and failed ones (which hold no capacity but wait for the admin).
    std::vector<StoredReservation> listWithFailed() const;
    // Live reservations whose span overlaps `interval` (what a decision
    // about that interval needs), through the interval index.
    std::vector<StoredReservation> listOverlapping(const Interval& interval) const;
    // Live reservations with something for `rocks sync vcluster` to do at
    // `now`, by start time then name (not the others spanning now).
    std::vector<StoredReservation> listDue(Time now) const;
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
