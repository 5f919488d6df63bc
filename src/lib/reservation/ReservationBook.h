#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "calendar/CapacityCalendar.h"
#include "db/Database.h"
#include "reservation/ReservationPool.h"
#include "reservation/Site.h"

namespace vcluster::reservation {

// The site's calendar as recorded: every live reservation and maintenance
// window booked into a CapacityCalendar. Build it inside the caller's
// BEGIN IMMEDIATE transaction, so what it admits cannot be taken meanwhile.
struct SiteCalendar {
    Site site;
    calendar::CapacityCalendar calendar;
    std::vector<StoredReservation> reservations;
    std::vector<MaintenanceWindow> maintenance;

    calendar::Booking bookingOf(const StoredReservation& r) const;
    // Records a placement (inventory indexes) as host names and addresses.
    void describe(const calendar::Placement& p, StoredReservation& r) const;
};

SiteCalendar loadSiteCalendar(db::Database& db);

// What `rocks set vcluster` may change.
struct ReservationChange {
    std::optional<Time> end;
    std::optional<int> nodes;
    std::optional<std::int64_t> memoryMiB;
};

// Parses `rocks set vcluster`'s end=, nodes= and memory= (other keys are the
// caller's business); throws Error when none is given or one is malformed.
ReservationChange parseReservationChange(const std::map<std::string, std::string>& params);

// The reservation desk: admission, change, cancellation and maintenance, each
// a read-decide-write inside the caller's immediate transaction.
class ReservationBook {
  public:
    explicit ReservationBook(db::Database& db) : db_(db) {}

    // Admits and records the request. Throws Refusal ("refused: <what runs
    // out where and when>; earliest start that fits: <time>") when it does
    // not fit, and Error when it is not acceptable at all.
    StoredReservation add(ReservationRequest request, Time now);

    // Re-admits the changed reservation keeping its placement; all or nothing.
    StoredReservation change(const std::string& name, const ReservationChange& change, Time now);

    // Cancels: a reservation that has not started is deleted, one that has is
    // marked cancelled (its capacity is free from now on).
    void cancel(const std::string& name, Time now);

    // Records a host out of service and returns the reservations that use the
    // host during that interval (they collide; an admin moves or cancels them).
    std::vector<StoredReservation> addMaintenance(const MaintenanceWindow& window);

  private:
    db::Database& db_;
};

// The reservations in `reservations` that use `host` at some instant of `interval`.
std::vector<StoredReservation> reservationsUsing(const std::vector<StoredReservation>& reservations,
                                                 const std::string& host, const Interval& interval);

}  // namespace vcluster::reservation
