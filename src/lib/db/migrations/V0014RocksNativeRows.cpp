#include "db/migrations/Migrations.h"

namespace vcluster::db {

// Virtual nodes recorded as Rocks' KVM roll records them: a compute's or the
// frontend's private NIC is a `networks` row with its MAC and the cluster's
// VlanID only (no IP, no subnet: it is not on the physical private network,
// whose DHCP and DNS must never hear of it); the frontend's public NIC keeps
// its public IP. The cluster's own private addresses (10.1.x.x inside its
// VLAN) live here instead, for its kit and its VM definitions.
//
// vc_host_networks: the `networks` rows of physical hosts that clusters need
// (a cluster's vlan<N> interface on each gateway and vm-server, a KVM
// gateway's public bridge and its NIC), one reference per cluster. Kind
// 'row': the roll added the row, deleted once no cluster refers to it;
// 'noreport': the roll put 'noreport' before the row's Options (so Rocks'
// `rocks sync host network` leaves the roll's ifcfg file alone), taken off
// again once no cluster refers to it.
//
// Existing clusters: their private addresses move here from `networks`.
Migration migrationRocksNativeRows() {
    return {14, "virtual nodes' private addresses off the physical subnet", R"SQL(
CREATE TABLE vc_guest_addresses (
  Node    INTEGER NOT NULL REFERENCES nodes(ID) ON DELETE CASCADE,
  Device  VARCHAR(32) NOT NULL,
  IP      VARCHAR(32) NOT NULL,
  PRIMARY KEY (Node, Device)
);

CREATE TABLE vc_host_networks (
  Cluster  VARCHAR(64) NOT NULL REFERENCES vc_materialisations(Cluster),
  Network  INTEGER NOT NULL REFERENCES networks(ID) ON DELETE CASCADE,
  Kind     VARCHAR(16) NOT NULL CHECK (Kind IN ('row', 'noreport')),
  PRIMARY KEY (Cluster, Network)
);

INSERT INTO vc_guest_addresses (Node, Device, IP)
  SELECT w.Node, w.Device, w.IP FROM networks w
  JOIN vc_materialised_nodes m ON m.Node = w.Node
  JOIN subnets s ON s.ID = w.Subnet
  WHERE s.name = 'private' AND w.IP IS NOT NULL AND w.Device IS NOT NULL;

UPDATE networks SET IP = NULL, Subnet = NULL
  WHERE Node IN (SELECT Node FROM vc_materialised_nodes)
  AND Subnet IN (SELECT ID FROM subnets WHERE name = 'private');
)SQL"};
}

}  // namespace vcluster::db
