#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "calendar/Admission.h"
#include "calendar/CapacityCalendar.h"
#include "db/Database.h"
#include "reservation/ReservationPool.h"
#include "reservation/RootPassword.h"
#include "reservation/Site.h"

namespace vcluster::materialise {
struct InstallerSite;
}

namespace vcluster::reservation {

// The parts of time whose bookings are all in a calendar: disjoint
// intervals, or all of time. A hull would not do: a calendar read for two
// requests a week apart has not read the week between them.
class CoveredTime {
  public:
    static CoveredTime everything();
    // Covers `interval` and returns the parts of it that were not covered
    // (in time order): what is to be read.
    std::vector<Interval> add(const Interval& interval);
    bool all() const { return all_; }
    // The covered parts in time order (none for all of time).
    std::vector<Interval> parts() const;

  private:
    bool all_ = false;
    std::map<Time, Time> parts_;  // start -> end; disjoint, none touching another
};

// The site's calendar as recorded: the live reservations and maintenance
// windows booked into a CapacityCalendar, all of them or those overlapping
// the interval it covers. Build it inside the caller's BEGIN IMMEDIATE
// transaction, so what it admits cannot be taken meanwhile.
struct SiteCalendar {
    Site site;
    calendar::CapacityCalendar calendar;
    std::vector<StoredReservation> reservations;
    std::vector<MaintenanceWindow> maintenance;
    // The instant it was loaded at: a reservation whose end has passed but
    // that is not torn down yet (a failed or interrupted release, a sync
    // that has not run) still holds everything from now to the horizon.
    Time now = 0;
    // The time whose bookings are all in `calendar`.
    CoveredTime covered;

    // Past its end at `now` (and so held to the horizon by bookingOf).
    bool pastEnd(const StoredReservation& r) const { return now > 0 && r.request.end <= now; }
    calendar::Booking bookingOf(const StoredReservation& r) const;
    // Names the reservation that holds what a shortage ran out of.
    void nameHolder(calendar::Shortage& shortage) const;
    // Records a placement (inventory indexes) as host names and addresses.
    void describe(const calendar::Placement& p, StoredReservation& r) const;
    // Widens `covered` to include `interval` (to whole calendar buckets),
    // booking what overlaps the parts added (a search that looks further
    // ahead reads further ahead), and the use the bookings already in have
    // of them.
    void cover(db::Database& db, const Interval& interval);
    // Books reservations and windows not booked yet (by ID).
    void book(std::vector<StoredReservation> rs, std::vector<MaintenanceWindow> ms);
    // Books / unbooks one booking in `calendar`, its use of the pools only
    // within `covered`: each booking in it holds its use of the covered time
    // and no more (what cover() keeps true as the covered time grows).
    void calendarBook(const calendar::Booking& b);
    void calendarUnbook(const calendar::Booking& b);
    // Books one not recorded yet (a bulk load's), kept with `reservations`
    // so that cover() counts it on the time read after it too.
    void bookUnrecorded(const StoredReservation& r);

    std::set<std::int64_t> bookedIds;  // of `reservations`
    std::set<std::int64_t> outageIds;  // of `maintenance`
    // What a frontend install needs of each gateway, once checked (see
    // ReservationBook::checkInstallable): the site's, read with the rest.
    std::map<std::string, std::shared_ptr<const materialise::InstallerSite>> installers;
};

// Every live reservation and maintenance window, as at `now`.
SiteCalendar loadSiteCalendar(db::Database& db, Time now = currentTime());
// Only those overlapping `interval` (through the interval index), and those
// past their end but not torn down: what a decision about that interval
// needs, whatever the length of the history.
SiteCalendar loadSiteCalendar(db::Database& db, const Interval& interval, Time now);
SiteCalendar loadSiteCalendar(db::Database& db, const Interval& interval, Time now, Site site);

// A site calendar that a long-lived process (the portal) keeps between its
// bookings, which it makes on one connection: read again whole when another
// connection or process has committed anything since (Database::dataVersion;
// a database that cannot tell is read every time), or when the end of a
// reservation it holds has passed (from then on that one holds to the
// horizon until it is torn down). Use it inside that connection's immediate
// transaction; keep() what the transaction booked once it has committed, and
// drop() it when the transaction failed after writing.
class SiteCalendarCache {
  public:
    // The calendar with `interval` covered, as a fresh load would give it.
    SiteCalendar& at(db::Database& db, const Interval& interval, Time now);
    void keep(const std::vector<StoredReservation>& booked);
    void drop() { sc_.reset(); }
    // How many times at() read the calendar whole (for tests).
    int loads() const { return loads_; }

