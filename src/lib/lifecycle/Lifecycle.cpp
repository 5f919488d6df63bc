#include "lifecycle/Lifecycle.h"

#include <algorithm>
#include <set>

#include "lifecycle/HostBundle.h"
#include "lifecycle/PlanFromReservation.h"
#include "materialise/Generator.h"
#include "materialise/MaterialisationPool.h"
#include "util/Error.h"
#include "util/Strings.h"

namespace vcluster::lifecycle {

namespace {

std::string clusterKey(const reservation::StoredReservation& r) {
    return r.request.name + "#" + std::to_string(r.id);
}

}  // namespace

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

std::vector<execute::Stage> Lifecycle::stages(const reservation::StoredReservation& r,
                                              bool teardown) const {
    auto m = materialise::MaterialisationPool(db_).find(r.request.name);
    if (!m) {
        return {};
    }
    auto hosts = materialise::generateHosts(*m);
    std::set<std::string> vmServers(r.nodeHosts.begin(), r.nodeHosts.end());
    std::vector<std::string> networkHosts{r.gateway};
    networkHosts.insert(networkHosts.end(), vmServers.begin(), vmServers.end());
    auto step = [&](const std::string& host, const std::string& name, const std::string& sections) {
        auto it = hosts.find(host);
        if (it == hosts.end()) {
            return std::vector<execute::Step>{};
        }
        std::string summary = "    " + std::string(teardown ? "teardown.sh" : "apply.sh") +
                              " sections: " + sections + "\n    files:";
        for (const auto& [path, file] : it->second.files.files()) {
            summary += " " + path;
        }
        return std::vector<execute::Step>{
            {host, name,
             bundleScript(it->second, teardown, sections,
                          r.request.name + "-" + name + (teardown ? "-teardown" : "-apply")),
             summary + "\n"}};
    };
    auto stage = [&](const std::string& name, const std::vector<std::string>& on,
                     const std::string& stepName, const std::string& sections) {
        execute::Stage s{name, {}};
        for (const auto& host : on) {
            auto steps = step(host, stepName, sections);
            s.steps.insert(s.steps.end(), steps.begin(), steps.end());
        }
        return s;
    };
    std::vector<std::string> computeHosts(vmServers.begin(), vmServers.end());
    if (!teardown) {
        return {stage("storage", {r.storage}, "storage", "lvm target"),
                stage("network", networkHosts, "network", "network iscsi"),
                stage("frontend", {r.gateway}, "frontend", "kit vm"),
                stage("computes", computeHosts, "computes", "vm")};
    }
    return {stage("computes", computeHosts, "computes", "vm"),
            stage("frontend", {r.gateway}, "frontend", "vm kit"),
            stage("network", networkHosts, "network", "iscsi network"),
            stage("storage", {r.storage}, "storage", "target lvm")};
}

TransitionReport Lifecycle::fail(const reservation::StoredReservation& r, const std::string& from,
                                 const execute::StepFailure& failure) {
    std::string reason = failure.step.host + ": " + failure.step.name + " failed (exit " +
                         std::to_string(failure.result.exitCode) +
                         "): " + firstLine(failure.result.error);
    db::Transaction tx(db_);
    auto attempts = db_.queryOne("SELECT Attempts FROM vcluster_reservations WHERE ID = ?", {r.id})
                        ->integer(0) +
                    1;
    // A bounded number of retries (the next syncs) before the reservation is failed.
    std::string state = attempts >= kMaxAttempts ? "failed" : from;
    db_.execute(
        "UPDATE vcluster_reservations SET Attempts = ?, FailureReason = ?, State = ? WHERE ID = ?",
        {attempts, reason, state, r.id});
    tx.commit();
    return {
        r.request.name, from, state,
        reason +
            (state == "failed" ? "" : " (attempt " + std::to_string(attempts) + ", will retry)")};
}

TransitionReport Lifecycle::provision(const reservation::StoredReservation& r) {
    const std::string& name = r.request.name;
    materialise::MaterialisationPool pool(db_);
    {
        db::Transaction tx(db_);
        if (!pool.find(name)) {
            pool.insert(materialise::resolve(planFor(db_, r), pool.usedMacs()));
        }
        reservation::ReservationPool(db_).setState(r.id, "provisioning");
        tx.commit();
    }
    JournalPool journal(db_, clusterKey(r));
    execute::StageRunner runner(executor_, journal, progress_, width_);
    if (auto failure = runner.run(name + ": start", stages(r, false))) {
        return fail(r, "provisioning", *failure);
    }
    reservation::ReservationPool(db_).setState(r.id, "active");
    return {name, r.state, "active", "built on " + std::to_string(1 + r.nodeHosts.size()) + " VMs"};
}

TransitionReport Lifecycle::release(const reservation::StoredReservation& r) {
    const std::string& name = r.request.name;
    reservation::ReservationPool(db_).setState(r.id, "releasing");
    JournalPool journal(db_, clusterKey(r));
    execute::StageRunner runner(executor_, journal, progress_, width_);
    if (auto failure = runner.run(name + ": end", stages(r, true))) {
        return fail(r, "releasing", *failure);
    }
    db::Transaction tx(db_);
    materialise::MaterialisationPool(db_).remove(name);
    reservation::ReservationPool(db_).setState(r.id, "released");
    tx.commit();
    return {name, r.state, "released", "storage, networks, VMs and rows removed"};
}

std::vector<TransitionReport> Lifecycle::sync(reservation::Time now) {
    auto live = reservation::ReservationPool(db_).listLive();
    std::sort(live.begin(), live.end(),
              [](const auto& a, const auto& b) { return a.request.start < b.request.start; });
    std::vector<TransitionReport> reports;
    // Releases first: they free what a starting cluster may need.
    for (const auto& r : live) {
        if (r.request.end <= now && r.state != "released") {
            reports.push_back(release(r));
        }
    }
    for (const auto& r : live) {
        bool due = r.request.start <= now && now < r.request.end;
        if (due && (r.state == "scheduled" || r.state == "provisioning")) {
            reports.push_back(provision(r));
        }
    }
    return reports;
}

}  // namespace vcluster::lifecycle
