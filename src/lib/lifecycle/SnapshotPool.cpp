#include "lifecycle/SnapshotPool.h"

namespace vcluster::lifecycle {

namespace {

constexpr const char* kSnapshotSelect =
    "SELECT ID, Label, State, Requested, COALESCE(Created, ''), RollbacksRequested, Rollbacks, "
    "COALESCE(LastRollback, ''), COALESCE(RemovalRequested, '') FROM vcluster_snapshots WHERE "
    "Reservation = ? ";

Snapshot snapshotFromRow(const db::Row& row) {
    return {row.integer(0), row.text(1),    row.text(2), row.text(3), row.text(4),
            row.integer(5), row.integer(6), row.text(7), row.text(8)};
}

}  // namespace

std::vector<Snapshot> SnapshotPool::list() const {
    std::vector<Snapshot> out;
    for (const auto& row :
         db_.query(std::string(kSnapshotSelect) + "ORDER BY ID", {reservation_})) {
        out.push_back(snapshotFromRow(row));
    }
    return out;
}

std::optional<Snapshot> SnapshotPool::find(const std::string& label) const {
    auto row = db_.queryOne(std::string(kSnapshotSelect) + "AND Label = ?", {reservation_, label});
    if (!row) {
        return std::nullopt;
    }
    return snapshotFromRow(*row);
}

void SnapshotPool::request(const std::string& label, const std::string& when) {
    // A label already there stays as it is. Look first, then insert: the same
    // SQL on SQLite and MySQL (no ON CONFLICT), and the writers run in an
    // immediate transaction, so nothing slips in between.
    if (find(label)) {
        return;
    }
    db_.execute(
        "INSERT INTO vcluster_snapshots (Reservation, Label, State, Requested) "
        "VALUES (?, ?, 'requested', ?)",
        {reservation_, label, when});
}

void SnapshotPool::taken(const std::string& label, const std::string& when) {
    db_.execute(
        "UPDATE vcluster_snapshots SET State = 'present', Created = ? WHERE Reservation = ? AND "
        "Label = ?",
        {when, reservation_, label});
}

void SnapshotPool::requestRollback(const std::string& label) {
    db_.execute(
        "UPDATE vcluster_snapshots SET RollbacksRequested = Rollbacks + 1 WHERE Reservation = ? "
        "AND Label = ?",
        {reservation_, label});
}

void SnapshotPool::rolledBack(const std::string& label, std::int64_t number,
                              const std::string& when) {
    db_.execute(
        "UPDATE vcluster_snapshots SET Rollbacks = ?, LastRollback = ? WHERE Reservation = ? AND "
        "Label = ?",
        {number, when, reservation_, label});
}

void SnapshotPool::requestRemoval(const std::string& label, const std::string& when) {
    db_.execute(
        "UPDATE vcluster_snapshots SET RemovalRequested = ? WHERE Reservation = ? AND Label = ?",
        {when, reservation_, label});
}

void SnapshotPool::remove(const std::string& label) {
    db_.execute("DELETE FROM vcluster_snapshots WHERE Reservation = ? AND Label = ?",
                {reservation_, label});
}

void SnapshotPool::removeAll() {
    db_.execute("DELETE FROM vcluster_snapshots WHERE Reservation = ?", {reservation_});
}

}  // namespace vcluster::lifecycle
