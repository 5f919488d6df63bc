// The Rocks rows of a materialisation: inserted in one transaction, read
// back identically, removed exactly.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "Fixtures.h"
#include "cluster/Attributes.h"
#include "cluster/Networks.h"
#include "materialise/MaterialisationPool.h"
#include "materialise/SiteFacts.h"
#include "support/Process.h"
#include "util/Error.h"

using namespace vcluster;
using namespace vcluster::materialise;

namespace {

const char* kTables[] = {"nodes",
                         "networks",
                         "vm_nodes",
                         "vm_disks",
                         "catindex",
                         "attributes",
                         "vc_materialisations",
                         "vc_chap_secrets",
                         "vc_materialised_nodes",
                         "vc_materialisation_settings"};

// Every row of the tables materialisation touches, as text, for exact
// before/after comparisons.
std::map<std::string, std::multiset<std::string>> snapshot(db::Database& db) {
    std::map<std::string, std::multiset<std::string>> out;
    for (const char* table : kTables) {
        for (const auto& row : db.query(std::string("SELECT * FROM ") + table)) {
            std::string line;
            for (std::size_t i = 0; i < row.size(); ++i) {
                line += row.text(i) + "|";
            }
            out[table].insert(line);
        }
    }
    return out;
}

std::int64_t count(db::Database& db, const std::string& sql,
                   const std::vector<db::Value>& params = {}) {
    return db.queryOne(sql, params)->integer(0);
}

}  // namespace

TEST(MaterialisationPool, InsertsRocksRows) {
    test::TempDir dir;
    auto db = test::sampleDatabase((dir / "c.db").string());
    MaterialisationPool pool(*db);
    Materialisation m = pool.materialise(test::samplePlan("alpha", 100, 4));
    EXPECT_EQ(count(*db,
                    "SELECT COUNT(*) FROM nodes n JOIN vc_materialised_nodes v ON v.Node = "
                    "n.ID WHERE v.Cluster = 'alpha'"),
              5);
    if (test::onMariaDb()) {  // Rocks' nodes table has no Comment, and keeps none
        EXPECT_EQ(count(*db,
                        "SELECT COUNT(*) FROM information_schema.columns WHERE "
                        "table_schema = DATABASE() AND table_name = 'nodes' AND "
                        "column_name = 'Comment'"),
                  0);
    } else {  // the embedded database's own column says whose the nodes are
        EXPECT_EQ(count(*db, "SELECT COUNT(*) FROM nodes WHERE Comment = 'vcluster alpha'"), 5);
    }
    EXPECT_EQ(count(*db,
                    "SELECT COUNT(*) FROM nodes n JOIN memberships m ON m.ID = n.Membership "
                    "WHERE n.Name = 'alpha-frontend' AND m.Name = 'Frontend'"),
              1);
    EXPECT_EQ(count(*db,
                    "SELECT COUNT(*) FROM nodes n JOIN memberships m ON m.ID = n.Membership "
                    "WHERE n.Name LIKE 'alpha-compute-0-%' AND m.Name = 'Compute'"),
              4);
    EXPECT_EQ(count(*db,
                    "SELECT v.Mem FROM vm_nodes v JOIN nodes n ON n.ID = v.Node "
                    "JOIN nodes p ON p.ID = v.PhysNode WHERE n.Name = 'alpha-compute-0-3' "
                    "AND p.Name = 'vm-server-1-3'"),
              2048);
    EXPECT_EQ(count(*db, "SELECT CPUs FROM nodes WHERE Name = 'alpha-frontend'"), 2);
    EXPECT_EQ(count(*db,
                    "SELECT d.Size FROM vm_disks d JOIN vm_nodes v ON v.ID = d.Vm_Node "
                    "JOIN nodes n ON n.ID = v.Node WHERE n.Name = 'alpha-frontend'"),
              40);
    // Interfaces through the existing pool, as `rocks list host interface`
    // sees them: as the KVM roll records a virtual frontend, the private NIC
    // has its MAC and the cluster's VLAN, and no address on the physical
    // private subnet; the public NIC has the public IP.
    auto ifaces = InterfacePool(*db).list(std::string("alpha-frontend"));
    ASSERT_EQ(ifaces.size(), 2u);
    EXPECT_EQ(ifaces[0].network, "");
    EXPECT_EQ(ifaces[0].ip, "");
    EXPECT_EQ(ifaces[0].vlan, 100);
    EXPECT_EQ(ifaces[1].network, "public");
    EXPECT_EQ(ifaces[1].ip, "192.0.2.100");
    EXPECT_EQ(ifaces[0].mac, m.frontend().nics[0].mac);
    EXPECT_EQ(count(*db, "SELECT COUNT(*) FROM vc_chap_secrets WHERE Secret = ?", {m.chap.secret}),
              1);
    // the cluster's own addresses stay in the model (kit, VM definitions)
    EXPECT_EQ(m.frontend().nics[0].ip, "10.1.1.1");
    EXPECT_EQ(loadPlan(*db, "alpha").frontend().nics[0].ip, "10.1.1.1");
    EXPECT_EQ(loadPlan(*db, "alpha").frontend().nics[0].subnet, "private");
    for (const auto& n : m.nodes) {
        for (const auto& nic : n.nics) {
            if (nic.subnet == "private") {
                EXPECT_EQ(count(*db,
                                "SELECT COUNT(*) FROM networks WHERE MAC = ? AND IP IS NULL AND "
                                "Subnet IS NULL AND VlanID = 100",
                                {nic.mac}),
                          1)
                    << nic.mac;
            }
        }
    }
}

