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

    // Reservations still in the calendar (not released, cancelled or failed),
    // by start time then name.
    std::vector<StoredReservation> listLive() const;
    std::optional<StoredReservation> findLive(const std::string& name) const;
    // Live ones and failed ones (which hold no capacity but wait for the admin).
    std::vector<StoredReservation> listWithFailed() const;
    std::int64_t countAll() const;

    std::int64_t insert(const StoredReservation& r);
    // Rewrites the row and its allocations (same ID).
    void update(const StoredReservation& r);
    void erase(std::int64_t id);
    void setState(std::int64_t id, const std::string& state);
    void setEnd(std::int64_t id, Time end);

    std::vector<MaintenanceWindow> maintenance(const std::optional<std::string>& host = {}) const;
    std::int64_t addMaintenance(const MaintenanceWindow& m);
    // Removes one window (by ID) or all windows of the host; returns how many.
    int removeMaintenance(const std::string& host, std::optional<std::int64_t> id);

  private:
    void writeAllocations(const StoredReservation& r);
    std::vector<StoredReservation> load(const std::string& where,
                                        const std::vector<db::Value>& params) const;
    db::Database& db_;
};

}  // namespace vcluster::reservation
