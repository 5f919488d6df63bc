#include "db/migrations/Migrations.h"

namespace vcluster::db {

// What a materialised virtual cluster adds beside Rocks' own rows (nodes,
// networks, vm_nodes, vm_disks): which nodes belong to which virtual
// cluster, the plan's settings the generators need, and the cluster's CHAP
// secret. Keyed by the virtual cluster's name only, so it depends on nothing
// but the Rocks core tables. The database file is created mode 0600 (root
// only), which is what keeps vc_chap_secrets readable by root only.
Migration migrationMaterialisation() {
    return {3, "materialised virtual clusters", R"SQL(
CREATE TABLE vc_materialisations (
  Cluster     VARCHAR(64) PRIMARY KEY,
  Owner       VARCHAR(128) NOT NULL,
  Hypervisor  VARCHAR(16) NOT NULL CHECK (Hypervisor IN ('vmware', 'kvm')),
  Network     VARCHAR(16) NOT NULL CHECK (Network IN ('vlan', 'vxlan')),
  SegmentID   INTEGER NOT NULL,
  Iqn         VARCHAR(223) NOT NULL UNIQUE,
  Created     TEXT NOT NULL,
  UNIQUE (Network, SegmentID)
);

CREATE TABLE vc_materialisation_settings (
  Cluster  VARCHAR(64) NOT NULL REFERENCES vc_materialisations(Cluster),
  Name     VARCHAR(64) NOT NULL,
  Value    TEXT NOT NULL,
  PRIMARY KEY (Cluster, Name)
);

CREATE TABLE vc_materialised_nodes (
  Node       INTEGER PRIMARY KEY REFERENCES nodes(ID),
  Cluster    VARCHAR(64) NOT NULL REFERENCES vc_materialisations(Cluster),
  Role       VARCHAR(16) NOT NULL CHECK (Role IN ('frontend', 'compute')),
  Rank       INTEGER NOT NULL,
  GuestName  VARCHAR(128) NOT NULL,
  DiskBytes  INTEGER NOT NULL
);
CREATE INDEX vc_materialised_nodes_cluster ON vc_materialised_nodes(Cluster);

CREATE TABLE vc_chap_secrets (
  Cluster  VARCHAR(64) PRIMARY KEY REFERENCES vc_materialisations(Cluster),
  User     VARCHAR(64) NOT NULL UNIQUE,
  Secret   VARCHAR(64) NOT NULL
);
)SQL"};
}

}  // namespace vcluster::db