// The cluster's VLAN interface on each host that runs its VMs is a Rocks
// row (Device vlan<N>, VlanID N, private subnet, no address), as the KVM
// roll adds them, and goes with the cluster; a KVM gateway's public bridge
// gets a row and its NIC's row is marked while any cluster needs the bridge.
// All are 'noreport' for Rocks' report host interface, which would otherwise
// rewrite the roll's ifcfg files.
TEST(MaterialisationPool, HostsVlanInterfacesAreRocksRows) {
    test::TempDir dir;
    auto db = test::sampleDatabase((dir / "c.db").string());
    InterfacePool ifaces(*db);
    Interface eth1;
    eth1.host = "gateway-0-0";
    eth1.device = "eth1";
    eth1.network = "public";
    eth1.ip = "192.0.2.10";
    eth1.mac = "52:54:00:21:00:00";
    ifaces.add(eth1);
    MaterialisationPool pool(*db);
    Materialisation m = pool.materialise(test::samplePlan("alpha", 100, 3));
    const auto hosts = m.vmHosts();
    ASSERT_GE(hosts.size(), 2u);
    const std::string vlanRows =
        "SELECT COUNT(*) FROM networks w JOIN nodes n ON n.ID = w.Node JOIN subnets s ON "
        "s.ID = w.Subnet WHERE w.Device = 'vlan100' AND w.VlanID = 100 AND s.name = 'private' "
        "AND w.IP IS NULL AND w.Options = 'noreport' AND n.Name = ?";
    for (const auto& host : hosts) {
        EXPECT_EQ(count(*db, vlanRows, {host}), 1) << host;
    }
    EXPECT_EQ(count(*db, "SELECT COUNT(*) FROM networks WHERE Device = 'vlan100'"),
              static_cast<std::int64_t>(hosts.size()));
    const std::string bridge =
        "SELECT COUNT(*) FROM networks w JOIN nodes n ON n.ID = w.Node JOIN subnets s ON "
        "s.ID = w.Subnet WHERE n.Name = 'gateway-0-0' AND w.Device = 'br-public' AND "
        "s.name = 'public' AND w.IP IS NULL AND w.Options = 'noreport'";
    EXPECT_EQ(count(*db, bridge), 1);
    EXPECT_EQ(count(*db,
                    "SELECT COUNT(*) FROM networks WHERE Device = 'eth1' AND IP = '192.0.2.10' "
                    "AND Options = 'noreport'"),
              1);
    // a second cluster on the same hosts: its own vlan rows, the same bridge row
    pool.materialise(test::samplePlan("beta", 101, 2));
    EXPECT_EQ(count(*db, bridge), 1);
    EXPECT_GE(count(*db, "SELECT COUNT(*) FROM networks WHERE Device = 'vlan101'"), 2);
    // VXLAN endpoints have no Rocks interface type: no rows
    pool.materialise(test::samplePlan("gamma", 20005, 2, Hypervisor::Kvm, NetworkKind::Vxlan));
    EXPECT_EQ(count(*db, "SELECT COUNT(*) FROM networks WHERE Device LIKE 'vx%'"), 0);
    // released: alpha's vlan rows go, the others and the bridge stay
    auto release = [&](const std::string& name) {
        db::Transaction tx(*db);
        ASSERT_TRUE(pool.remove(name));
        tx.commit();
    };
    release("alpha");
    EXPECT_EQ(count(*db, "SELECT COUNT(*) FROM networks WHERE Device = 'vlan100'"), 0);
    EXPECT_GE(count(*db, "SELECT COUNT(*) FROM networks WHERE Device = 'vlan101'"), 2);
    EXPECT_EQ(count(*db, bridge), 1);
    EXPECT_EQ(count(*db, "SELECT COUNT(*) FROM vc_host_networks WHERE Cluster = 'alpha'"), 0);
    // the last cluster on the gateway gone: Rocks has its NIC back
    release("beta");
    EXPECT_EQ(count(*db, bridge), 1);  // gamma's frontend still needs it
    release("gamma");
    EXPECT_EQ(count(*db, "SELECT COUNT(*) FROM networks WHERE Device IN ('br-public', 'vlan101')"),
              0);
    EXPECT_EQ(count(*db,
                    "SELECT COUNT(*) FROM networks WHERE Device = 'eth1' AND IP = '192.0.2.10' "
                    "AND Options IS NULL"),
              1);
    EXPECT_EQ(count(*db, "SELECT COUNT(*) FROM vc_host_networks"), 0);
}

