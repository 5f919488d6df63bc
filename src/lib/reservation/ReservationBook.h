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

    // count= : books `count` identical clusters <name>-01 ... <name>-NN (the
    // group <name>) in one all-or-nothing admission, the i-th with keys[i]
    // (or all with the request's key when `keys` is empty). A refusal says
    // how many fit and the earliest start at which all of them fit.
    std::vector<StoredReservation> addGroup(const ReservationRequest& request, int count,
                                            const std::vector<std::string>& keys, Time now);

    // The live members of a count= group, by name (empty: no such group).
    std::vector<StoredReservation> group(const std::string& name) const;

    // rocks set vcluster <name> skip=+DATES: these days (in the
    // reservation's zone) lose their windows, freeing their capacity; for a
    // group, every member's. Returns the changed reservations.
    std::vector<StoredReservation> addSkips(const std::string& name,
                                            const std::vector<DateRange>& days);

    // Records a host out of service and returns the reservations that use the
    // host during that interval (they collide; an admin moves or cancels them).
    std::vector<StoredReservation> addMaintenance(const MaintenanceWindow& window);

  private:
    void checkNewName(const ReservationRequest& request) const;
    db::Database& db_;
};

// The name of the i-th (from 1) of `count` clusters of group `name`:
// hpc101-01 ... hpc101-30 (at least two digits).
std::string groupMemberName(const std::string& name, int index, int count);

// The site's limit on count= (vc_group_limit, default 100).
inline constexpr int kDefaultGroupLimit = 100;

// The reservations in `reservations` that use `host` at some instant of `interval`.
std::vector<StoredReservation> reservationsUsing(const std::vector<StoredReservation>& reservations,
                                                 const std::string& host, const Interval& interval);

}  // namespace vcluster::reservation
