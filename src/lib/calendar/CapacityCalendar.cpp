#include "calendar/CapacityCalendar.h"

#include <algorithm>
#include <map>

namespace vcluster::calendar {

CapacityCalendar::CapacityCalendar(Inventory inventory, Time bucketWidth)
    : inventory_(std::move(inventory)),
      vlans_(inventory_.vlans, bucketWidth),
      vnis_(inventory_.vnis, bucketWidth) {
    for (Pool pool : {Pool::VmServers, Pool::Gateways, Pool::Storage}) {  // by Pool's value
        timelines_.emplace_back(poolCapacities(inventory_, pool), bucketWidth);
    }
    for (const auto& g : inventory_.gateways) {
        publicIps_.emplace_back(IdRange{0, static_cast<std::int64_t>(g.publicIps.size()) - 1},
                                bucketWidth);
    }
}

void CapacityCalendar::apply(const Booking& b, bool adding, const std::vector<Interval>* within,
                             bool usageOnly) {
    const Demand& d = b.demand;
    const Placement& p = b.placement;
    // The parts of `iv` inside `within` (all of it without one).
    auto parts = [&](const Interval& iv, auto&& use) {
        if (within == nullptr) {
            use(iv);
            return;
        }
        for (const Interval& w : *within) {
            const Interval part{std::max(iv.start, w.start), std::min(iv.end, w.end)};
            if (part.start < part.end) {
                use(part);
            }
        }
    };
    auto use = [&](UsageTimeline& t, int host, const Interval& iv, const Amount& a) {
        parts(iv, [&](const Interval& part) {
            adding ? t.add(host, part, a) : t.remove(host, part, a);
        });
    };
    // Nodes on the same host are booked as one amount: fewer changes to keep.
    std::map<int, std::int64_t> perHost;
    for (int h : p.nodeHosts) {
        ++perHost[h];
    }
    UsageTimeline::HostAmounts nodes;
    for (const auto& [host, count] : perHost) {
        nodes.emplace_back(host, d.perNode * count);
    }
    for (const auto& w : d.windows) {
        if (!nodes.empty()) {
            parts(w, [&](const Interval& part) {
                adding ? timeline(Pool::VmServers).add(nodes, part)
                       : timeline(Pool::VmServers).remove(nodes, part);
            });
        }
        if (p.gateway >= 0) {
            use(timeline(Pool::Gateways), p.gateway, w, d.frontend);
        }
    }
    if (p.storage >= 0) {
        use(timeline(Pool::Storage), p.storage, d.hold, Amount{0, d.diskMiB});
    }
    if (usageOnly) {
        return;
    }
    auto& ids = d.network == NetworkKind::Vlan ? vlans_ : vnis_;
    if (p.networkId != 0) {
        adding ? ids.add(p.networkId, d.hold, b.id) : ids.remove(p.networkId, d.hold);
    }
    if (p.gateway >= 0 && p.publicIp >= 0 &&
        static_cast<std::size_t>(p.gateway) < publicIps_.size()) {
        auto& ips = publicIps_[static_cast<std::size_t>(p.gateway)];
        adding ? ips.add(p.publicIp, d.hold, b.id) : ips.remove(p.publicIp, d.hold);
    }
    auto end = [&](Time t) {
        if (adding) {
            ends_.insert(t);
        } else if (auto it = ends_.find(t); it != ends_.end()) {
            ends_.erase(it);
        }
    };
    end(d.hold.end);
    for (const auto& w : d.windows) {
        if (w.end != d.hold.end) {
            end(w.end);
        }
    }
}

void CapacityCalendar::book(const Booking& booking) { apply(booking, true, nullptr, false); }
void CapacityCalendar::unbook(const Booking& booking) { apply(booking, false, nullptr, false); }
void CapacityCalendar::book(const Booking& booking, const std::vector<Interval>& within) {
    apply(booking, true, &within, false);
}
void CapacityCalendar::unbook(const Booking& booking, const std::vector<Interval>& within) {
    apply(booking, false, &within, false);
}
void CapacityCalendar::extend(const Booking& booking, const std::vector<Interval>& more) {
    apply(booking, true, &more, true);
}

void CapacityCalendar::addOutage(const Outage& o) {
    auto& t = timeline(o.pool);
    if (o.host >= 0 && static_cast<std::size_t>(o.host) < t.size()) {
        t.add(o.host, o.interval, t.capacity()[static_cast<std::size_t>(o.host)]);
        ends_.insert(o.interval.end);
    }
}

void CapacityCalendar::freeOver(Pool pool, const std::vector<Interval>& windows,
                                std::vector<Amount>& free) const {
    const auto& t = timeline(pool);
    t.maxUsage(windows, free);
    for (std::size_t h = 0; h < free.size(); ++h) {
        free[h] = t.capacity()[h] - free[h];
    }
}

std::optional<std::int64_t> CapacityCalendar::firstFreeNetworkId(NetworkKind kind,
                                                                 const Interval& hold) const {
    return (kind == NetworkKind::Vlan ? vlans_ : vnis_).firstFree(hold);
}

std::optional<int> CapacityCalendar::firstFreePublicIp(int gateway, const Interval& hold) const {
    if (gateway < 0 || static_cast<std::size_t>(gateway) >= publicIps_.size()) {
        return std::nullopt;
    }
    auto id = publicIps_[static_cast<std::size_t>(gateway)].firstFree(hold);
    return id ? std::optional<int>(static_cast<int>(*id)) : std::nullopt;
}

bool CapacityCalendar::networkIdFree(NetworkKind kind, std::int64_t id,
                                     const Interval& hold) const {
    return (kind == NetworkKind::Vlan ? vlans_ : vnis_).isFree(id, hold);
}

bool CapacityCalendar::publicIpFree(int gateway, int address, const Interval& hold) const {
    return gateway >= 0 && static_cast<std::size_t>(gateway) < publicIps_.size() &&
           publicIps_[static_cast<std::size_t>(gateway)].isFree(address, hold);
}

std::optional<IdHolding> CapacityCalendar::networkIdHolder(NetworkKind kind, std::int64_t id,
                                                           const Interval& hold) const {
    return (kind == NetworkKind::Vlan ? vlans_ : vnis_).holder(id, hold);
}

std::optional<IdHolding> CapacityCalendar::publicIpHolder(int gateway, int address,
                                                          const Interval& hold) const {
    if (gateway < 0 || static_cast<std::size_t>(gateway) >= publicIps_.size()) {
        return std::nullopt;
    }
    return publicIps_[static_cast<std::size_t>(gateway)].holder(address, hold);
}

Time CapacityCalendar::peakInstant(Pool pool, int host, int dim,
                                   const std::vector<Interval>& windows) const {
    return timeline(pool).peak(host, dim, windows).second;
}

std::optional<Time> CapacityCalendar::nextEndAfter(Time t) const {
    auto it = ends_.upper_bound(t);
    return it == ends_.end() ? std::nullopt : std::optional<Time>(*it);
}

void CapacityCalendar::endsBetween(Time after, Time upTo, std::vector<Time>& out) const {
    out.clear();
    // One pass (the same instant may be several ends): a search per distinct
    // end was a sixth of an earliest-start search on a calendar of 100,000.
    for (auto it = ends_.upper_bound(after); it != ends_.end() && *it <= upTo; ++it) {
        if (out.empty() || out.back() != *it) {
            out.push_back(*it);
        }
    }
}

void CapacityCalendar::usageSteps(Pool pool, const Interval& span,
                                  std::vector<UsageSteps>& out) const {
    timeline(pool).allSteps(span, out);
}

std::vector<std::pair<Time, Amount>> CapacityCalendar::steps(Pool pool, int host,
                                                             const Interval& span) const {
    return timeline(pool).steps(host, span);
}

}  // namespace vcluster::calendar
