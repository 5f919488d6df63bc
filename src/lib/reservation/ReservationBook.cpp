#include "reservation/ReservationBook.h"

#include <algorithm>
#include <limits>
#include <set>

#include "calendar/Admission.h"
#include "cluster/Appliances.h"
#include "cluster/Hosts.h"
#include "cluster/Rolls.h"
#include "materialise/Materialisation.h"
#include "materialise/SiteFacts.h"
#include "reservation/RootPassword.h"
#include "util/Error.h"
#include "util/Strings.h"

namespace vcluster::reservation {

ReservationChange parseReservationChange(const std::map<std::string, std::string>& params) {
    auto param = [&](const char* key) -> std::optional<std::string> {
        auto it = params.find(key);
        return it == params.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
    ReservationChange change;
    if (auto v = param("end")) {
        change.end = parseTime(*v, "end");
    }
    if (auto v = param("nodes")) {
        change.nodes = parseCount(*v, "nodes", 0, 100000);
    }
    if (auto v = param("memory")) {
        change.memoryMiB = parseSizeMiB(*v, "memory");
        if (*change.memoryMiB <= 0) {
            throw Error("memory must be more than 0");
        }
    }
    if (auto v = param("cycle")) {
        change.cycle = parseBool(*v, "cycle");
    }
    if (!change.end && !change.nodes && !change.memoryMiB && !change.cycle) {
        throw Error("nothing to change: give end=, nodes=, memory= or cycle=yes");
    }
    return change;
}

namespace {

std::string nowText(Time now) { return formatTime(now); }

bool overlaps(const Interval& a, const Interval& b) { return a.start < b.end && b.start < a.end; }

std::set<std::string> applianceNames(db::Database& db) {
    std::set<std::string> out;
    for (const auto& a : AppliancePool(db).list()) {
        out.insert(a.name);
    }
    return out;
}

// A name in use: one answer whatever holds it (anyone's reservation, group
// or a host), so that a tenant learns nothing of another's bookings from it.
std::string nameNotAvailable(const std::string& name) {
    return "vcluster name '" + name + "' is not available; choose another";
}

// appliances= names node appliances the site has, never its physical roles.
void checkNodeAppliances(const std::set<std::string>& known, const ReservationRequest& request) {
    static const std::set<std::string> kPhysical = {"frontend", "gateway", "vm-server", "storage"};
    for (const auto& a : request.appliances) {
        if (kPhysical.count(a) != 0) {
            throw Error("appliance '" + a +
                        "' in appliances= is a physical role of the site, not one for a "
                        "virtual cluster's nodes");
        }
        if (known.count(a) == 0) {
            throw Error("unknown appliance '" + a + "' in appliances=");
        }
    }
}

}  // namespace

calendar::Demand heldDemand(const StoredReservation& r) {
    calendar::Demand d = calendar::demandOf(r.request);
    d.nodes = r.heldNodes();
    d.perNode = {r.heldCpus(), r.heldMemoryMiB()};
    d.diskMiB =
        calendar::storageMiB(r.request.feDiskMiB + r.request.diskMiB * r.heldNodes(), r.snapshots);
    return d;
}

void SiteCalendar::nameHolder(calendar::Shortage& shortage) const {
    if (shortage.holder == 0) {
        return;
    }
    for (const auto& r : reservations) {
        if (r.id == shortage.holder) {
            shortage.heldBy = "vcluster '" + r.request.name + "' (" + formatTime(r.request.start) +
                              " to " + formatTime(r.request.end) + ")";
        }
    }
}

calendar::Booking SiteCalendar::bookingOf(const StoredReservation& r) const {
    calendar::Booking b;
    b.id = r.id;
    b.demand = heldDemand(r);
    if (pastEnd(r)) {
        const Time until = std::max(r.request.end, now) + site.defaults.horizonSeconds;
        b.demand.windows.push_back({std::max(r.request.end, b.demand.hold.start), until});
        b.demand.hold.end = until;
    }
    auto index = [&](const std::string& host, calendar::Pool pool) {
        auto it = site.hostIndex.find(host);
        return it != site.hostIndex.end() && it->second.first == pool ? it->second.second : -1;
    };
    for (const auto& h : r.nodeHosts) {
        int i = index(h, calendar::Pool::VmServers);
        if (i >= 0) {
            b.placement.nodeHosts.push_back(i);  // a host no longer offered holds nothing
        }
    }
    b.placement.gateway = index(r.gateway, calendar::Pool::Gateways);
    if (b.placement.gateway >= 0) {
        const auto& ips =
            site.inventory.gateways[static_cast<std::size_t>(b.placement.gateway)].publicIps;
        auto it = std::find(ips.begin(), ips.end(), r.publicIp);
        b.placement.publicIp = it == ips.end() ? -1 : static_cast<int>(it - ips.begin());
    }
    b.placement.storage = index(r.storage, calendar::Pool::Storage);
    b.placement.networkId = r.networkId;
    return b;
}

void SiteCalendar::describe(const calendar::Placement& p, StoredReservation& r) const {
    const auto& inv = site.inventory;
    r.nodeHosts.clear();
    for (int h : p.nodeHosts) {
        r.nodeHosts.push_back(inv.vmServers[static_cast<std::size_t>(h)].name);
    }
    r.gateway = p.gateway >= 0 ? inv.gateways[static_cast<std::size_t>(p.gateway)].name : "";
    r.publicIp = p.gateway >= 0 && p.publicIp >= 0
                     ? inv.gateways[static_cast<std::size_t>(p.gateway)]
                           .publicIps[static_cast<std::size_t>(p.publicIp)]
                     : "";
    r.storage = p.storage >= 0 ? inv.storage[static_cast<std::size_t>(p.storage)].name : "";
    r.networkId = p.networkId;
}

void SiteCalendar::book(std::vector<StoredReservation> rs, std::vector<MaintenanceWindow> ms) {
    // Room for them at once, growing geometrically: the portal's kept
    // calendar books one or two at a time, and reserving exactly what they
    // need moved every reservation it holds at each booking (the portal
    // fell from 770 to 130 bookings/s).
    if (const std::size_t needed = reservations.size() + rs.size();
        needed > reservations.capacity()) {
        reservations.reserve(std::max(needed, 2 * reservations.capacity()));
    }
    for (auto& r : rs) {
        if (bookedIds.insert(r.id).second) {
            calendarBook(bookingOf(r));
            reservations.push_back(std::move(r));
        }
    }
    for (auto& m : ms) {
        if (!outageIds.insert(m.id).second) {
            continue;
        }
        auto it = site.hostIndex.find(m.host);
        if (it != site.hostIndex.end()) {
            calendar.addOutage({it->second.first, it->second.second, m.interval});
        }
        maintenance.push_back(std::move(m));
    }
}

void SiteCalendar::calendarBook(const calendar::Booking& b) {
    if (covered.all()) {
        calendar.book(b);
    } else {
        calendar.book(b, covered.parts());
    }
}

void SiteCalendar::calendarUnbook(const calendar::Booking& b) {
    if (covered.all()) {
        calendar.unbook(b);
    } else {
        calendar.unbook(b, covered.parts());
    }
}

void SiteCalendar::bookUnrecorded(const StoredReservation& r) {
    calendarBook(bookingOf(r));
    reservations.push_back(r);
}

CoveredTime CoveredTime::everything() {
    CoveredTime t;
    t.all_ = true;
    return t;
}

std::vector<Interval> CoveredTime::add(const Interval& interval) {
    std::vector<Interval> missing;
    if (all_ || interval.end <= interval.start) {
        return missing;
    }
    // The parts that overlap or touch `interval` are merged into one.
    auto it = parts_.upper_bound(interval.start);
    if (it != parts_.begin() && std::prev(it)->second >= interval.start) {
        --it;
    }
    Time cursor = interval.start;
    Interval merged = interval;
    while (it != parts_.end() && it->first <= interval.end) {
        if (it->first > cursor) {
            missing.push_back({cursor, it->first});
        }
        cursor = std::max(cursor, it->second);
        merged.start = std::min(merged.start, it->first);
        merged.end = std::max(merged.end, it->second);
        it = parts_.erase(it);
    }
    if (cursor < interval.end) {
        missing.push_back({cursor, interval.end});
    }
    parts_.emplace(merged.start, merged.end);
    return missing;
}

std::vector<Interval> CoveredTime::parts() const {
    std::vector<Interval> out;
    out.reserve(parts_.size());
    for (const auto& [start, end] : parts_) {
        out.push_back({start, end});
    }
    return out;
}

void SiteCalendar::cover(db::Database& db, const Interval& interval) {
    // Whole buckets: a booking cut at the covered time's edge then ends on a
    // bucket's first instant, not inside a bucket as one more change.
    const Time width = site.bucketWidth;
    Interval aligned = interval;
    if (width > 0 && interval.start < interval.end) {
        aligned.start = calendar::floorDiv(interval.start, width) * width;
        if (interval.end <= std::numeric_limits<Time>::max() - width) {
            aligned.end = calendar::floorDiv(interval.end + width - 1, width) * width;
        }
    }
    const std::vector<Interval> parts = covered.add(aligned);
    if (parts.empty()) {
        return;
    }
    // What is booked already holds its use of the new parts too (those past
    // their end and not torn down hold to the horizon: see bookingOf).
    const Time from = parts.front().start;
    const Time to = parts.back().end;
    for (const auto& r : reservations) {
        if (r.request.start < to && (pastEnd(r) || r.request.end > from)) {
            calendar.extend(bookingOf(r), parts);
        }
    }
    ReservationPool pool(db);
    for (const auto& part : parts) {
        book(pool.listOverlapping(part), pool.maintenanceOverlapping(part));
    }
}

SiteCalendar& SiteCalendarCache::at(db::Database& db, const Interval& interval, Time now) {
    const std::optional<std::int64_t> version = db.dataVersion();
    bool fresh = sc_ && version && *version == version_ && now >= sc_->now;
    if (fresh && now != sc_->now) {
        // One past its end and not torn down holds from now to the horizon
        // (bookingOf), whether the calendar read it or not: a later now
        // holds it longer. Usually none (by the (State, EndTime) index).
        fresh = ReservationPool(db).listPastEnd(now).empty();
    }
    if (!fresh) {
        sc_.reset();
        sc_ = loadSiteCalendar(db, interval, now);
        version_ = version.value_or(0);
        ++loads_;
        return *sc_;
    }
    sc_->now = now;
    sc_->cover(db, interval);
    return *sc_;
}

void SiteCalendarCache::keep(const std::vector<StoredReservation>& booked) {
    if (sc_) {
        sc_->book(booked, {});
    }
}

SiteCalendar loadSiteCalendar(db::Database& db, Time now) {
    Site site = loadSite(db);
    calendar::CapacityCalendar cal(site.inventory, site.bucketWidth);
    SiteCalendar sc{
        std::move(site), std::move(cal), {}, {}, now, CoveredTime::everything(), {}, {}, {}};
    ReservationPool pool(db);
    sc.book(pool.listLive(), pool.maintenance());
    return sc;
}

void ReservationBook::checkNewName(const ReservationRequest& request) const {
    ReservationPool pool(db_);
    if (pool.findLive(request.name) || !group(request.name).empty() ||
        HostPool(db_).find(request.name)) {
        throw Error(nameNotAvailable(request.name));
    }
    checkNodeAppliances(applianceNames(db_), request);
    requireInstalledRolls(db_, request.rolls);
}

// What the frontend's unattended install needs from the site, checked
// before anything is recorded (one line, nothing changed).
materialise::InstallerSite ReservationBook::checkInstallable(const StoredReservation& r) const {
    materialise::InstallerSite installer = materialise::installerSite(db_, r.gateway);
    materialise::publicGatewayFor(db_, r.gateway);
    return installer;
}

// Records a placed reservation and its frontend's root password: random, its
// clear text only in this answer (shown once to the owner); key-only sites
// lock it instead.
void ReservationBook::record(StoredReservation& stored,
                             const materialise::InstallerSite& installer) const {
    stored.id = ReservationPool(db_).insert(stored);
    // Key-only: no hash of a password nobody is shown (the kit locks root's
    // password, "!"), and the crypt, most of a booking's CPU, is saved.
    RootPassword password{kKeyOnlyRoot, ""};
    if (!installer.keyOnlyRoot) {
        password = password_ ? std::move(*password_) : makeRootPassword();
    }
    password_.reset();  // used once
    RootPasswordPool(db_).set(stored.id, {password.hash, materialise::randomSecret(24), ""});
    stored.rootPassword = password.clear;
}

SiteCalendar loadSiteCalendar(db::Database& db, const Interval& interval, Time now) {
    return loadSiteCalendar(db, interval, now, loadSite(db));
}

SiteCalendar loadSiteCalendar(db::Database& db, const Interval& interval, Time now, Site site) {
    calendar::CapacityCalendar cal(site.inventory, site.bucketWidth);
    SiteCalendar sc{std::move(site), std::move(cal), {}, {}, now, CoveredTime(), {}, {}, {}};
    // Those whose end has passed but are not torn down hold on to the
    // horizon (bookingOf), whatever the interval: a few, by the
    // (State, EndTime) index.
    ReservationPool pool(db);
    sc.book(pool.listPastEnd(now), {});
    sc.cover(db, interval);
    return sc;
}

namespace {

// The parts of admission both add() and addMany() do: is the request
// acceptable here (its name free, its appliances known), and where does it
// go? Returns the placement, `request` shifted when it starts at the
// earliest fit. Throws Error (not acceptable) or Refusal (does not fit).
// (A bulk load's ReservationBook::checkNewName, over sets read once.)
struct Acceptance {
    std::set<std::string> liveNames;   // names of reservations in the calendar
    std::set<std::string> groupNames;  // names of live count= groups
    std::set<std::string> hostNames;   // a vcluster name may not be a host's
    std::set<std::string> appliances;  // appliance names the nodes may have
    std::set<std::string> rolls;       // enabled rolls of the roll server
};

void checkAcceptable(db::Database& db, const Acceptance& known, const ReservationRequest& request) {
    if (known.liveNames.count(request.name) != 0 || known.groupNames.count(request.name) != 0 ||
        known.hostNames.count(request.name) != 0) {
        throw Error(nameNotAvailable(request.name));
    }
    checkNodeAppliances(known.appliances, request);
    for (const auto& roll : request.rolls) {
        if (known.rolls.count(roll) == 0) {
            requireInstalledRolls(db, {roll});  // its one message
        }
    }
}

// The earliest fit starting no later than latestStart, reading the calendar
// further ahead only as far as the search gets (each round 4 times further).
std::optional<std::pair<calendar::Demand, calendar::Placement>> earliest(
    SiteCalendar& sc, db::Database& db, const calendar::Demand& demand, Time latestStart) {
    const Time length = demand.hold.end - demand.hold.start;
    // A first reach of the request's own length: most requests fit at once,
    // or soon, and a calendar read twice as far as needed costs more than a
    // round more of the in-memory search.
    Time reach = std::max<Time>(length, 3600);
    for (;;) {
        const Time until = std::min(latestStart, demand.hold.start + reach);
        sc.cover(db, {demand.hold.start, until + length});
        auto fit = calendar::earliestFit(sc.calendar, demand, sc.site.policy, until);
        if (fit || until >= latestStart) {
            return fit;
        }
        reach *= 4;
    }
}

calendar::Placement place(SiteCalendar& sc, db::Database& db, ReservationRequest& request,
                          Time now) {
    const Time horizon = sc.site.defaults.horizonSeconds;
    calendar::Demand demand = calendar::demandOf(request);
    const Time latestStart = std::max(request.start, now) + horizon;
    calendar::Placement placement;
    sc.cover(db, demand.hold);
    if (request.startEarliest) {
        auto fit = earliest(sc, db, demand, latestStart);
        if (!fit) {
            auto decision = calendar::admit(sc.calendar, demand, sc.site.policy);
            std::string why = std::holds_alternative<calendar::Shortage>(decision)
                                  ? std::get<calendar::Shortage>(decision).message() + "; "
                                  : std::string();
            throw Refusal("refused: " + why + "nothing fits with a start before " +
                          formatTime(latestStart) + " (vc_horizon_days)");
        }
        Time delta = fit->first.hold.start - request.start;
        request.start += delta;
        request.end += delta;
        placement = fit->second;
        if (request.repeat && delta != 0) {
            // Shifted by whole weeks of seconds; across a daylight-saving change
            // the local-time windows differ by an hour: admit those exactly.
            auto exact = calendar::admit(sc.calendar, calendar::demandOf(request), sc.site.policy);
            if (auto* shortage = std::get_if<calendar::Shortage>(&exact)) {
                throw Refusal("refused: " + shortage->message() + "; try another start");
            }
            placement = std::get<calendar::Placement>(exact);
        }
    } else {
        auto decision = calendar::admit(sc.calendar, demand, sc.site.policy);
        if (auto* shortage = std::get_if<calendar::Shortage>(&decision)) {
            auto fit = earliest(sc, db, demand, latestStart);
            throw Refusal("refused: " + shortage->message() +
                          (fit ? "; earliest start that fits: " + formatTime(fit->first.hold.start)
                               : "; nothing fits with a start before " + formatTime(latestStart)));
        }
        placement = std::get<calendar::Placement>(decision);
    }
    return placement;
}

}  // namespace

StoredReservation ReservationBook::add(ReservationRequest request, Time now) {
    checkNewName(request);
    SiteCalendar sc = loadSiteCalendar(db_, request.span(), now, site_ ? *site_ : loadSite(db_));
    return placeAndRecord(std::move(request), now, sc);
}

StoredReservation ReservationBook::add(ReservationRequest request, Time now, SiteCalendar& sc) {
    checkNewName(request);
    return placeAndRecord(std::move(request), now, sc);
}

StoredReservation ReservationBook::placeAndRecord(ReservationRequest request, Time now,
                                                  SiteCalendar& sc) {
    calendar::Placement placement = place(sc, db_, request, now);
    StoredReservation stored;
    stored.request = std::move(request);
    stored.created = nowText(now);
    sc.describe(placement, stored);
    auto& installer = sc.installers[stored.gateway];
    if (!installer) {
        installer = std::make_shared<const materialise::InstallerSite>(checkInstallable(stored));
    }
    record(stored, *installer);
    return stored;
}

BulkResult ReservationBook::addMany(std::vector<ReservationRequest> requests, Time now,
                                    bool allOrNothing) {
    // Each request widens the part of the calendar read (place() covers it).
    SiteCalendar sc =
        loadSiteCalendar(db_, requests.empty() ? Interval{now, now} : requests.front().span(), now);
    ReservationPool pool(db_);
    Acceptance known;
    for (auto& name : pool.liveNames()) {
        known.liveNames.insert(std::move(name));
    }
    known.groupNames = pool.liveGroupNames();
    for (const auto& h : HostPool(db_).list()) {
        known.hostNames.insert(h.name);
    }
    known.appliances = applianceNames(db_);
    for (const auto& roll : RollPool(db_).list()) {
        if (roll.enabled) {
            known.rolls.insert(roll.name);
        }
    }
    // What a frontend install needs of each gateway, checked once a gateway.
    std::map<std::string, std::string> gatewayProblem;
    BulkResult result;
    std::vector<std::size_t> bookedIndex;
    for (std::size_t i = 0; i < requests.size(); ++i) {
        auto& request = requests[i];
        try {
            checkAcceptable(db_, known, request);
            calendar::Placement placement = place(sc, db_, request, now);
            StoredReservation stored;
            stored.request = request;
            stored.created = nowText(now);
            sc.describe(placement, stored);
            auto [problem, fresh] = gatewayProblem.try_emplace(stored.gateway);
            if (fresh) {
                try {
                    checkInstallable(stored);
                } catch (const Error& e) {
                    problem->second = e.what();
                }
            }
            if (!problem->second.empty()) {
                throw Error(problem->second);
            }
            // Booked at once, so the next requests of the file see it.
            sc.bookUnrecorded(stored);
            known.liveNames.insert(stored.request.name);
            result.booked.push_back(std::move(stored));
            bookedIndex.push_back(i);
        } catch (const Refusal& e) {
            result.refused.push_back({i, request.name, e.what(), true});
        } catch (const Error& e) {
            result.refused.push_back({i, request.name, e.what(), false});
        }
    }
    if (allOrNothing && !result.refused.empty()) {
        result.booked.clear();
        return result;
    }
    pool.insertMany(result.booked);
    return result;
}

StoredReservation ReservationBook::change(const std::string& name, const ReservationChange& change,
                                          Time now) {
    SiteCalendar sc = loadSiteCalendar(db_, now);
    auto it = std::find_if(sc.reservations.begin(), sc.reservations.end(),
                           [&](const auto& r) { return r.request.name == name; });
    if (it == sc.reservations.end()) {
        throw Error("unknown vcluster '" + name + "'");
    }
    if (it->state == "failed" || it->state == "releasing") {
        throw Error("vcluster '" + name + "' is " + it->state +
                    (it->state == "failed" ? " (" + it->failureReason + "): remove it first"
                                           : ": it is being torn down"));
    }
    StoredReservation updated = *it;
    calendar::Booking old = sc.bookingOf(*it);
    auto& r = updated.request;
    if (change.end) {
        if (*change.end <= r.start) {
            throw Error("end (" + formatTime(*change.end) + ") must be after start (" +
                        formatTime(r.start) + ")");
        }
        if (*change.end <= now) {
            throw Error("end (" + formatTime(*change.end) + ") is in the past");
        }
        r.end = *change.end;
    }
    if (change.nodes) {
        r.nodes = *change.nodes;
    }
    if (change.memoryMiB) {
        r.memoryMiB = *change.memoryMiB;
    }
    if (r.repeat && r.computeWindows().empty()) {
        throw Error("the new span has no window of repeat '" + r.repeat->text() + "'");
    }
    const bool running = it->state == "active" || it->state == "powered-off";
    if (change.cycle && !(updated.built() && running)) {
        throw Error("vcluster '" + name + "' is " + it->state +
                    ": cycle=yes power-cycles the VMs of a built (active or powered-off) cluster");
    }
    sc.calendarUnbook(old);
    // A built cluster's change is carried out on the hosts by the next sync:
    // added computes are built and started, removed ones torn down (the
    // calendar frees them once they are), a new memory size is written into
    // the definitions and takes effect at the VMs' next power cycle
    // (cycle=yes, or a weekly window's close). Until then the calendar holds
    // the larger of what runs and what is asked.
    calendar::Demand demand = heldDemand(updated);
    auto decision = calendar::readmit(sc.calendar, demand, old.placement, sc.site.policy);
    if (auto* shortage = std::get_if<calendar::Shortage>(&decision)) {
        sc.nameHolder(*shortage);
        throw Refusal("refused: " + shortage->message() + "; nothing changed");
    }
    sc.describe(std::get<calendar::Placement>(decision), updated);
    ReservationPool pool(db_);
    pool.update(updated);
    if (updated.built() && (r.nodes != it->request.nodes || r.memoryMiB != it->request.memoryMiB)) {
        pool.setReshaping(updated.id, true);  // the next sync carries it out
    }
    if (change.cycle) {
        pool.setCycleAsked(updated.id, true);
    }
    return updated;
}

StoredReservation ReservationBook::moveNode(const std::string& name, int rank,
                                            const std::string& host, Time now) {
    SiteCalendar sc = loadSiteCalendar(db_, now);
    auto it = std::find_if(sc.reservations.begin(), sc.reservations.end(),
                           [&](const auto& r) { return r.request.name == name; });
    if (it == sc.reservations.end()) {
        throw Error("unknown vcluster '" + name + "'");
    }
    if (it->state != "scheduled" && it->state != "active" && it->state != "powered-off") {
        throw Error("vcluster '" + name + "' is " + it->state +
                    ": its nodes move when it is scheduled, active or powered-off");
    }
    if (rank < 0 || rank >= std::min(it->request.nodes, static_cast<int>(it->nodeHosts.size()))) {
        throw Error("vcluster '" + name + "' has no node compute-0-" + std::to_string(rank));
    }
    auto target = sc.site.hostIndex.find(host);
    if (target == sc.site.hostIndex.end() || target->second.first != calendar::Pool::VmServers) {
        throw Error("'" + host + "' is not a vm-server of the site");
    }
    if (it->nodeHosts[static_cast<std::size_t>(rank)] == host) {
        throw Error("compute-0-" + std::to_string(rank) + " of vcluster '" + name + "' is on " +
                    host + " already");
    }
    calendar::Booking old = sc.bookingOf(*it);
    sc.calendarUnbook(old);
    calendar::Placement wanted = old.placement;
    wanted.nodeHosts.at(static_cast<std::size_t>(rank)) = target->second.second;
    auto decision = calendar::readmit(sc.calendar, heldDemand(*it), wanted, sc.site.policy);
    if (auto* shortage = std::get_if<calendar::Shortage>(&decision)) {
        sc.nameHolder(*shortage);
        throw Refusal("refused: " + shortage->message() + "; nothing changed");
    }
    StoredReservation moved = *it;
    sc.describe(std::get<calendar::Placement>(decision), moved);
    ReservationPool pool(db_);
    pool.update(moved);
    if (moved.built()) {
        pool.setReshaping(moved.id, true);  // the next sync moves it
    }
    return moved;
}

void ReservationBook::roomForSnapshot(const std::string& name) {
    SiteCalendar sc = loadSiteCalendar(db_);
    auto it = std::find_if(sc.reservations.begin(), sc.reservations.end(),
                           [&](const auto& r) { return r.request.name == name; });
    if (it == sc.reservations.end()) {
        throw Error("unknown vcluster '" + name + "'");
    }
    calendar::Booking old = sc.bookingOf(*it);
    sc.calendarUnbook(old);
    StoredReservation more = *it;
    more.snapshots = std::max(1, more.snapshots) + 1;
    auto decision = calendar::readmit(sc.calendar, heldDemand(more), old.placement, sc.site.policy);
    if (auto* shortage = std::get_if<calendar::Shortage>(&decision)) {
        throw Refusal("refused: " + shortage->message() + ": no room for another snapshot of '" +
                      name + "' (each counts as large as its disks); nothing changed");
    }
}

void ReservationBook::cancel(const std::string& name, Time now, const std::string& by) {
    ReservationPool pool(db_);
    auto r = pool.findLive(name);
    if (!r) {
        throw Error("unknown vcluster '" + name + "'");
    }
    const std::string reason = "removed by " + (by.empty() ? std::string("an admin") : by);
    pool.recordEnd(r->id, std::nullopt, by, reason);
    if (r->state == "scheduled") {
        // Nothing was built: it ends now (kept in the history; one that has
        // not started keeps the period it was booked for).
        pool.setState(r->id, "cancelled");
        pool.recordEnd(r->id, formatTime(now), by, reason);
        if (r->request.start <= now && r->request.end > now) {
            pool.setEnd(r->id, std::max(now, r->request.start + 1));
        }
        return;
    }
    // Built, or partly built: its end is now, so the next `rocks sync vcluster`
    // tears down everything it created (a failed one included).
    if (r->state == "failed") {
        pool.setState(r->id, "releasing");
    }
    if (r->request.end > now) {
        pool.setEnd(r->id, std::max(now, r->request.start + 1));
    }
}

std::vector<StoredReservation> reservationsUsing(const std::vector<StoredReservation>& reservations,
                                                 const std::string& host,
                                                 const Interval& interval) {
    std::vector<StoredReservation> out;
    for (const auto& r : reservations) {
        bool uses = false;
        if (r.storage == host && overlaps(r.request.span(), interval)) {
            uses = true;
        }
        bool onHost = r.gateway == host ||
                      std::find(r.nodeHosts.begin(), r.nodeHosts.end(), host) != r.nodeHosts.end();
        if (onHost) {
            for (const auto& w : r.request.computeWindows()) {
                uses = uses || overlaps(w, interval);
            }
        }
        if (uses) {
            out.push_back(r);
        }
    }
    return out;
}

ReservationBook::MaintenanceOutcome ReservationBook::addMaintenance(const MaintenanceWindow& window,
                                                                    bool force) {
    HostPool(db_).get(window.host);
    if (window.interval.end <= window.interval.start) {
        throw Error("maintenance end must be after its start");
    }
    SiteCalendar sc = loadSiteCalendar(db_);
    ReservationPool pool(db_);
    MaintenanceOutcome outcome;
    std::vector<std::string> stuck;
    auto host = sc.site.hostIndex.find(window.host);
    if (host != sc.site.hostIndex.end()) {
        sc.calendar.addOutage({host->second.first, host->second.second, window.interval});
    }
    for (const auto& r : reservationsUsing(sc.reservations, window.host, window.interval)) {
        if (r.state != "scheduled" || r.built()) {
            stuck.push_back(r.request.name + " (" + r.state +
                            ": built there; rocks move vcluster node " + r.request.name +
                            " compute-0-N host=VMSERVER moves its computes away, or shorten "
                            "or remove it)");
            outcome.colliding.push_back(r);
            continue;
        }
        // Re-placed away from the host: computes there go elsewhere; if its
        // gateway or storage node is the host, the whole reservation moves.
        calendar::Booking old = sc.bookingOf(r);
        sc.calendarUnbook(old);
        calendar::Demand demand = heldDemand(r);
        calendar::Placement keep = old.placement;
        const bool whole = r.gateway == window.host || r.storage == window.host;
        std::erase_if(keep.nodeHosts, [&](int h) {
            return host != sc.site.hostIndex.end() &&
                   host->second.first == calendar::Pool::VmServers && h == host->second.second;
        });
        auto decision = whole ? calendar::admit(sc.calendar, demand, sc.site.policy)
                              : calendar::readmit(sc.calendar, demand, keep, sc.site.policy);
        if (auto* shortage = std::get_if<calendar::Shortage>(&decision)) {
            sc.calendarBook(old);
            stuck.push_back(r.request.name + " (no room elsewhere: " + shortage->message() + ")");
            outcome.colliding.push_back(r);
            continue;
        }
        StoredReservation moved = r;
        sc.describe(std::get<calendar::Placement>(decision), moved);
        sc.calendarBook(sc.bookingOf(moved));
        outcome.moved.emplace_back(r, moved);
    }
    if (!stuck.empty() && !force) {
        throw Refusal("refused: " + window.host + " is used during this maintenance by " +
                      join(stuck, ", ") + "; force=yes records it anyway; nothing changed");
    }
    for (const auto& [before, after] : outcome.moved) {
        pool.update(after);
    }
    pool.addMaintenance(window);
    return outcome;
}

std::string groupMemberName(const std::string& name, int index, int count) {
    const int width = std::max<int>(2, static_cast<int>(std::to_string(count).size()));
    std::string number = std::to_string(index);
    return name + "-" + std::string(static_cast<std::size_t>(width) - number.size(), '0') + number;
}

std::vector<StoredReservation> ReservationBook::group(const std::string& name) const {
    std::vector<StoredReservation> out = ReservationPool(db_).listLiveGroup(name);
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.request.name < b.request.name; });
    return out;
}