// A row the site made itself for a cluster's VLAN device is left alone, and
// stays when the cluster is released.
TEST(MaterialisationPool, SitesOwnVlanRowIsKept) {
    test::TempDir dir;
    auto db = test::sampleDatabase((dir / "c.db").string());
    Interface own;
    own.host = "vm-server-1-0";
    own.device = "vlan100";
    own.network = "private";
    own.vlan = 100;
    InterfacePool(*db).add(own);
    MaterialisationPool pool(*db);
    auto plan = test::samplePlan("alpha", 100, 1);
    plan.computes[0].vmServer = "vm-server-1-0";
    pool.materialise(plan);
    EXPECT_EQ(count(*db,
                    "SELECT COUNT(*) FROM networks w JOIN nodes n ON n.ID = w.Node WHERE "
                    "n.Name = 'vm-server-1-0' AND w.Device = 'vlan100'"),
              1);
    db::Transaction tx(*db);
    ASSERT_TRUE(pool.remove("alpha"));
    tx.commit();
    EXPECT_EQ(count(*db,
                    "SELECT COUNT(*) FROM networks w JOIN nodes n ON n.ID = w.Node WHERE "
                    "n.Name = 'vm-server-1-0' AND w.Device = 'vlan100' AND w.Options IS NULL"),
              1);
}

