// The roll on a Rocks frontend's own database, against the real mariadbd of
// the MariaDB pass (tests/mariadb/mariadb-pass.sh); skipped in the SQLite
// pass. What the roll may and may not do to Rocks' tables, what it refuses,
// and what Rocks' own commands then see of a virtual cluster.
#include <gtest/gtest.h>

#include <set>

#include "cluster/Attributes.h"
#include "cluster/Hosts.h"
#include "db/Catalogue.h"
#include "db/DatabaseUrl.h"
#include "db/MariaDbDatabase.h"
#include "materialise/Fixtures.h"
#include "materialise/MaterialisationPool.h"
#include "support/Process.h"
#include "support/TestDatabase.h"

using namespace vcluster;

namespace {

const std::string kSchema = std::string(VCLUSTER_SOURCE_DIR) + "/tests/mariadb/rocks7-schema.sql";

#define REQUIRE_MARIADB()                                                         \
    if (!test::onMariaDb()) {                                                     \
        GTEST_SKIP() << "needs the MariaDB pass (tests/mariadb/mariadb-pass.sh)"; \
    }

// A database shaped like a fresh Rocks 7 frontend's, opened raw (no checks,
// no migrations): what the test then changes or inspects.
struct RockDb {
    std::string url = test::emptyMariaDatabase();
    RockDb() { test::loadSqlFile(url, kSchema); }
    std::unique_ptr<db::MariaDbDatabase> raw() const {
        return std::make_unique<db::MariaDbDatabase>(db::parseMysqlUrl(url));
    }
};

std::set<std::string> tables(db::Database& db) {
    std::set<std::string> out;
    for (const auto& r : db.query("SELECT table_name FROM information_schema.tables "
                                  "WHERE table_schema = DATABASE()")) {
        out.insert(r.text(0));
    }
    return out;
}

std::string createTable(db::Database& db, const std::string& table) {
    // SHOW CREATE TABLE cannot be prepared; its text is in information_schema too.
    std::string text;
    for (const auto& r : db.query("SELECT column_name, column_type, is_nullable, "
                                  "COALESCE(column_default, ''), extra "
                                  "FROM information_schema.columns WHERE table_schema = DATABASE() "
                                  "AND table_name = ? ORDER BY ordinal_position",
                                  {table})) {
        text += r.text(0) + " " + r.text(1) + " " + r.text(2) + " " + r.text(3) + " " + r.text(4) +
                "\n";
    }
    for (const auto& r : db.query("SELECT index_name, column_name, non_unique FROM "
                                  "information_schema.statistics WHERE table_schema = DATABASE() "
                                  "AND table_name = ? ORDER BY index_name, seq_in_index",
                                  {table})) {
        text += "index " + r.text(0) + " " + r.text(1) + " " + r.text(2) + "\n";
    }
    return text;
}

test::ProcessResult rocksOn(const std::string& url, const std::vector<std::string>& args) {
    return test::Rocks(url)(args);
}

}  // namespace

TEST(RocksDatabase, OpensWithoutTouchingRocksTables) {
    REQUIRE_MARIADB();
    RockDb rocks;
    auto before = rocks.raw();
    std::set<std::string> rocksTables = tables(*before);
    std::map<std::string, std::string> shapes;
    for (const auto& t : rocksTables) {
        shapes[t] = createTable(*before, t);
    }
    auto db = db::openDatabase(rocks.url);
    EXPECT_EQ(db::schemaVersion(*db), db::latestSchemaVersion());
    for (const auto& t : rocksTables) {
        EXPECT_EQ(createTable(*db, t), shapes[t]) << "Rocks' table " << t << " was altered";
    }
    for (const auto& t : tables(*db)) {
        if (rocksTables.count(t) == 0) {  // everything new is the roll's (or the KVM roll's)
            EXPECT_TRUE(t.rfind("vc_", 0) == 0 || t.rfind("vcluster_", 0) == 0 ||
                        t.rfind("vm_", 0) == 0)
                << t;
        }
    }
    EXPECT_EQ(tables(*db).count("nodes"), 1U);
    EXPECT_TRUE(db::columns(*db, "nodes") == db::columns(*before, "nodes"));
}