  private:
    std::optional<SiteCalendar> sc_;
    std::int64_t version_ = 0;
    int loads_ = 0;
};

// What a stored reservation holds in the calendar: its request, with the
// larger of the asked and the running compute count and node size.
calendar::Demand heldDemand(const StoredReservation& r);

// What `rocks set vcluster` may change.
struct ReservationChange {
    std::optional<Time> end;
    std::optional<int> nodes;
    std::optional<std::int64_t> memoryMiB;
    // cycle=yes: power-cycle the built cluster's computes at the next sync,
    // so that a changed memory size (written into their definitions by the
    // sync after the change) takes effect.
    bool cycle = false;
};

// Parses `rocks set vcluster`'s end=, nodes=, memory= and cycle= (other keys
// are the caller's business); throws Error when none is given or one is
// malformed.
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
    // The root password add() records, made beforehand: hashing it (SHA-512
    // crypt, some milliseconds) needs no database, so the portal does it
    // before it takes its writers' turn.
    ReservationBook& withRootPassword(RootPassword password) {
        password_ = std::move(password);
        return *this;
    }

    // Admits and records the request. Throws Refusal ("refused: <what runs
    // out where and when>; earliest start that fits: <time>") when it does
    // not fit, and Error when it is not acceptable at all.
    StoredReservation add(ReservationRequest request, Time now);
    // The same, deciding on `sc` (SiteCalendarCache::at's) rather than a
    // calendar read for this request alone.
    StoredReservation add(ReservationRequest request, Time now, SiteCalendar& sc);

    // Admits many requests through the same checks and admission as add(),
    // in order, each against the calendar with the ones before it booked,
    // and records the admitted ones. With allOrNothing, one refusal books
    // none. The caller's transaction makes it one change. No root password
    // is drawn for these (none could be shown once to each owner): their
    // frontends' root logs in with the owner's ssh key only.
    BulkResult addMany(std::vector<ReservationRequest> requests, Time now, bool allOrNothing);

    // Re-admits the changed reservation keeping its placement; all or nothing.
    StoredReservation change(const std::string& name, const ReservationChange& change, Time now);

    // Refuses (Refusal) one more snapshot of the reservation when its storage
    // pool has no room for it over the reservation's span (see storageMiB).
    void roomForSnapshot(const std::string& name);
    // Moves compute node `rank` of a reservation to vm-server `host` (a cold
    // move: the next sync powers it off, undefines it on its host, defines
    // and starts it on the new one). The calendar holds it on the new host
    // at once; refused (nothing changed) when it does not fit there.
    StoredReservation moveNode(const std::string& name, int rank, const std::string& host,
                               Time now);

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

    // Cancels: a reservation with nothing built is marked cancelled at once
    // (its capacity is free from now on); a built or failed one ends now and
    // the next sync tears it down. `by` (a user name) goes into the history.
    void cancel(const std::string& name, Time now, const std::string& by = {});

    // Records a host out of service. Scheduled reservations that would use the
    // host during the window are re-placed away from it, all or nothing. One
    // that cannot be moved (built already: its VMs and disks are there; or no
    // room elsewhere) makes it a Refusal naming them, unless `force`: then it
    // is recorded anyway and they are returned as colliding.
    struct MaintenanceOutcome {
        std::vector<std::pair<StoredReservation, StoredReservation>> moved;  // before, after
        std::vector<StoredReservation> colliding;
    };
    MaintenanceOutcome addMaintenance(const MaintenanceWindow& window, bool force = false);

  private:
    StoredReservation placeAndRecord(ReservationRequest request, Time now, SiteCalendar& sc);
    void checkNewName(const ReservationRequest& request) const;
    materialise::InstallerSite checkInstallable(const StoredReservation& r) const;
    void record(StoredReservation& stored, const materialise::InstallerSite& installer) const;
    db::Database& db_;
    std::optional<Site> site_;
    mutable std::optional<RootPassword> password_;
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
