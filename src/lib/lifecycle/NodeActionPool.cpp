#include "lifecycle/NodeActionPool.h"

namespace vcluster::lifecycle {

namespace {

constexpr const char* kNodeActionSelect =
    "SELECT ID, Reservation, Node, Action, Label, State, RequestedBy, Requested, "
    "COALESCE(Started, ''), COALESCE(Finished, ''), COALESCE(Detail, '') FROM "
    "vcluster_node_actions ";

NodeAction nodeActionFromRow(const db::Row& row) {
    return {row.integer(0), row.integer(1), row.text(2), row.text(3), row.text(4), row.text(5),
            row.text(6),    row.text(7),    row.text(8), row.text(9), row.text(10)};
}

std::vector<NodeAction> all(db::Database& db, const std::string& where,
                            const std::vector<db::Value>& params) {
    std::vector<NodeAction> out;
    for (const auto& row : db.query(std::string(kNodeActionSelect) + where, params)) {
        out.push_back(nodeActionFromRow(row));
    }
    return out;
}

}  // namespace

std::int64_t NodeActionPool::request(std::int64_t reservation, const std::string& node,
                                     const std::string& action, const std::string& label,
                                     const std::string& by, const std::string& when) {
    return db_.insert(
        "INSERT INTO vcluster_node_actions (Reservation, Node, Action, Label, State, "
        "RequestedBy, Requested) VALUES (?, ?, ?, ?, 'requested', ?, ?)",
        {reservation, node, action, label, by, when});
}

std::optional<NodeAction> NodeActionPool::find(std::int64_t id) const {
    auto rows = all(db_, "WHERE ID = ?", {id});
    if (rows.empty()) {
        return std::nullopt;
    }
    return rows.front();
}

std::vector<NodeAction> NodeActionPool::pending(std::int64_t reservation) const {
    return all(db_, "WHERE State = 'requested' AND Reservation = ? ORDER BY ID", {reservation});
}

std::optional<NodeAction> NodeActionPool::pendingOf(std::int64_t reservation,
                                                    const std::string& node) const {
    auto rows = all(db_, "WHERE Reservation = ? AND Node = ? AND State = 'requested' ORDER BY ID",
                    {reservation, node});
    if (rows.empty()) {
        return std::nullopt;
    }
    return rows.front();
}

std::vector<NodeAction> NodeActionPool::latest(std::int64_t reservation) const {
    return all(db_,
               "WHERE ID IN (SELECT MAX(ID) FROM vcluster_node_actions WHERE Reservation = ? "
               "GROUP BY Node) ORDER BY Node",
               {reservation});
}

std::optional<NodeAction> NodeActionPool::lastDone(std::int64_t reservation,
                                                   const std::string& node) const {
    auto rows = all(db_,
                    "WHERE Reservation = ? AND Node = ? AND State = 'done' AND Action <> "
                    "'console' ORDER BY ID DESC LIMIT 1",
                    {reservation, node});
    if (rows.empty()) {
        return std::nullopt;
    }
    return rows.front();
}

std::optional<NodeAction> NodeActionPool::lastConsole(std::int64_t reservation,
                                                      const std::string& node) const {
    auto rows = all(db_,
                    "WHERE Reservation = ? AND Node = ? AND State = 'done' AND Action = "
                    "'console' ORDER BY ID DESC LIMIT 1",
                    {reservation, node});
    if (rows.empty()) {
        return std::nullopt;
    }
    return rows.front();
}

std::vector<NodeAction> NodeActionPool::history(std::int64_t reservation, int limit) const {
    return all(db_, "WHERE Reservation = ? ORDER BY ID DESC LIMIT ?",
               {reservation, std::int64_t{limit}});
}

void NodeActionPool::started(std::int64_t id, const std::string& when) {
    db_.execute("UPDATE vcluster_node_actions SET Started = ? WHERE ID = ? AND Started IS NULL",
                {when, id});
}

void NodeActionPool::finish(std::int64_t id, const std::string& state, const std::string& when,
                            const std::string& detail) {
    db_.execute("UPDATE vcluster_node_actions SET State = ?, Finished = ?, Detail = ? WHERE ID = ?",
                {state, when, detail, id});
}

}  // namespace vcluster::lifecycle