TEST(MaterialisationPool, LoadsBackWhatItStored) {
    test::TempDir dir;
    auto db = test::sampleDatabase((dir / "c.db").string());
    MaterialisationPool pool(*db);
    Materialisation m = pool.materialise(
        test::samplePlan("beta", 20000, 5, Hypervisor::VMware, NetworkKind::Vxlan));
    Materialisation back = loadPlan(*db, "beta");
    EXPECT_EQ(back.iqn, m.iqn);
    EXPECT_EQ(back.chap.user, m.chap.user);
    EXPECT_EQ(back.chap.secret, m.chap.secret);
    EXPECT_EQ(back.plan.hypervisor, Hypervisor::VMware);
    EXPECT_EQ(back.plan.network, NetworkKind::Vxlan);
    EXPECT_EQ(back.plan.rolls.size(), 3u);
    EXPECT_EQ(back.plan.sshPublicKey, m.plan.sshPublicKey);
    const PhysicalHost& gateway = back.plan.host("gateway-0-0");
    EXPECT_EQ(gateway.publicInterface, "eth1");
    EXPECT_EQ(gateway.publicAddress, "192.0.2.10");
    EXPECT_EQ(gateway.publicNetmask, "255.255.255.0");
    ASSERT_EQ(back.nodes.size(), m.nodes.size());
    for (std::size_t i = 0; i < m.nodes.size(); ++i) {
        const auto& a = m.nodes[i];
        const auto& b = back.nodes[i];
        EXPECT_EQ(a.name, b.name);
        EXPECT_EQ(a.guestName, b.guestName);
        EXPECT_EQ(a.physicalHost, b.physicalHost);
        EXPECT_EQ(a.memoryMiB, b.memoryMiB);
        EXPECT_EQ(a.cpus, b.cpus);
        ASSERT_EQ(a.nics.size(), b.nics.size());
        for (std::size_t k = 0; k < a.nics.size(); ++k) {
            EXPECT_EQ(a.nics[k].mac, b.nics[k].mac);
            EXPECT_EQ(a.nics[k].ip, b.nics[k].ip);
            EXPECT_EQ(a.nics[k].bridge, b.nics[k].bridge);
            EXPECT_EQ(a.nics[k].vlan, b.nics[k].vlan);
        }
        ASSERT_EQ(a.disks.size(), b.disks.size());
        EXPECT_EQ(a.disks[0].bytes, b.disks[0].bytes);
        EXPECT_EQ(a.disks[0].byPath, b.disks[0].byPath);
        EXPECT_EQ(a.disks[0].lun, b.disks[0].lun);
    }
}

TEST(MaterialisationPool, RemoveDeletesExactlyItsRows) {
    test::TempDir dir;
    auto db = test::sampleDatabase((dir / "c.db").string());
    MaterialisationPool pool(*db);
    pool.materialise(test::samplePlan("alpha", 100, 3));
    // Unrelated rows that must survive: a host attribute, another cluster.
    db->execute(
        "INSERT INTO attributes (Attr, Value, Category, Catindex) SELECT 'x', 'y', c.ID, i.ID "
        "FROM categories c JOIN catindex i ON i.Category = c.ID WHERE c.Name = 'host' AND "
        "i.Name = 'vm-server-1-0'");
    auto before = snapshot(*db);
    pool.materialise(test::samplePlan("beta", 101, 4));
    db->execute(
        "INSERT INTO attributes (Attr, Value, Category, Catindex) SELECT 'x', 'y', c.ID, i.ID "
        "FROM categories c JOIN catindex i ON i.Category = c.ID WHERE c.Name = 'host' AND "
        "i.Name = 'beta-compute-0-1'");
    EXPECT_NE(snapshot(*db), before);
    db::Transaction tx(*db);
    EXPECT_TRUE(pool.remove("beta"));
    tx.commit();
    EXPECT_EQ(snapshot(*db), before);
    EXPECT_FALSE(pool.remove("beta"));
    EXPECT_EQ(pool.list(), std::vector<std::string>{"alpha"});
}

