#include "lifecycle/JournalPool.h"

#include "reservation/TimeText.h"

namespace vcluster::lifecycle {

bool JournalPool::isDone(const std::string& transition, const execute::Step& step) {
    return db_
        .queryOne(
            "SELECT 1 FROM vcluster_journal WHERE Cluster = ? AND Transition = ? AND Host = ? AND "
            "Step = ? "
            "AND State = 'done' LIMIT 1",
            {cluster_, transition, step.host, step.name})
        .has_value();
}

void JournalPool::started(const std::string& transition, const execute::Step& step) {
    db_.execute(
        "INSERT INTO vcluster_journal (Cluster, Transition, Host, Step, State, Started) "
        "VALUES (?, ?, ?, ?, 'started', ?)",
        {cluster_, transition, step.host, step.name,
         reservation::formatTime(reservation::currentTime())});
}

void JournalPool::finished(const std::string& transition, const execute::Step& step,
                           const execute::StepResult& result) {
    db_.execute(
        "UPDATE vcluster_journal SET State = ?, Finished = ?, ExitCode = ?, Stderr = ? "
        "WHERE ID = (SELECT MAX(ID) FROM vcluster_journal WHERE Cluster = ? AND Transition = ? AND "
        "Host = ? "
        "AND Step = ?)",
        {std::string(result.exitCode == 0 ? "done" : "failed"),
         reservation::formatTime(reservation::currentTime()), std::int64_t{result.exitCode},
         result.error.substr(0, 4000), cluster_, transition, step.host, step.name});
}

void JournalPool::clear(const std::string& transition) {
    db_.execute("DELETE FROM vcluster_journal WHERE Cluster = ? AND Transition = ?",
                {cluster_, transition});
}

void JournalPool::clearPrefix(const std::string& prefix) {
    db_.execute("DELETE FROM vcluster_journal WHERE Cluster = ? AND Transition LIKE ?",
                {cluster_, prefix + "%"});
}

}  // namespace vcluster::lifecycle
