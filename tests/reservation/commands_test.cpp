// The reservation commands run as the real `rocks` binary against a temporary
// database: validation errors change nothing, admission over time, placement
// policy, overcommit, maintenance, set/remove, and the concurrency race.
#include <gtest/gtest.h>

#include <algorithm>
#include <future>
#include <regex>
#include <set>

#include "calendar/ScanCalendar.h"
#include "reservation/ReservationBook.h"
#include "reservation/RootPassword.h"
#include "support/Keys.h"
#include "support/Process.h"
#include "support/TestDatabase.h"
#include "util/Error.h"

using namespace vcluster;
using namespace vcluster::test;

namespace {

class Cluster : public ::testing::Test {
  protected:
    void SetUp() override {
        key_ = sshKeyLine("ssh-ed25519", "tenant@example.org");
        writeFile(dir_ / "tenant.pub", key_ + "\n");
    }

    // vm-servers with the given CPUs/memory, one gateway, one storage node.
    void build(int vmServers, int cpus = 8, int memoryMiB = 16384, int publicIps = 10,
               const std::string& pool = "1TiB") {
        rocks_.ok({"add", "host", "gateway-0-0", "membership=Gateway"});
        // The roll server's rolls and the site's answers a frontend install needs.
        for (const char* roll : {"base", "kernel", "os", "hpc", "sge"}) {
            rocks_.ok({"add", "vcluster", "roll", roll, "version=7.0"});
        }
        rocks_.ok({"set", "attr", "Kickstart_PublicHostname", "manager.example.org"});
        rocks_.ok({"set", "attr", "Kickstart_PublicGateway", "192.0.2.1"});
        rocks_.ok({"set", "host", "attr", "gateway-0-0", "vc_cpus", "16"});
        rocks_.ok({"set", "host", "attr", "gateway-0-0", "vc_memory", "65536"});
        rocks_.ok({"set", "host", "attr", "gateway-0-0", "vc_public_ips",
                   "192.0.2.100-" + std::to_string(99 + publicIps)});
        rocks_.ok({"add", "host", "storage-2-0", "membership=Storage"});
        rocks_.ok({"set", "host", "attr", "storage-2-0", "vc_pool_size", pool});
        for (int i = 0; i < vmServers; ++i) {
            std::string h = "vm-server-1-" + std::to_string(i);
            rocks_.ok({"add", "host", h, "membership=VM Server"});
            rocks_.ok({"set", "host", "attr", h, "vc_cpus", std::to_string(cpus)});
            rocks_.ok({"set", "host", "attr", h, "vc_memory", std::to_string(memoryMiB)});
        }
    }

    ProcessResult add(const std::string& name, std::vector<std::string> params,
                      const std::map<std::string, std::string>& env = {}) {
        std::vector<std::string> args = {"add", "vcluster", name,
                                         "sshkey=" + (dir_ / "tenant.pub").string()};
        args.insert(args.end(), params.begin(), params.end());
        return rocks_(args, env);
    }

    // Books one node of `cpus` CPUs through the portal's kept calendar, in
    // a transaction of `db`, as its booking handler does.
    reservation::StoredReservation bookKept(reservation::SiteCalendarCache& cache,
                                            vcluster::db::Database& db, const std::string& name,
                                            const std::string& start, const std::string& end,
                                            const std::string& cpus, reservation::Time now) {
        vcluster::db::Transaction tx(db);
        auto& sc = cache.at(db, {now, now}, now);
        auto request = reservation::parseReservationRequest(
            name,
            {{"start", start}, {"end", end}, {"nodes", "1"}, {"cpus", cpus}, {"sshkey", key_}},
            sc.site.defaults, now);
        auto stored = reservation::ReservationBook(db).add(request, now, sc);
        tx.commit();
        cache.keep({stored});
        return stored;
    }

    std::int64_t count(const std::string& table) {
        auto handle = vcluster::test::openTestDatabase(rocks_.db());
        vcluster::db::Database& db = *handle;
        return db.queryOne("SELECT COUNT(*) FROM " + table)->integer(0);
    }

    // Invariant over the whole calendar: nothing over capacity at any
    // instant, no VLAN id, VNI or public address held twice at once.
    std::vector<std::string> violations() {
        auto handle = vcluster::test::openTestDatabase(rocks_.db());
        vcluster::db::Database& db = *handle;
        auto sc = reservation::loadSiteCalendar(db);
        calendar::ScanCalendar scan(sc.site.inventory);
        for (const auto& r : sc.reservations) {
            auto b = sc.bookingOf(r);
            EXPECT_EQ(b.placement.nodeHosts.size(), static_cast<std::size_t>(r.heldNodes()));
            scan.book(b);
        }
        return scan.violations();
    }

    TempDir dir_;
    Rocks rocks_{dir_ / "cluster.db"};
    std::string key_;
};

const std::string kStart = "start=2030-03-04T09:00:00Z";
const std::string kEnd = "end=2030-03-08T17:00:00Z";

}  // namespace