TEST(RocksDatabase, RegistersTheRollsAppliancesOnce) {
    REQUIRE_MARIADB();
    RockDb rocks;
    db::openDatabase(rocks.url);
    auto db = db::openDatabase(rocks.url);  // the second use adds nothing
    auto rows = db->query(
        "SELECT m.Name, a.Name, a.Node, m.Public FROM memberships m JOIN appliances a "
        "ON a.ID = m.Appliance WHERE m.Name IN ('Gateway', 'VM Server', 'Storage') ORDER BY "
        "m.Name");
    ASSERT_EQ(rows.size(), 3U);
    EXPECT_EQ(rows[0].text(0), "Gateway");
    EXPECT_EQ(rows[0].text(1), "gateway");
    EXPECT_EQ(rows[1].text(1), "storage");
    EXPECT_EQ(rows[2].text(1), "vm-server");
    EXPECT_EQ(rows[2].text(2), "vcluster-vm-server");
    auto catindex = db->queryOne(
        "SELECT COUNT(*) FROM catindex i JOIN categories c ON c.ID = i.Category "
        "WHERE c.Name = 'appliance' AND i.Name IN ('gateway', 'vm-server', 'storage')");
    EXPECT_EQ(catindex->integer(0), 3);
    // Rocks' own appliances are left as they were.
    EXPECT_EQ(db->queryOne("SELECT COUNT(*) FROM appliances")->integer(0), 5);
}