TEST(MaterialisationPool, RefusesConflictsChangingNothing) {
    test::TempDir dir;
    auto db = test::sampleDatabase((dir / "c.db").string());
    MaterialisationPool pool(*db);
    pool.materialise(test::samplePlan("alpha", 100, 2));
    auto before = snapshot(*db);
    EXPECT_THROW(pool.materialise(test::samplePlan("alpha", 102, 2)), Error);   // same name
    EXPECT_THROW(pool.materialise(test::samplePlan("beta", 100, 2)), Refusal);  // same VLAN
    auto samePublic = test::samplePlan("gamma", 103, 2);
    samePublic.frontend.publicIp = "192.0.2.100";
    EXPECT_THROW(pool.materialise(samePublic), Refusal);
    auto noHost = test::samplePlan("delta", 104, 2);
    materialise::PhysicalHost unknown;
    unknown.name = "vm-server-9-9";
    unknown.address = "10.1.254.99";
    noHost.site.hosts.push_back(unknown);
    noHost.computes[0].vmServer = "vm-server-9-9";
    EXPECT_THROW(pool.materialise(noHost), Error);
    EXPECT_EQ(snapshot(*db), before);
    // The same VLAN id is fine once the other cluster is gone.
    {
        db::Transaction tx(*db);
        pool.remove("alpha");
        tx.commit();
    }
    EXPECT_NO_THROW(pool.materialise(test::samplePlan("beta", 100, 2)));
}

TEST(MaterialisationPool, PublicIpComesFromTheGatewaysPool) {
    test::TempDir dir;
    auto db = test::sampleDatabase((dir / "c.db").string());
    AttributePool(*db).setHost("gateway-0-0", "vc_public_ips", "192.0.2.100-192.0.2.149");
    MaterialisationPool pool(*db);
    auto outside = test::samplePlan("alpha", 60, 1);  // 192.0.2.160
    EXPECT_THROW(pool.materialise(outside), Refusal);
    EXPECT_NO_THROW(pool.materialise(test::samplePlan("beta", 49, 1)));  // 192.0.2.149
}

TEST(MaterialisationPool, MacsAvoidPhysicalInterfaces) {
    test::TempDir dir;
    auto db = test::sampleDatabase((dir / "c.db").string());
    Interface i;
    i.host = "vm-server-1-0";
    i.device = "eth0";
    i.mac = "52:54:00:00:00:01";
    i.ip = "10.1.254.1";
    i.network = "private";
    InterfacePool(*db).add(i);
    i.device = "eth1";
    i.mac = "52:54:00:00:00:02";
    i.ip = "10.1.254.101";
    InterfacePool(*db).add(i);
    Materialisation m = MaterialisationPool(*db).materialise(test::samplePlan("alpha", 100, 1));
    EXPECT_EQ(m.frontend().nics[0].mac, "52:54:00:00:00:03");
}