TEST_F(Cluster, AddListAndPlacement) {
    build(2);
    auto r = add("dc1", {kStart, kEnd, "nodes=4", "cpus=2", "memory=2GiB", "owner=provider"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    std::string list = rocks_.ok({"list", "vcluster"});
    EXPECT_NE(list.find("NAME"), std::string::npos);
    EXPECT_NE(list.find("dc1:"), std::string::npos);
    EXPECT_NE(list.find("provider"), std::string::npos);
    EXPECT_NE(list.find("2030-03-04T09:00:00Z"), std::string::npos);
    std::string nodes = rocks_.ok({"list", "vcluster", "node", "dc1"});
    EXPECT_NE(nodes.find("dc1-compute-0-3"), std::string::npos);
    EXPECT_NE(nodes.find("gateway-0-0"), std::string::npos);
    // Pack: all four nodes fit on the first vm-server.
    EXPECT_EQ(nodes.find("vm-server-1-1"), std::string::npos);
    std::string json = rocks_.ok({"list", "vcluster", "output-format=json"});
    EXPECT_NE(json.find("\"vlan\""), std::string::npos);
    EXPECT_EQ(rocks_({"help", "add", "vcluster"}).exitCode, 0);
}

// Issue 17, item 6: a name another tenant holds is refused with the text
// any name in use gets (the tenant's own cluster's, a group's, a host's):
// it neither names the holder nor its times, nor says what holds it. The
// bulk load says the same.
TEST_F(Cluster, ANameAnotherTenantHoldsIsRefusedAsAnyNameInUse) {
    build(1);
    ASSERT_EQ(add("held", {kStart, kEnd, "nodes=1", "owner=alice"}).exitCode, 0);
    ASSERT_EQ(add("mine", {kStart, kEnd, "nodes=1", "owner=bob"}).exitCode, 0);
    ASSERT_EQ(add("lab", {kStart, kEnd, "nodes=1", "owner=alice", "count=2"}).exitCode, 0);
    for (const char* name : {"held", "mine", "lab", "lab-01", "vm-server-1-0"}) {
        auto r = add(name, {"start=2030-06-01T00:00:00Z", "duration=1h", "owner=bob"});
        EXPECT_EQ(r.exitCode, 1) << name;
        EXPECT_EQ(r.err, "error - vcluster name '" + std::string(name) +
                             "' is not available; choose another\n");
    }
    writeFile(dir_ / "one.json", R"([{"name": "held", "start": "2030-06-01T00:00:00Z", )"
                                 R"("duration": "1h", "owner": "bob", "sshkey": ")" +
                                     key_ + "\"}]\n");
    auto r = rocks_({"load", "vcluster", "file=" + (dir_ / "one.json").string()});
    EXPECT_EQ(r.exitCode, 2) << r.err;
    EXPECT_NE(r.out.find("vcluster name 'held' is not available; choose another"),
              std::string::npos)
        << r.out;
    EXPECT_EQ(r.out.find("alice"), std::string::npos) << r.out;
}

TEST_F(Cluster, SpreadPolicyAndOvercommitAreSiteAttributes) {
    build(4);
    rocks_.ok({"set", "attr", "vc_placement", "spread"});
    ASSERT_EQ(add("a", {kStart, kEnd, "nodes=4", "cpus=2", "memory=2GiB"}).exitCode, 0);
    std::string nodes = rocks_.ok({"list", "vcluster", "node", "a"});
    for (int i = 0; i < 4; ++i) {
        EXPECT_NE(nodes.find("vm-server-1-" + std::to_string(i)), std::string::npos) << nodes;
    }
    // 4 x 8 CPUs: 16 more 2-CPU nodes do not fit, with 1.5x overcommit they do.
    EXPECT_EQ(add("b", {kStart, kEnd, "nodes=13", "cpus=2", "memory=1GiB"}).exitCode, 2);
    rocks_.ok({"set", "attr", "vc_overcommit_cpu", "1.5"});
    EXPECT_EQ(add("b", {kStart, kEnd, "nodes=13", "cpus=2", "memory=1GiB"}).exitCode, 0);
    EXPECT_TRUE(violations().empty());
}

TEST_F(Cluster, BadInputIsOneLineExitOneAndChangesNothing) {
    build(1);
    ASSERT_EQ(add("keep", {kStart, kEnd, "nodes=1"}).exitCode, 0);
    const auto before = count("vcluster_reservations");
    const auto allocations = count("vcluster_allocations");
    std::vector<std::pair<std::string, std::vector<std::string>>> bad = {
        {"t1", {"start=2030-03-04 nine", kEnd}},
        {"t2", {kStart, "end=2030-03-04T09:00:00Z"}},
        {"t3", {kStart, "end=2030-03-01T09:00:00Z"}},
        {"t4", {kStart, kEnd, "hypervisor=xen"}},
        {"t5", {kStart, kEnd, "sshkey=ssh-rsa AAAAB3NzaC1yc2E="}},
        {"t6", {kStart, kEnd, "memory=2PB"}},
        {"t7", {kStart, kEnd, "repeat=someday"}},
        {"t8", {kStart, kEnd, "appliances=compute,nosuch"}},
        {"a;reboot", {kStart, kEnd}},
        {"$(id)", {kStart, kEnd}},
        {"a b", {kStart, kEnd}},
        {"keep", {kStart, kEnd}},  // exists
        {"t9", {kStart, kEnd, "colour=red"}},
    };
    for (const auto& [name, params] : bad) {
        std::vector<std::string> args = {"add", "vcluster", name};
        bool hasKey = false;
        for (const auto& p : params) {
            hasKey = hasKey || p.rfind("sshkey=", 0) == 0;
        }
        if (!hasKey) {
            args.push_back("sshkey=" + key_);
        }
        args.insert(args.end(), params.begin(), params.end());
        auto r = rocks_(args);
        EXPECT_EQ(r.exitCode, 1) << name << ": " << r.err;
        EXPECT_EQ(countLines(r.err), 1U) << r.err;
        EXPECT_EQ(r.err.rfind("error - ", 0), 0U) << r.err;
        EXPECT_TRUE(r.out.empty());
    }
    // A key with options or a second line, given as a file.
    writeFile(dir_ / "evil.pub", "command=\"sh\" " + key_ + "\n");
    auto r =
        rocks_({"add", "vcluster", "t10", kStart, kEnd, "sshkey=" + (dir_ / "evil.pub").string()});
    EXPECT_EQ(r.exitCode, 1) << r.err;
    writeFile(dir_ / "two.pub", key_ + "\n" + key_ + "\n");
    r = rocks_({"add", "vcluster", "t11", kStart, kEnd, "sshkey=" + (dir_ / "two.pub").string()});
    EXPECT_EQ(r.exitCode, 1) << r.err;
    EXPECT_EQ(count("vcluster_reservations"), before);
    EXPECT_EQ(count("vcluster_allocations"), allocations);
}

TEST_F(Cluster, RollsMustBeOnTheRollServer) {
    build(1);
    const std::int64_t before = count("vcluster_reservations");
    auto r = add("t1", {kStart, kEnd, "rolls=base,kernel,os,nosuchroll"});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_EQ(r.err,
              "error - roll 'nosuchroll' is not installed on the roll server (offered: base, "
              "hpc, kernel, os, sge)\n");
    EXPECT_EQ(count("vcluster_reservations"), before);
    rocks_.ok({"add", "vcluster", "roll", "nosuchroll", "version=1.0", "enabled=no"});
    EXPECT_EQ(add("t1", {kStart, kEnd, "rolls=base,nosuchroll"}).exitCode, 1);  // disabled
    EXPECT_EQ(add("t1", {kStart, kEnd, "rolls=base,hpc"}).exitCode, 0);
    // Registered twice: refused, one line.
    r = rocks_({"add", "vcluster", "roll", "base", "version=7.0"});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_EQ(countLines(r.err), 1u) << r.err;
}

TEST_F(Cluster, BookingShowsARandomRootPasswordOnceAndKeepsItsHash) {
    build(1);
    auto r = add("t1", {kStart, kEnd});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("ROOT-PASSWORD"), std::string::npos) << r.out;
    std::smatch m;
    ASSERT_TRUE(std::regex_search(r.out, m, std::regex("t1:.* ([A-Za-z0-9]{19})\\s*\n"))) << r.out;
    const std::string clear = m[1];
    auto handle = vcluster::test::openTestDatabase(rocks_.db());
    auto hash = handle->queryOne("SELECT Hash FROM vcluster_root_passwords")->text(0);
    // SHA-512 crypt at its fewest rounds: the password is 113 random bits.
    EXPECT_EQ(hash.rfind("$6$rounds=1000$", 0), 0u) << hash;
    // Each round's input (digest, password twice, salt) fits one SHA-512
    // block, so the crypt costs 1,000 blocks rather than about 1,600.
    const std::string salt = hash.substr(15, hash.find('$', 15) - 15);
    EXPECT_LE(64 + 2 * clear.size() + salt.size(), 128u - 17u) << hash;
    EXPECT_GE(salt.size(), 8u) << hash;
    EXPECT_EQ(reservation::cryptWith(clear, hash), hash);
    EXPECT_EQ(hash.find(clear), std::string::npos);
    // Shown once: nothing lists it again.
    EXPECT_EQ(rocks_.ok({"list", "vcluster", "output-format=json"}).find(clear), std::string::npos);
    // A second booking gets another password.
    auto r2 = add("t2", {kStart, kEnd});
    ASSERT_EQ(r2.exitCode, 0) << r2.err;
    EXPECT_EQ(r2.out.find(clear), std::string::npos);
    // Key-only sites: no password shown.
    rocks_.ok({"set", "attr", "vc_root_login", "key-only"});
    auto r3 = add("t3", {kStart, kEnd});
    ASSERT_EQ(r3.exitCode, 0) << r3.err;
    EXPECT_NE(r3.out.find("(key only)"), std::string::npos) << r3.out;
    // Nor any hash of one: root's password is locked in the kit.
    auto id3 = handle->queryOne("SELECT ID FROM vcluster_reservations WHERE Name = 't3'");
    ASSERT_TRUE(id3);
    auto hash3 = handle->queryOne("SELECT Hash FROM vcluster_root_passwords WHERE Reservation = ?",
                                  {id3->integer(0)});
    ASSERT_TRUE(hash3);
    EXPECT_EQ(hash3->text(0), "");
}

