#include <gtest/gtest.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include <cerrno>

#include "cli/BuildInfo.h"
#include "cli/Context.h"
#include "cluster/Attributes.h"
#include "cluster/Hosts.h"
#include "cluster/Networks.h"
#include "db/Schema.h"
#include "db/SqliteDatabase.h"
#include "support/Process.h"
#include "util/Error.h"

using namespace vcluster;
using vcluster::test::TempDir;

namespace {

std::int64_t count(db::Database& db, const std::string& table) {
    return db.queryOne("SELECT COUNT(*) FROM " + table)->integer(0);
}

}  // namespace

TEST(Database, FreshDatabaseMigratesToLatestWithPragmas) {
    TempDir dir;
    db::SqliteDatabase db((dir / "sub/cluster.db").string());
    EXPECT_EQ(db::schemaVersion(db), 0);
    db::migrate(db);
    EXPECT_EQ(db::schemaVersion(db), db::latestSchemaVersion());
    EXPECT_EQ(db.queryOne("PRAGMA journal_mode")->text(0), "wal");
    EXPECT_EQ(db.queryOne("PRAGMA foreign_keys")->integer(0), 1);
    EXPECT_GT(db.queryOne("PRAGMA busy_timeout")->integer(0), 0);
    EXPECT_EQ(count(db, "appliances"), 5);
    EXPECT_EQ(
        db.queryOne(
              "SELECT COUNT(*) FROM memberships WHERE Name IN ('Gateway', 'VM Server', 'Storage')")
            ->integer(0),
        3);
    struct stat st {};
    ASSERT_EQ(stat((dir / "sub/cluster.db").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 077, 0U) << "the database holds secrets: owner-only";
}

TEST(Database, MigrateIsIdempotent) {
    TempDir dir;
    db::SqliteDatabase db((dir / "c.db").string());
    db::migrate(db);
    db::migrate(db);
    EXPECT_EQ(count(db, "vcluster_schema"), static_cast<std::int64_t>(db::migrations().size()));
    EXPECT_EQ(count(db, "appliances"), 5);
}

TEST(Database, OlderDatabaseIsUpgradedKeepingItsRows) {
    TempDir dir;
    {
        db::SqliteDatabase db((dir / "c.db").string());
        db::migrate(db, 1);
        EXPECT_EQ(db::schemaVersion(db), 1);
        Host h;
        h.name = "vm-server-0-0";
        h.membership = "VM Server";
        HostPool(db).add(h);
    }
    db::SqliteDatabase db((dir / "c.db").string());
    db::migrate(db);
    EXPECT_EQ(db::schemaVersion(db), db::latestSchemaVersion());
    EXPECT_TRUE(HostPool(db).find("vm-server-0-0").has_value());
}

// Migration 22 widens the seeded calendar bucket (one hour) to four; a
// width the admin chose is theirs.
TEST(Database, TheSeededCalendarBucketWidensAndAChosenOneStays) {
    TempDir dir;
    auto bucket = [](db::Database& db) {
        return db.queryOne("SELECT Value FROM attributes WHERE Attr = 'vc_calendar_bucket'")
            ->text(0);
    };
    for (const std::string& before : {std::string("3600"), std::string("7200")}) {
        const std::string path = (dir / ("c" + before + ".db")).string();
        {
            db::SqliteDatabase db(path);
            db::migrate(db, 21);
            ASSERT_EQ(bucket(db), "3600");
            db.execute("UPDATE attributes SET Value = ? WHERE Attr = 'vc_calendar_bucket'",
                       {before});
        }
        db::SqliteDatabase db(path);
        db::migrate(db);
        EXPECT_EQ(bucket(db), before == "3600" ? "14400" : before);
    }
    db::SqliteDatabase fresh((dir / "fresh.db").string());
    db::migrate(fresh);
    EXPECT_EQ(bucket(fresh), "14400");
}

TEST(Database, NewerSchemaIsRefusedAndLeftAlone) {
    TempDir dir;
    db::SqliteDatabase db((dir / "c.db").string());
    db::migrate(db);
    db.execute(
        "INSERT INTO vcluster_schema (Version, Description, Applied) VALUES (999, 'future', 'x')");
    try {
        db::migrate(db);
        FAIL() << "a newer schema must be refused";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("999"), std::string::npos);
    }
    EXPECT_EQ(db::schemaVersion(db), 999);
}

