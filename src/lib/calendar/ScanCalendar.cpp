#include "calendar/ScanCalendar.h"

#include <algorithm>
#include <map>
#include <set>

#include "reservation/TimeText.h"

namespace vcluster::calendar {

namespace {

// Max of a set of [start,end) uses at any instant of `window`, and the first
// instant it is reached.
std::pair<Amount, std::array<Time, 2>> sweep(std::vector<std::pair<Time, Amount>>& events,
                                             const Interval& window) {
    std::sort(events.begin(), events.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    Amount current;
    Amount best;
    std::array<Time, 2> at = {window.start, window.start};
    for (std::size_t i = 0; i < events.size();) {
        Time t = events[i].first;
        for (; i < events.size() && events[i].first == t; ++i) {
            current += events[i].second;
        }
        if (t >= window.end) {
            break;
        }
        for (int dim = 0; dim < 2; ++dim) {
            if (current.get(dim) > best.get(dim)) {
                (dim == 0 ? best.cpus : best.mib) = current.get(dim);
                at[static_cast<std::size_t>(dim)] = t;
            }
        }
    }
    return {best, at};
}

}  // namespace

std::size_t ScanCalendar::hostCount(Pool pool) const {
    switch (pool) {
        case Pool::VmServers:
            return inventory_.vmServers.size();
        case Pool::Gateways:
            return inventory_.gateways.size();
        case Pool::Storage:
            return inventory_.storage.size();
    }
    return 0;
}

Amount ScanCalendar::capacity(Pool pool, int host) const {
    auto h = static_cast<std::size_t>(host);
    switch (pool) {
        case Pool::VmServers:
            return inventory_.vmServers[h].capacity;
        case Pool::Gateways:
            return inventory_.gateways[h].capacity;
        case Pool::Storage:
            return inventory_.storage[h].capacity;
    }
    return {};
}

std::vector<ScanCalendar::Use> ScanCalendar::usesOf(const Booking& b) const {
    std::vector<Use> out;
    for (const auto& w : b.demand.windows) {
        for (int h : b.placement.nodeHosts) {
            out.push_back({Pool::VmServers, h, w, b.demand.perNode, false});
        }
        if (b.placement.gateway >= 0) {
            out.push_back({Pool::Gateways, b.placement.gateway, w, b.demand.frontend, false});
        }
    }
    if (b.placement.storage >= 0) {
        out.push_back(
            {Pool::Storage, b.placement.storage, b.demand.hold, {0, b.demand.diskMiB}, false});
    }
    return out;
}

std::vector<ScanCalendar::IdUse> ScanCalendar::idUsesOf(const Booking& b) const {
    std::vector<IdUse> out;
    if (b.placement.networkId != 0) {
        out.push_back({b.demand.network == NetworkKind::Vlan ? 0 : 1, b.placement.networkId,
                       b.demand.hold, b.id});
    }
    if (b.placement.gateway >= 0 && b.placement.publicIp >= 0) {
        out.push_back({2 + b.placement.gateway, b.placement.publicIp, b.demand.hold, b.id});
    }
    return out;
}

void ScanCalendar::book(const Booking& b) {
    for (auto& u : usesOf(b)) {
        uses_.push_back(u);
    }
    for (auto& u : idUsesOf(b)) {
        idUses_.push_back(u);
    }
}

void ScanCalendar::unbook(const Booking& b) {
    for (const auto& u : usesOf(b)) {
        if (auto it = std::find(uses_.begin(), uses_.end(), u); it != uses_.end()) {
            uses_.erase(it);
        }
    }
    for (const auto& u : idUsesOf(b)) {
        if (auto it = std::find(idUses_.begin(), idUses_.end(), u); it != idUses_.end()) {
            idUses_.erase(it);
        }
    }
}

void ScanCalendar::addOutage(const Outage& o) {
    if (o.host >= 0 && static_cast<std::size_t>(o.host) < hostCount(o.pool)) {
        uses_.push_back({o.pool, o.host, o.interval, capacity(o.pool, o.host), true});
    }
}

void ScanCalendar::freeOver(Pool pool, const std::vector<Interval>& windows,
                            std::vector<Amount>& free) const {
    const std::size_t n = hostCount(pool);
    std::vector<Amount> worst(n);
    std::vector<std::vector<std::pair<Time, Amount>>> events(n);
    for (const auto& w : windows) {
        for (auto& e : events) {
            e.clear();
        }
        for (const auto& u : uses_) {
            if (u.pool != pool || u.interval.end <= w.start || u.interval.start >= w.end) {
                continue;
            }
            auto& e = events[static_cast<std::size_t>(u.host)];
            e.emplace_back(std::max(u.interval.start, w.start), u.amount);
            e.emplace_back(std::min(u.interval.end, w.end), Amount{} - u.amount);
        }
        for (std::size_t h = 0; h < n; ++h) {
            if (!events[h].empty()) {
                worst[h] = maxOf(worst[h], sweep(events[h], w).first);
            }
        }
    }
    free.resize(n);
    for (std::size_t h = 0; h < n; ++h) {
        free[h] = capacity(pool, static_cast<int>(h)) - worst[h];
    }
}

std::optional<std::int64_t> ScanCalendar::firstFreeId(int space, IdRange range,
                                                      const Interval& hold) const {
    std::set<std::int64_t> taken;
    for (const auto& u : idUses_) {
        if (u.space == space && u.interval.start < hold.end && u.interval.end > hold.start) {
            taken.insert(u.id);
        }
    }
    for (std::int64_t id = range.first; id <= range.last; ++id) {
        if (taken.count(id) == 0) {
            return id;
        }
    }
    return std::nullopt;
}

std::optional<std::int64_t> ScanCalendar::firstFreeNetworkId(NetworkKind kind,
                                                             const Interval& hold) const {
    return kind == NetworkKind::Vlan ? firstFreeId(0, inventory_.vlans, hold)
                                     : firstFreeId(1, inventory_.vnis, hold);
}

std::optional<int> ScanCalendar::firstFreePublicIp(int gateway, const Interval& hold) const {
    if (gateway < 0 || static_cast<std::size_t>(gateway) >= inventory_.gateways.size()) {
        return std::nullopt;
    }
    auto count = static_cast<std::int64_t>(
        inventory_.gateways[static_cast<std::size_t>(gateway)].publicIps.size());
    auto id = firstFreeId(2 + gateway, {0, count - 1}, hold);
    return id ? std::optional<int>(static_cast<int>(*id)) : std::nullopt;
}

std::optional<IdHolding> ScanCalendar::holderOf(int space, std::int64_t id,
                                                const Interval& hold) const {
    std::optional<IdHolding> first;
    for (const auto& u : idUses_) {
        if (u.space == space && u.id == id && u.interval.start < hold.end &&
            u.interval.end > hold.start && (!first || u.interval.start < first->interval.start)) {
            first = IdHolding{u.interval, u.holder};
        }
    }
    return first;
}

std::optional<IdHolding> ScanCalendar::networkIdHolder(NetworkKind kind, std::int64_t id,
                                                       const Interval& hold) const {
    return holderOf(kind == NetworkKind::Vlan ? 0 : 1, id, hold);
}

std::optional<IdHolding> ScanCalendar::publicIpHolder(int gateway, int address,
                                                      const Interval& hold) const {
    return holderOf(2 + gateway, address, hold);
}

bool ScanCalendar::networkIdFree(NetworkKind kind, std::int64_t id, const Interval& hold) const {
    const IdRange& r = kind == NetworkKind::Vlan ? inventory_.vlans : inventory_.vnis;
    int space = kind == NetworkKind::Vlan ? 0 : 1;
    return id >= r.first && id <= r.last &&
           std::none_of(idUses_.begin(), idUses_.end(), [&](const IdUse& u) {
               return u.space == space && u.id == id && u.interval.start < hold.end &&
                      u.interval.end > hold.start;
           });
}

bool ScanCalendar::publicIpFree(int gateway, int address, const Interval& hold) const {
    if (gateway < 0 || static_cast<std::size_t>(gateway) >= inventory_.gateways.size() ||
        address < 0 ||
        static_cast<std::size_t>(address) >=
            inventory_.gateways[static_cast<std::size_t>(gateway)].publicIps.size()) {
        return false;
    }
    return std::none_of(idUses_.begin(), idUses_.end(), [&](const IdUse& u) {
        return u.space == 2 + gateway && u.id == address && u.interval.start < hold.end &&
               u.interval.end > hold.start;
    });
}

Time ScanCalendar::peakInstant(Pool pool, int host, int dim,
                               const std::vector<Interval>& windows) const {
    std::int64_t best = -1;
    Time at = windows.empty() ? 0 : windows.front().start;
    for (const auto& w : windows) {
        std::vector<std::pair<Time, Amount>> events;
        for (const auto& u : uses_) {
            if (u.pool == pool && u.host == host && u.interval.end > w.start &&
                u.interval.start < w.end) {
                events.emplace_back(std::max(u.interval.start, w.start), u.amount);
                events.emplace_back(std::min(u.interval.end, w.end), Amount{} - u.amount);
            }
        }
        auto [peak, when] = sweep(events, w);
        if (peak.get(dim) > best) {
            best = peak.get(dim);
            at = when[static_cast<std::size_t>(dim)];
        }
    }
    return at;
}

std::optional<Time> ScanCalendar::nextEndAfter(Time t) const {
    std::optional<Time> next;
    auto consider = [&](Time end) {
        if (end > t && (!next || end < *next)) {
            next = end;
        }
    };
    for (const auto& u : uses_) {
        consider(u.interval.end);
    }
    for (const auto& u : idUses_) {
        consider(u.interval.end);
    }
    return next;
}

void ScanCalendar::endsBetween(Time after, Time upTo, std::vector<Time>& out) const {
    std::set<Time> ends;
    for (const auto& u : uses_) {
        ends.insert(u.interval.end);
    }
    for (const auto& u : idUses_) {
        ends.insert(u.interval.end);
    }
    out.assign(ends.upper_bound(after), ends.upper_bound(upTo));
}

void ScanCalendar::usageSteps(Pool pool, const Interval& span, std::vector<UsageSteps>& out) const {
    const std::size_t n = hostCount(pool);
    std::vector<std::map<Time, Amount>> changes(n);
    for (const auto& u : uses_) {
        if (u.pool != pool || u.interval.end <= span.start || u.interval.start >= span.end) {
            continue;
        }
        auto& c = changes[static_cast<std::size_t>(u.host)];
        c[std::max(u.interval.start, span.start)] += u.amount;
        c[u.interval.end] -= u.amount;
    }
    out.assign(n, {});
    for (std::size_t h = 0; h < n && span.start < span.end; ++h) {
        Amount v;
        out[h].emplace_back(span.start, v);
        for (const auto& [t, delta] : changes[h]) {
            if (t >= span.end) {
                break;
            }
            v += delta;
            if (t == span.start) {
                out[h].back().second = v;
            } else if (!(out[h].back().second == v)) {
                out[h].emplace_back(t, v);
            }
        }
    }
}

std::vector<std::string> ScanCalendar::violations() const {
    std::vector<std::string> out;
    for (Pool pool : {Pool::VmServers, Pool::Gateways, Pool::Storage}) {
        for (std::size_t h = 0; h < hostCount(pool); ++h) {
            std::vector<std::pair<Time, Amount>> events;
            for (const auto& u : uses_) {
                if (u.pool == pool && u.host == static_cast<int>(h) && !u.outage) {
                    events.emplace_back(u.interval.start, u.amount);
                    events.emplace_back(u.interval.end, Amount{} - u.amount);
                }
            }
            if (events.empty()) {
                continue;
            }
            auto [peak, at] = sweep(events, {events.front().first, INT64_MAX});
            Amount cap = capacity(pool, static_cast<int>(h));
            if (!cap.fits(peak)) {
                out.push_back(std::string(poolNoun(pool)) + " #" + std::to_string(h) +
                              " over capacity at " + reservation::formatTime(at[0]));
            }
        }
    }
    for (std::size_t i = 0; i < idUses_.size(); ++i) {
        for (std::size_t j = i + 1; j < idUses_.size(); ++j) {
            const auto& a = idUses_[i];
            const auto& b = idUses_[j];
            if (a.space == b.space && a.id == b.id && a.interval.start < b.interval.end &&
                b.interval.start < a.interval.end) {
                out.push_back(
                    "id " + std::to_string(a.id) + " of space " + std::to_string(a.space) +
                    " held twice at " +
                    reservation::formatTime(std::max(a.interval.start, b.interval.start)));
            }
        }
    }
    return out;
}

}  // namespace vcluster::calendar
