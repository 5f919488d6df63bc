#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "calendar/CapacityCalendar.h"
#include "db/Database.h"
#include "reservation/ReservationPool.h"
#include "reservation/Site.h"

namespace vcluster::reservation {

// The site's calendar as recorded: the live reservations and maintenance
// windows booked into a CapacityCalendar, all of them or those overlapping
// the interval it covers. Build it inside the caller's BEGIN IMMEDIATE
// transaction, so what it admits cannot be taken meanwhile.
struct SiteCalendar {
    Site site;
    calendar::CapacityCalendar calendar;
    std::vector<StoredReservation> reservations;
    std::vector<MaintenanceWindow> maintenance;
    // The interval whose bookings are all in `calendar` (none: all of time).
    std::optional<Interval> covered;

    calendar::Booking bookingOf(const StoredReservation& r) const;
    // Records a placement (inventory indexes) as host names and addresses.
    void describe(const calendar::Placement& p, StoredReservation& r) const;
    // Widens `covered` to include `interval`, booking what overlaps the
    // added part (a search that looks further ahead reads further ahead).
    void cover(db::Database& db, const Interval& interval);
    // Books reservations and windows not booked yet (by ID).
    void book(std::vector<StoredReservation> rs, std::vector<MaintenanceWindow> ms);

    std::set<std::int64_t> bookedIds;  // of `reservations`
    std::set<std::int64_t> outageIds;  // of `maintenance`
};

// Every live reservation and maintenance window.
SiteCalendar loadSiteCalendar(db::Database& db);
// Only those overlapping `interval` (through the interval index): what a
// decision about that interval needs, whatever the length of the history.
SiteCalendar loadSiteCalendar(db::Database& db, const Interval& interval);
SiteCalendar loadSiteCalendar(db::Database& db, const Interval& interval, Site site);

// What `rocks set vcluster` may change.
struct ReservationChange {
    std::optional<Time> end;
    std::optional<int> nodes;
    std::optional<std::int64_t> memoryMiB;
};

// Parses `rocks set vcluster`'s end=, nodes= and memory= (other keys are the
// caller's business); throws Error when none is given or one is malformed.
ReservationChange parseReservationChange(const std::map<std::string, std::string>& params);

// What a bulk load did not book: the request's place in the input, its name
// and why (refusal: it does not fit; otherwise it is not acceptable at all).
struct BulkRefusal {
    std::size_t index = 0;
    std::string name;
    std::string reason;
    bool refusal = false;
};

struct BulkResult {
    std::vector<StoredReservation> booked;  // in input order, with their IDs
    std::vector<BulkRefusal> refused;
};

// The reservation desk: admission, change, cancellation and maintenance, each
// a read-decide-write inside the caller's immediate transaction.
class ReservationBook {
  public:
    explicit ReservationBook(db::Database& db) : db_(db) {}
    // With the site its caller has loaded already (add() and addMany() use it
    // rather than reading it again).
    ReservationBook(db::Database& db, Site site) : db_(db), site_(std::move(site)) {}

    // Admits and records the request. Throws Refusal ("refused: <what runs
    // out where and when>; earliest start that fits: <time>") when it does
    // not fit, and Error when it is not acceptable at all.
    StoredReservation add(ReservationRequest request, Time now);

    // Admits many requests through the same checks and admission as add(),
    // in order, each against the calendar with the ones before it booked,
    // and records the admitted ones. With allOrNothing, one refusal books
    // none. The caller's transaction makes it one change.
    BulkResult addMany(std::vector<ReservationRequest> requests, Time now, bool allOrNothing);

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
    std::optional<Site> site_;
};

// The reservations in `reservations` that use `host` at some instant of `interval`.
std::vector<StoredReservation> reservationsUsing(const std::vector<StoredReservation>& reservations,
                                                 const std::string& host, const Interval& interval);

}  // namespace vcluster::reservation
