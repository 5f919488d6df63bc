#pragma once

// Sample plans and a database with the physical hosts they name, shared by
// the materialisation tests.
#include <memory>
#include <string>

#include "cluster/Hosts.h"
#include "db/Schema.h"
#include "materialise/ClusterPlan.h"
#include "support/TestDatabase.h"

namespace vcluster::test {

inline materialise::SiteInfo sampleSite() {
    materialise::SiteInfo site;
    auto host = [](std::string name, std::string address) {
        materialise::PhysicalHost h;
        h.name = std::move(name);
        h.address = std::move(address);
        return h;
    };
    // Gateways with a public leg (eth1) that the public bridge is made from.
    for (int i = 0; i < 2; ++i) {
        auto g = host("gateway-0-" + std::to_string(i), "10.1.255." + std::to_string(250 - i));
        g.publicInterface = "eth1";
        g.publicAddress = "192.0.2." + std::to_string(10 + i);
        g.publicNetmask = "255.255.255.0";
        site.hosts.push_back(g);
    }
    for (int i = 0; i < 4; ++i) {
        site.hosts.push_back(
            host("vm-server-1-" + std::to_string(i), "10.1.254." + std::to_string(i + 1)));
    }
    site.hosts.push_back(host("storage-2-0", "10.1.253.1"));
    site.installer.kickstartUrl = "http://192.0.2.2/install/sbin/kickstart.cgi";
    site.installer.rollServer = "http://192.0.2.2/install/rolls/";
    return site;
}

inline materialise::ClusterPlan samplePlan(
    const std::string& name, int segment, int computes,
    materialise::Hypervisor hypervisor = materialise::Hypervisor::Kvm,
    materialise::NetworkKind network = materialise::NetworkKind::Vlan) {
    materialise::ClusterPlan p;
    p.name = name;
    p.owner = "tenant-" + name;
    p.hypervisor = hypervisor;
    p.network = network;
    p.segmentId = segment;
    p.rolls = {{"base", "6.2", "x86_64"}, {"hpc", "6.2", "x86_64"}, {"sge", "6.2", "x86_64"}};
    p.sshPublicKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB3x2Ykz7Vq0m3bN8v1o7Q9wE3Jm5fQ " + name +
                     "@example.org";
    p.fqdn = name + ".example.org";
    p.site = sampleSite();
    p.frontend.gateway = "gateway-0-0";
    p.frontend.memoryMiB = 2048;
    p.frontend.cpus = 2;
    p.frontend.diskBytes = 40ULL << 30;
    p.frontend.publicIp = "192.0.2." + std::to_string(100 + segment % 100);
    p.frontend.publicNetmask = "255.255.255.0";
    p.frontend.publicGateway = "192.0.2.1";
    p.rootPasswordHash = "$6$saltsalt$hash";
    p.installToken = "token" + name;
    for (int i = 0; i < computes; ++i) {
        p.computes.push_back({"vm-server-1-" + std::to_string(i % 4), 2048, 2, 20ULL << 30});
    }
    p.storage.node = "storage-2-0";
    return p;
}

// A migrated database file with the sample site's physical hosts.
inline std::unique_ptr<db::Database> sampleDatabase(const std::string& path) {
    auto db = test::openTestDatabase(path);
    HostPool hosts(*db);
    for (const auto& h : sampleSite().hosts) {
        Host host;
        host.name = h.name;
        host.membership = h.name.rfind("gateway", 0) == 0   ? "Gateway"
                          : h.name.rfind("storage", 0) == 0 ? "Storage"
                                                            : "VM Server";
        host.cpus = 16;
        hosts.add(host);
    }
    return db;
}

}  // namespace vcluster::test