// Property: many random clusters live at the same time (all materialised in
// one database) never share a MAC, public IP, IQN, LV name, VLAN id/VNI,
// CHAP user or bridge; private IPs are unique inside each cluster.
TEST(MaterialisationProperty, RandomClustersShareNothing) {
    test::TempDir dir;
    auto db = test::sampleDatabase((dir / "c.db").string());
    MaterialisationPool pool(*db);
    std::mt19937 rng(4242);
    std::set<int> usedVlans, usedVnis, usedPublic;
    std::vector<std::string> live;
    for (int round = 0; round < 60; ++round) {
        // Sometimes release a cluster, as the end of a reservation would.
        if (!live.empty() && rng() % 4 == 0) {
            std::string gone = live[rng() % live.size()];
            db::Transaction tx(*db);
            ASSERT_TRUE(pool.remove(gone));
            tx.commit();
            live.erase(std::find(live.begin(), live.end(), gone));
            continue;
        }
        const bool vxlan = rng() % 3 == 0;
        int segment;
        do {
            segment =
                vxlan ? 10000 + static_cast<int>(rng() % 50) : 2 + static_cast<int>(rng() % 60);
        } while ((vxlan ? usedVnis : usedVlans).count(segment) != 0 &&
                 (vxlan ? usedVnis : usedVlans).size() < 50);
        if ((vxlan ? usedVnis : usedVlans).count(segment) != 0) {
            continue;
        }
        auto plan = test::samplePlan("vc" + std::to_string(round), segment,
                                     1 + static_cast<int>(rng() % 12),
                                     rng() % 2 ? Hypervisor::Kvm : Hypervisor::VMware,
                                     vxlan ? NetworkKind::Vxlan : NetworkKind::Vlan);
        int pub;
        do {
            pub = 2 + static_cast<int>(rng() % 250);
        } while (usedPublic.count(pub) != 0);
        plan.frontend.publicIp = "192.0.2." + std::to_string(pub);
        for (auto& c : plan.computes) {
            c.vmServer = "vm-server-1-" + std::to_string(rng() % 4);
        }
        pool.materialise(plan);
        live.push_back(plan.name);
        // Rocks' DHCP and DNS see one host per address on each subnet.
        EXPECT_EQ(count(*db,
                        "SELECT COUNT(*) FROM (SELECT IP, Subnet FROM networks WHERE IP IS NOT "
                        "NULL GROUP BY IP, Subnet HAVING COUNT(*) > 1) d"),
                  0)
            << "after " << plan.name;
        (vxlan ? usedVnis : usedVlans).insert(segment);
        usedPublic.insert(pub);
        // Release bookkeeping for removed clusters is rebuilt below.
        usedVlans.clear();
        usedVnis.clear();
        usedPublic.clear();
        std::set<std::string> macs, publicIps, iqns, lvs, chapUsers, bridges;
        std::set<std::pair<std::string, int>> segments;
        for (const auto& name : pool.list()) {
            Materialisation m = pool.get(name);
            (m.plan.network == NetworkKind::Vxlan ? usedVnis : usedVlans).insert(m.plan.segmentId);
            usedPublic.insert(std::stoi(m.plan.frontend.publicIp.substr(8)));
            EXPECT_TRUE(iqns.insert(m.iqn).second) << m.iqn;
            EXPECT_TRUE(chapUsers.insert(m.chap.user).second) << m.chap.user;
            EXPECT_TRUE(bridges.insert(m.clusterBridge).second) << m.clusterBridge;
            EXPECT_TRUE(segments.insert({toString(m.plan.network), m.plan.segmentId}).second);
            EXPECT_TRUE(publicIps.insert(m.plan.frontend.publicIp).second);
            std::set<std::string> privateIps;
            for (const auto& n : m.nodes) {
                for (const auto& nic : n.nics) {
                    EXPECT_TRUE(macs.insert(nic.mac).second) << nic.mac;
                    EXPECT_TRUE(MacAllocator::validFor(m.plan.hypervisor, nic.mac)) << nic.mac;
                    if (nic.subnet == "private") {
                        EXPECT_TRUE(privateIps.insert(nic.ip).second) << nic.ip;
                    }
                }
                for (const auto& d : n.disks) {
                    EXPECT_TRUE(lvs.insert(d.logicalVolume).second) << d.logicalVolume;
                }
            }
        }
    }
    EXPECT_GT(pool.list().size(), 10u);
}

