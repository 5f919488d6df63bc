#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "reservation/ReservationRequest.h"
#include "reservation/WeeklyRepeat.h"

// The calendar's vocabulary: what the site has (Inventory), what a
// reservation needs over time (Demand) and where it was put (Placement).
namespace vcluster::calendar {

using reservation::Interval;
using reservation::NetworkKind;
using reservation::Time;

// CPUs and MiB. For storage pools only `mib` is used (disk space).
struct Amount {
    std::int64_t cpus = 0;
    std::int64_t mib = 0;
    std::int64_t get(int dim) const { return dim == 0 ? cpus : mib; }
    Amount& operator+=(const Amount& o) {
        cpus += o.cpus;
        mib += o.mib;
        return *this;
    }
    Amount& operator-=(const Amount& o) {
        cpus -= o.cpus;
        mib -= o.mib;
        return *this;
    }
    friend Amount operator+(Amount a, const Amount& b) { return a += b; }
    friend Amount operator-(Amount a, const Amount& b) { return a -= b; }
    friend Amount operator*(Amount a, std::int64_t k) { return {a.cpus * k, a.mib * k}; }
    bool fits(const Amount& need) const { return need.cpus <= cpus && need.mib <= mib; }
    bool operator==(const Amount&) const = default;
};
inline Amount maxOf(const Amount& a, const Amount& b) {
    return {std::max(a.cpus, b.cpus), std::max(a.mib, b.mib)};
}

struct HostCapacity {
    std::string name;
    Amount capacity;  // vm-servers and gateways: after the overcommit ratios
};

struct GatewayCapacity {
    std::string name;
    Amount capacity;
    std::vector<std::string> publicIps;  // addresses it can give to virtual frontends
};

struct IdRange {
    std::int64_t first = 0;
    std::int64_t last = -1;  // inclusive; empty when last < first
    std::int64_t size() const { return last < first ? 0 : last - first + 1; }
};

// The physical resources reservations compete for.
struct Inventory {
    std::vector<HostCapacity> vmServers;
    std::vector<GatewayCapacity> gateways;
    std::vector<HostCapacity> storage;  // capacity.mib = pool size
    IdRange vlans{2, 4094};
    IdRange vnis{10000, 16777215};
};

enum class Pool { VmServers = 0, Gateways = 1, Storage = 2 };
const char* poolNoun(Pool pool);  // "vm-server", "gateway", "storage"
// The capacity of each host of the pool, in the inventory's order.
std::vector<Amount> poolCapacities(const Inventory& inventory, Pool pool);

enum class Policy { Pack, Spread };
Policy parsePolicy(const std::string& text);  // "pack" or "spread"; throws Error
const char* policyName(Policy p);

// What a reservation holds, and when. CPUs and memory (computes and the
// frontend) are held during `windows` (the whole span, or a weekly course's
// hours); storage, the network id and the public address during all of
// `hold`, so a course keeps its disks and its VLAN between sessions.
struct Demand {
    std::vector<Interval> windows;
    Interval hold;
    int nodes = 0;
    Amount perNode;            // cpus, memory MiB of one compute node
    Amount frontend;           // cpus, memory MiB of the virtual frontend
    std::int64_t diskMiB = 0;  // all of the cluster's disks, in one storage pool
    NetworkKind network = NetworkKind::Vlan;
    bool weekly = false;
};

// Storage held for a cluster's disks and `snapshots` LVM snapshots of them:
// each snapshot counts as large as its origin (what a thick snapshot, -l
// 100%ORIGIN, takes; on a thin pool the same reserve, as a thin snapshot
// grows with every write since it was taken). A booking holds room for the
// automatic 'installed' snapshot from the start.
std::int64_t storageMiB(std::int64_t disksMiB, int snapshots);

// Built from a validated request (its weekly windows already expanded), with
// room for the 'installed' snapshot.
Demand demandOf(const reservation::ReservationRequest& request);

// The same demand moved by `delta` seconds.
Demand shifted(const Demand& demand, Time delta);

// Where a reservation's parts live; indexes into the Inventory's vectors.
struct Placement {
    std::vector<int> nodeHosts;  // vm-server per compute node
    int gateway = -1;
    int publicIp = -1;  // index into that gateway's publicIps
    int storage = -1;
    std::int64_t networkId = 0;  // VLAN id or VNI, by Demand::network
};

struct Booking {
    std::int64_t id = 0;  // the reservation's ID
    Demand demand;
    Placement placement;
};

// One booking's hold on a numbered resource (a VLAN id, a VNI, a public
// address): when, and which booking (Booking::id) holds it.
struct IdHolding {
    Interval interval;
    std::int64_t holder = 0;
};

// A host out of service: holds all of its capacity for the interval.
struct Outage {
    Pool pool = Pool::VmServers;
    int host = 0;
    Interval interval;
};

}  // namespace vcluster::calendar
