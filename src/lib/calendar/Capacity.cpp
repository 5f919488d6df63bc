#include "calendar/Capacity.h"

#include "util/Error.h"

namespace vcluster::calendar {

std::vector<Amount> poolCapacities(const Inventory& inventory, Pool pool) {
    std::vector<Amount> out;
    auto add = [&](const auto& hosts) {
        out.reserve(hosts.size());
        for (const auto& h : hosts) {
            out.push_back(h.capacity);
        }
    };
    switch (pool) {
        case Pool::VmServers:
            add(inventory.vmServers);
            break;
        case Pool::Gateways:
            add(inventory.gateways);
            break;
        case Pool::Storage:
            add(inventory.storage);
            break;
    }
    return out;
}

const char* poolNoun(Pool pool) {
    switch (pool) {
        case Pool::VmServers:
            return "vm-server";
        case Pool::Gateways:
            return "gateway";
        case Pool::Storage:
            return "storage";
    }
    return "?";
}

Policy parsePolicy(const std::string& text) {
    if (text == "pack") {
        return Policy::Pack;
    }
    if (text == "spread") {
        return Policy::Spread;
    }
    throw Error("invalid placement policy '" + text + "': expected pack or spread");
}

const char* policyName(Policy p) { return p == Policy::Pack ? "pack" : "spread"; }

std::int64_t storageMiB(std::int64_t disksMiB, int snapshots) {
    return disksMiB * (1 + std::max(1, snapshots));
}

Demand demandOf(const reservation::ReservationRequest& r) {
    Demand d;
    d.windows = r.computeWindows();
    d.hold = r.span();
    d.nodes = r.nodes;
    d.perNode = {r.cpus, r.memoryMiB};
    d.frontend = {r.feCpus, r.feMemoryMiB};
    d.diskMiB = storageMiB(r.totalDiskMiB(), 1);
    d.network = r.network;
    d.weekly = r.repeat.has_value();
    return d;
}

Demand shifted(const Demand& demand, Time delta) {
    Demand d = demand;
    for (auto& w : d.windows) {
        w.start += delta;
        w.end += delta;
    }
    d.hold.start += delta;
    d.hold.end += delta;
    return d;
}

}  // namespace vcluster::calendar
