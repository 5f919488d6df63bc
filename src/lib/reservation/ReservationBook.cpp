#include "reservation/ReservationBook.h"

#include <algorithm>

#include "calendar/Admission.h"
#include "cluster/Appliances.h"
#include "cluster/Hosts.h"
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
    if (now > 0 && r.request.end <= now) {
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

SiteCalendar loadSiteCalendar(db::Database& db, Time now) {
    Site site = loadSite(db);
    calendar::CapacityCalendar cal(site.inventory, site.bucketWidth);
    SiteCalendar sc{std::move(site), std::move(cal), {}, {}, now};
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

void ReservationBook::checkNewName(const ReservationRequest& request) const {
    ReservationPool pool(db_);
    if (pool.findLive(request.name)) {
        throw Error("vcluster '" + request.name + "' already exists");
    }
    if (!group(request.name).empty()) {
        throw Error("vcluster '" + request.name + "' already exists (a group of count=)");
    }
    if (HostPool(db_).find(request.name)) {
        throw Error("vcluster name '" + request.name + "' is already a host name");
    }
    std::vector<std::string> known;
    for (const auto& a : AppliancePool(db_).list()) {
        known.push_back(a.name);
    }
    // The site's physical roles are not for a tenant's virtual nodes.
    static const std::vector<std::string> kPhysical = {"frontend", "gateway", "vm-server",
                                                       "storage"};
    for (const auto& a : request.appliances) {
        if (std::find(kPhysical.begin(), kPhysical.end(), a) != kPhysical.end()) {
            throw Error("appliance '" + a +
                        "' in appliances= is a physical role of the site, not one for a "
                        "virtual cluster's nodes");
        }
        if (std::find(known.begin(), known.end(), a) == known.end()) {
            throw Error("unknown appliance '" + a + "' in appliances=");
        }
    }
}

StoredReservation ReservationBook::add(ReservationRequest request, Time now) {
    SiteCalendar sc = loadSiteCalendar(db_, now);
    ReservationPool pool(db_);
    checkNewName(request);
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
    stored.id = pool.insert(stored);
    return stored;
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
    sc.calendar.unbook(old);
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
    sc.calendar.unbook(old);
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
    sc.calendar.unbook(old);
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
        sc.calendar.unbook(old);
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
            sc.calendar.book(old);
            stuck.push_back(r.request.name + " (no room elsewhere: " + shortage->message() + ")");
            outcome.colliding.push_back(r);
            continue;
        }
        StoredReservation moved = r;
        sc.describe(std::get<calendar::Placement>(decision), moved);
        sc.calendar.book(sc.bookingOf(moved));
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
    std::vector<StoredReservation> out;
    for (auto& r : ReservationPool(db_).listLive()) {
        if (r.request.group == name) {
            out.push_back(std::move(r));
        }
    }
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
    ReservationPool pool(db_);
    std::vector<StoredReservation> out;
    for (std::size_t i = 0; i < members.size(); ++i) {
        StoredReservation stored;
        stored.request = shiftedRequest(members[i], delta);
        stored.created = nowText(now);
        sc.describe(fit.placements[i], stored);
        stored.id = pool.insert(stored);
        out.push_back(std::move(stored));
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
