#include "lifecycle/PlanFromReservation.h"

#include "cluster/Attributes.h"
#include "materialise/SiteFacts.h"

namespace vcluster::lifecycle {

namespace {

constexpr std::uint64_t kMiB = 1024ULL * 1024ULL;

materialise::Hypervisor hypervisorOf(reservation::Hypervisor h) {
    return h == reservation::Hypervisor::VMware ? materialise::Hypervisor::VMware
                                                : materialise::Hypervisor::Kvm;
}

materialise::NetworkKind networkOf(reservation::NetworkKind n) {
    return n == reservation::NetworkKind::Vxlan ? materialise::NetworkKind::Vxlan
                                                : materialise::NetworkKind::Vlan;
}

}  // namespace

materialise::ClusterPlan planFor(db::Database& db, const reservation::StoredReservation& r) {
    const auto& q = r.request;
    materialise::ClusterPlan plan;
    plan.name = q.name;
    plan.owner = q.owner;
    plan.hypervisor = hypervisorOf(q.hypervisor);
    plan.network = networkOf(q.network);
    plan.segmentId = static_cast<int>(r.networkId);
    // Rolls are named by the tenant; their version is the site's Rocks
    // release (Rocks' rocks_version attribute) unless the rolls table knows it.
    std::string siteVersion = AttributePool(db).global("rocks_version").value_or("7.0");
    for (const auto& roll : q.rolls) {
        auto known = db.queryOne(
            "SELECT Version FROM rolls WHERE Name = ? AND Version <> '' ORDER BY ID DESC", {roll});
        plan.rolls.push_back({roll, known ? known->text(0) : siteVersion, "x86_64"});
    }
    plan.sshPublicKey = q.sshKey;
    plan.fqdn = q.fqdn;
    plan.frontend.gateway = r.gateway;
    plan.frontend.memoryMiB = static_cast<int>(q.feMemoryMiB);
    plan.frontend.cpus = q.feCpus;
    plan.frontend.diskBytes = static_cast<std::uint64_t>(q.feDiskMiB) * kMiB;
    plan.frontend.publicIp = r.publicIp;
    for (const auto& host : r.nodeHosts) {
        materialise::ComputeSpec c;
        c.vmServer = host;
        c.memoryMiB = static_cast<int>(q.memoryMiB);
        c.cpus = q.cpus;
        c.diskBytes = static_cast<std::uint64_t>(q.diskMiB) * kMiB;
        plan.computes.push_back(c);
    }
    plan.storage.node = r.storage;
    materialise::completeFromDatabase(db, plan);
    return plan;
}

}  // namespace vcluster::lifecycle

#include "materialise/MaterialisationPool.h"
#include "util/Error.h"

namespace vcluster::lifecycle {

materialise::Materialisation currentPlan(db::Database& db, const std::string& cluster) {
    materialise::MaterialisationPool pool(db);
    if (auto m = pool.find(cluster)) {
        return *m;
    }
    auto r = reservation::ReservationPool(db).findLive(cluster);
    if (!r) {
        throw Error("unknown vcluster '" + cluster + "'");
    }
    return materialise::resolve(planFor(db, *r), pool.usedMacs());
}

}  // namespace vcluster::lifecycle
