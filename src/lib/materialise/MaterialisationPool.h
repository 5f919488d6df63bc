#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "db/Database.h"
#include "materialise/ClusterPlan.h"
#include "materialise/Materialisation.h"

namespace vcluster::materialise {

// One row of `rocks list vcluster node`.
struct VirtualNodeRow {
    std::string cluster;
    std::string name;
    std::string role;  // frontend / compute
    std::string physicalHost;
    std::string device;
    std::string mac;
    std::string ip;
    std::string subnet;
    std::optional<int> vlan;
};

// Owns the Rocks rows of materialised virtual clusters and their SQL:
// `nodes` (with memberships Frontend/Compute), `networks`, `vm_nodes`,
// `vm_disks`, plus the vc_* tables of schema versions 3 and 14.
//
// The rows are the KVM roll's: a virtual node's private NIC is a `networks`
// row with its MAC and the cluster's VlanID and no IP or subnet (the cluster's
// own addresses are in vc_guest_addresses, read back into the model); the
// frontend's public NIC has its public IP on the public subnet. Each gateway
// and vm-server of a VLAN cluster gets a `vlan<N>` row (VlanID N, private
// subnet, no address); a KVM gateway whose public bridge the roll makes gets
// a row for the bridge, and its NIC's row is marked. Those host rows carry
// Options 'noreport', so Rocks' `rocks sync host network` leaves the roll's
// own ifcfg files for them in place; they are undone when no cluster needs
// them (vc_host_networks counts the clusters).
class MaterialisationPool {
  public:
    explicit MaterialisationPool(db::Database& db) : db_(db) {}

    // Resolves the plan (MACs unique across the whole `networks` table, a
    // fresh CHAP secret) and inserts every row, in one transaction.
    Materialisation materialise(const ClusterPlan& plan);
    // Inserts an already resolved materialisation inside the caller's
    // transaction. Refuses a cluster, node name, segment, public IP, MAC or
    // CHAP user that is already in use, changing nothing.
    void insert(const Materialisation& m);
    // Deletes exactly the rows insert() added, inside the caller's
    // transaction (db::Transaction); false when there were none.
    bool remove(const std::string& cluster);
    // Rewrites a materialised cluster's rows as `m` (a reshaped() one: nodes
    // added, removed, moved or resized) inside the caller's transaction.
    void replace(const Materialisation& m);

    std::optional<Materialisation> find(const std::string& cluster) const;
    // The portal, the CA to verify it with ("": the system's) and the kit
    // credential its frontend's next (re)install carries (nothing when the
    // cluster is not materialised), in the caller's transaction.
    void setPowerToken(const std::string& cluster, const std::string& portalUrl,
                       const std::string& token, const std::string& caPem);
    Materialisation get(const std::string& cluster) const;  // throws Error when absent
    std::vector<std::string> list() const;
    // Virtual clusters with anything on the physical host (storage, VMs).
    std::vector<std::string> clustersOnHost(const std::string& host) const;
    std::vector<VirtualNodeRow> nodes(const std::optional<std::string>& cluster) const;
    std::vector<std::string> usedMacs() const;

  private:
    void insertHostNetworks(const Materialisation& m,
                            const std::map<std::string, std::int64_t>& physical,
                            std::int64_t privateSubnet, std::int64_t publicSubnet);
    void releaseHostNetworks(const std::string& cluster);
    db::Database& db_;
};

// The one place commands obtain a virtual cluster's resolved model. Today it
// reads the materialised state; the reservation stage plugs in here.
Materialisation loadPlan(db::Database& db, const std::string& cluster);

}  // namespace vcluster::materialise
