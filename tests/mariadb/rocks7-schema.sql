-- A fresh Rocks 7 frontend's `cluster` database, as far as the vcluster roll
-- meets it: Rocks' own tables (the 7.x layout of core's
-- nodes/database-schema.xml: attributes with categories, catindex and
-- resolvechain; no nodes.Comment) and the rows a fresh frontend has
-- (categories, the default resolve chain, Rocks' appliances and
-- memberships, the private and public subnets, the global Kickstart_*
-- attributes). Written for the tests from
-- ../shared/ROCKS.md, not copied from Rocks. The roll's tables are not here:
-- its migrations add them. The frontend host and the installed rolls are
-- added by the test that needs them (rocks_queries_test), so that host
-- counts agree with the embedded database's.
--
-- InnoDB, so the roll's transactions roll back Rocks' rows too.

CREATE TABLE appliances (
  ID     INT(11) NOT NULL AUTO_INCREMENT,
  Name   VARCHAR(32) NOT NULL DEFAULT '',
  Graph  VARCHAR(64) NOT NULL DEFAULT 'default',
  Node   VARCHAR(64) NOT NULL DEFAULT '',
  OS     ENUM('linux', 'sunos') NOT NULL DEFAULT 'linux',
  PRIMARY KEY (ID),
  UNIQUE KEY (Name)
) ENGINE=InnoDB;

CREATE TABLE distributions (
  ID          INT(11) NOT NULL AUTO_INCREMENT,
  Name        VARCHAR(32) NOT NULL DEFAULT '',
  OS_Release  VARCHAR(32) NOT NULL DEFAULT '',
  Lang        VARCHAR(32) NOT NULL DEFAULT '',
  PRIMARY KEY (ID)
) ENGINE=InnoDB;

CREATE TABLE memberships (
  ID            INT(11) NOT NULL AUTO_INCREMENT,
  Name          VARCHAR(64) NOT NULL DEFAULT '',
  Appliance     INT(11) DEFAULT '0',
  Distribution  INT(11) DEFAULT '1',
  Public        ENUM('yes', 'no') NOT NULL DEFAULT 'no',
  PRIMARY KEY (ID),
  UNIQUE KEY (Name)
) ENGINE=InnoDB;

CREATE TABLE nodes (
  ID             INT(11) NOT NULL AUTO_INCREMENT,
  Name           VARCHAR(128) DEFAULT NULL,
  Membership     INT(11) DEFAULT '2',
  CPUs           INT(11) NOT NULL DEFAULT '1',
  Rack           INT(11) DEFAULT NULL,
  Rank           INT(11) DEFAULT NULL,
  Arch           VARCHAR(32) DEFAULT NULL,
  OS             ENUM('linux', 'sunos') NOT NULL DEFAULT 'linux',
  RunAction      VARCHAR(64) DEFAULT 'os',
  InstallAction  VARCHAR(64) DEFAULT 'install',
  PRIMARY KEY (ID),
  KEY (Name)
) ENGINE=InnoDB;

CREATE TABLE subnets (
  ID        INT(11) NOT NULL AUTO_INCREMENT,
  name      VARCHAR(32) NOT NULL,
  dnszone   VARCHAR(64) NOT NULL,
  subnet    VARCHAR(32) NOT NULL,
  netmask   VARCHAR(32) NOT NULL,
  mtu       INT(11) DEFAULT '1500',
  servedns  BOOLEAN DEFAULT FALSE,
  PRIMARY KEY (ID),
  UNIQUE KEY (name),
  UNIQUE KEY (dnszone)
) ENGINE=InnoDB;

CREATE TABLE networks (
  ID           INT(11) NOT NULL AUTO_INCREMENT,
  Node         INT(11) DEFAULT NULL,
  MAC          VARCHAR(64) DEFAULT NULL,
  IP           VARCHAR(32) DEFAULT NULL,
  Name         VARCHAR(128) DEFAULT NULL,
  Device       VARCHAR(32) DEFAULT NULL,
  Subnet       INT(11) DEFAULT NULL,
  Module       VARCHAR(128) DEFAULT NULL,
  VlanID       INT(11) DEFAULT NULL,
  Options      VARCHAR(128) DEFAULT NULL,
  Channel      VARCHAR(128) DEFAULT NULL,
  Disable_KVM  BOOLEAN NOT NULL DEFAULT 0,
  PRIMARY KEY (ID),
  KEY (Node),
  FOREIGN KEY (Node) REFERENCES nodes (ID) ON DELETE CASCADE,
  FOREIGN KEY (Subnet) REFERENCES subnets (ID) ON DELETE CASCADE
) ENGINE=InnoDB;

CREATE TABLE categories (
  ID           INT(11) NOT NULL AUTO_INCREMENT,
  Name         VARCHAR(64) NOT NULL,
  Description  VARCHAR(512) DEFAULT NULL,
  PRIMARY KEY (ID),
  UNIQUE KEY (Name)
) ENGINE=InnoDB;

CREATE TABLE catindex (
  ID        INT(11) NOT NULL AUTO_INCREMENT,
  Name      VARCHAR(64) NOT NULL,
  Category  INT(11) NOT NULL,
  PRIMARY KEY (ID),
  UNIQUE KEY (Name, Category),
  FOREIGN KEY (Category) REFERENCES categories (ID) ON DELETE CASCADE
) ENGINE=InnoDB;