TEST(Database, TransactionRollsBackUnlessCommitted) {
    TempDir dir;
    db::SqliteDatabase db((dir / "c.db").string());
    db::migrate(db);
    try {
        db::Transaction tx(db);
        Host h;
        h.name = "c-0-0";
        h.membership = "Compute";
        HostPool(db).add(h);
        throw Error("boom");
    } catch (const Error&) {
    }
    EXPECT_FALSE(HostPool(db).find("c-0-0").has_value());
}

TEST(Database, ParametersAreBoundNeverSpliced) {
    TempDir dir;
    db::SqliteDatabase db((dir / "c.db").string());
    db::migrate(db);
    AttributePool(db).setGlobal("motd", "x'); DROP TABLE nodes; --");
    EXPECT_EQ(AttributePool(db).global("motd").value(), "x'); DROP TABLE nodes; --");
    EXPECT_EQ(count(db, "nodes"), 0);
}

class Pools : public ::testing::Test {
  protected:
    void SetUp() override {
        db_ = std::make_unique<db::SqliteDatabase>((dir_ / "c.db").string());
        db::migrate(*db_);
    }
    Host add(const std::string& name, const std::string& membership) {
        Host h;
        h.name = name;
        h.membership = membership;
        HostPool(*db_).add(h);
        return HostPool(*db_).get(name);
    }
    TempDir dir_;
    std::unique_ptr<db::SqliteDatabase> db_;
};

TEST_F(Pools, HostsResolveMembershipByNameOrAppliance) {
    EXPECT_EQ(add("vm-server-0-0", "vm-server").membership, "VM Server");
    EXPECT_EQ(add("gateway-0-0", "Gateway").appliance, "gateway");
    EXPECT_THROW(add("x-0-0", "toaster"), Error);
    EXPECT_THROW(add("vm-server-0-0", "VM Server"), Error) << "duplicate";
    EXPECT_EQ(HostPool(*db_).listByAppliance("vm-server").size(), 1U);
}

TEST_F(Pools, InterfacesCheckMacIpAndSubnet) {
    add("a", "Compute");
    add("b", "Compute");
    InterfacePool pool(*db_);
    pool.add({"a", "eth0", "52:54:00:00:00:01", "10.1.255.254", "private", "", "", "", std::nullopt,
              ""});
    EXPECT_THROW(
        pool.add({"b", "eth0", "52:54:00:00:00:01", "10.1.255.253", "private", "", "", "", {}, ""}),
        Error)
        << "MAC reused";
    EXPECT_THROW(
        pool.add({"b", "eth0", "52:54:00:00:00:02", "10.1.255.254", "private", "", "", "", {}, ""}),
        Error)
        << "IP reused on the same network";
    EXPECT_THROW(
        pool.add({"b", "eth0", "52:54:00:00:00:02", "10.2.0.1", "private", "", "", "", {}, ""}),
        Error)
        << "IP outside the subnet";
    EXPECT_THROW(pool.add({"b", "eth0", "", "10.1.0.9", "nosuchnet", "", "", "", {}, ""}), Error);
    EXPECT_THROW(pool.add({"a", "eth0", "", "", "", "", "", "", {}, ""}), Error)
        << "duplicate device";
    // The same private IP on another VLAN is another broadcast domain: allowed.
    pool.add({"b", "eth1", "52:54:00:00:00:03", "10.1.255.254", "private", "", "", "", 100, ""});
    EXPECT_EQ(pool.list().size(), 2U);
    pool.remove("a", "eth0");
    EXPECT_EQ(pool.list("a").size(), 0U);
}

TEST_F(Pools, AttributesResolveHostOverApplianceOverGlobal) {
    add("vm-server-0-0", "VM Server");
    add("vm-server-0-1", "VM Server");
    AttributePool attrs(*db_);
    attrs.setGlobal("vc_memory", "1024");
    attrs.setAppliance("vm-server", "vc_memory", "2048");
    attrs.setHost("vm-server-0-1", "vc_memory", "4096");
    EXPECT_EQ(attrs.resolve("vm-server-0-0", "vc_memory").value(), "2048");
    EXPECT_EQ(attrs.resolve("vm-server-0-1", "vc_memory").value(), "4096");
    auto all = attrs.resolveAll("vm-server");
    EXPECT_EQ(all["vm-server-0-0"]["vc_memory"], "2048");
    EXPECT_EQ(all["vm-server-0-1"]["vc_memory"], "4096");
    attrs.setHost("vm-server-0-1", "vc_memory", "8192");  // update, not duplicate
    EXPECT_EQ(attrs.resolve("vm-server-0-1", "vc_memory").value(), "8192");
    EXPECT_TRUE(attrs.removeHost("vm-server-0-1", "vc_memory"));
    EXPECT_FALSE(attrs.removeHost("vm-server-0-1", "vc_memory"));
    EXPECT_EQ(attrs.resolve("vm-server-0-1", "vc_memory").value(), "2048");
    EXPECT_THROW(attrs.setHost("nosuchhost", "a", "b"), Error);
}