TEST_F(Cluster, BookingNeedsThePublicGatewayAndTheRollServer) {
    build(1);
    rocks_.ok({"remove", "attr", "Kickstart_PublicGateway"});
    auto r = add("t1", {kStart, kEnd});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_EQ(r.err,
              "error - no public gateway for virtual frontends on gateway-0-0: set "
              "vc_public_gateway (or Rocks' Kickstart_PublicGateway)\n");
    EXPECT_EQ(count("vcluster_reservations"), 0);
    EXPECT_EQ(count("vcluster_root_passwords"), 0);
    rocks_.ok({"set", "host", "attr", "gateway-0-0", "vc_public_gateway", "192.0.2.254"});
    rocks_.ok({"remove", "attr", "Kickstart_PublicHostname"});
    r = add("t1", {kStart, kEnd});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_EQ(countLines(r.err), 1u) << r.err;
    EXPECT_NE(r.err.find("no roll server"), std::string::npos) << r.err;
    rocks_.ok({"set", "attr", "vc_roll_server", "http://rolls.example.org/install/rolls/"});
    rocks_.ok(
        {"set", "attr", "vc_kickstart_url", "http://rolls.example.org/install/sbin/kickstart.cgi"});
    EXPECT_EQ(add("t1", {kStart, kEnd}).exitCode, 0);
}