// The site half of a plan comes from the Rocks database (as after
// tools/sample-cluster.sh): host addresses and attributes.
TEST(SiteFacts, CompletesAPlacedPlanFromTheDatabase) {
    test::TempDir dir;
    auto db = test::sampleDatabase((dir / "c.db").string());
    InterfacePool ifaces(*db);
    int n = 1;
    for (const char* host : {"gateway-0-0", "vm-server-1-0", "vm-server-1-1", "storage-2-0"}) {
        Interface i;
        i.host = host;
        i.device = "eth0";
        i.mac = "52:54:00:10:00:0" + std::to_string(n);
        i.ip = "10.1.250." + std::to_string(n++);
        i.network = "private";
        ifaces.add(i);
    }
    Interface pub;
    pub.host = "gateway-0-0";
    pub.device = "eth1";
    pub.mac = "52:54:00:10:01:01";
    pub.ip = "192.0.2.10";
    pub.network = "public";
    ifaces.add(pub);
    AttributePool attrs(*db);
    attrs.setHost("vm-server-1-0", "vc_public_interface", "eth3");  // not in the database
    attrs.setHost("storage-2-0", "vc_volume_group", "vg_site");
    attrs.setHost("storage-2-0", "vc_lv_kind", "thin");
    attrs.setHost("storage-2-0", "vc_iscsi_target", "lio");
    attrs.setHost("vm-server-1-1", "vc_trunk_interface", "bond0");
    attrs.setGlobal("Kickstart_Timezone", "Europe/Amsterdam");
    ClusterPlan plan = test::samplePlan("alpha", 100, 2);
    plan.site = SiteInfo{};
    // The installer's facts: neither a roll server nor a public gateway yet.
    EXPECT_THROW(completeFromDatabase(*db, plan), Error);
    attrs.setGlobal("Kickstart_PublicHostname", "manager.example.org");
    EXPECT_THROW(completeFromDatabase(*db, plan), Error);
    attrs.setGlobal("Kickstart_PublicGateway", "192.0.2.1");
    attrs.setHost("gateway-0-0", "vc_public_gateway", "192.0.2.254");
    attrs.setHost("gateway-0-0", "vc_installer_kernel", "/srv/rocks/vmlinuz");
    attrs.setGlobal("rocks_version", "7.1");
    attrs.setGlobal("Info_CertificateCountry", "NL");
    attrs.setGlobal("vc_root_login", "key-only");
    completeFromDatabase(*db, plan);
    const InstallerSite& in = plan.site.installer;
    EXPECT_EQ(plan.frontend.publicGateway, "192.0.2.254");  // the gateway's own wins
    EXPECT_EQ(in.kickstartUrl, "http://manager.example.org/install/sbin/kickstart.cgi");
    EXPECT_EQ(in.rollServer, "http://manager.example.org/install/rolls/");
    EXPECT_EQ(in.kernel, "/srv/rocks/vmlinuz");
    EXPECT_EQ(in.initrd, "/boot/kickstart/default/initrd.img-7.1-x86_64");
    EXPECT_EQ(in.certificateCountry, "NL");
    EXPECT_TRUE(in.keyOnlyRoot);
    attrs.setGlobal("vc_root_login", "sometimes");
    EXPECT_THROW(completeFromDatabase(*db, plan), Error);
    attrs.setGlobal("vc_root_login", "password");
    completeFromDatabase(*db, plan);
    EXPECT_EQ(plan.site.hosts.size(), 4u);
    EXPECT_EQ(plan.host("vm-server-1-0").address, "10.1.250.2");
    EXPECT_EQ(plan.host("vm-server-1-1").trunkInterface, "bond0");
    // The public bridge's NIC: the interface on Rocks' public subnet, with
    // the gateway's own address; or vc_public_interface alone.
    EXPECT_EQ(plan.host("gateway-0-0").publicInterface, "eth1");
    EXPECT_EQ(plan.host("gateway-0-0").publicAddress, "192.0.2.10");
    EXPECT_EQ(plan.host("gateway-0-0").publicNetmask, NetworkPool(*db).get("public").netmask);
    EXPECT_EQ(plan.host("vm-server-1-0").publicInterface, "eth3");
    EXPECT_EQ(plan.host("vm-server-1-0").publicAddress, "");
    EXPECT_EQ(plan.host("vm-server-1-1").publicInterface, "");
    EXPECT_EQ(plan.storage.volumeGroup, "vg_site");
    EXPECT_EQ(plan.storage.lvKind, LvKind::Thin);
    EXPECT_EQ(plan.storage.target, TargetKind::Lio);
    EXPECT_EQ(plan.site.timezone, "Europe/Amsterdam");
    EXPECT_EQ(plan.site.iqnAuthority, "org.example");
    Materialisation m = MaterialisationPool(*db).materialise(plan);
    EXPECT_EQ(m.portalAddress, "10.1.250.4");
    plan.computes[0].vmServer = "vm-server-1-3";  // no private interface
    EXPECT_THROW(completeFromDatabase(*db, plan), Error);
}
