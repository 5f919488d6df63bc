// Materialising a 1,000-node virtual cluster: the Rocks rows into a fresh
// SQLite database (one transaction) plus every per-host file generated in
// memory and written to a temporary directory. Target: under 0.5 s.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "cluster/Hosts.h"
#include "db/Schema.h"
#include "db/SqliteDatabase.h"
#include "materialise/Generator.h"
#include "materialise/MaterialisationPool.h"

using namespace vcluster;
using namespace vcluster::materialise;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kComputes = 999;  // + the frontend = 1,000 virtual nodes
constexpr int kVmServers = 32;

ClusterPlan bigPlan() {
    ClusterPlan p;
    p.name = "big";
    p.owner = "bench";
    p.hypervisor = Hypervisor::Kvm;
    p.network = NetworkKind::Vlan;
    p.segmentId = 42;
    p.rolls = {{"base", "6.2", "x86_64"}, {"hpc", "6.2", "x86_64"}};
    p.sshPublicKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB3x2Ykz7Vq0m3bN8v1o7Q9wE3J bench@x";
    p.fqdn = "big.example.org";
    auto host = [&](std::string name, std::string address) {
        PhysicalHost h;
        h.name = std::move(name);
        h.address = std::move(address);
        p.site.hosts.push_back(h);
        return &p.site.hosts.back();
    };
    host("gateway-0-0", "10.1.255.250")->publicInterface = "eth1";
    host("storage-2-0", "10.1.253.1");
    for (int i = 0; i < kVmServers; ++i) {
        host("vm-server-1-" + std::to_string(i), "10.1.254." + std::to_string(i + 1));
    }
    p.frontend = {"gateway-0-0",   4096,       4, 100ULL << 30, "192.0.2.100",
                  "255.255.255.0", "192.0.2.1"};
    for (int i = 0; i < kComputes; ++i) {
        p.computes.push_back(
            {"vm-server-1-" + std::to_string(i % kVmServers), 2048, 2, 20ULL << 30});
    }
    p.storage.node = "storage-2-0";
    p.site.installer.kickstartUrl = "http://192.0.2.2/install/sbin/kickstart.cgi";
    p.site.installer.rollServer = "http://192.0.2.2/install/rolls/";
    return p;
}

double seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

}  // namespace

int main() {
    const auto dir =
        std::filesystem::temp_directory_path() / ("vcluster-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    double best = 1e9;
    for (int run = 0; run < 5; ++run) {
        const auto dbPath = dir / ("run" + std::to_string(run) + ".db");
        db::SqliteDatabase db(dbPath.string());
        db::migrate(db);
        const ClusterPlan plan = bigPlan();
        HostPool hosts(db);
        for (const auto& h : plan.site.hosts) {
            Host host;
            host.name = h.name;
            host.membership = h.name.rfind("gateway", 0) == 0   ? "Gateway"
                              : h.name.rfind("storage", 0) == 0 ? "Storage"
                                                                : "VM Server";
            hosts.add(host);
        }
        const auto t0 = Clock::now();
        Materialisation m = MaterialisationPool(db).materialise(plan);
        const auto t1 = Clock::now();
        FileTree tree = generateTree(m);
        const auto t2 = Clock::now();
        tree.writeTo(dir / ("tree" + std::to_string(run)));
        const auto t3 = Clock::now();
        const double total = seconds(t3 - t0);
        best = std::min(best, total);
        std::printf(
            "run %d: 1,000 nodes: rows %.3f s, generate %.3f s (%zu files), write %.3f s, "
            "total %.3f s\n",
            run, seconds(t1 - t0), seconds(t2 - t1), tree.size(), seconds(t3 - t2), total);
    }
    std::printf("materialise 1,000-node cluster: best %.3f s (target < 0.5 s): %s\n", best,
                best < 0.5 ? "ok" : "TOO SLOW");
    std::filesystem::remove_all(dir);
    return best < 0.5 ? 0 : 1;
}