TEST_F(Cluster, RefusalNamesResourceHostInstantAndEarliestStart) {
    build(1, 8, 16384);
    ASSERT_EQ(add("first", {kStart, kEnd, "nodes=4", "cpus=2", "memory=4GiB"}).exitCode, 0);
    auto r = add("second",
                 {"start=2030-03-05T00:00:00Z", "duration=1d", "nodes=1", "cpus=1", "memory=2GiB"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_EQ(r.err,
              "error - refused: vm-server memory runs out on vm-server-1-0 at "
              "2030-03-05T00:00:00Z (needs 2 GiB); earliest start that fits: "
              "2030-03-08T17:00:00Z\n");
    EXPECT_EQ(count("vcluster_reservations"), 1);
    // start=earliest books that slot, searching from now.
    r = add("second", {"start=earliest", "duration=1d", "nodes=1", "cpus=1", "memory=2GiB"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    // Now is before 2030, so the earliest slot is right away.
    EXPECT_EQ(count("vcluster_reservations"), 2);
    r = add("third", {"start=earliest", "duration=1d", "nodes=1", "cpus=1", "memory=2GiB"},
            {{"VCLUSTER_NOW", "2030-03-04T10:00:00Z"}});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(rocks_.ok({"list", "vcluster", "third"}).find("2030-03-08T17:00:00Z"),
              std::string::npos);
    EXPECT_TRUE(violations().empty());
}

TEST_F(Cluster, CapacityAndVlanAreReusedAfterAnEnd) {
    build(1, 8, 16384);
    rocks_.ok({"set", "attr", "vc_vlan_range", "100-100"});
    ASSERT_EQ(add("a", {kStart, kEnd, "nodes=4", "cpus=2"}).exitCode, 0);
    auto r = add("b", {"start=2030-03-08T16:59:59Z", "duration=1h", "nodes=0"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("VLAN ids run out"), std::string::npos) << r.err;
    ASSERT_EQ(add("b", {"start=2030-03-08T17:00:00Z", "duration=1h", "nodes=4", "cpus=2"}).exitCode,
              0);
    EXPECT_NE(rocks_.ok({"list", "vcluster", "b"}).find("100"), std::string::npos);
    // VXLAN does not need a VLAN id.
    EXPECT_EQ(add("c", {kStart, kEnd, "nodes=0", "network=vxlan"}).exitCode, 0);
    EXPECT_TRUE(violations().empty());
}

TEST_F(Cluster, WeeklyCourseHoldsNodesOnlyDuringItsWindows) {
    build(1, 8, 16384);
    // 2030-03-05 is a Tuesday.
    ASSERT_EQ(add("course",
                  {"start=2030-03-04T00:00:00Z", "end=2030-04-01T00:00:00Z", "nodes=4", "cpus=2",
                   "repeat=tue,thu@13:00-16:00"},
                  {{"TZ", "UTC"}})
                  .exitCode,
              0);
    // A Wednesday is free; a Thursday afternoon is not.
    EXPECT_EQ(add("wed", {"start=2030-03-06T00:00:00Z", "duration=1d", "nodes=4", "cpus=2"},
                  {{"TZ", "UTC"}})
                  .exitCode,
              0);
    auto r = add("thu", {"start=2030-03-07T15:00:00Z", "duration=2h", "nodes=1", "cpus=2"},
                 {{"TZ", "UTC"}});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("at 2030-03-07T15:00:00Z"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("earliest start that fits: 2030-03-07T16:00:00Z"), std::string::npos)
        << r.err;
}

TEST_F(Cluster, MaintenanceIsRespectedAndCollisionsReported) {
    build(1, 8, 16384);
    ASSERT_EQ(add("early", {kStart, "end=2030-03-05T00:00:00Z", "nodes=1"}).exitCode, 0);
    // The only vm-server: "early" cannot move, so the maintenance is refused...
    const std::vector<std::string> maint = {"add",
                                            "host",
                                            "maintenance",
                                            "vm-server-1-0",
                                            "start=2030-03-04T12:00:00Z",
                                            "end=2030-03-06T00:00:00Z",
                                            "comment=firmware"};
    auto r = rocks_(maint);
    EXPECT_EQ(r.exitCode, 2) << r.err;
    EXPECT_NE(r.err.find("early (no room elsewhere"), std::string::npos) << r.err;
    EXPECT_EQ(rocks_.ok({"list", "host", "maintenance"}).find("vm-server-1-0"), std::string::npos);
    // ...unless forced, and then the collision is reported.
    auto forced = maint;
    forced.emplace_back("force=yes");
    r = rocks_(forced);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("early"), std::string::npos);
    EXPECT_NE(r.out.find("colliding"), std::string::npos);
    EXPECT_NE(r.err.find("warning"), std::string::npos);
    EXPECT_NE(rocks_.ok({"list", "host", "maintenance"}).find("early"), std::string::npos);
    r = add("during", {"start=2030-03-05T10:00:00Z", "duration=1h", "nodes=1"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("vm-server-1-0"), std::string::npos);
    EXPECT_NE(r.err.find("earliest start that fits: 2030-03-06T00:00:00Z"), std::string::npos)
        << r.err;
    rocks_.ok({"remove", "host", "maintenance", "vm-server-1-0"});
    EXPECT_EQ(add("during", {"start=2030-03-05T10:00:00Z", "duration=1h", "nodes=1"}).exitCode, 0);
}

TEST_F(Cluster, MaintenanceMovesScheduledReservationsAndRefusesForBuiltOnes) {
    build(2, 8, 16384);
    ASSERT_EQ(add("a", {kStart, kEnd, "nodes=2", "cpus=2"}).exitCode, 0);
    const std::string before = rocks_.ok({"list", "vcluster", "node", "a"});
    ASSERT_NE(before.find("vm-server-1-0"), std::string::npos) << before;  // pack: the first host
    auto r = rocks_({"add", "host", "maintenance", "vm-server-1-0", "start=2030-03-05T00:00:00Z",
                     "end=2030-03-05T06:00:00Z"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("moved"), std::string::npos) << r.out;
    const std::string after = rocks_.ok({"list", "vcluster", "node", "a"});
    EXPECT_EQ(after.find("vm-server-1-0"), std::string::npos) << after;
    EXPECT_NE(after.find("vm-server-1-1"), std::string::npos) << after;
    EXPECT_TRUE(violations().empty());
    // A built one stays where its VMs are: the maintenance is refused.
    {
        auto handle = vcluster::test::openTestDatabase(rocks_.db());
        db::Database& db = *handle;
        db.execute(
            "UPDATE vcluster_reservations SET State = 'active', BuiltNodes = 2, "
            "BuiltMemory = Memory, BuiltCPUs = CPUs WHERE Name = 'a'");
    }
    // (Built, its nodes' POWER reads on.)
    const std::string built = rocks_.ok({"list", "vcluster", "node", "a"});
    r = rocks_({"add", "host", "maintenance", "vm-server-1-1", "start=2030-03-06T00:00:00Z",
                "end=2030-03-06T06:00:00Z"});
    EXPECT_EQ(r.exitCode, 2) << r.err;
    EXPECT_NE(r.err.find("a (active: built there"), std::string::npos) << r.err;
    EXPECT_EQ(rocks_.ok({"list", "vcluster", "node", "a"}), built);
}

TEST_F(Cluster, SnapshotsAreCountedInTheStoragePool) {
    build(2, 8, 16384, 10, "300GiB");
    // 1 x 20 GiB + the 50 GiB frontend = 70 GiB, plus its 'installed' snapshot: 140 GiB.
    ASSERT_EQ(add("a", {kStart, kEnd, "nodes=1", "disk=20GiB", "fe-disk=50GiB"}).exitCode, 0);
    // A 1,250 GiB cluster (2,500 GiB with its snapshot) does not fit a 2 TiB pool.
    rocks_.ok({"set", "host", "attr", "storage-2-0", "vc_pool_size", "2TiB"});
    auto big = add("big", {"start=2031-01-01T00:00:00Z", "duration=1d", "nodes=12", "disk=100GiB",
                           "fe-disk=50GiB"});
    EXPECT_EQ(big.exitCode, 2) << big.err;
    EXPECT_NE(big.err.find("storage pool space"), std::string::npos) << big.err;
    rocks_.ok({"set", "host", "attr", "storage-2-0", "vc_pool_size", "300GiB"});
    {
        auto handle = vcluster::test::openTestDatabase(rocks_.db());
        db::Database& db = *handle;
        db.execute(
            "UPDATE vcluster_reservations SET State = 'active', BuiltNodes = 1, "
            "BuiltMemory = Memory, BuiltCPUs = CPUs WHERE Name = 'a'");
        db.execute(
            "INSERT INTO vcluster_snapshots (Reservation, Label, State, Requested) "
            "SELECT ID, 'installed', 'present', '2030-03-04T09:30:00Z' FROM "
            "vcluster_reservations WHERE Name = 'a'");
    }
    rocks_.ok({"create", "vcluster", "snapshot", "a", "label=one"});  // 210 GiB
    rocks_.ok({"create", "vcluster", "snapshot", "a", "label=two"});  // 280 GiB
    auto r = rocks_({"create", "vcluster", "snapshot", "a", "label=three"});
    EXPECT_EQ(r.exitCode, 2) << r.err;
    EXPECT_NE(r.err.find("no room for another snapshot"), std::string::npos) << r.err;
    EXPECT_EQ(rocks_.ok({"list", "vcluster", "snapshot", "a"}).find("three"), std::string::npos);
    // The snapshots' room is held: 20 GiB are left, a 10 GiB cluster (20 with its
    // snapshot) fits, a 15 GiB one does not.
    EXPECT_EQ(add("b", {kStart, kEnd, "nodes=1", "disk=10GiB", "fe-disk=5GiB"}).exitCode, 2);
    EXPECT_EQ(add("c", {kStart, kEnd, "nodes=1", "disk=5GiB", "fe-disk=5GiB"}).exitCode, 0);
    EXPECT_TRUE(violations().empty());
}

TEST_F(Cluster, SetVclusterIsAllOrNothing) {
    build(2, 8, 16384);
    ASSERT_EQ(add("a", {kStart, kEnd, "nodes=4", "cpus=2", "memory=2GiB"}).exitCode, 0);
    ASSERT_EQ(add("b", {"start=2030-03-09T00:00:00Z", "duration=2d", "nodes=8", "cpus=2"}).exitCode,
              0);
    const std::string before = rocks_.ok({"list", "vcluster", "node", "a"});
    // Extending into b's period needs 4 nodes' room: there is none.
    auto r = rocks_({"set", "vcluster", "a", "end=2030-03-10T00:00:00Z", "nodes=5"});
    EXPECT_EQ(r.exitCode, 2) << r.err;
    EXPECT_NE(r.err.find("nothing changed"), std::string::npos);
    EXPECT_EQ(rocks_.ok({"list", "vcluster", "node", "a"}), before);
    EXPECT_NE(rocks_.ok({"list", "vcluster", "a"}).find("2030-03-08T17:00:00Z"), std::string::npos);
    // Growing within its own period works and keeps the first nodes in place.
    rocks_.ok({"set", "vcluster", "a", "nodes=6"});
    std::string after = rocks_.ok({"list", "vcluster", "node", "a"});
    EXPECT_NE(after.find("a-compute-0-5"), std::string::npos);
    EXPECT_EQ(after.substr(0, after.find("a-compute-0-4")),
              before.substr(0, before.find("a-storage")));
    rocks_.ok({"set", "vcluster", "a", "memory=4GiB", "nodes=2"});
    EXPECT_EQ(rocks_({"set", "vcluster", "nosuch", "nodes=1"}).exitCode, 1);
    EXPECT_EQ(rocks_({"set", "vcluster", "a", "end=2030-03-01T00:00:00Z"}).exitCode, 1);
    EXPECT_TRUE(violations().empty());
}

TEST_F(Cluster, RemoveFreesCapacity) {
    build(1, 8, 16384);
    ASSERT_EQ(add("a", {kStart, kEnd, "nodes=4", "cpus=2"}).exitCode, 0);
    EXPECT_EQ(add("b", {kStart, kEnd, "nodes=1", "cpus=2"}).exitCode, 2);
    rocks_({"remove", "vcluster", "a"}, {{"SUDO_USER", "alice"}});
    EXPECT_EQ(rocks_.ok({"list", "vcluster"}).find("a:"), std::string::npos);
    EXPECT_EQ(add("b", {kStart, kEnd, "nodes=4", "cpus=2"}).exitCode, 0);
    rocks_.ok({"remove", "vcluster", "b"});
    // Both stay in the history, with who ended them, when and why.
    std::string history = rocks_.ok({"list", "vcluster", "state=all", "output-format=json"});
    EXPECT_NE(
        history.find(
            R"("name":"a", "owner":"root", "state":"cancelled", "start":"2030-03-04T09:00:00Z", "end":"2030-03-08T17:00:00Z")"),
        std::string::npos)
        << history;
    EXPECT_NE(
        history.find(
            R"("ended":"2026-11-25T12:00:00Z", "ended_by":"alice", "reason":"removed by alice")"),
        std::string::npos)
        << history;
    EXPECT_NE(history.find(R"("name":"b", "owner":"root", "state":"cancelled")"), std::string::npos)
        << history;
    EXPECT_EQ(rocks_({"list", "vcluster", "state=sideways"}).exitCode, 1);
}

TEST_F(Cluster, NarrowingTheVlanRangeKeepsHeldIdsAndGivesNewOnesInside) {
    build(2, 8, 16384);
    ASSERT_EQ(add("a", {kStart, kEnd, "nodes=1"}).exitCode, 0);
    auto vlan = [&](const std::string& name) {
        std::string json = rocks_.ok({"list", "vcluster", name, "output-format=json"});
        auto at = json.find("\"vlan\":\"");
        return at == std::string::npos ? json
                                       : json.substr(at + 8, json.find('"', at + 8) - at - 8);
    };
    EXPECT_EQ(vlan("a"), "2");
    rocks_.ok({"set", "attr", "vc_vlan_range", "100-199"});
    // Everything that loads the calendar keeps working (it was bad_alloc).
    rocks_.ok({"report", "vcluster", "calendar"});
    ASSERT_EQ(add("b", {kStart, kEnd, "nodes=1"}).exitCode, 0);
    EXPECT_EQ(vlan("b"), "100");
    rocks_.ok({"set", "vcluster", "a", "end=2030-03-09T17:00:00Z"});
    EXPECT_EQ(vlan("a"), "2");
    EXPECT_TRUE(violations().empty());
}

TEST_F(Cluster, InvalidSiteAttributesAreRefusedWhenSet) {
    build(1);
    rocks_.ok({"set", "attr", "vc_placement", "spread"});
    const std::string before = rocks_.ok({"list", "attr"});
    for (std::vector<std::string> bad : {std::vector<std::string>{"vc_placement", "sideways"},
                                         {"vc_overcommit_cpu", "-3"},
                                         {"vc_iqn_date", "2026-1>"},
                                         {"vc_vlan_range", "0-5000"},
                                         {"vc_vni_range", "9-8"},
                                         {"vc_default_memory", "lots"},
                                         {"vc_install_timeout", "soon"},
                                         {"vc_executor", "telnet"}}) {
        auto r = rocks_({"set", "attr", bad[0], bad[1]});
        EXPECT_EQ(r.exitCode, 1) << bad[0];
        EXPECT_EQ(r.err.rfind("error - ", 0), 0U) << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
        EXPECT_NE(r.err.find(bad[0]), std::string::npos) << r.err;
    }
    auto r =
        rocks_({"set", "host", "attr", "vm-server-1-0", "vc_initiator_name", "iqn.x/../../.."});
    EXPECT_EQ(r.exitCode, 1) << r.err;
    EXPECT_EQ(rocks_.ok({"list", "attr"}), before);
    // Bookings still work: nothing bad was stored.
    EXPECT_EQ(add("a", {kStart, kEnd, "nodes=1"}).exitCode, 0);
}

// A built cluster's change is carried out by the next sync (tests/lifecycle/
// reshape_test.cpp); the book admits it all or nothing and holds the larger
// of what runs and what is asked until then.
TEST_F(Cluster, ABuiltClustersChangeIsBookedAtTheLargerOfWhatRunsAndWhatIsAsked) {
    build(1, 8, 16384);
    ASSERT_EQ(add("a", {kStart, kEnd, "nodes=2", "cpus=2"}).exitCode, 0);
    {
        auto handle = vcluster::test::openTestDatabase(rocks_.db());
        db::Database& db = *handle;
        db.execute(
            "UPDATE vcluster_reservations SET State = 'active', BuiltNodes = 2, "
            "BuiltMemory = Memory, BuiltCPUs = CPUs WHERE Name = 'a'");
    }
    const std::string before = rocks_.ok({"list", "vcluster", "node", "a"});
    // 5 nodes of 2 CPUs do not fit the 8 CPUs: refused, nothing changed.
    auto r = rocks_({"set", "vcluster", "a", "nodes=5"});
    EXPECT_EQ(r.exitCode, 2) << r.err;
    EXPECT_NE(r.err.find("nothing changed"), std::string::npos) << r.err;
    EXPECT_EQ(rocks_.ok({"list", "vcluster", "node", "a"}), before);
    // Shrinking is accepted, but the running VMs stay booked until the sync
    // tears them down: the host's other 2 nodes' room is all there is.
    rocks_.ok({"set", "vcluster", "a", "nodes=1"});
    rocks_.ok({"set", "vcluster", "a", "memory=4GiB"});
    rocks_.ok({"set", "vcluster", "a", "end=2030-03-09T17:00:00Z"});
    EXPECT_EQ(add("b", {kStart, kEnd, "nodes=3", "cpus=2"}).exitCode, 2);
    EXPECT_EQ(add("b", {kStart, kEnd, "nodes=2", "cpus=2"}).exitCode, 0);
    EXPECT_TRUE(violations().empty());
    // Growing back is booked at once, and refused now that b has the rest.
    r = rocks_({"set", "vcluster", "a", "nodes=3"});
    EXPECT_EQ(r.exitCode, 2) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    // cycle=yes needs a built cluster.
    r = rocks_({"set", "vcluster", "b", "cycle=yes"});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_EQ(r.err,
              "error - vcluster 'b' is scheduled: cycle=yes power-cycles the VMs of a built "
              "(active or powered-off) cluster\n");
}

TEST_F(Cluster, CancellingARunningReservationFreesTheRest) {
    build(1, 8, 16384);
    ASSERT_EQ(add("a", {kStart, kEnd, "nodes=4", "cpus=2"}).exitCode, 0);
    auto r = rocks_({"remove", "vcluster", "a"}, {{"VCLUSTER_NOW", "2030-03-05T00:00:00Z"}});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(count("vcluster_reservations"), 1);  // kept, cancelled
    EXPECT_EQ(rocks_.ok({"list", "vcluster"}).find("a:"), std::string::npos);
    EXPECT_EQ(add("a", {"start=2030-03-05T01:00:00Z", kEnd, "nodes=4", "cpus=2"},
                  {{"VCLUSTER_NOW", "2030-03-05T00:00:00Z"}})
                  .exitCode,
              0);
    EXPECT_EQ(rocks_({"remove", "vcluster", "nosuch"}).exitCode, 1);
}

// Many real `rocks add vcluster` processes race for capacity for exactly one:
// one wins, the others are refused, and nothing is double-booked.
TEST_F(Cluster, ConcurrentAddsNeverDoubleBook) {
    build(1, 4, 8192, 1);
    const int racers = 16;
    std::vector<std::future<ProcessResult>> runs;
    for (int i = 0; i < racers; ++i) {
        runs.push_back(std::async(std::launch::async, [this, i] {
            return add("race" + std::to_string(i), {kStart, kEnd, "nodes=1", "cpus=4"});
        }));
    }
    int won = 0;
    int refused = 0;
    for (auto& f : runs) {
        ProcessResult r = f.get();
        if (r.exitCode == 0) {
            ++won;
        } else {
            EXPECT_EQ(r.exitCode, 2) << r.err;
            EXPECT_EQ(r.err.rfind("error - refused: ", 0), 0U) << r.err;
            ++refused;
        }
    }
    EXPECT_EQ(won, 1);
    EXPECT_EQ(refused, racers - 1);
    EXPECT_EQ(count("vcluster_reservations"), 1);
    EXPECT_TRUE(violations().empty());
}

TEST_F(Cluster, ConcurrentMixedAddsKeepTheCalendarConsistent) {
    build(3, 8, 16384, 4);
    rocks_.ok({"set", "attr", "vc_vlan_range", "10-15"});
    std::vector<std::future<ProcessResult>> runs;
    for (int i = 0; i < 24; ++i) {
        int day = 4 + i % 4;
        std::string start =
            "start=2030-03-0" + std::to_string(day) + "T0" + std::to_string(i % 7) + ":00:00Z";
        runs.push_back(std::async(std::launch::async, [this, i, start] {
            return add("mix" + std::to_string(i),
                       {start, "duration=" + std::to_string(6 + i % 30) + "h",
                        "nodes=" + std::to_string(1 + i % 5), "cpus=" + std::to_string(1 + i % 4),
                        "memory=" + std::to_string(1 + i % 3) + "GiB"});
        }));
    }
    int won = 0;
    for (auto& f : runs) {
        ProcessResult r = f.get();
        EXPECT_TRUE(r.exitCode == 0 || r.exitCode == 2) << r.err;
        won += r.exitCode == 0 ? 1 : 0;
    }
    EXPECT_GT(won, 0);
    EXPECT_EQ(count("vcluster_reservations"), won);
    auto v = violations();
    EXPECT_TRUE(v.empty()) << v.front();
}

TEST_F(Cluster, LoadBooksWhatFitsAndReportsEachRefusal) {
    build(1, 8, 16384);
    ASSERT_EQ(add("old", {kStart, kEnd, "nodes=1", "cpus=2"}).exitCode, 0);
    const std::string key = "\"sshkey\": \"" + key_ + "\"";
    writeFile(dir_ / "term.json",
              "[{\"name\": \"c1\", \"start\": \"2030-03-04T09:00:00Z\", \"duration\": \"1d\", "
              "\"nodes\": 2, \"cpus\": 2, \"rolls\": [\"base\", \"kernel\", \"os\"], " +
                  key +
                  "},\n"
                  " {\"name\": \"c2\", \"start\": \"2030-03-04T09:00:00Z\", \"duration\": "
                  "\"1d\", \"colour\": \"red\", " +
                  key +
                  "},\n"
                  // c1 and old hold 6 of the 8 CPUs: c3 (4 CPUs) waits for c1's end.
                  " {\"name\": \"c3\", \"start\": \"2030-03-04T12:00:00Z\", \"duration\": "
                  "\"1h\", \"nodes\": 2, \"cpus\": 2, " +
                  key +
                  "},\n"
                  " {\"name\": \"old\", \"start\": \"2030-04-01T00:00:00Z\", \"duration\": "
                  "\"1h\", " +
                  key +
                  "},\n"
                  " {\"name\": \"c5\", \"start\": \"2030-04-01T00:00:00Z\", \"duration\": "
                  "\"1h\", \"sshkey\": \"" +
                  (dir_ / "tenant.pub").string() +
                  "\"},\n"
                  " {\"name\": \"c6\", \"start\": \"2030-04-01T00:00:00Z\", \"duration\": "
                  "\"1h\", " +
                  key + "}]\n");
    auto r = rocks_({"load", "vcluster", "file=" + (dir_ / "term.json").string()});
    EXPECT_EQ(r.exitCode, 2) << r.err;
    EXPECT_EQ(r.err, "error - 4 of 6 reservations not booked (listed above); 2 booked\n");
    EXPECT_NE(r.out.find("unknown field 'colour'"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("c3"), std::string::npos);
    EXPECT_NE(r.out.find("earliest start that fits: 2030-03-05T09:00:00Z"), std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("vcluster name 'old' is not available; choose another"), std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("c5"), std::string::npos);  // a file name is not a key
    std::string list = rocks_.ok({"list", "vcluster"});
    EXPECT_NE(list.find("c1:"), std::string::npos);
    EXPECT_NE(list.find("c6:"), std::string::npos);
    EXPECT_EQ(list.find("c3:"), std::string::npos);
    EXPECT_EQ(count("vcluster_reservations"), 3);
    EXPECT_EQ(count("vcluster_allocations"), 4);  // old 1, c1 2, c6 1
    EXPECT_TRUE(violations().empty());
    // The same through all=yes books nothing.
    r = rocks_({"load", "vcluster", "file=" + (dir_ / "term.json").string(), "all=yes"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("all=yes: none booked"), std::string::npos) << r.err;
    EXPECT_EQ(count("vcluster_reservations"), 3);
}

// Items far apart: the calendar read for the first two (a week apart) must
// still hold what lies between them when the third falls there. It took
// the span between the two as read and admitted the third over "held".
TEST_F(Cluster, LoadReadsTheBookingsBetweenItemsFarApart) {
    build(1, 8, 16384);
    ASSERT_EQ(
        add("held", {"start=2030-03-10T00:00:00Z", "end=2030-03-12T00:00:00Z", "nodes=4", "cpus=2"})
            .exitCode,
        0);
    const std::string key = "\"sshkey\": \"" + key_ + "\"";
    auto item = [&](const std::string& name, const std::string& start) {
        return "{\"name\": \"" + name + "\", \"start\": \"" + start +
               "\", \"duration\": \"1h\", \"nodes\": 1, \"cpus\": 2, " + key + "}";
    };
    writeFile(dir_ / "apart.json", "[" + item("early", "2030-03-01T00:00:00Z") + ", " +
                                       item("late", "2030-03-20T00:00:00Z") + ", " +
                                       item("between", "2030-03-11T00:00:00Z") + "]\n");
    auto r = rocks_({"load", "vcluster", "file=" + (dir_ / "apart.json").string()});
    EXPECT_EQ(r.exitCode, 2) << r.out << r.err;
    EXPECT_EQ(r.err, "error - 1 of 3 reservations not booked (listed above); 2 booked\n");
    EXPECT_NE(r.out.find("between"), std::string::npos) << r.out;
    EXPECT_EQ(rocks_.ok({"list", "vcluster"}).find("between:"), std::string::npos);
    auto v = violations();
    EXPECT_TRUE(v.empty()) << v.front();
}

TEST_F(Cluster, LoadAllOrNothingBooksAllWhenAllFit) {
    build(1, 8, 16384);
    std::string items = "[";
    for (int i = 0; i < 4; ++i) {
        items += std::string(i == 0 ? "" : ",") + "{\"name\": \"w" + std::to_string(i) +
                 "\", \"start\": \"2030-03-0" + std::to_string(4 + i) +
                 "T09:00:00Z\", \"duration\": \"1d\", \"nodes\": 4, \"cpus\": 2, \"sshkey\": \"" +
                 key_ + "\"}";
    }
    writeFile(dir_ / "all.json", items + "]");
    auto r = rocks_({"load", "vcluster", "file=" + (dir_ / "all.json").string(), "all=yes"});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(r.out, "booked 4 of 4 reservations\n");
    EXPECT_EQ(count("vcluster_reservations"), 4);
    EXPECT_EQ(count("vcluster_allocations"), 16);
    EXPECT_TRUE(violations().empty());
}

// An item is the portal's booking body: a term's course loads with its zone
// and skipped days (the load's own field list lacked tz and skip).
TEST_F(Cluster, LoadTakesACourseWithItsZoneAndSkippedDays) {
    build(1, 8, 16384);
    writeFile(dir_ / "course.json",
              "[{\"name\": \"hpc101\", \"start\": \"2030-03-04T00:00:00Z\", \"end\": "
              "\"2030-04-01T00:00:00Z\", \"repeat\": \"mon@09:00-11:00\", \"tz\": "
              "\"Europe/Berlin\", \"skip\": \"2030-03-11\", \"sshkey\": \"" +
                  key_ + "\"}]");
    auto r = rocks_({"load", "vcluster", "file=" + (dir_ / "course.json").string()});
    ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
    std::string json = rocks_.ok({"list", "vcluster", "hpc101", "output-format=json"});
    EXPECT_NE(json.find("\"tz\":\"Europe/Berlin\""), std::string::npos) << json;
    EXPECT_NE(json.find("\"skip\":\"2030-03-11\""), std::string::npos) << json;
}

TEST_F(Cluster, LoadRefusesAMalformedFileAndChangesNothing) {
    build(1);
    for (const std::string& text :
         {std::string("{\"name\": \"x\"}"), std::string("[{"), std::string("")}) {
        writeFile(dir_ / "bad.json", text);
        auto r = rocks_({"load", "vcluster", "file=" + (dir_ / "bad.json").string()});
        EXPECT_EQ(r.exitCode, 1) << text;
        EXPECT_EQ(countLines(r.err), 1U) << r.err;
        EXPECT_EQ(r.err.rfind("error - file: ", 0), 0U) << r.err;
    }
    auto r = rocks_({"load", "vcluster", "file=" + (dir_ / "missing.json").string()});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_EQ(count("vcluster_reservations"), 0);
}

TEST_F(Cluster, ListFiltersByStateOwnerAndPeriod) {
    build(2);
    ASSERT_EQ(add("a", {kStart, kEnd, "owner=p1"}).exitCode, 0);
    ASSERT_EQ(add("b", {"start=2030-04-02T00:00:00Z", "duration=2d", "owner=p2"}).exitCode, 0);
    ASSERT_EQ(add("c", {"start=2030-05-01T00:00:00Z", "duration=30d", "owner=p1"}).exitCode, 0);
    auto names = [&](std::vector<std::string> filter) {
        std::vector<std::string> args = {"list", "vcluster"};
        args.insert(args.end(), filter.begin(), filter.end());
        std::string out = rocks_.ok(args);
        std::string found;
        for (const char* n : {"a:", "b:", "c:"}) {
            if (out.find(std::string("\n") + n) != std::string::npos) {
                found += n[0];
            }
        }
        return found;
    };
    EXPECT_EQ(names({}), "abc");
    EXPECT_EQ(names({"state=scheduled"}), "abc");
    EXPECT_EQ(names({"state=active"}), "");
    EXPECT_EQ(names({"owner=p1"}), "ac");
    EXPECT_EQ(names({"from=2030-04-01T00:00:00Z", "to=2030-05-01T00:00:00Z"}), "b");
    EXPECT_EQ(names({"from=2030-04-03T00:00:00Z"}), "bc");
    EXPECT_EQ(names({"to=2030-03-05T00:00:00Z"}), "a");
    EXPECT_EQ(names({"owner=p1", "from=2030-05-30T00:00:00Z"}), "c");
    auto r = rocks_({"list", "vcluster", "state=sleeping"});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_EQ(r.err.rfind("error - unknown state 'sleeping'", 0), 0U) << r.err;
}

// Admission reads only the bookings overlapping the interval in question:
// a year-long booking is seen from any instant of its span, and the earliest
// start is found beyond the first stretch of the calendar read.
TEST_F(Cluster, LongBookingsAreSeenFromAnywhereInTheirSpan) {
    build(1, 8, 16384);
    ASSERT_EQ(
        add("year", {"start=2030-01-01T00:00:00Z", "end=2031-01-01T00:00:00Z", "nodes=4", "cpus=2"})
            .exitCode,
        0);
    ASSERT_EQ(
        add("week", {"start=2031-01-01T00:00:00Z", "duration=7d", "nodes=4", "cpus=2"}).exitCode,
        0);
    auto r = add("late", {"start=2030-07-01T00:00:00Z", "duration=1h", "nodes=1", "cpus=1"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("at 2030-07-01T00:00:00Z"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("earliest start that fits: 2031-01-08T00:00:00Z"), std::string::npos)
        << r.err;
    r = add("late", {"start=earliest", "duration=1h", "nodes=1", "cpus=1"},
            {{"VCLUSTER_NOW", "2030-06-01T00:00:00Z"}});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("2031-01-08T00:00:00Z"), std::string::npos) << r.out;
    EXPECT_TRUE(violations().empty());
}

TEST_F(Cluster, AClusterPastItsEndButNotTornDownStillHoldsWhatANewBookingAsks) {
    // One vm-server of 8 CPUs: a1 takes all of it until 2030-03-05, and no
    // sync has released it when a2 (2030-03-06, after a1's end) is asked for
    // at 2030-03-05T12:00Z. The calendar read for a2's period alone must
    // still see a1 holding on.
    build(1);
    ASSERT_EQ(
        add("a1", {"start=2030-03-04T09:00:00Z", "end=2030-03-05T09:00:00Z", "nodes=1", "cpus=8"})
            .exitCode,
        0);
    const std::map<std::string, std::string> later = {{"VCLUSTER_NOW", "2030-03-05T12:00:00Z"}};
    auto early =
        add("a2", {"start=2030-03-06T09:00:00Z", "end=2030-03-07T09:00:00Z", "nodes=1", "cpus=8"},
            later);
    EXPECT_EQ(early.exitCode, 2) << early.out;
    EXPECT_NE(early.err.find("refused: "), std::string::npos) << early.err;
    // Once a sync has released it, the same booking fits.
    rocks_.ok({"sync", "vcluster", "now=2030-03-05T12:00:00Z", "executor=pretend"});
    auto fits =
        add("a2", {"start=2030-03-06T09:00:00Z", "end=2030-03-07T09:00:00Z", "nodes=1", "cpus=8"},
            later);
    EXPECT_EQ(fits.exitCode, 0) << fits.err;
}

// The portal's kept calendar decides as a fresh read would: it is read
// again after another connection's commit or when a reservation it holds
// passes its end (from then on held to the horizon until torn down), and
// not after its own connection's bookings, which it keeps itself.
TEST_F(Cluster, AKeptCalendarIsReadAgainWhenAFreshReadWouldDiffer) {
    build(1);
    // "held" takes the whole vm-server, 2030-03-04 09:00 to 03-08 17:00.
    ASSERT_EQ(add("held", {kStart, kEnd, "nodes=1", "cpus=8"}).exitCode, 0);
    auto mine = vcluster::test::openTestDatabase(rocks_.db());
    auto other = vcluster::test::openTestDatabase(rocks_.db());
    reservation::SiteCalendarCache cache;
    const reservation::Time before = reservation::parseTime("2030-03-01T00:00:00Z", "now");
    auto book = [&](const std::string& name, const std::string& start, const std::string& end,
                    reservation::Time now) {
        return bookKept(cache, *mine, name, start, end, "8", now);
    };
    // A database that cannot tell what others wrote (MariaDB) is read for
    // every decision; the decisions are the same.
    const bool tells = mine->dataVersion().has_value();
    auto reads = [&](int kept, int calls) { return tells ? kept : calls; };
    // Booked on the kept calendar, which then holds it without a read.
    book("first", "2030-04-01T00:00:00Z", "2030-04-02T00:00:00Z", before);
    EXPECT_EQ(cache.loads(), reads(1, 1));
    EXPECT_THROW(book("again", "2030-04-01T12:00:00Z", "2030-04-03T00:00:00Z", before), Refusal);
    EXPECT_EQ(cache.loads(), reads(1, 2));
    // Another connection's cancellation: read again, and the room is free.
    other->execute("UPDATE vcluster_reservations SET State = 'cancelled' WHERE Name = 'first'");
    book("again", "2030-04-01T12:00:00Z", "2030-04-03T00:00:00Z", before);
    EXPECT_EQ(cache.loads(), reads(2, 3));
    // Past the end of "held", which no sync tore down: it holds the host to
    // the horizon, so a week later nothing fits there.
    const reservation::Time after = reservation::parseTime("2030-03-09T00:00:00Z", "now");
    EXPECT_THROW(book("late", "2030-03-10T00:00:00Z", "2030-03-11T00:00:00Z", after), Refusal);
    EXPECT_EQ(cache.loads(), reads(3, 4));
}

// The kept calendar holds a booking's use of the time it has read only; as it
// reads further, what it booked already holds the new time as well: a long
// booking read for its first days still counts on its last ones.
TEST_F(Cluster, AKeptCalendarReadFurtherStillCountsWhatItBookedBefore) {
    build(1);  // one vm-server of 8 CPUs
    // "long" (another process) takes half of it for April.
    ASSERT_EQ(
        add("long", {"start=2030-04-01T00:00:00Z", "end=2030-04-30T00:00:00Z", "nodes=1", "cpus=4"})
            .exitCode,
        0);
    auto mine = vcluster::test::openTestDatabase(rocks_.db());
    reservation::SiteCalendarCache cache;
    const reservation::Time now = reservation::parseTime("2030-03-01T00:00:00Z", "now");
    auto book = [&](const std::string& name, const std::string& start, const std::string& end) {
        return bookKept(cache, *mine, name, start, end, "4", now);
    };
    // Read for April 2nd: "long" and "a" fill it.
    book("a", "2030-04-02T00:00:00Z", "2030-04-03T00:00:00Z");
    EXPECT_THROW(book("a2", "2030-04-02T06:00:00Z", "2030-04-02T12:00:00Z"), Refusal);
    // April 20th, read later: "long" holds half of it still, "a" none.
    book("b", "2030-04-20T00:00:00Z", "2030-04-21T00:00:00Z");
    EXPECT_THROW(book("b2", "2030-04-20T12:00:00Z", "2030-04-22T00:00:00Z"), Refusal);
    // After April, the host is free again: two halves fit.
    book("c", "2030-05-01T00:00:00Z", "2030-05-02T00:00:00Z");
    book("c2", "2030-05-01T00:00:00Z", "2030-05-02T00:00:00Z");
    if (mine->dataVersion()) {  // (MariaDB's is read for every decision)
        EXPECT_EQ(cache.loads(), 1);
    }
    // A fresh read over the whole site decides the same.
    EXPECT_EQ(
        add("b3", {"start=2030-04-20T12:00:00Z", "end=2030-04-22T00:00:00Z", "nodes=1", "cpus=4"})
            .exitCode,
        2);
}