// resolveAll answers for every host of an appliance what resolve() answers
// for each one, whichever way the resolve chain orders the layers.
TEST_F(Pools, ResolveAllOfAnApplianceIsEachHostsResolve) {
    add("vm-server-0-0", "VM Server");
    add("vm-server-0-1", "VM Server");
    add("vm-server-0-2", "VM Server");
    add("gateway-0-0", "Gateway");
    AttributePool attrs(*db_);
    attrs.setGlobal("a", "global");
    attrs.setGlobal("b", "global");
    attrs.setAppliance("vm-server", "a", "appliance");
    attrs.setAppliance("vm-server", "d", "appliance");
    attrs.setAppliance("gateway", "a", "gateway");
    attrs.setHost("vm-server-0-1", "a", "host");
    attrs.setHost("vm-server-0-2", "c", "host");
    attrs.setHost("gateway-0-0", "c", "gateway host");
    auto check = [&](const std::string& when) {
        for (const std::vector<std::string>& only :
             {std::vector<std::string>{}, std::vector<std::string>{"a", "c"}}) {
            auto all =
                only.empty() ? attrs.resolveAll("vm-server") : attrs.resolveAll("vm-server", only);
            EXPECT_EQ(all.size(), 3U) << when;
            EXPECT_EQ(all.count("gateway-0-0"), 0U) << when;
            for (const char* host : {"vm-server-0-0", "vm-server-0-1", "vm-server-0-2"}) {
                std::map<std::string, std::string> expected;
                for (const auto& attr : attrs.listResolved(host)) {
                    if (only.empty() ||
                        std::find(only.begin(), only.end(), attr.attr) != only.end()) {
                        expected[attr.attr] = attr.value;
                    }
                }
                EXPECT_EQ(all[host], expected) << when << ", " << host;
            }
        }
    };
    check("Rocks' order");
    EXPECT_EQ(attrs.resolveAll("vm-server", {"a"})["vm-server-0-1"]["a"], "host");
    EXPECT_EQ(attrs.resolveAll("vm-server", {"a"})["vm-server-0-0"]["a"], "appliance");
    // Global attributes over all others, appliances' over hosts'.
    db_->execute(
        "UPDATE resolvechain SET Precedence = 90 WHERE Category = "
        "(SELECT ID FROM categories WHERE Name = 'global')");
    db_->execute(
        "UPDATE resolvechain SET Precedence = 5 WHERE Category = "
        "(SELECT ID FROM categories WHERE Name = 'host')");
    check("global first");
    EXPECT_EQ(attrs.resolveAll("vm-server", {"a"})["vm-server-0-1"]["a"], "global");
    EXPECT_EQ(attrs.resolveAll("vm-server", {"d"})["vm-server-0-1"]["d"], "appliance");
    EXPECT_TRUE(attrs.resolveAll("vm-server", {"nothing"}).empty());
}

TEST_F(Pools, RemovingAHostRemovesItsRowsOnly) {
    add("a", "Compute");
    add("b", "Compute");
    InterfacePool(*db_).add({"a", "eth0", "52:54:00:00:00:01", "", "", "", "", "", {}, ""});
    InterfacePool(*db_).add({"b", "eth0", "52:54:00:00:00:02", "", "", "", "", "", {}, ""});
    AttributePool(*db_).setHost("a", "x", "1");
    AttributePool(*db_).setHost("b", "x", "2");
    HostPool(*db_).remove("a");
    EXPECT_FALSE(HostPool(*db_).find("a"));
    EXPECT_EQ(InterfacePool(*db_).list().size(), 1U);
    EXPECT_EQ(AttributePool(*db_).resolve("b", "x").value(), "2");
    EXPECT_EQ(db_->queryOne("SELECT COUNT(*) FROM attributes WHERE Attr = 'x'")->integer(0), 1);
}