TEST(RocksDatabase, RefusesRocks61FlatAttributes) {
    REQUIRE_MARIADB();
    RockDb rocks;
    rocks.raw()->executeScript(
        "DROP TABLE attributes; DROP TABLE resolvechain;"
        "CREATE TABLE global_attributes (ID INT AUTO_INCREMENT PRIMARY KEY, Attr VARCHAR(128),"
        " Value TEXT);"
        "CREATE TABLE node_attributes (ID INT AUTO_INCREMENT PRIMARY KEY, Node INT,"
        " Attr VARCHAR(128), Value TEXT)");
    auto r = rocksOn(rocks.url, {"list", "host"});
    EXPECT_EQ(r.exitCode, 2) << r.err;
    EXPECT_EQ(test::countLines(r.err), 1U) << r.err;
    EXPECT_NE(r.err.find("resolvechain"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("attributes"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("6.1"), std::string::npos) << r.err;
    EXPECT_FALSE(db::hasTable(*rocks.raw(), "vcluster_schema"))
        << "refused, yet changed the database";
}

TEST(RocksDatabase, RefusesAMissingColumn) {
    REQUIRE_MARIADB();
    RockDb rocks;
    rocks.raw()->executeScript("ALTER TABLE networks DROP COLUMN VlanID");
    auto r = rocksOn(rocks.url, {"list", "host"});
    EXPECT_EQ(r.exitCode, 2) << r.err;
    EXPECT_EQ(test::countLines(r.err), 1U) << r.err;
    EXPECT_NE(r.err.find("networks.VlanID"), std::string::npos) << r.err;
    EXPECT_FALSE(db::hasTable(*rocks.raw(), "vcluster_schema"));
}

TEST(RocksDatabase, HostAttributesGoThroughCatindexAndTheResolveChain) {
    REQUIRE_MARIADB();
    RockDb rocks;
    auto db = db::openDatabase(rocks.url);
    Host h;
    h.name = "vm-server-0-0";
    h.membership = "VM Server";
    HostPool(*db).add(h);
    AttributePool attrs(*db);
    attrs.setGlobal("vc_demo", "global");
    attrs.setAppliance("vm-server", "vc_demo", "appliance");
    EXPECT_EQ(attrs.resolve("vm-server-0-0", "vc_demo"), "appliance");
    attrs.setHost("vm-server-0-0", "vc_demo", "host");
    attrs.setHost("vm-server-0-0", "vc_demo", "host again");  // an update, not a second row
    EXPECT_EQ(attrs.resolve("vm-server-0-0", "vc_demo"), "host again");
    // Stored as `rocks set host attr` stores it: category host, the host's catindex row.
    auto rows = db->query(
        "SELECT a.Value FROM attributes a JOIN catindex i ON i.ID = a.Catindex "
        "JOIN categories c ON c.ID = a.Category AND c.ID = i.Category "
        "WHERE c.Name = 'host' AND i.Name = 'vm-server-0-0' AND a.Attr = 'vc_demo'");
    ASSERT_EQ(rows.size(), 1U);
    EXPECT_EQ(rows[0].text(0), "host again");
    // Rocks' precedence decides, not the roll's: put appliance above host.
    db->execute(
        "UPDATE resolvechain SET Precedence = 60 WHERE Name = 'default' AND Category = "
        "(SELECT ID FROM categories WHERE Name = 'appliance')");
    EXPECT_EQ(attrs.resolve("vm-server-0-0", "vc_demo"), "appliance");
}

// What `rocks list host`, `rocks list host interface` and `rocks list host
// attr` run (their joins over nodes, memberships, appliances, networks,
// subnets, catindex and attributes) finds the virtual nodes of a materialised
// cluster as Rocks would show them.
TEST(RocksDatabase, RocksOwnQueriesListTheVirtualNodes) {
    REQUIRE_MARIADB();
    test::TempDir dir;
    auto db = test::sampleDatabase((dir / "c.db").string());
    materialise::MaterialisationPool pool(*db);
    pool.materialise(test::samplePlan("alpha", 100, 2));

    // rocks list host
    std::map<std::string, std::string> hosts;
    for (const auto& r :
         db->query("SELECT n.Name, m.Name, a.Name, n.CPUs, n.Rack, n.Rank, n.RunAction, "
                   "n.InstallAction FROM nodes n, memberships m, appliances a, distributions d "
                   "WHERE n.Membership = m.ID AND m.Appliance = a.ID AND m.Distribution = d.ID "
                   "ORDER BY n.Rack, n.Rank, n.Name")) {
        hosts[r.text(0)] = r.text(1);
    }
    ASSERT_TRUE(hosts.count("alpha-compute-0-0")) << hosts.size();
    ASSERT_TRUE(hosts.count("alpha-compute-0-1"));
    bool frontend = false;
    for (const auto& [name, membership] : hosts) {
        frontend = frontend || (name.rfind("alpha", 0) == 0 && membership == "Frontend");
    }
    EXPECT_TRUE(frontend);

    // rocks list host interface alpha-compute-0-0: a MAC on the VLAN.
    auto nics = db->query(
        "SELECT IF(net.Subnet IS NULL, NULL, s.name), net.Device, net.MAC, net.IP, net.Name, "
        "net.Module, net.VlanID, net.Options, net.Channel FROM nodes n "
        "JOIN networks net ON net.Node = n.ID LEFT JOIN subnets s ON s.ID = net.Subnet "
        "WHERE n.Name = ? ORDER BY net.Device",
        {std::string("alpha-compute-0-0")});
    ASSERT_FALSE(nics.empty());
    EXPECT_FALSE(nics[0].text(2).empty());
    EXPECT_EQ(nics[0].text(2).size(), 17U) << nics[0].text(2);

    // rocks list host attr alpha-compute-0-0: global attributes reach it
    // through the resolve chain, host ones through its catindex row.
    db->execute(
        "INSERT INTO attributes (Attr, Value, Category, Catindex) "
        "SELECT 'vc_probe', 'here', c.ID, i.ID FROM categories c JOIN catindex i "
        "ON i.Category = c.ID WHERE c.Name = 'host' AND i.Name = 'alpha-compute-0-0'");
    auto attrs = db->query(
        "SELECT a.Attr, a.Value, rc.Precedence FROM attributes a "
        "JOIN catindex i ON i.ID = a.Catindex JOIN categories c ON c.ID = a.Category "
        "JOIN resolvechain rc ON rc.Category = c.ID AND rc.Name = 'default' "
        "JOIN nodes n ON n.Name = 'alpha-compute-0-0' "
        "JOIN memberships m ON m.ID = n.Membership JOIN appliances ap ON ap.ID = m.Appliance "
        "WHERE (c.Name = 'global' AND i.Name = 'global') OR (c.Name = 'appliance' AND "
        "i.Name = ap.Name) OR (c.Name = 'host' AND i.Name = n.Name) ORDER BY rc.Precedence");
    std::map<std::string, std::string> resolved;
    for (const auto& r : attrs) {
        resolved[r.text(0)] = r.text(1);
    }
    EXPECT_EQ(resolved["vc_probe"], "here");
    EXPECT_EQ(resolved["Kickstart_PrivateDNSDomain"], "local");
    EXPECT_EQ(AttributePool(*db).resolve("alpha-compute-0-0", "vc_probe"), "here");
}

TEST(RocksDatabase, MySqlUrlThatCannotConnectIsOneLine) {
    REQUIRE_MARIADB();
    auto r = rocksOn("mysql://root@localhost/no_such_db?socket=" +
                         std::string(std::getenv("VCLUSTER_TEST_MARIADB_SOCKET")),
                     {"list", "host"});
    EXPECT_EQ(r.exitCode, 1) << r.err;
    EXPECT_EQ(test::countLines(r.err), 1U) << r.err;
    EXPECT_NE(r.err.find("no_such_db"), std::string::npos) << r.err;
}
