#include "db/migrations/Migrations.h"

namespace vcluster::db {

// Reservations over time (issue 3): a virtual cluster's request, where its
// parts were placed (network id, gateway + public address, storage node, one
// row per compute node), hosts out of service, and the site defaults the
// reservation commands read (documented in docs/attributes.md).
Migration migrationReservations() {
    return {2, "virtual cluster reservations, allocations and host maintenance", R"SQL(
CREATE TABLE vcluster_reservations (
  ID          INTEGER PRIMARY KEY AUTOINCREMENT,
  Name        VARCHAR(32) NOT NULL,
  Owner       VARCHAR(64) NOT NULL DEFAULT '',
  State       VARCHAR(16) NOT NULL DEFAULT 'scheduled' CHECK (State IN
                ('scheduled', 'provisioning', 'active', 'releasing', 'released',
                 'cancelled', 'failed')),
  StartTime   INTEGER NOT NULL,
  EndTime     INTEGER NOT NULL CHECK (EndTime > StartTime),
  RepeatSpec  VARCHAR(256) NOT NULL DEFAULT '',
  Nodes       INTEGER NOT NULL CHECK (Nodes >= 0),
  CPUs        INTEGER NOT NULL,
  Memory      INTEGER NOT NULL,
  Disk        INTEGER NOT NULL,
  FeCPUs      INTEGER NOT NULL,
  FeMemory    INTEGER NOT NULL,
  FeDisk      INTEGER NOT NULL,
  Rolls       TEXT NOT NULL DEFAULT '',
  Appliances  TEXT NOT NULL DEFAULT 'compute',
  SshKey      TEXT NOT NULL,
  Fqdn        VARCHAR(253) NOT NULL,
  Hypervisor  VARCHAR(16) NOT NULL CHECK (Hypervisor IN ('kvm', 'vmware')),
  Network     VARCHAR(16) NOT NULL CHECK (Network IN ('vlan', 'vxlan')),
  NetworkID   INTEGER NOT NULL,
  Gateway     INTEGER REFERENCES nodes(ID),
  PublicIP    VARCHAR(32) NOT NULL DEFAULT '',
  Storage     INTEGER REFERENCES nodes(ID),
  Created     VARCHAR(32) NOT NULL DEFAULT ''
);
-- A name is unique among the reservations still in the calendar.
CREATE UNIQUE INDEX vcluster_reservations_live_name ON vcluster_reservations(Name)
  WHERE State NOT IN ('released', 'cancelled', 'failed');
CREATE INDEX vcluster_reservations_time ON vcluster_reservations(EndTime, StartTime);

CREATE TABLE vcluster_allocations (
  ID           INTEGER PRIMARY KEY AUTOINCREMENT,
  Reservation  INTEGER NOT NULL REFERENCES vcluster_reservations(ID) ON DELETE CASCADE,
  NodeIndex    INTEGER NOT NULL,
  Host         INTEGER NOT NULL REFERENCES nodes(ID),
  UNIQUE (Reservation, NodeIndex)
);
CREATE INDEX vcluster_allocations_host ON vcluster_allocations(Host);

CREATE TABLE vcluster_maintenance (
  ID         INTEGER PRIMARY KEY AUTOINCREMENT,
  Host       INTEGER NOT NULL REFERENCES nodes(ID) ON DELETE CASCADE,
  StartTime  INTEGER NOT NULL,
  EndTime    INTEGER NOT NULL CHECK (EndTime > StartTime),
  Comment    VARCHAR(140) NOT NULL DEFAULT ''
);

INSERT INTO attributes (Attr, Value, Category, Catindex)
  SELECT v.Attr, v.Value, c.ID, i.ID
  FROM (SELECT 'vc_placement' AS Attr, 'pack' AS Value
        UNION ALL SELECT 'vc_overcommit_cpu', '1.0'
        UNION ALL SELECT 'vc_overcommit_memory', '1.0'
        UNION ALL SELECT 'vc_default_cpus', '1'
        UNION ALL SELECT 'vc_default_memory', '2GiB'
        UNION ALL SELECT 'vc_default_disk', '20GiB'
        UNION ALL SELECT 'vc_default_fe_cpus', '2'
        UNION ALL SELECT 'vc_default_fe_memory', '4GiB'
        UNION ALL SELECT 'vc_default_fe_disk', '50GiB'
        UNION ALL SELECT 'vc_default_hypervisor', 'kvm'
        UNION ALL SELECT 'vc_default_network', 'vlan'
        UNION ALL SELECT 'vc_default_rolls', 'base,kernel,os'
        UNION ALL SELECT 'vc_horizon_days', '365'
        UNION ALL SELECT 'vc_calendar_bucket', '3600') AS v,
       categories c, catindex i
  WHERE c.Name = 'global' AND i.Name = 'global' AND i.Category = c.ID;
)SQL"};
}

}  // namespace vcluster::db