CREATE TABLE resolvechain (
  ID          INT(11) NOT NULL AUTO_INCREMENT,
  Name        VARCHAR(64) NOT NULL,
  Category    INT(11) NOT NULL,
  Precedence  INT(11) NOT NULL DEFAULT '10',
  PRIMARY KEY (ID),
  UNIQUE KEY (Name, Category),
  FOREIGN KEY (Category) REFERENCES categories (ID) ON DELETE CASCADE
) ENGINE=InnoDB;

CREATE TABLE attributes (
  ID        INT(11) NOT NULL AUTO_INCREMENT,
  Attr      VARCHAR(128) NOT NULL,
  Value     TEXT,
  Shadow    TEXT,
  Category  INT(11) NOT NULL,
  Catindex  INT(11) NOT NULL,
  PRIMARY KEY (ID),
  UNIQUE KEY (Attr, Category, Catindex),
  FOREIGN KEY (Catindex) REFERENCES catindex (ID) ON DELETE CASCADE
) ENGINE=InnoDB;

CREATE TABLE rolls (
  ID       INT(11) NOT NULL AUTO_INCREMENT,
  Name     VARCHAR(128) NOT NULL DEFAULT '',
  Version  VARCHAR(32) NOT NULL DEFAULT '',
  Arch     VARCHAR(32) NOT NULL DEFAULT '',
  OS       ENUM('linux', 'sunos') NOT NULL DEFAULT 'linux',
  Enabled  ENUM('yes', 'no') NOT NULL DEFAULT 'yes',
  PRIMARY KEY (ID)
) ENGINE=InnoDB;

CREATE TABLE aliases (
  ID       INT(11) NOT NULL AUTO_INCREMENT,
  Network  INT(11) DEFAULT NULL,
  Name     VARCHAR(32) DEFAULT NULL,
  PRIMARY KEY (ID)
) ENGINE=InnoDB;

CREATE TABLE public_keys (
  ID          INT(11) NOT NULL AUTO_INCREMENT,
  Node        INT(11) NOT NULL DEFAULT '0',
  Public_Key  VARCHAR(4096) DEFAULT NULL,
  Description VARCHAR(4096) DEFAULT NULL,
  PRIMARY KEY (ID)
) ENGINE=InnoDB;

CREATE TABLE boot (
  ID      INT(11) NOT NULL AUTO_INCREMENT,
  Node    INT(11) NOT NULL DEFAULT '0',
  Action  ENUM('install', 'os', 'run') DEFAULT NULL,
  PRIMARY KEY (ID)
) ENGINE=InnoDB;

-- A fresh frontend's rows.
INSERT INTO distributions (ID, Name, OS_Release, Lang) VALUES (1, 'rocks-dist', '7.0', 'en_US');

INSERT INTO categories (Name, Description) VALUES
  ('global', 'Global Defaults'),
  ('os', 'OS Choice (linux/sunos)'),
  ('appliance', 'Logical Appliances'),
  ('rack', 'Machine Room Racks'),
  ('host', 'Hosts - Physical AND Virtual');

INSERT INTO resolvechain (Name, Category, Precedence)
  SELECT 'default', ID, 10 FROM categories WHERE Name = 'global';
INSERT INTO resolvechain (Name, Category, Precedence)
  SELECT 'default', ID, 20 FROM categories WHERE Name = 'os';
INSERT INTO resolvechain (Name, Category, Precedence)
  SELECT 'default', ID, 30 FROM categories WHERE Name = 'appliance';
INSERT INTO resolvechain (Name, Category, Precedence)
  SELECT 'default', ID, 40 FROM categories WHERE Name = 'rack';
INSERT INTO resolvechain (Name, Category, Precedence)
  SELECT 'default', ID, 50 FROM categories WHERE Name = 'host';

INSERT INTO appliances (Name, Graph, Node) VALUES
  ('frontend', 'default', 'server'),
  ('compute', 'default', 'compute');

INSERT INTO memberships (Name, Appliance, Distribution, Public)
  SELECT 'Frontend', ID, 1, 'no' FROM appliances WHERE Name = 'frontend';
INSERT INTO memberships (Name, Appliance, Distribution, Public)
  SELECT 'Compute', ID, 1, 'yes' FROM appliances WHERE Name = 'compute';

INSERT INTO catindex (Name, Category) SELECT 'global', ID FROM categories WHERE Name = 'global';
INSERT INTO catindex (Name, Category) SELECT 'linux', ID FROM categories WHERE Name = 'os';
INSERT INTO catindex (Name, Category)
  SELECT a.Name, c.ID FROM appliances a, categories c WHERE c.Name = 'appliance';

INSERT INTO subnets (name, dnszone, subnet, netmask, mtu, servedns) VALUES
  ('private', 'local', '10.1.0.0', '255.255.0.0', 1500, TRUE),
  ('public', 'example.org', '192.0.2.0', '255.255.255.0', 1500, FALSE);

INSERT INTO attributes (Attr, Value, Category, Catindex)
  SELECT v.Attr, v.Value, c.ID, i.ID
  FROM (SELECT 'Kickstart_PrivateDNSDomain' AS Attr, 'local' AS Value
        UNION ALL SELECT 'Kickstart_PublicDNSDomain', 'example.org'
        UNION ALL SELECT 'Kickstart_Timezone', 'UTC'
        UNION ALL SELECT 'Kickstart_PublicDNSServers', '192.0.2.1') AS v,
       categories c, catindex i
  WHERE c.Name = 'global' AND i.Name = 'global' AND i.Category = c.ID;