namespace {

// One try of a whole group with its start moved by `delta`: the members
// booked one after another into a copy of the calendar.
struct GroupTry {
    calendar::CapacityCalendar calendar;
    std::vector<calendar::Placement> placements;
    std::optional<calendar::Shortage> shortage;  // of member placements.size()
};

ReservationRequest shiftedRequest(const ReservationRequest& r, Time delta) {
    ReservationRequest s = r;
    s.start += delta;
    s.end += delta;
    return s;
}

GroupTry tryGroup(const SiteCalendar& sc, const std::vector<ReservationRequest>& members,
                  Time delta) {
    GroupTry t{sc.calendar, {}, std::nullopt};
    for (const auto& m : members) {
        calendar::Booking b;
        b.id = -static_cast<std::int64_t>(t.placements.size()) - 1;
        b.demand = calendar::demandOf(shiftedRequest(m, delta));
        auto decision = calendar::admit(t.calendar, b.demand, sc.site.policy);
        if (auto* shortage = std::get_if<calendar::Shortage>(&decision)) {
            t.shortage = *shortage;
            return t;
        }
        b.placement = std::get<calendar::Placement>(decision);
        t.calendar.book(b);
        t.placements.push_back(b.placement);
    }
    return t;
}

}  // namespace

std::vector<StoredReservation> ReservationBook::addGroup(const ReservationRequest& request,
                                                         int count,
                                                         const std::vector<std::string>& keys,
                                                         Time now) {
    if (!keys.empty() && static_cast<int>(keys.size()) < count) {
        throw Error("sshkeys has " + std::to_string(keys.size()) + " keys for count=" +
                    std::to_string(count) + ": one key a line, one per cluster");
    }
    const std::string last = groupMemberName(request.name, count, count);
    if (last.size() > 20) {
        throw Error("vcluster group name '" + request.name + "' is too long for count=" +
                    std::to_string(count) + ": '" + last + "' exceeds 20 characters");
    }
    checkNewName(request);
    std::vector<ReservationRequest> members;
    for (int i = 1; i <= count; ++i) {
        ReservationRequest m = request;
        m.name = groupMemberName(request.name, i, count);
        m.group = request.name;
        // hpc101.example.org -> hpc101-01.example.org; another name is a domain.
        const std::string prefix = request.name + ".";
        m.fqdn = request.fqdn.rfind(prefix, 0) == 0
                     ? m.name + request.fqdn.substr(request.name.size())
                     : m.name + "." + request.fqdn;
        if (!keys.empty()) {
            m.sshKey = keys[static_cast<std::size_t>(i - 1)];
        }
        checkNewName(m);
        members.push_back(std::move(m));
    }
    SiteCalendar sc = loadSiteCalendar(db_, now);
    const Time latestStart = std::max(request.start, now) + sc.site.defaults.horizonSeconds;
    GroupTry fit = tryGroup(sc, members, 0);
    Time delta = 0;
    if (fit.shortage) {
        // The earliest start at which every member fits: the first fit of
        // the member that ran out (with those before it booked), then the
        // whole group again from there, until it all fits.
        const std::size_t fitted = fit.placements.size();
        const std::string why = fit.shortage->message();
        std::optional<Time> allFit;
        GroupTry attempt = std::move(fit);
        for (int round = 0; round < 200; ++round) {
            const auto& failing = members[attempt.placements.size()];
            auto next = calendar::earliestFit(attempt.calendar,
                                              calendar::demandOf(shiftedRequest(failing, delta)),
                                              sc.site.policy, latestStart);
            if (!next) {
                break;
            }
            const Time step = request.repeat ? Time{7} * 86400 : 60;
            Time candidate = next->first.hold.start - request.start;
            delta = std::max(candidate, delta + step);
            if (request.start + delta > latestStart) {
                break;
            }
            attempt = tryGroup(sc, members, delta);
            if (!attempt.shortage) {
                allFit = request.start + delta;
                break;
            }
        }
        if (!request.startEarliest || !allFit) {
            throw Refusal("refused: " + std::to_string(fitted) + " of " + std::to_string(count) +
                          " clusters fit (" + why + ")" +
                          (allFit
                               ? "; earliest start at which all " + std::to_string(count) +
                                     " fit: " + formatTime(*allFit)
                               : "; all " + std::to_string(count) +
                                     " do not fit with a start before " + formatTime(latestStart)));
        }
        fit = std::move(attempt);
    }
    std::vector<StoredReservation> out;
    std::vector<materialise::InstallerSite> installers;
    for (std::size_t i = 0; i < members.size(); ++i) {
        StoredReservation stored;
        stored.request = shiftedRequest(members[i], delta);
        stored.created = nowText(now);
        sc.describe(fit.placements[i], stored);
        installers.push_back(checkInstallable(stored));
        out.push_back(std::move(stored));
    }
    for (std::size_t i = 0; i < out.size(); ++i) {
        record(out[i], installers[i]);
    }
    return out;
}

std::vector<StoredReservation> ReservationBook::addSkips(const std::string& name,
                                                         const std::vector<DateRange>& days) {
    ReservationPool pool(db_);
    std::vector<StoredReservation> targets = group(name);
    if (auto one = pool.findLive(name)) {
        targets = {*one};
    }
    if (targets.empty()) {
        throw Error("unknown vcluster '" + name + "'");
    }
    for (auto& r : targets) {
        auto& req = r.request;
        if (!req.repeat) {
            throw Error("skip= removes weekly windows: vcluster '" + req.name + "' has no repeat=");
        }
        auto all = req.repeat->skips;
        all.insert(all.end(), days.begin(), days.end());
        req.repeat->skips = mergeSkips(all);
        validateSkips(req);
        if (req.computeWindows().empty()) {
            throw Error("vcluster '" + req.name + "' would have no window left");
        }
        pool.update(r);
    }
    return targets;
}

}  // namespace vcluster::reservation
