#include "lifecycle/NodeActions.h"

#include <algorithm>

#include "cluster/Attributes.h"
#include "lifecycle/PlanFromReservation.h"
#include "lifecycle/SnapshotPool.h"
#include "materialise/MaterialisationPool.h"
#include "materialise/Operations.h"
#include "portal/Accounts.h"
#include "reservation/ReservationPool.h"
#include "reservation/RootPassword.h"
#include "util/Error.h"

namespace vcluster::lifecycle {

namespace {

constexpr const char* kFrontend = "frontend";

std::string computeName(std::size_t rank) { return "compute-0-" + std::to_string(rank); }

// The nodes of a reservation, inside-the-cluster names, with their hosts.
std::vector<NodeView> shapeOf(const reservation::StoredReservation& r) {
    std::vector<NodeView> out{{kFrontend, "frontend", r.gateway, "", std::nullopt}};
    for (std::size_t i = 0; i < r.nodeHosts.size(); ++i) {
        out.push_back({computeName(i), "compute", r.nodeHosts[i], "", std::nullopt});
    }
    return out;
}

}  // namespace

std::string clusterNodeName(const reservation::StoredReservation& r, const std::string& node) {
    const std::string prefix = r.request.name + "-";
    std::string inside = node;
    if (inside.rfind(prefix, 0) == 0) {
        inside = inside.substr(prefix.size());
    }
    for (const auto& n : shapeOf(r)) {
        if (n.node == inside) {
            return inside;
        }
    }
    throw UnknownName("vcluster '" + r.request.name + "' has no node '" + node + "'");
}

NodeAction requestNodeAction(db::Database& db, const std::string& cluster, const std::string& node,
                             const std::string& action, const std::string& label,
                             const std::string& by, reservation::Time now) {
    const auto* known = std::find(std::begin(kNodeActionNames), std::end(kNodeActionNames), action);
    if (known == std::end(kNodeActionNames)) {
        throw Error("action must be on, off, reset, reinstall, rollback or console, not '" +
                    action + "'");
    }
    std::string snapshot;
    if (action == "rollback") {
        snapshot = label.empty() ? kInstalledLabel : label;
        materialise::validateSnapshotLabel(snapshot);
    } else if (!label.empty()) {
        throw Error("label= is for action=rollback only");
    }
    db::Transaction tx(db);
    reservation::ReservationPool reservations(db);
    auto r = reservations.findLive(cluster);
    if (!r) {
        throw UnknownName("unknown vcluster '" + cluster + "'");
    }
    const std::string inside = clusterNodeName(*r, node);
    if (r->state != "active") {
        throw Refusal("vcluster '" + cluster + "' is " + r->state +
                      ", not active: its nodes take actions once it is built and running");
    }
    NodeActionPool pool(db);
    if (auto busy = pool.pendingOf(r->id, inside)) {
        throw Refusal("an action of " + cluster + " " + inside +
                      " is in progress: " + busy->action + " #" + std::to_string(busy->id) +
                      " asked by " + busy->requestedBy + " at " + busy->requested);
    }
    if (reservations.reshaping(r->id)) {
        throw Refusal(
            "vcluster '" + cluster +
            "' is being changed (nodes, memory or a move): try again after the next sync");
    }
    SnapshotPool snapshots(db, r->id);
    for (const auto& s : snapshots.list()) {
        if (s.rollbackPending()) {
            throw Refusal("a roll-back of vcluster '" + cluster + "' to '" + s.label +
                          "' is in progress");
        }
    }
    if (action == "rollback") {
        auto s = snapshots.find(snapshot);
        if (!s) {
            throw Error("vcluster '" + cluster + "' has no snapshot '" + snapshot + "'");
        }
        if (s->state != "present") {
            throw Refusal("snapshot '" + snapshot + "' of '" + cluster + "' is not taken yet");
        }
        if (s->removalPending()) {
            throw Refusal("snapshot '" + snapshot + "' of '" + cluster + "' is being removed");
        }
    }
    const std::int64_t id =
        pool.request(r->id, inside, action, snapshot, by, reservation::formatTime(now));
    auto stored = pool.find(id);
    tx.commit();
    return *stored;
}

void issueKitCredential(db::Database& db, const reservation::StoredReservation& r) {
    reservation::RootPasswordPool secrets(db);
    auto s = secrets.find(r.id);
    if (!s || !s->powerToken.empty() || !AttributePool(db).global("vc_portal_url")) {
        return;
    }
    portal::Accounts accounts(db);
    if (!accounts.findUser(r.request.owner)) {
        return;  // the owner has no portal account: no credential to scope
    }
    secrets.setPowerToken(r.id,
                          accounts.createClusterToken(r.request.owner, r.request.name, "kit"));
}

void revokeClusterCredentials(db::Database& db, const std::string& cluster) {
    portal::Accounts(db).removeClusterTokens(cluster);
}

std::string renewKitCredential(db::Database& db, const std::string& cluster,
                               const std::string& owner, const std::string& label) {
    auto r = reservation::ReservationPool(db).findLive(cluster);
    if (!r) {
        throw Error("unknown vcluster '" + cluster + "'");
    }
    if (r->request.owner != owner) {
        throw Error("vcluster '" + cluster + "' belongs to " + r->request.owner + ", not " + owner +
                    ": a kit credential is its owner's");
    }
    auto portalUrl = AttributePool(db).global("vc_portal_url");
    if (!portalUrl) {
        throw Error(
            "the site names no portal for vc-power to reach: rocks set attr vc_portal_url "
            "https://<manager>:8443 first");
    }
    portal::Accounts accounts(db);
    if (!accounts.findUser(owner)) {
        throw Error("unknown user '" + owner + "'");
    }
    const std::string caPem = portalCaCertificates(db);  // before anything changes
    reservation::RootPasswordPool secrets(db);
    if (!secrets.find(r->id)) {
        throw Error("vcluster '" + cluster + "' keeps no frontend secrets to carry a credential");
    }
    accounts.removeClusterTokens(cluster);
    std::string token = accounts.createClusterToken(owner, cluster, label);
    secrets.setPowerToken(r->id, token);
    materialise::MaterialisationPool(db).setPowerToken(cluster, *portalUrl, token, caPem);
    return token;
}

bool renewRevokedKitCredential(db::Database& db, const reservation::StoredReservation& r) {
    reservation::RootPasswordPool secrets(db);
    auto s = secrets.find(r.id);
    portal::Accounts accounts(db);
    if (!s || !AttributePool(db).global("vc_portal_url") || !accounts.findUser(r.request.owner)) {
        return false;
    }
    if (!s->powerToken.empty()) {
        auto holder = accounts.checkToken(s->powerToken);
        if (holder && holder->tokenCluster == r.request.name) {
            return false;  // still good
        }
    }
    renewKitCredential(db, r.request.name, r.request.owner, "kit");
    return true;
}

std::vector<NodeView> nodeViews(db::Database& db, const reservation::StoredReservation& r,
                                reservation::Time now) {
    std::vector<NodeView> nodes = shapeOf(r);
    NodeActionPool pool(db);
    // Since when every VM of the cluster was last started by the lifecycle
    // (its window's opening, a roll-back of the whole cluster): a node's
    // "off" from before does not hold any more.
    std::string allOn;
    if (r.request.repeat) {
        for (const auto& w : r.request.computeWindows()) {
            if (w.start > now) {
                break;
            }
            allOn = reservation::formatTime(w.start);
        }
    }
    for (const auto& s : SnapshotPool(db, r.id).list()) {
        allOn = std::max(allOn, s.lastRollback);
    }
    std::vector<NodeAction> latest = pool.latest(r.id);
    for (auto& n : nodes) {
        for (const auto& a : latest) {
            if (a.node == n.node) {
                n.last = a;
            }
        }
        if (r.state == "active") {
            auto done = pool.lastDone(r.id, n.node);
            n.power = done && done->action == "off" && done->finished >= allOn ? "off" : "on";
        } else if (r.state == "installing") {
            n.power = n.role == "frontend" ? "installing" : "not built";
        } else if (r.state == "powered-off") {
            n.power = "off";
        } else {
            n.power = "not built";
        }
    }
    return nodes;
}

}  // namespace vcluster::lifecycle
