#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/Database.h"

namespace vcluster::lifecycle {

// The label of the snapshot taken automatically once the frontend is installed.
inline constexpr const char* kInstalledLabel = "installed";

struct Snapshot {
    std::int64_t id = 0;
    std::string label;
    std::string state;  // requested (the next sync takes it), present
    std::string requested;
    std::string created;
    std::int64_t rollbacksRequested = 0;
    std::int64_t rollbacks = 0;
    std::string lastRollback;
    std::string removalRequested;  // "" unless `rocks remove vcluster snapshot` asked
    bool rollbackPending() const { return rollbacksRequested > rollbacks; }
    bool removalPending() const { return !removalRequested.empty(); }
};

// Owns the vcluster_snapshots rows of one reservation and their SQL.
class SnapshotPool {
  public:
    SnapshotPool(db::Database& db, std::int64_t reservation) : db_(db), reservation_(reservation) {}
    std::vector<Snapshot> list() const;
    std::optional<Snapshot> find(const std::string& label) const;
    // Records a requested snapshot (no-op when the label exists).
    void request(const std::string& label, const std::string& when);
    void taken(const std::string& label, const std::string& when);
    void requestRollback(const std::string& label);
    void rolledBack(const std::string& label, std::int64_t number, const std::string& when);
    void requestRemoval(const std::string& label, const std::string& when);
    void remove(const std::string& label);
    void removeAll();

  private:
    db::Database& db_;
    std::int64_t reservation_;
};

}  // namespace vcluster::lifecycle
