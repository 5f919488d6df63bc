#include "reservation/ReservationBook.h"

#include <algorithm>

#include "calendar/Admission.h"
#include "cluster/Appliances.h"
#include "cluster/Hosts.h"
#include "cluster/Rolls.h"
#include "materialise/Materialisation.h"
#include "materialise/SiteFacts.h"
#include "reservation/RootPassword.h"
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

SiteCalendar loadSiteCalendar(db::Database& db) {
    Site site = loadSite(db);
    calendar::CapacityCalendar cal(site.inventory, site.bucketWidth);
    SiteCalendar sc{std::move(site), std::move(cal), {}, {}};
    ReservationPool pool(db);
    sc.reservations = pool.listLive();
    sc.maintenance = pool.maintenance();
    for (const auto& r : sc.reservations) {
        sc.calendar.book(sc.bookingOf(r));
    }
    for (const auto& m : sc.maintenance) {
        auto it = sc.site.hostIndex.find(m.host);
        if (it != sc.site.hostIndex.end()) {
            sc.calendar.addOutage({it->second.first, it->second.second, m.interval});
        }
    }
    return sc;
}

StoredReservation ReservationBook::add(ReservationRequest request, Time now) {
    SiteCalendar sc = loadSiteCalendar(db_);
    ReservationPool pool(db_);
    if (pool.findLive(request.name)) {
        throw Error("vcluster '" + request.name + "' already exists");
    }
    if (HostPool(db_).find(request.name)) {
        throw Error("vcluster name '" + request.name + "' is already a host name");
    }
    std::vector<std::string> known;
    for (const auto& a : AppliancePool(db_).list()) {
        known.push_back(a.name);
    }
    for (const auto& a : request.appliances) {
        if (std::find(known.begin(), known.end(), a) == known.end()) {
            throw Error("unknown appliance '" + a + "' in appliances=");
        }
    }
    requireInstalledRolls(db_, request.rolls);
    const Time horizon = sc.site.defaults.horizonSeconds;
    calendar::Demand demand = calendar::demandOf(request);
    const Time latestStart = std::max(request.start, now) + horizon;
    calendar::Placement placement;
    if (request.startEarliest) {
        auto fit = calendar::earliestFit(sc.calendar, demand, sc.site.policy, latestStart);
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
            auto fit = calendar::earliestFit(sc.calendar, demand, sc.site.policy, latestStart);
            throw Refusal("refused: " + shortage->message() +
                          (fit ? "; earliest start that fits: " + formatTime(fit->first.hold.start)
                               : "; nothing fits with a start before " + formatTime(latestStart)));
        }
        placement = std::get<calendar::Placement>(decision);
    }
    StoredReservation stored;
    stored.request = std::move(request);
    stored.created = nowText(now);
    sc.describe(placement, stored);
    // What the frontend's unattended install needs from the site, checked
    // now rather than at the start (one line, nothing recorded).
    const materialise::InstallerSite installer = materialise::installerSite(db_, stored.gateway);
    materialise::publicGatewayFor(db_, stored.gateway);
    stored.id = pool.insert(stored);
    // The frontend's root password: random, its clear text only in this
    // answer (shown once to the owner); key-only sites lock it instead.
    RootPassword password = makeRootPassword();
    RootPasswordPool(db_).set(stored.id, {password.hash, materialise::randomSecret(24)});
    stored.rootPassword = installer.keyOnlyRoot ? std::string(kKeyOnlyRoot) : password.clear;
    return stored;
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
