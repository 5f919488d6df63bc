#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "db/Database.h"
#include "lifecycle/NodeActionPool.h"
#include "reservation/ReservationPool.h"
#include "reservation/TimeText.h"

namespace vcluster::lifecycle {

// What a tenant may ask of one node of its built cluster; the next `rocks
// sync vcluster` carries it out (Lifecycle::nodeActions):
//   on         start the VM (nothing when it runs)
//   off        ask the guest to shut down (ACPI), stop it hard after
//              vc_shutdown_timeout
//   reset      the reset button (a VM that is off is started)
//   reinstall  a compute: powered off, the start of its disk wiped, booted
//              from the network (it installs from its virtual frontend); the
//              frontend: powered off, its disk's start wiped, booted into
//              the installer with its kit (the cluster is installing again
//              until the install probe sees it finished)
//   rollback   the node's disk back to a snapshot (label=, default
//              installed): the node powered off, its LUN out of the target,
//              merged and taken again, the LUN back, the session rescanned,
//              the node started
//   console    a capture of the last kConsoleBytes of its serial console
//              (KVM), kept as the action's detail (GET .../console)
inline constexpr const char* kNodeActionNames[] = {"on",        "off",      "reset",
                                                   "reinstall", "rollback", "console"};
inline constexpr std::size_t kConsoleBytes = std::size_t{64} * 1024;

// The name of a node inside its cluster (frontend, compute-0-3) from what a
// caller wrote: that, or the physical database's <cluster>-frontend /
// <cluster>-compute-0-3. Throws UnknownName for a node the cluster does not
// have (materialised, or the reservation's shape before).
std::string clusterNodeName(const reservation::StoredReservation& r, const std::string& node);

// Checks and records an action (policy; the pool keeps it). Throws
// UnknownName (unknown cluster or node: the portal's 404), Refusal (the
// cluster is not active, or something is in progress for the node or the
// cluster: 409) or Error (a bad action or label: 400); nothing is changed
// then. Runs in its own transaction.
NodeAction requestNodeAction(db::Database& db, const std::string& cluster, const std::string& node,
                             const std::string& action, const std::string& label,
                             const std::string& by, reservation::Time now);

// The credential of a cluster's kit (vc-power on its virtual frontend): a
// portal token of its owner scoped to this cluster, issued once, when the
// site names its portal (vc_portal_url) and the owner is a portal user;
// kept for the kit (vcluster_root_passwords.PowerToken). Revoked with the
// owner's other tokens (rocks remove vcluster user token OWNER id=), and
// when the cluster is released. Runs in the caller's transaction.
void issueKitCredential(db::Database& db, const reservation::StoredReservation& r);
// Revokes the tokens scoped to a cluster (its release).
void revokeClusterCredentials(db::Database& db, const std::string& cluster);
// A new kit credential for a live cluster (rocks add vcluster user token
// OWNER vcluster=NAME): the tokens scoped to it are revoked, the new one of
// `owner` (who must own it) is kept for its frontend's next (re)install kit,
// in the books and in its materialisation; returns it. In the caller's
// transaction.
std::string renewKitCredential(db::Database& db, const std::string& cluster,
                               const std::string& owner, const std::string& label);
// Before a frontend's reinstall: when the site names its portal, the owner
// is a portal user and the kit's credential no longer authenticates (the
// admin revoked it, or none was ever issued), a new one for the new kit;
// true when it was renewed.
bool renewRevokedKitCredential(db::Database& db, const reservation::StoredReservation& r);

// A node as its owner sees it.
struct NodeView {
    std::string node;  // frontend, compute-0-3
    std::string role;  // frontend, compute
    std::string host;  // the physical host that runs it
    // on, off (as the books know it: the cluster's state and the node's
    // last finished action), installing, not built
    std::string power;
    std::optional<NodeAction> last;  // its newest action, if any
};
std::vector<NodeView> nodeViews(db::Database& db, const reservation::StoredReservation& r,
                                reservation::Time now);

}  // namespace vcluster::lifecycle
