#include "calendar/Admission.h"

#include <algorithm>
#include <array>
#include <limits>
#include <map>
#include <numeric>
#include <queue>
#include <tuple>

#include "reservation/TimeText.h"

namespace vcluster::calendar {

std::string Shortage::message() const {
    std::string text = resource + (resource.back() == 's' ? " run out" : " runs out");
    if (!where.empty()) {
        text += (where.rfind("range ", 0) == 0 ? " in " : " on ") + where;
    }
    text += " at " + reservation::formatTime(at);
    if (!needs.empty()) {
        text += " (needs " + needs + ")";
    }
    if (!heldBy.empty()) {
        text += ", held by " + heldBy;
    }
    return text;
}

namespace {

constexpr std::int64_t kUnbounded = std::numeric_limits<std::int64_t>::max();

// How many nodes of `per` fit into `free` (dimension by dimension).
std::int64_t fitCount(const Amount& free, const Amount& per, int onlyDim = -1) {
    std::int64_t k = kUnbounded;
    for (int dim = 0; dim < 2; ++dim) {
        if ((onlyDim < 0 || onlyDim == dim) && per.get(dim) > 0) {
            k = std::min(k, std::max<std::int64_t>(0, free.get(dim)) / per.get(dim));
        }
    }
    return k;
}

}  // namespace

std::optional<std::vector<int>> placeNodes(const std::vector<Amount>& free, int nodes,
                                           const Amount& perNode, Policy policy) {
    std::vector<int> out;
    if (nodes <= 0) {
        return out;
    }
    // How many nodes each host takes (not capped at `nodes`: best fit needs
    // to tell a snug host from a roomy one).
    std::vector<std::int64_t> fit(free.size());
    std::int64_t total = 0;
    for (std::size_t h = 0; h < free.size(); ++h) {
        fit[h] = std::min<std::int64_t>(fitCount(free[h], perNode), std::int64_t{1} << 40);
        total += std::min<std::int64_t>(fit[h], nodes);
    }
    if (total < nodes) {
        return std::nullopt;
    }
    if (policy == Policy::Spread) {
        // Hosts this reservation uses least first, then the most room; ties
        // to the lower host index.
        using Slot = std::tuple<int, std::int64_t, int>;  // -used, room, -host
        std::priority_queue<Slot> room;
        for (std::size_t h = 0; h < fit.size(); ++h) {
            if (fit[h] > 0) {
                room.emplace(0, fit[h], -static_cast<int>(h));
            }
        }
        while (static_cast<int>(out.size()) < nodes) {
            auto [negUsed, k, negHost] = room.top();
            room.pop();
            out.push_back(-negHost);
            if (k > 1) {
                room.emplace(negUsed - 1, k - 1, negHost);
            }
        }
        std::sort(out.begin(), out.end());
        return out;
    }
    // Pack: while no single host takes all remaining nodes, fill the roomiest
    // host; then the host that takes them with the least room to spare (best
    // fit). Ties go to the lower index. One pass over the hosts per host used.
    std::vector<bool> used(fit.size(), false);
    std::int64_t remaining = nodes;
    while (remaining > 0) {
        int roomiest = -1;
        int snug = -1;
        for (std::size_t h = 0; h < fit.size(); ++h) {
            if (used[h] || fit[h] == 0) {
                continue;
            }
            auto i = static_cast<int>(h);
            if (roomiest < 0 || fit[h] > fit[static_cast<std::size_t>(roomiest)]) {
                roomiest = i;
            }
            if (fit[h] >= remaining && (snug < 0 || fit[h] < fit[static_cast<std::size_t>(snug)])) {
                snug = i;
            }
        }
        int pick = snug >= 0 ? snug : roomiest;
        std::int64_t take = std::min(remaining, fit[static_cast<std::size_t>(pick)]);
        out.insert(out.end(), static_cast<std::size_t>(take), pick);
        used[static_cast<std::size_t>(pick)] = true;
        remaining -= take;
    }
    std::sort(out.begin(), out.end());
    return out;
}

namespace {

std::string sizeNeed(int count, std::int64_t each, bool mib) {
    std::string unit = mib ? reservation::formatSizeMiB(each) : std::to_string(each) + " CPUs";
    return count == 1 ? unit : std::to_string(count) + " x " + unit;
}

// Which host to blame when nodes do not fit: the binding dimension, and the
// host with the least room in it.
Shortage nodeShortage(const CapacityView& view, const Demand& d, const std::vector<Amount>& free) {
    std::int64_t byCpu = 0;
    std::int64_t byMem = 0;
    for (const auto& f : free) {
        byCpu += std::min<std::int64_t>(fitCount(f, d.perNode, 0), d.nodes);
        byMem += std::min<std::int64_t>(fitCount(f, d.perNode, 1), d.nodes);
    }
    int dim = byMem <= byCpu ? 1 : 0;
    int host = -1;
    for (std::size_t h = 0; h < free.size(); ++h) {
        if (host < 0 || free[h].get(dim) < free[static_cast<std::size_t>(host)].get(dim)) {
            host = static_cast<int>(h);
        }
    }
    Shortage s;
    s.resource = dim == 1 ? "vm-server memory" : "vm-server CPUs";
    s.needs = dim == 1 ? sizeNeed(d.nodes, d.perNode.mib, true)
                       : sizeNeed(d.nodes, d.perNode.cpus, false);
    if (host < 0) {
        s.where = "any host (there are no vm-servers with vc_cpus/vc_memory)";
        s.at = d.windows.empty() ? d.hold.start : d.windows.front().start;
    } else {
        s.where = view.inventory().vmServers[static_cast<std::size_t>(host)].name;
        s.at = view.peakInstant(Pool::VmServers, host, dim, d.windows);
    }
    return s;
}

}  // namespace

namespace {

// Numbered resources (VLAN ids, VNIs, public addresses) are chosen with room
// around the hold: the lowest id free for 30 days either side, else 7 days,
// else 1 day, else any free id. The lowest free id alone would hand a
// reservation the id freed the instant before by the one ending there, which
// could then not be extended by a second although thousands were free.
template <typename FirstFree>
auto firstFreeWithRoom(FirstFree firstFree, const Interval& hold) {
    constexpr Time kDay = 86400;
    for (Time room : {30 * kDay, 7 * kDay, kDay}) {
        if (auto id = firstFree(Interval{hold.start - room, hold.end + room})) {
            return id;
        }
    }
    return firstFree(hold);
}

}  // namespace

Decision admit(const CapacityView& view, const Demand& d, Policy policy) {
    const Inventory& inv = view.inventory();
    Placement p;
    std::vector<Amount> free;

    // Storage: one pool holds all of the cluster's disks, for the whole span.
    view.freeOver(Pool::Storage, {d.hold}, free);
    for (std::size_t s = 0; s < free.size(); ++s) {
        if (free[s].mib < d.diskMiB) {
            continue;
        }
        auto better = [&](std::size_t cur) {
            return policy == Policy::Pack ? free[s].mib < free[cur].mib
                                          : free[s].mib > free[cur].mib;
        };
        if (p.storage < 0 || better(static_cast<std::size_t>(p.storage))) {
            p.storage = static_cast<int>(s);
        }
    }
    if (p.storage < 0) {
        Shortage sh{"storage pool space", "", d.hold.start, reservation::formatSizeMiB(d.diskMiB)};
        int worst = -1;
        for (std::size_t s = 0; s < free.size(); ++s) {
            if (worst < 0 || free[s].mib > free[static_cast<std::size_t>(worst)].mib) {
                worst = static_cast<int>(s);
            }
        }
        if (worst >= 0) {
            sh.where = inv.storage[static_cast<std::size_t>(worst)].name;
            sh.at = view.peakInstant(Pool::Storage, worst, 1, {d.hold});
        } else {
            sh.where = "any host (there are no storage nodes with vc_pool_size)";
        }
        return sh;
    }

    // The network id, for the whole span.
    auto id = firstFreeWithRoom(
        [&](const Interval& iv) { return view.firstFreeNetworkId(d.network, iv); }, d.hold);
    if (!id) {
        const IdRange& r = d.network == NetworkKind::Vlan ? inv.vlans : inv.vnis;
        return Shortage{d.network == NetworkKind::Vlan ? "VLAN ids" : "VXLAN VNIs",
                        "range " + std::to_string(r.first) + "-" + std::to_string(r.last),
                        d.hold.start, "1 id"};
    }
    p.networkId = *id;

    // The frontend: CPUs and memory on a gateway during the windows, and one
    // of its public addresses for the whole span. The best gateway with room
    // (pack: least memory left; spread: most; ties to the lower index) that
    // has an address free: the gateways are asked for an address in that
    // order, so usually only the first is.
    view.freeOver(Pool::Gateways, d.windows, free);
    std::vector<std::size_t> roomy;
    for (std::size_t g = 0; g < free.size(); ++g) {
        if (free[g].fits(d.frontend)) {
            roomy.push_back(g);
        }
    }
    const bool roomSomewhere = !roomy.empty();
    std::stable_sort(roomy.begin(), roomy.end(), [&](std::size_t a, std::size_t b) {
        return policy == Policy::Pack ? free[a].mib < free[b].mib : free[a].mib > free[b].mib;
    });
    for (std::size_t g : roomy) {
        if (auto ip = firstFreeWithRoom(
                [&](const Interval& iv) { return view.firstFreePublicIp(static_cast<int>(g), iv); },
                d.hold)) {
            p.gateway = static_cast<int>(g);
            p.publicIp = *ip;
            break;
        }
    }
    if (p.gateway < 0) {
        Shortage sh;
        if (roomSomewhere) {
            sh = {"gateway public addresses", "", d.hold.start, "1 address"};
            for (std::size_t g = 0; g < free.size(); ++g) {
                if (free[g].fits(d.frontend)) {
                    sh.where = inv.gateways[g].name;
                    break;
                }
            }
        } else {
            int dim = 1;
            int host = -1;
            for (std::size_t g = 0; g < free.size(); ++g) {
                if (host < 0 || free[g].mib > free[static_cast<std::size_t>(host)].mib) {
                    host = static_cast<int>(g);
                }
            }
            if (host >= 0 && free[static_cast<std::size_t>(host)].mib >= d.frontend.mib) {
                dim = 0;
            }
            sh.resource = dim == 1 ? "gateway memory" : "gateway CPUs";
            sh.needs = dim == 1 ? reservation::formatSizeMiB(d.frontend.mib)
                                : sizeNeed(1, d.frontend.cpus, false);
            if (host >= 0) {
                sh.where = inv.gateways[static_cast<std::size_t>(host)].name;
                sh.at = view.peakInstant(Pool::Gateways, host, dim, d.windows);
            } else {
                sh.where = "any host (there are no gateways with vc_cpus/vc_memory)";
                sh.at = d.hold.start;
            }
        }
        return sh;
    }

    // The compute nodes, during the windows; a node never spans hosts.
    if (d.nodes > 0) {
        view.freeOver(Pool::VmServers, d.windows, free);
        auto hosts = placeNodes(free, d.nodes, d.perNode, policy);
        if (!hosts) {
            return nodeShortage(view, d, free);
        }
        p.nodeHosts = std::move(*hosts);
    }
    return p;
}

Decision readmit(const CapacityView& view, const Demand& d, const Placement& current,
                 Policy policy) {
    const Inventory& inv = view.inventory();
    Placement p = current;
    std::vector<Amount> free;
    if (p.storage >= 0) {
        view.freeOver(Pool::Storage, {d.hold}, free);
        auto s = static_cast<std::size_t>(p.storage);
        if (free[s].mib < d.diskMiB) {
            return Shortage{"storage pool space", inv.storage[s].name,
                            view.peakInstant(Pool::Storage, p.storage, 1, {d.hold}),
                            reservation::formatSizeMiB(d.diskMiB)};
        }
    }
    // A kept id only needs to be unheld: one outside a since narrowed
    // vc_vlan_range/vc_vni_range stays with the reservation that has it.
    if (p.networkId != 0) {
        if (auto h = view.networkIdHolder(d.network, p.networkId, d.hold)) {
            Shortage sh{std::string(d.network == NetworkKind::Vlan ? "VLAN id " : "VNI ") +
                            std::to_string(p.networkId),
                        "", std::max(h->interval.start, d.hold.start),
                        "the same id for the whole reservation"};
            sh.holder = h->holder;
            return sh;
        }
    }
    if (p.gateway >= 0) {
        auto g = static_cast<std::size_t>(p.gateway);
        if (p.publicIp >= 0) {
            if (auto h = view.publicIpHolder(p.gateway, p.publicIp, d.hold)) {
                Shortage sh{"public address " +
                                inv.gateways[g].publicIps[static_cast<std::size_t>(p.publicIp)],
                            inv.gateways[g].name, std::max(h->interval.start, d.hold.start),
                            "the same address"};
                sh.holder = h->holder;
                return sh;
            }
        }
        view.freeOver(Pool::Gateways, d.windows, free);
        if (!free[g].fits(d.frontend)) {
            int dim = free[g].mib < d.frontend.mib ? 1 : 0;
            return Shortage{dim == 1 ? "gateway memory" : "gateway CPUs", inv.gateways[g].name,
                            view.peakInstant(Pool::Gateways, p.gateway, dim, d.windows),
                            dim == 1 ? reservation::formatSizeMiB(d.frontend.mib)
                                     : sizeNeed(1, d.frontend.cpus, false)};
        }
    }
    view.freeOver(Pool::VmServers, d.windows, free);
    std::size_t keep = std::min(p.nodeHosts.size(), static_cast<std::size_t>(std::max(0, d.nodes)));
    p.nodeHosts.resize(keep);
    std::map<int, int> kept;
    for (int h : p.nodeHosts) {
        ++kept[h];
    }
    for (const auto& [h, count] : kept) {
        auto hi = static_cast<std::size_t>(h);
        free[hi] -= d.perNode * count;
        if (free[hi].cpus < 0 || free[hi].mib < 0) {
            int dim = free[hi].mib < 0 ? 1 : 0;
            return Shortage{dim == 1 ? "vm-server memory" : "vm-server CPUs",
                            inv.vmServers[hi].name,
                            view.peakInstant(Pool::VmServers, h, dim, d.windows),
                            dim == 1 ? sizeNeed(count, d.perNode.mib, true)
                                     : sizeNeed(count, d.perNode.cpus, false)};
        }
    }
    int extra = d.nodes - static_cast<int>(keep);
    if (extra > 0) {
        auto more = placeNodes(free, extra, d.perNode, policy);
        if (!more) {
            Demand rest = d;
            rest.nodes = extra;
            return nodeShortage(view, rest, free);
        }
        p.nodeHosts.insert(p.nodeHosts.end(), more->begin(), more->end());
    }
    return p;
}

namespace {

// The earliest start by probing: admit() at each candidate in turn. For a
// weekly demand the candidates are whole weeks; otherwise every instant
// where capacity is freed, skipping those whose span holds an instant at
// which the demand cannot fit at all.
std::optional<std::pair<Demand, Placement>> probeEarliest(const CapacityView& view,
                                                          const Demand& demand, Policy policy,
                                                          Time latestStart) {
    const Time requested = demand.hold.start;
    constexpr Time kWeek = Time{7} * 86400;
    Time cursor = requested;
    while (cursor <= latestStart) {
        Demand d = shifted(demand, cursor - requested);
        Decision decision = admit(view, d, policy);
        if (auto* p = std::get_if<Placement>(&decision)) {
            return std::pair{d, *p};
        }
        if (demand.weekly) {
            cursor += kWeek;  // the weekly pattern stays on its weekdays
            continue;
        }
        // If the demand does not fit even at the single instant where it ran
        // out, no start whose span contains that instant can work: skip them.
        Time skipTo = cursor;
        const Time x = std::get<Shortage>(decision).at;
        if (x > cursor && x < d.hold.end) {
            Demand point = d;
            point.windows = {{x, x + 1}};
            point.hold = {x, x + 1};
            if (std::holds_alternative<Shortage>(admit(view, point, policy))) {
                skipTo = x;
            }
        }
        auto next = view.nextEndAfter(skipTo);
        if (!next) {
            return std::nullopt;  // nothing ends later: no shift can help
        }
        cursor = *next;
    }
    return std::nullopt;
}

// For every candidate start c (sorted), the sum over the pool's hosts of
// score(the host's free capacity over [c, c + length)), from the hosts' usage
// steps over [candidates.front(), candidates.back() + length). A host's
// window maximum changes only where one of its steps enters the window
// (c = t - length + 1) or the step holding c changes (c = t); it is computed
// there, with a monotone queue per dimension, and its score counted from the
// first candidate at or after that instant. Cost: the hosts' steps, not the
// candidates times the hosts.
template <typename Score>
void scoreCandidates(const std::vector<UsageSteps>& steps, const std::vector<Amount>& capacity,
                     Time length, const std::vector<Time>& candidates, Score score,
                     std::vector<std::int64_t>& sum) {
    const std::size_t m = candidates.size();
    sum.assign(m + 1, 0);  // differences first, then their running sums
    std::array<std::vector<std::size_t>, 2> queue;
    for (std::size_t h = 0; h < steps.size() && h < capacity.size(); ++h) {
        const UsageSteps& s = steps[h];
        const std::size_t k = s.size();
        if (k == 0) {
            continue;
        }
        std::array<std::size_t, 2> head = {0, 0};
        queue[0].clear();
        queue[1].clear();
        std::size_t entered = 0;  // steps [0, entered) have entered the window
        std::size_t current = 0;  // the step holding c
        std::int64_t before = 0;
        Time c = candidates.front();
        while (true) {
            for (; entered < k && s[entered].first <= c + length - 1; ++entered) {
                for (std::size_t dim = 0; dim < 2; ++dim) {
                    auto& q = queue[dim];
                    const int d = static_cast<int>(dim);
                    while (q.size() > head[dim] &&
                           s[q.back()].second.get(d) <= s[entered].second.get(d)) {
                        q.pop_back();
                    }
                    q.push_back(entered);
                }
            }
            while (current + 1 < k && s[current + 1].first <= c) {
                ++current;
            }
            for (std::size_t dim = 0; dim < 2; ++dim) {
                while (queue[dim][head[dim]] < current) {
                    ++head[dim];
                }
            }
            const Amount peak{s[queue[0][head[0]]].second.cpus, s[queue[1][head[1]]].second.mib};
            const std::int64_t now = score(capacity[h] - peak);
            if (now != before) {
                auto at = static_cast<std::size_t>(
                    std::lower_bound(candidates.begin(), candidates.end(), c) - candidates.begin());
                sum[at] += now - before;
                before = now;
            }
            Time next = std::numeric_limits<Time>::max();
            if (current + 1 < k) {
                next = s[current + 1].first;
            }
            if (entered < k) {
                next = std::min(next, s[entered].first - length + 1);
            }
            if (next > candidates.back()) {
                break;
            }
            c = next;
        }
    }
    for (std::size_t i = 1; i < m; ++i) {
        sum[i] += sum[i - 1];
    }
}

struct WindowScratch {
    std::vector<UsageSteps> right;
    std::vector<Amount> free;
};

// The pool's usage steps over [first, last + length), all that the windows
// of the starts first..last cover. The part every one of them holds,
// [last, first + length), is given as one step at its maximum (no window's
// maximum changes), so a long demand reads two short spans and one maximum
// instead of its whole length.
void windowSteps(const CapacityView& view, Pool pool, const std::vector<Amount>& capacity,
                 Time first, Time last, Time length, std::vector<UsageSteps>& out,
                 WindowScratch& scratch) {
    if (last >= first + length) {
        view.usageSteps(pool, {first, last + length}, out);
        return;
    }
    // Empty spans when last == first: every host's steps are empty then.
    view.usageSteps(pool, {first, last}, out);
    view.usageSteps(pool, {first + length, last + length}, scratch.right);
    view.freeOver(pool, {{last, first + length}}, scratch.free);
    for (std::size_t h = 0; h < capacity.size() && h < out.size(); ++h) {
        out[h].emplace_back(last, capacity[h] - scratch.free[h]);
        out[h].insert(out[h].end(), scratch.right[h].begin(), scratch.right[h].end());
    }
}

}  // namespace

std::optional<std::pair<Demand, Placement>> earliestFit(const CapacityView& view,
                                                        const Demand& demand, Policy policy,
                                                        Time latestStart) {
    const Time requested = demand.hold.start;
    const Time length = demand.hold.end - demand.hold.start;
    if (demand.weekly || demand.windows.size() != 1 || !(demand.windows.front() == demand.hold) ||
        length <= 0) {
        return probeEarliest(view, demand, policy, latestStart);
    }
    if (requested > latestStart) {
        return std::nullopt;
    }
    // The candidates (the requested start, then every instant capacity is
    // freed) are taken a stretch at a time, the stretch doubling up to half
    // the demand's length. In each, a
    // sweep of the pools' usage says at which candidates the compute nodes,
    // a frontend and the disks would fit; admit() (which also picks the
    // network id and address) runs only there. A candidate the sweep rules
    // out is one admit() would refuse, so the answer is the same as admitting
    // at every candidate in turn.
    const Inventory& inv = view.inventory();
    const std::vector<Amount> vmCapacity = poolCapacities(inv, Pool::VmServers);
    const std::vector<Amount> gatewayCapacity = poolCapacities(inv, Pool::Gateways);
    const std::vector<Amount> storageCapacity = poolCapacities(inv, Pool::Storage);
    constexpr Time kDay = 86400;
    constexpr Time kLongest = Time{1} << 40;
    constexpr Time kShortestStretch = 1800;
    // The starts of a stretch no longer than half the demand share at least
    // half of their windows, so a busy span can rule them all out at once
    // (below). Demands under an hour take doubling stretches alone.
    const Time longestStretch = length / 2 >= kShortestStretch ? length / 2 : kLongest;
    Time stretch = std::min(kDay, longestStretch);
    std::vector<Time> candidates{requested};
    std::vector<Time> ends;
    // One set of steps per pool (their sizes differ), kept across stretches
    // and across searches: a host's steps keep their memory (allocating and
    // freeing 1,000 vectors a search was a tenth of its time).
    thread_local std::array<std::vector<UsageSteps>, 3> steps;
    thread_local std::array<WindowScratch, 3> scratch;
    std::vector<std::int64_t> computes;
    std::vector<std::int64_t> frontends;
    std::vector<std::int64_t> disks;
    // Every window starting in [first, upTo] holds [upTo, first + length): a
    // pool that cannot take the demand over that span rules the whole stretch
    // out at once, from one maximum per host (a long demand on a busy site is
    // mostly refused this way, without reading its stretches' steps).
    std::vector<Amount> common;
    auto fitsThroughout = [&](const Interval& span) {
        if (demand.nodes > 0) {
            view.freeOver(Pool::VmServers, {span}, common);
            std::int64_t nodes = 0;
            for (const Amount& f : common) {
                nodes += std::min<std::int64_t>(fitCount(f, demand.perNode), demand.nodes);
            }
            if (nodes < demand.nodes) {
                return false;
            }
        }
        view.freeOver(Pool::Gateways, {span}, common);
        if (std::none_of(common.begin(), common.end(),
                         [&](const Amount& f) { return f.fits(demand.frontend); })) {
            return false;
        }
        view.freeOver(Pool::Storage, {span}, common);
        return std::any_of(common.begin(), common.end(),
                           [&](const Amount& f) { return f.mib >= demand.diskMiB; });
    };
    Time upTo = std::min(latestStart, requested + stretch);
    // The next stretch starts where capacity is next freed after this one.
    auto nextStretch = [&] {
        if (upTo >= latestStart) {
            return false;
        }
        auto next = view.nextEndAfter(upTo);
        if (!next || *next > latestStart) {
            return false;  // nothing ends later: no shift can help
        }
        candidates.assign(1, *next);
        upTo = std::min(latestStart, *next + stretch);
        return true;
    };
    while (true) {
        if (upTo < candidates.front() + length &&
            !fitsThroughout({upTo, candidates.front() + length})) {
            // Ruled out: the next stretch keeps this one's length (a longer one
            // would share less of its windows, and be ruled out less often).
            if (!nextStretch()) {
                return std::nullopt;
            }
            continue;
        }
        view.endsBetween(candidates.back(), upTo, ends);
        candidates.insert(candidates.end(), ends.begin(), ends.end());
        const Time first = candidates.front();
        const Time last = candidates.back();
        if (demand.nodes > 0) {
            windowSteps(view, Pool::VmServers, vmCapacity, first, last, length, steps[0],
                        scratch[0]);
            scoreCandidates(
                steps[0], vmCapacity, length, candidates,
                [&](const Amount& free) {
                    return std::min<std::int64_t>(fitCount(free, demand.perNode), demand.nodes);
                },
                computes);
        }
        windowSteps(view, Pool::Gateways, gatewayCapacity, first, last, length, steps[1],
                    scratch[1]);
        scoreCandidates(
            steps[1], gatewayCapacity, length, candidates,
            [&](const Amount& free) -> std::int64_t { return free.fits(demand.frontend); },
            frontends);
        windowSteps(view, Pool::Storage, storageCapacity, first, last, length, steps[2],
                    scratch[2]);
        scoreCandidates(
            steps[2], storageCapacity, length, candidates,
            [&](const Amount& free) -> std::int64_t { return free.mib >= demand.diskMiB; }, disks);
        for (std::size_t i = 0; i < candidates.size(); ++i) {
            if ((demand.nodes > 0 && computes[i] < demand.nodes) || frontends[i] < 1 ||
                disks[i] < 1) {
                continue;
            }
            Demand d = shifted(demand, candidates[i] - requested);
            Decision decision = admit(view, d, policy);
            if (auto* p = std::get_if<Placement>(&decision)) {
                return std::pair{d, *p};
            }
        }
        stretch = std::min(longestStretch, stretch * 2);
        if (!nextStretch()) {
            return std::nullopt;
        }
    }
}

}  // namespace vcluster::calendar
