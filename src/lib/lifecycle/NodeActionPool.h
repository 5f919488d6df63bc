#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/Database.h"

namespace vcluster::lifecycle {

// One action a tenant (or an admin) asked of one node of its built cluster.
struct NodeAction {
    std::int64_t id = 0;
    std::int64_t reservation = 0;
    std::string node;    // the node's name inside its cluster: frontend, compute-0-3
    std::string action;  // on, off, reset, reinstall, rollback
    std::string label;   // rollback: the snapshot
    std::string state;   // requested (the next sync carries it out), done, failed
    std::string requestedBy;
    std::string requested;
    std::string started;  // when a sync began it ("" before)
    std::string finished;
    std::string detail;
    bool pending() const { return state == "requested"; }
};

// Owns vcluster_node_actions and its SQL. Writers run inside the caller's
// transaction.
class NodeActionPool {
  public:
    explicit NodeActionPool(db::Database& db) : db_(db) {}
    std::int64_t request(std::int64_t reservation, const std::string& node,
                         const std::string& action, const std::string& label, const std::string& by,
                         const std::string& when);
    std::optional<NodeAction> find(std::int64_t id) const;
    // The pending ones of a reservation, oldest first.
    std::vector<NodeAction> pending(std::int64_t reservation) const;
    // The pending one of a node, if any (at most one at a time).
    std::optional<NodeAction> pendingOf(std::int64_t reservation, const std::string& node) const;
    // The newest action of each node of a reservation (any state).
    std::vector<NodeAction> latest(std::int64_t reservation) const;
    // The newest finished (done) power action of a node (a console capture
    // is none).
    std::optional<NodeAction> lastDone(std::int64_t reservation, const std::string& node) const;
    // The newest capture of a node's console, if any.
    std::optional<NodeAction> lastConsole(std::int64_t reservation, const std::string& node) const;
    // A reservation's history, newest first, at most `limit` rows.
    std::vector<NodeAction> history(std::int64_t reservation, int limit) const;
    void started(std::int64_t id, const std::string& when);
    void finish(std::int64_t id, const std::string& state, const std::string& when,
                const std::string& detail);

  private:
    db::Database& db_;
};

}  // namespace vcluster::lifecycle
