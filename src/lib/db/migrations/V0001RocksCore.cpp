#include "db/migrations/Migrations.h"

namespace vcluster::db {

// The Rocks core tables, with Rocks' table and column names (rocksclusters/base
// database-schema, Rocks 6 attribute layout with categories/catindex) and the
// KVM roll's vm_nodes/vm_disks, so the same queries run against a real Rocks
// MySQL/MariaDB database. Rocks' tables are embeddedSql: created only in the
// embedded SQLite database, never on a Rocks frontend. SQLite-specific there:
// CHECKs and foreign keys (Rocks' MyISAM tables have none; the data layer
// never relies on a cascade for correctness, it deletes explicitly).
Migration migrationRocksCore() {
    Migration m{1, "Rocks core tables and the vcluster appliances", "", ""};
    m.embeddedSql = R"SQL(
CREATE TABLE appliances (
  ID     INTEGER PRIMARY KEY AUTOINCREMENT,
  Name   VARCHAR(32) NOT NULL UNIQUE,
  Graph  VARCHAR(64) NOT NULL DEFAULT 'default',
  Node   VARCHAR(64) NOT NULL DEFAULT '',
  OS     VARCHAR(16) NOT NULL DEFAULT 'linux'
);

CREATE TABLE distributions (
  ID          INTEGER PRIMARY KEY AUTOINCREMENT,
  Name        VARCHAR(32) NOT NULL DEFAULT '',
  OS_Release  VARCHAR(32) NOT NULL DEFAULT '',
  Lang        VARCHAR(32) NOT NULL DEFAULT ''
);

CREATE TABLE memberships (
  ID            INTEGER PRIMARY KEY AUTOINCREMENT,
  Name          VARCHAR(64) NOT NULL UNIQUE,
  Appliance     INTEGER REFERENCES appliances(ID),
  Distribution  INTEGER DEFAULT 1,
  Public        VARCHAR(3) NOT NULL DEFAULT 'no' CHECK (Public IN ('yes', 'no'))
);

CREATE TABLE nodes (
  ID             INTEGER PRIMARY KEY AUTOINCREMENT,
  Name           VARCHAR(128) NOT NULL UNIQUE,
  Membership     INTEGER NOT NULL REFERENCES memberships(ID),
  CPUs           INTEGER NOT NULL DEFAULT 1,
  Rack           INTEGER,
  Rank           INTEGER,
  Arch           VARCHAR(32) DEFAULT 'x86_64',
  OS             VARCHAR(16) NOT NULL DEFAULT 'linux',
  RunAction      VARCHAR(64) DEFAULT 'os',
  InstallAction  VARCHAR(64) DEFAULT 'install',
  Comment        VARCHAR(140)
);
CREATE INDEX nodes_membership ON nodes(Membership);
CREATE INDEX nodes_rack_rank ON nodes(Rack, Rank, Name);

CREATE TABLE subnets (
  ID        INTEGER PRIMARY KEY AUTOINCREMENT,
  name      VARCHAR(32) NOT NULL UNIQUE,
  subnet    VARCHAR(32) NOT NULL,
  netmask   VARCHAR(32) NOT NULL,
  mtu       INTEGER DEFAULT 1500,
  dnszone   VARCHAR(64) NOT NULL,
  servedns  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE networks (
  ID           INTEGER PRIMARY KEY AUTOINCREMENT,
  Node         INTEGER NOT NULL REFERENCES nodes(ID) ON DELETE CASCADE,
  MAC          VARCHAR(64),
  IP           VARCHAR(32),
  Name         VARCHAR(128),
  Device       VARCHAR(32),
  Subnet       INTEGER REFERENCES subnets(ID),
  Module       VARCHAR(128),
  VlanID       INTEGER,
  Options      VARCHAR(128),
  Channel      VARCHAR(128),
  disable_kvm  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX networks_node ON networks(Node);
CREATE INDEX networks_mac ON networks(MAC);
CREATE INDEX networks_ip ON networks(IP);

CREATE TABLE categories (
  ID           INTEGER PRIMARY KEY AUTOINCREMENT,
  Name         VARCHAR(64) NOT NULL UNIQUE,
  Description  VARCHAR(512)
);

CREATE TABLE catindex (
  ID        INTEGER PRIMARY KEY AUTOINCREMENT,
  Name      VARCHAR(64) NOT NULL,
  Category  INTEGER NOT NULL REFERENCES categories(ID),
  UNIQUE (Name, Category)
);

CREATE TABLE attributes (
  ID        INTEGER PRIMARY KEY AUTOINCREMENT,
  Attr      VARCHAR(128) NOT NULL,
  Value     TEXT,
  Shadow    TEXT,
  Category  INTEGER NOT NULL REFERENCES categories(ID),
  Catindex  INTEGER NOT NULL REFERENCES catindex(ID) ON DELETE CASCADE,
  UNIQUE (Attr, Category, Catindex)
);

CREATE TABLE rolls (
  ID       INTEGER PRIMARY KEY AUTOINCREMENT,
  Name     VARCHAR(128) NOT NULL,
  Version  VARCHAR(32) NOT NULL DEFAULT '',
  Arch     VARCHAR(32) NOT NULL DEFAULT '',
  OS       VARCHAR(16) NOT NULL DEFAULT 'linux',
  Enabled  VARCHAR(3) NOT NULL DEFAULT 'yes'
);

INSERT INTO distributions (ID, Name, OS_Release, Lang) VALUES (1, 'rocks-dist', '', 'en_US');

INSERT INTO categories (Name, Description) VALUES
  ('global', 'Global Defaults'),
  ('os', 'OS Choice (linux/sunos)'),
  ('appliance', 'Logical Appliances'),
  ('rack', 'Machine Room Racks'),
  ('host', 'Hosts - Physical AND Virtual');
INSERT INTO catindex (Name, Category) SELECT 'global', ID FROM categories WHERE Name = 'global';

INSERT INTO appliances (Name, Graph, Node) VALUES
  ('frontend', 'default', 'server'),
  ('compute', 'default', 'compute'),
  ('gateway', 'default', 'vcluster-gateway'),
  ('vm-server', 'default', 'vcluster-vm-server'),
  ('storage', 'default', 'vcluster-storage');
INSERT INTO memberships (Name, Appliance, Public)
  SELECT 'Frontend', ID, 'no' FROM appliances WHERE Name = 'frontend';
INSERT INTO memberships (Name, Appliance, Public)
  SELECT 'Compute', ID, 'yes' FROM appliances WHERE Name = 'compute';
INSERT INTO memberships (Name, Appliance, Public)
  SELECT 'Gateway', ID, 'yes' FROM appliances WHERE Name = 'gateway';
INSERT INTO memberships (Name, Appliance, Public)
  SELECT 'VM Server', ID, 'yes' FROM appliances WHERE Name = 'vm-server';
INSERT INTO memberships (Name, Appliance, Public)
  SELECT 'Storage', ID, 'yes' FROM appliances WHERE Name = 'storage';
INSERT INTO catindex (Name, Category)
  SELECT a.Name, c.ID FROM appliances a, categories c WHERE c.Name = 'appliance';

INSERT INTO subnets (name, subnet, netmask, mtu, dnszone, servedns) VALUES
  ('private', '10.1.0.0', '255.255.0.0', 1500, 'local', 1),
  ('public', '192.0.2.0', '255.255.255.0', 1500, 'example.org', 0);

INSERT INTO attributes (Attr, Value, Category, Catindex)
  SELECT v.Attr, v.Value, c.ID, i.ID
  FROM (SELECT 'Kickstart_PrivateDNSDomain' AS Attr, 'local' AS Value
        UNION ALL SELECT 'Kickstart_PublicDNSDomain', 'example.org'
        UNION ALL SELECT 'Kickstart_Timezone', 'UTC'
        UNION ALL SELECT 'Kickstart_PublicDNSServers', '192.0.2.1') AS v,
       categories c, catindex i
  WHERE c.Name = 'global' AND i.Name = 'global' AND i.Category = c.ID;
)SQL";
    // Rocks' own tables (above) exist on a Rocks frontend; the KVM roll's VM
    // tables may (its schema, so only if missing); the roll's own attributes
    // go in beside Rocks'.
    m.sql = R"SQL(
CREATE TABLE IF NOT EXISTS vm_nodes (
  ID          INTEGER PRIMARY KEY AUTOINCREMENT,
  PhysNode    INTEGER NOT NULL REFERENCES nodes(ID),
  Node        INTEGER NOT NULL REFERENCES nodes(ID) ON DELETE CASCADE,
  Mem         INTEGER NOT NULL DEFAULT 1024,
  Slice       INTEGER NOT NULL DEFAULT 0,
  Virt_Type   VARCHAR(64),
  cdrom_path  VARCHAR(512) DEFAULT ''
);
CREATE INDEX IF NOT EXISTS vm_nodes_physnode ON vm_nodes(PhysNode);

CREATE TABLE IF NOT EXISTS vm_disks (
  ID        INTEGER PRIMARY KEY AUTOINCREMENT,
  Vm_Node   INTEGER NOT NULL REFERENCES vm_nodes(ID) ON DELETE CASCADE,
  VBD_Type  VARCHAR(64),
  Prefix    VARCHAR(512),
  Name      VARCHAR(512),
  Device    VARCHAR(512),
  Mode      VARCHAR(64),
  Size      INTEGER NOT NULL DEFAULT 0
);

INSERT INTO attributes (Attr, Value, Category, Catindex)
  SELECT v.Attr, v.Value, c.ID, i.ID
  FROM (SELECT 'vc_vlan_range' AS Attr, '2-4094' AS Value
        UNION ALL SELECT 'vc_vni_range', '10000-16777215') AS v,
       categories c, catindex i
  WHERE c.Name = 'global' AND i.Name = 'global' AND i.Category = c.ID;
)SQL";
    return m;
}

}  // namespace vcluster::db
