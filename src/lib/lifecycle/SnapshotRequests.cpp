#include "lifecycle/SnapshotRequests.h"

#include "lifecycle/SnapshotPool.h"
#include "materialise/Operations.h"
#include "reservation/ReservationBook.h"
#include "util/Error.h"

namespace vcluster::lifecycle {

namespace {

// The snapshot `label` of cluster `name`, or the one-line refusal.
Snapshot existing(const SnapshotPool& pool, const std::string& name, const std::string& label) {
    auto s = pool.find(label);
    if (!s) {
        throw Error("vcluster '" + name + "' has no snapshot '" + label + "'");
    }
    return *s;
}

}  // namespace

reservation::StoredReservation activeCluster(db::Database& db, const std::string& name) {
    auto r = reservation::ReservationPool(db).findLive(name);
    if (!r) {
        throw Error("unknown vcluster '" + name + "'");
    }
    if (r->state != "active") {
        throw Error("vcluster '" + name + "' is " + r->state + ", not active");
    }
    return *r;
}

void requestSnapshot(db::Database& db, const std::string& name, const std::string& label,
                     reservation::Time now) {
    materialise::validateSnapshotLabel(label);
    db::Transaction tx(db);
    auto r = activeCluster(db, name);
    SnapshotPool pool(db, r.id);
    if (pool.find(label)) {
        throw Error("vcluster '" + name + "' already has a snapshot '" + label + "'");
    }
    reservation::ReservationBook(db).roomForSnapshot(name);
    pool.request(label, reservation::formatTime(now));
    tx.commit();
}

void requestRollback(db::Database& db, const std::string& name, const std::string& label) {
    materialise::validateSnapshotLabel(label);
    db::Transaction tx(db);
    auto r = activeCluster(db, name);
    SnapshotPool pool(db, r.id);
    const Snapshot s = existing(pool, name, label);
    if (s.rollbackPending()) {
        throw Error("a roll-back of '" + name + "' to '" + label + "' is already pending");
    }
    if (s.removalPending()) {
        throw Error("snapshot '" + label + "' of '" + name + "' is being removed");
    }
    pool.requestRollback(label);
    tx.commit();
}

bool requestSnapshotRemoval(db::Database& db, const std::string& name, const std::string& label,
                            reservation::Time now) {
    materialise::validateSnapshotLabel(label);
    db::Transaction tx(db);
    auto r = activeCluster(db, name);
    SnapshotPool pool(db, r.id);
    const Snapshot s = existing(pool, name, label);
    if (s.removalPending()) {
        throw Error("the removal of snapshot '" + label + "' of '" + name + "' is already pending");
    }
    if (s.rollbackPending()) {
        throw Error("a roll-back of '" + name + "' to '" + label +
                    "' is pending: remove the snapshot after it");
    }
    const bool notTaken = s.state == "requested";
    if (notTaken) {
        pool.remove(label);  // nothing on the disks yet
    } else {
        pool.requestRemoval(label, reservation::formatTime(now));
    }
    tx.commit();
    return notTaken;
}

}  // namespace vcluster::lifecycle