// Issue 17, item 10: what an SQLite failure says. A full disk is "disk full"
// whether SQLite saw it as SQLITE_FULL or as an I/O error with ENOSPC (the
// WAL index's growth), a damaged file says so; the rest is SQLite's text.
TEST(Database, FailuresAreSaidInWordsAUserActsOn) {
    EXPECT_EQ(db::describeSqliteError(SQLITE_FULL, 0, "database or disk is full"),
              "disk full (database or disk is full)");
    EXPECT_EQ(db::describeSqliteError(SQLITE_IOERR_SHMSIZE, ENOSPC, "disk I/O error"),
              "disk full (disk I/O error)");
    EXPECT_EQ(db::describeSqliteError(SQLITE_IOERR_WRITE, EIO, "disk I/O error"), "disk I/O error");
    EXPECT_EQ(db::describeSqliteError(SQLITE_CORRUPT, 0, "database disk image is malformed"),
              "the database file is damaged (database disk image is malformed); restore it "
              "from a backup");
    EXPECT_EQ(db::describeSqliteError(SQLITE_NOTADB, 0, "file is not a database"),
              "the database file is damaged (file is not a database); restore it from a backup");
}

// Which commands may create the database, and which open it read-only.
TEST(Database, OnlyTheAskingCommandsCreateTheDatabase) {
    using db::Access;
    const std::string other = "/srv/typo/x.db";
    EXPECT_EQ(cli::databaseAccess({"list", "host"}, other), Access::Read);
    EXPECT_EQ(cli::databaseAccess({"report", "vcluster", "calendar"}, other), Access::Read);
    EXPECT_EQ(cli::databaseAccess({"dump"}, other), Access::Read);
    EXPECT_EQ(cli::databaseAccess({"create", "vcluster", "database"}, other), Access::Create);
    EXPECT_EQ(cli::databaseAccess({"add", "host"}, other), Access::Write);
    EXPECT_EQ(cli::databaseAccess({"add", "host"}, vcluster::build::kDefaultDatabase),
              Access::Create);
    EXPECT_EQ(cli::databaseAccess({"add", "host", "interface"}, vcluster::build::kDefaultDatabase),
              Access::Write);
    EXPECT_EQ(cli::databaseAccess({"create", "vcluster", "snapshot"}, other), Access::Write);
}

// Statements are kept for reuse by SQL text: a reused one starts with no
// parameters bound and no snapshot held (it sees another connection's
// commits), and the same text may run nested inside itself.
TEST(Database, ReusedStatementsHoldNoValuesAndNoSnapshot) {
    TempDir dir;
    const std::string path = (dir / "cluster.db").string();
    db::SqliteDatabase a(path);
    a.executeScript("CREATE TABLE t (v INTEGER)");
    a.execute("INSERT INTO t (v) VALUES (1)");
    {
        auto s = a.prepare("SELECT ? IS NULL");
        s->bind(1, std::int64_t{5});
        ASSERT_TRUE(s->step());
        EXPECT_EQ(s->integer(0), 0);
    }
    {
        auto s = a.prepare("SELECT ? IS NULL");  // the same statement again, unbound
        ASSERT_TRUE(s->step());
        EXPECT_EQ(s->integer(0), 1);
    }
    {
        auto s = a.prepare("SELECT COUNT(*) FROM t");
        ASSERT_TRUE(s->step());  // left mid-read: its snapshot must not outlive it
        EXPECT_EQ(s->integer(0), 1);
    }
    db::SqliteDatabase b(path);
    b.execute("INSERT INTO t (v) VALUES (2)");
    EXPECT_EQ(a.queryOne("SELECT COUNT(*) FROM t")->integer(0), 2);
    int outer = 0;
    a.each("SELECT v FROM t ORDER BY v", {}, [&](const db::Statement& row) {
        ++outer;
        EXPECT_EQ(a.queryOne("SELECT v FROM t ORDER BY v")->integer(0), 1);
        EXPECT_EQ(row.integer(0), outer);
    });
    EXPECT_EQ(outer, 2);
}

// data_version: another connection's commit changes it, this one's do not.
TEST(Database, DataVersionChangesWithOtherConnectionsCommitsOnly) {
    TempDir dir;
    const std::string path = (dir / "cluster.db").string();
    db::SqliteDatabase a(path);
    a.executeScript("CREATE TABLE t (v INTEGER)");
    auto v0 = a.dataVersion();
    ASSERT_TRUE(v0.has_value());
    a.execute("INSERT INTO t (v) VALUES (1)");
    EXPECT_EQ(a.dataVersion(), v0);
    db::SqliteDatabase b(path);
    b.execute("INSERT INTO t (v) VALUES (2)");
    auto v1 = a.dataVersion();
    EXPECT_NE(v1, v0);
    EXPECT_EQ(a.dataVersion(), v1);
}
