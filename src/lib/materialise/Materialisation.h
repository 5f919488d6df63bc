#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "materialise/ClusterPlan.h"

// The fully resolved model of one virtual cluster: every name, address and
// secret the Rocks rows and the generated files use. Built from a ClusterPlan
// by resolve() (fresh allocation) or read back from the database by
// MaterialisationPool::get().
//
// Naming (unique in the physical database because cluster names are):
//   nodes rows        <cluster>-frontend, <cluster>-compute-0-<rank>
//   inside the guest  the FQDN's first label, compute-0-<rank>
//   private IPs       <net>.1.1 for the frontend, computes from the top of
//                     the subnet down (10.1.255.254, .253, ...) as Rocks does;
//                     every cluster reuses the site's 10.1.0.0/16
//   MACs              KVM 52:54:00:xx:xx:xx (locally administered), VMware
//                     00:50:56:00:00:00-3f:ff:ff; never one already in `networks`
//   IQN               iqn.<yyyy-mm>.<reversed domain>:vcluster.<cluster>
//   LVs               vc-<cluster>-frontend, vc-<cluster>-compute-0-<rank>
//   CHAP user         vc-<cluster> (secret: 16 random letters/digits)
//   host interfaces   vlan<id> + bridge vcbr<id>, or vx<vni> + bridge vxbr<vni>
//                     (at most 12 characters, within IFNAMSIZ)
namespace vcluster::materialise {

enum class NodeRole { Frontend, Compute };

struct VirtualDisk {
    int lun = 1;                // LUN on the cluster's iSCSI target
    std::string logicalVolume;  // LV name in the storage spec's volume group
    std::uint64_t bytes = 0;
    std::string backingStore;  // what the target exports; /dev/<vg>/<lv> (tests: a file)
    std::string byPath;        // stable name on the initiator host
    std::string guestDevice;   // vda / sda
};

struct VirtualNic {
    std::string device;  // eth0 (private), eth1 (frontend's public)
    std::string mac;
    std::string ip;
    std::string netmask;
    std::string subnet;  // Rocks subnet name: "private" or "public"
    std::optional<int> vlan;
    std::string bridge;  // host bridge (KVM) the NIC is plugged into
    std::string vnet;    // VMware vnet the NIC is bound to
};

struct VirtualNode {
    std::string name;       // unique in the physical database, e.g. alpha-compute-0-3
    std::string guestName;  // its name inside the virtual cluster, e.g. compute-0-3
    NodeRole role = NodeRole::Compute;
    int rank = 0;
    std::string physicalHost;
    int memoryMiB = 0;
    int cpus = 1;
    std::vector<VirtualNic> nics;
    std::vector<VirtualDisk> disks;
};

struct ChapCredentials {
    std::string user;
    std::string secret;
};

struct Materialisation {
    ClusterPlan plan;
    // The reservation (vcluster_reservations.ID) it was built for; 0 when
    // made outside the reservation lifecycle (`rocks report vcluster` plans).
    std::int64_t reservation = 0;
    std::vector<VirtualNode> nodes;  // frontend first, then computes by rank
    std::string iqn;
    ChapCredentials chap;
    std::string portalAddress;  // storage node address
    std::string segmentDevice;  // vlan<id> or vx<vni>, on every host
    std::string clusterBridge;  // bridge the cluster's private NICs plug into
    std::string privateNetmask;

    const VirtualNode& frontend() const { return nodes.front(); }
    // Physical hosts that run VMs of this cluster (gateway first), unique.
    std::vector<std::string> vmHosts() const;
};

// Allocates MAC addresses valid for the hypervisor that are not in `used`
// (normally every MAC of the `networks` table): VMware's static range
// 00:50:56:00:00:00-00:50:56:3f:ff:ff, or the locally administered
// 52:54:00:00:00:00-52:54:00:ff:ff:ff for KVM.
class MacAllocator {
  public:
    MacAllocator(Hypervisor hypervisor, const std::vector<std::string>& used);
    std::string next();  // throws Error when the range is exhausted
    static bool validFor(Hypervisor hypervisor, const std::string& mac);

  private:
    std::uint64_t base_;
    std::uint64_t limit_;
    std::uint64_t cursor_;
    std::unordered_set<std::uint64_t> used_;
};

// Random text from getrandom(2): letters and digits only, so it needs no
// quoting anywhere (tgt's config has no quoting rules).
std::string randomSecret(std::size_t length);

// Names derived from the plan alone.
std::string frontendNodeName(const std::string& cluster);           // <cluster>-frontend
std::string computeNodeName(const std::string& cluster, int rank);  // <cluster>-compute-0-<rank>
std::string targetIqn(const ClusterPlan& plan);
std::string chapUser(const std::string& cluster);                // vc-<cluster>
std::string segmentDeviceName(NetworkKind kind, int segmentId);  // vlan100 / vx10000
std::string clusterBridgeName(NetworkKind kind, int segmentId);  // vcbr100 / vxbr10000
std::string byPathName(const std::string& portal, const std::string& iqn, int lun);

// Resolves a validated plan: names, MACs (avoiding `usedMacs`), private IPs
// (frontend .1.1 of the subnet, computes from the top of the subnet down, as
// Rocks' insert-ethers does), IQN, LVs, CHAP user and a fresh random secret.
Materialisation resolve(const ClusterPlan& plan, const std::vector<std::string>& usedMacs);

// A built cluster changed to `plan` (the same cluster, another number of
// computes, their hosts or sizes): the frontend and every compute that stays
// keep their names, MACs, addresses, LUNs and CHAP secret, their host and
// size follow the plan; added computes are resolved as resolve() would
// (MACs avoiding `usedMacs`), removed ones (the highest ranks) are dropped.
Materialisation reshaped(const Materialisation& built, const ClusterPlan& plan,
                         const std::vector<std::string>& usedMacs);

// Rebuilds the derived fields (bridges, by-path, devices...) of a
// materialisation whose nodes carry names, MACs, IPs and disks (used by the
// pool when reading back, and by resolve()).
void deriveNames(Materialisation& m);

}  // namespace vcluster::materialise
