#include "lifecycle/PlanFromReservation.h"

#include <algorithm>

#include "cluster/Attributes.h"
#include "cluster/Rolls.h"
#include "materialise/SiteFacts.h"
#include "reservation/RootPassword.h"
#include "util/Error.h"

namespace vcluster::lifecycle {

namespace {

constexpr std::uint64_t kMiB = 1024ULL * 1024ULL;
constexpr const char* kThisRoll = "vcluster";

materialise::Hypervisor hypervisorOf(reservation::Hypervisor h) {
    return h == reservation::Hypervisor::VMware ? materialise::Hypervisor::VMware
                                                : materialise::Hypervisor::Kvm;
}

materialise::NetworkKind networkOf(reservation::NetworkKind n) {
    return n == reservation::NetworkKind::Vxlan ? materialise::NetworkKind::Vxlan
                                                : materialise::NetworkKind::Vlan;
}

}  // namespace

std::string portalCaCertificates(db::Database& db) {
    auto path = AttributePool(db).global("vc_portal_cacert");
    return path ? materialise::readCaCertificates(*path, "vc_portal_cacert") : std::string();
}

materialise::ClusterPlan planFor(db::Database& db, const reservation::StoredReservation& r) {
    const auto& q = r.request;
    materialise::ClusterPlan plan;
    plan.name = q.name;
    plan.owner = q.owner;
    plan.hypervisor = hypervisorOf(q.hypervisor);
    plan.network = networkOf(q.network);
    plan.segmentId = static_cast<int>(r.networkId);
    // Rolls are named by the tenant and were admitted only if the roll
    // server has them (the rolls table): its version and arch. This roll
    // joins them when the roll server offers it: its node file for virtual
    // frontends installs the tenant's key and the computes.
    RollPool rolls(db);
    std::vector<std::string> names = q.rolls;
    if (std::find(names.begin(), names.end(), kThisRoll) == names.end() &&
        rolls.findEnabled(kThisRoll)) {
        names.emplace_back(kThisRoll);
    }
    for (const auto& name : names) {
        auto known = rolls.findEnabled(name);
        if (!known) {
            throw Error("roll '" + name + "' of vcluster '" + q.name +
                        "' is no longer on the roll server (the rolls table)");
        }
        plan.rolls.push_back({known->name, known->version,
                              known->arch.empty() ? std::string("x86_64") : known->arch});
    }
    if (auto secrets = reservation::RootPasswordPool(db).find(r.id)) {
        plan.rootPasswordHash = secrets->rootPasswordHash;
        plan.installToken = secrets->installToken;
        plan.powerToken = secrets->powerToken;
    }
    if (!plan.powerToken.empty()) {
        plan.portalUrl = AttributePool(db).global("vc_portal_url").value_or("");
        plan.portalCaPem = portalCaCertificates(db);
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
