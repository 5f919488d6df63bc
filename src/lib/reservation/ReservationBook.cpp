#include "reservation/ReservationBook.h"

#include <algorithm>
#include <set>

#include "calendar/Admission.h"
#include "cluster/Appliances.h"
#include "cluster/Hosts.h"
#include "util/Error.h"

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
    if (!change.end && !change.nodes && !change.memoryMiB) {
        throw Error("nothing to change: give end=, nodes= or memory=");
    }
    return change;
}

namespace {

std::string nowText(Time now) { return formatTime(now); }

bool overlaps(const Interval& a, const Interval& b) { return a.start < b.end && b.start < a.end; }

}  // namespace

calendar::Booking SiteCalendar::bookingOf(const StoredReservation& r) const {
    calendar::Booking b;
    b.id = r.id;
    b.demand = calendar::demandOf(r.request);
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
    for (auto& r : rs) {
        if (bookedIds.insert(r.id).second) {
            calendar.book(bookingOf(r));
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

void SiteCalendar::cover(db::Database& db, const Interval& interval) {
    if (!covered || interval.end <= interval.start) {
        return;  // all of time is in already
    }
    ReservationPool pool(db);
    auto add = [&](const Interval& part) {
        if (part.start < part.end) {
            book(pool.listOverlapping(part), pool.maintenanceOverlapping(part));
        }
    };
    add({interval.start, std::min(interval.end, covered->start)});
    add({std::max(interval.start, covered->end), interval.end});
    covered =
        Interval{std::min(covered->start, interval.start), std::max(covered->end, interval.end)};
}

SiteCalendar loadSiteCalendar(db::Database& db) {
    Site site = loadSite(db);
    calendar::CapacityCalendar cal(site.inventory, site.bucketWidth);
    SiteCalendar sc{std::move(site), std::move(cal), {}, {}, std::nullopt, {}, {}};
    ReservationPool pool(db);
    sc.book(pool.listLive(), pool.maintenance());
    return sc;
}

SiteCalendar loadSiteCalendar(db::Database& db, const Interval& interval) {
    return loadSiteCalendar(db, interval, loadSite(db));
}

SiteCalendar loadSiteCalendar(db::Database& db, const Interval& interval, Site site) {
    calendar::CapacityCalendar cal(site.inventory, site.bucketWidth);
    SiteCalendar sc{
        std::move(site), std::move(cal), {}, {}, Interval{interval.start, interval.start}, {}, {}};
    sc.cover(db, interval);
    return sc;
}

namespace {

// The parts of admission both add() and addMany() do: is the request
// acceptable here (its name free, its appliances known), and where does it
// go? Returns the placement, `request` shifted when it starts at the
// earliest fit. Throws Error (not acceptable) or Refusal (does not fit).
struct Acceptance {
    std::set<std::string> liveNames;   // names of reservations in the calendar
    std::set<std::string> hostNames;   // a vcluster name may not be a host's
    std::set<std::string> appliances;  // appliance names the nodes may have
};

void checkAcceptable(const Acceptance& known, const ReservationRequest& request) {
    if (known.liveNames.count(request.name) != 0) {
        throw Error("vcluster '" + request.name + "' already exists");
    }
    if (known.hostNames.count(request.name) != 0) {
        throw Error("vcluster name '" + request.name + "' is already a host name");
    }
    for (const auto& a : request.appliances) {
        if (known.appliances.count(a) == 0) {
            throw Error("unknown appliance '" + a + "' in appliances=");
        }
    }
}

// The earliest fit starting no later than latestStart, reading the calendar
// further ahead only as far as the search gets (each round 4 times further).
std::optional<std::pair<calendar::Demand, calendar::Placement>> earliest(
    SiteCalendar& sc, db::Database& db, const calendar::Demand& demand, Time latestStart) {
    const Time length = demand.hold.end - demand.hold.start;
    Time reach = std::max<Time>(4 * length, Time{7} * 86400);
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

std::set<std::string> applianceNames(db::Database& db) {
    std::set<std::string> out;
    for (const auto& a : AppliancePool(db).list()) {
        out.insert(a.name);
    }
    return out;
}

}  // namespace

StoredReservation ReservationBook::add(ReservationRequest request, Time now) {
    SiteCalendar sc = loadSiteCalendar(db_, request.span(), site_ ? *site_ : loadSite(db_));
    ReservationPool pool(db_);
    Acceptance known;
    if (pool.findLive(request.name)) {
        known.liveNames.insert(request.name);
    }
    if (HostPool(db_).find(request.name)) {
        known.hostNames.insert(request.name);
    }
    known.appliances = applianceNames(db_);
    checkAcceptable(known, request);
    calendar::Placement placement = place(sc, db_, request, now);
    StoredReservation stored;
    stored.request = std::move(request);
    stored.created = nowText(now);
    sc.describe(placement, stored);
    stored.id = pool.insert(stored);
    return stored;
}

BulkResult ReservationBook::addMany(std::vector<ReservationRequest> requests, Time now,
                                    bool allOrNothing) {
    // Each request widens the part of the calendar read (place() covers it).
    SiteCalendar sc =
        loadSiteCalendar(db_, requests.empty() ? Interval{now, now} : requests.front().span());
    ReservationPool pool(db_);
    Acceptance known;
    for (auto& name : pool.liveNames()) {
        known.liveNames.insert(std::move(name));
    }
    for (const auto& h : HostPool(db_).list()) {
        known.hostNames.insert(h.name);
    }
    known.appliances = applianceNames(db_);
    BulkResult result;
    std::vector<std::size_t> bookedIndex;
    for (std::size_t i = 0; i < requests.size(); ++i) {
        auto& request = requests[i];
        try {
            checkAcceptable(known, request);
            calendar::Placement placement = place(sc, db_, request, now);
            StoredReservation stored;
            stored.request = std::move(request);
            stored.created = nowText(now);
            sc.describe(placement, stored);
            // Booked at once, so the next requests of the file see it.
            sc.calendar.book(sc.bookingOf(stored));
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
    SiteCalendar sc = loadSiteCalendar(db_);
    auto it = std::find_if(sc.reservations.begin(), sc.reservations.end(),
                           [&](const auto& r) { return r.request.name == name; });
    if (it == sc.reservations.end()) {
        throw Error("unknown vcluster '" + name + "'");
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
    sc.calendar.unbook(old);
    calendar::Demand demand = calendar::demandOf(r);
    auto decision = calendar::readmit(sc.calendar, demand, old.placement, sc.site.policy);
    if (auto* shortage = std::get_if<calendar::Shortage>(&decision)) {
        throw Refusal("refused: " + shortage->message() + "; nothing changed");
    }
    sc.describe(std::get<calendar::Placement>(decision), updated);
    ReservationPool(db_).update(updated);
    return updated;
}

void ReservationBook::cancel(const std::string& name, Time now) {
    ReservationPool pool(db_);
    std::optional<StoredReservation> r;
    for (auto& candidate : pool.listWithFailed()) {
        if (candidate.request.name == name) {
            r = std::move(candidate);
        }
    }
    if (!r) {
        throw Error("unknown vcluster '" + name + "'");
    }
    if (r->request.start > now && r->state == "scheduled") {
        pool.erase(r->id);
        return;
    }
    if (r->state == "scheduled") {  // its start passed but nothing was built yet
        pool.setState(r->id, "cancelled");
        if (r->request.end > now) {
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

std::vector<StoredReservation> ReservationBook::addMaintenance(const MaintenanceWindow& window) {
    HostPool(db_).get(window.host);
    if (window.interval.end <= window.interval.start) {
        throw Error("maintenance end must be after its start");
    }
    ReservationPool pool(db_);
    pool.addMaintenance(window);
    return reservationsUsing(pool.listLive(), window.host, window.interval);
}

}  // namespace vcluster::reservation
