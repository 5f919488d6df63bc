#include "lifecycle/Lifecycle.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "cluster/Attributes.h"
#include "lifecycle/HostBundle.h"
#include "lifecycle/PlanFromReservation.h"
#include "lifecycle/SnapshotPool.h"
#include "materialise/Generator.h"
#include "materialise/MaterialisationPool.h"
#include "materialise/Operations.h"
#include "util/Error.h"
#include "util/Strings.h"

namespace vcluster::lifecycle {

namespace {

static_assert(materialise::kProbeNotYet == execute::kExitNotYet);

using materialise::VmSelection;

std::string clusterKey(const reservation::StoredReservation& r) {
    return r.request.name + "#" + std::to_string(r.id);
}

// Whether a weekly reservation's VMs should run at `now`, and the boundary
// (opening or close of a window, or the start) that decided it: power steps
// are journalled per boundary, so each is done once.
struct PowerWanted {
    bool on = true;
    reservation::Time since = 0;
};

PowerWanted powerWanted(const reservation::StoredReservation& r, reservation::Time now) {
    if (!r.request.repeat) {
        return {true, r.request.start};
    }
    constexpr reservation::Time kWeek = reservation::Time{7} * 86400;
    // Windows never cross midnight, so one that holds `now` started within a day.
    auto current = r.request.repeat->expand({std::max(r.request.start, now - 86400), now + 1});
    if (!current.empty() && current.back().end > now) {
        return {true, current.back().start};
    }
    auto past = r.request.repeat->expand({std::max(r.request.start, now - kWeek), now});
    return {false, past.empty() ? r.request.start : past.back().end};
}

}  // namespace

struct Lifecycle::Context {
    Context(const reservation::StoredReservation& reservation, reservation::Time at)
        : r(reservation), now(at), from(reservation.state), state(reservation.state) {}

    reservation::StoredReservation r;
    reservation::Time now = 0;
    std::string from;   // state before this sync
    std::string state;  // state now
    std::vector<std::string> details;
    bool stop = false;  // failed or waiting: nothing else for it in this sync
    std::optional<materialise::Materialisation> m;
    std::map<std::string, materialise::HostOutput> hosts;

    const std::string& name() const { return r.request.name; }
    std::vector<std::string> vmServers() const {
        std::set<std::string> s(r.nodeHosts.begin(), r.nodeHosts.end());
        return {s.begin(), s.end()};
    }
    std::vector<std::string> vmHosts() const {
        std::vector<std::string> out{r.gateway};
        for (const auto& h : vmServers()) {
            if (h != r.gateway) {
                out.push_back(h);
            }
        }
        return out;
    }
    // The materialised cluster and its hosts' generated files (loaded once).
    const materialise::Materialisation& plan(db::Database& db) {
        if (!m) {
            m = materialise::MaterialisationPool(db).find(name());
            if (!m) {
                throw Error("internal: " + name() + " is not materialised");
            }
            hosts = materialise::generateHosts(*m);
        }
        return *m;
    }
    // A step that runs sections of a host's apply.sh or teardown.sh.
    std::vector<execute::Step> bundle(db::Database& db, const std::string& host,
                                      const std::string& step, bool teardown,
                                      const std::string& sections) {
        plan(db);
        auto it = hosts.find(host);
        if (it == hosts.end()) {
            return {};
        }
        std::string summary = "    " + std::string(teardown ? "teardown.sh" : "apply.sh") +
                              " sections: " + sections + "\n    files:";
        for (const auto& [path, file] : it->second.files.files()) {
            summary += " " + path;
        }
        return {{host, step,
                 bundleScript(it->second, teardown, sections,
                              name() + "-" + step + (teardown ? "-teardown" : "-apply")),
                 summary + "\n"}};
    }
    // A step that runs one generated script (no files travel with it).
    static std::vector<execute::Step> script(const std::string& host, const std::string& step,
                                             const materialise::ShellScript& s,
                                             const std::string& note = {}) {
        if (s.empty()) {
            return {};
        }
        return {{host, step, s.render(), s.commands() + note}};
    }
};

namespace {

execute::Stage stage(const std::string& name, std::vector<std::vector<execute::Step>> parts) {
    execute::Stage s{name, {}};
    for (auto& p : parts) {
        s.steps.insert(s.steps.end(), p.begin(), p.end());
    }
    return s;
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

void JournalPool::clearPrefix(const std::string& prefix) {
    db_.execute("DELETE FROM vcluster_journal WHERE Cluster = ? AND Transition LIKE ?",
                {cluster_, prefix + "%"});
}

void Lifecycle::report(Context& c, const std::string& to, const std::string& detail) {
    c.state = to;
    if (!detail.empty()) {
        c.details.push_back(detail);
    }
}

void Lifecycle::setState(Context& c, const std::string& state) {
    db::Transaction tx(db_);
    reservation::ReservationPool(db_).setState(c.r.id, state);
    db_.execute("UPDATE vcluster_reservations SET Attempts = 0 WHERE ID = ?", {c.r.id});
    tx.commit();
    c.state = state;
}

void Lifecycle::fail(Context& c, const execute::StepFailure& failure) {
    std::string reason = failure.step.host + ": " + failure.step.name + " failed (exit " +
                         std::to_string(failure.result.exitCode) +
                         "): " + firstLine(failure.result.error);
    db::Transaction tx(db_);
    auto attempts =
        db_.queryOne("SELECT Attempts FROM vcluster_reservations WHERE ID = ?", {c.r.id})
            ->integer(0) +
        1;
    // A bounded number of retries (the next syncs) before the reservation is failed.
    std::string state = attempts >= kMaxAttempts ? "failed" : c.state;
    db_.execute("UPDATE vcluster_reservations SET Attempts = ?, FailureReason = ? WHERE ID = ?",
                {attempts, reason, c.r.id});
    reservation::ReservationPool(db_).setState(c.r.id, state);
    tx.commit();
    report(
        c, state,
        reason +
            (state == "failed" ? "" : " (attempt " + std::to_string(attempts) + ", will retry)"));
    c.stop = true;
}

void Lifecycle::failNow(Context& c, const std::string& reason) {
    db::Transaction tx(db_);
    db_.execute("UPDATE vcluster_reservations SET FailureReason = ? WHERE ID = ?",
                {reason, c.r.id});
    reservation::ReservationPool(db_).setState(c.r.id, "failed");
    tx.commit();
    report(c, "failed", reason);
    c.stop = true;
}

Lifecycle::Outcome Lifecycle::runStages(Context& c, const std::string& transition,
                                        const std::vector<execute::Stage>& stages) {
    JournalPool journal(db_, clusterKey(c.r));
    execute::StageRunner runner(executor_, journal, progress_, width_);
    if (auto failure = runner.run(c.name() + ": " + transition, stages)) {
        c.stop = true;
        if (failure->result.exitCode == execute::kExitNotYet) {
            return Outcome::NotYet;  // the caller says what it waits for
        }
        fail(c, *failure);
        return Outcome::Failed;
    }
    return Outcome::Done;
}

void Lifecycle::provision(Context& c) {
    materialise::MaterialisationPool pool(db_);
    {
        db::Transaction tx(db_);
        if (!pool.find(c.name())) {
            pool.insert(materialise::resolve(planFor(db_, c.r), pool.usedMacs()));
        }
        reservation::ReservationPool(db_).setState(c.r.id, "provisioning");
        tx.commit();
        c.state = "provisioning";
    }
    const auto& r = c.r;
    std::vector<execute::Stage> stages{
        stage("storage", {c.bundle(db_, r.storage, "storage", false, "lvm target")}),
        stage("network", {}),
        stage("frontend",
              {c.bundle(db_, r.gateway, "frontend", false, "kit vm"),
               Context::script(r.gateway, "frontend-power",
                               materialise::powerScript(c.plan(db_), r.gateway,
                                                        VmSelection::Frontend, true))})};
    for (const auto& host : c.vmHosts()) {
        auto steps = c.bundle(db_, host, "network", false, "network iscsi");
        stages[1].steps.insert(stages[1].steps.end(), steps.begin(), steps.end());
    }
    if (Outcome::Done != runStages(c, "start", stages)) {
        return;
    }
    db::Transaction tx(db_);
    db_.execute(
        "UPDATE vcluster_reservations SET InstallStarted = COALESCE(InstallStarted, ?) WHERE ID = "
        "?",
        {c.now, r.id});
    reservation::ReservationPool(db_).setState(r.id, "installing");
    tx.commit();
    report(c, "installing", "storage, networks and the frontend VM started");
}

void Lifecycle::install(Context& c) {
    const auto& r = c.r;
    const auto& m = c.plan(db_);
    const bool dryRun = executor_.name() == "dry-run";
    auto probe =
        stage("install-probe",
              {Context::script(r.gateway, "install-probe", materialise::installProbeScript(m),
                               dryRun ? "    (dry-run: the install is taken as finished)\n" : "")});
    Outcome probed = runStages(c, "start", {probe});
    if (probed == Outcome::Failed) {
        return;
    }
    if (probed == Outcome::NotYet) {
        auto started =
            db_.queryOne("SELECT InstallStarted FROM vcluster_reservations WHERE ID = ?", {r.id})
                ->optInteger(0)
                .value_or(c.now);
        std::string text =
            AttributePool(db_).global("vc_install_timeout").value_or(kDefaultInstallTimeout);
        reservation::Time timeout = reservation::parseDuration(text, "vc_install_timeout");
        if (c.now - started >= timeout) {
            failNow(c, r.gateway + ": install-probe: the install of " + c.name() +
                           "-frontend did not finish within " + text +
                           " (vc_install_timeout), since " + reservation::formatTime(started));
        } else {
            report(c, "installing",
                   "waiting for the frontend's install (since " + reservation::formatTime(started) +
                       ", timeout " + text + ")");
        }
        return;
    }
    SnapshotPool snapshots(db_, r.id);
    snapshots.request(kInstalledLabel, reservation::formatTime(c.now));
    std::vector<execute::Stage> stages{
        stage("snapshot", {Context::script(r.storage, std::string("snapshot-") + kInstalledLabel,
                                           materialise::snapshotScript(m, kInstalledLabel))}),
        stage("computes", {})};
    for (const auto& host : c.vmServers()) {
        for (auto&& steps :
             {c.bundle(db_, host, "computes", false, "vm"),
              Context::script(host, "computes-power",
                              materialise::powerScript(m, host, VmSelection::Computes, true))}) {
            stages[1].steps.insert(stages[1].steps.end(), steps.begin(), steps.end());
        }
    }
    if (Outcome::Done != runStages(c, "start", stages)) {
        return;
    }
    db::Transaction tx(db_);
    snapshots.taken(kInstalledLabel, reservation::formatTime(c.now));
    reservation::ReservationPool(db_).setState(r.id, "active");
    db_.execute("UPDATE vcluster_reservations SET Attempts = 0 WHERE ID = ?", {r.id});
    tx.commit();
    report(c, "active",
           std::string(dryRun ? "install taken as finished (dry-run)" : "frontend installed") +
               ", snapshot '" + kInstalledLabel + "' taken, computes started: built on " +
               std::to_string(1 + r.nodeHosts.size()) + " VMs");
}

void Lifecycle::power(Context& c) {
    PowerWanted want = powerWanted(c.r, c.now);
    const bool on = c.state == "active";
    if (want.on == on) {
        return;
    }
    const auto& m = c.plan(db_);
    const std::string when = reservation::formatTime(want.since);
    std::vector<execute::Stage> stages;
    if (want.on) {
        stages.push_back(
            stage("frontend", {Context::script(c.r.gateway, "frontend-power",
                                               materialise::powerScript(
                                                   m, c.r.gateway, VmSelection::Frontend, true))}));
        execute::Stage computes{"computes", {}};
        for (const auto& host : c.vmServers()) {
            auto steps =
                Context::script(host, "computes-power",
                                materialise::powerScript(m, host, VmSelection::Computes, true));
            computes.steps.insert(computes.steps.end(), steps.begin(), steps.end());
        }
        stages.push_back(computes);
    } else {
        execute::Stage off{"power-off", {}};
        for (const auto& host : c.vmHosts()) {
            auto steps = Context::script(
                host, "power-off", materialise::powerScript(m, host, VmSelection::All, false));
            off.steps.insert(off.steps.end(), steps.begin(), steps.end());
        }
        stages.push_back(off);
    }
    if (Outcome::Done !=
        runStages(c, std::string(want.on ? "power-on " : "power-off ") + when, stages)) {
        return;
    }
    setState(c, want.on ? "active" : "powered-off");
    report(c, c.state,
           want.on ? "window opened at " + when + ": VMs on"
                   : (want.since == c.r.request.start ? "outside its windows"
                                                      : "window closed at " + when) +
                         ": VMs off, disks kept");
}

void Lifecycle::requests(Context& c) {
    const auto& r = c.r;
    SnapshotPool snapshots(db_, r.id);
    // New snapshots first (a roll-back is the later request when both are
    // pending), then roll-backs.
    for (const auto& s : snapshots.list()) {
        if (c.stop || s.state != "requested") {
            continue;
        }
        if (Outcome::Done !=
            runStages(c, "snapshot " + s.label,
                      {stage("snapshot", {Context::script(r.storage, "snapshot-" + s.label,
                                                          materialise::snapshotScript(
                                                              c.plan(db_), s.label))})})) {
            return;
        }
        snapshots.taken(s.label, reservation::formatTime(c.now));
        report(c, c.state, "snapshot '" + s.label + "' taken");
    }
    for (const auto& s : snapshots.list()) {
        if (c.stop) {
            return;
        }
        const auto& m = c.plan(db_);
        if (!s.rollbackPending()) {
            continue;
        }
        std::vector<execute::Stage> stages{
            stage("power-off", {}),
            stage("iscsi-logout", {}),
            stage("target-off", {c.bundle(db_, r.storage, "target-off", true, "target")}),
            stage("merge",
                  {Context::script(r.storage, "merge", materialise::mergeScript(m, s.label))}),
            stage("target-on", {c.bundle(db_, r.storage, "target-on", false, "target")}),
            stage("iscsi-login", {}),
            stage("frontend-on", {Context::script(r.gateway, "frontend-power",
                                                  materialise::powerScript(
                                                      m, r.gateway, VmSelection::Frontend, true))}),
            stage("computes-on", {})};
        for (const auto& host : c.vmHosts()) {
            for (auto&& [index, steps] :
                 {std::pair{0, Context::script(
                                   host, "power-off",
                                   materialise::powerScript(m, host, VmSelection::All, false))},
                  std::pair{1, c.bundle(db_, host, "iscsi-logout", true, "iscsi")},
                  std::pair{5, c.bundle(db_, host, "iscsi-login", false, "iscsi")}}) {
                auto& st = stages[static_cast<std::size_t>(index)].steps;
                st.insert(st.end(), steps.begin(), steps.end());
            }
        }
        for (const auto& host : c.vmServers()) {
            auto steps =
                Context::script(host, "computes-power",
                                materialise::powerScript(m, host, VmSelection::Computes, true));
            stages[7].steps.insert(stages[7].steps.end(), steps.begin(), steps.end());
        }
        const std::int64_t number = s.rollbacksRequested;
        if (Outcome::Done !=
            runStages(c, "rollback " + s.label + " " + std::to_string(number), stages)) {
            return;
        }
        snapshots.rolledBack(s.label, number, reservation::formatTime(c.now));
        report(c, c.state, "rolled back to snapshot '" + s.label + "', VMs restarted");
    }
    // Removals last: a roll-back to a label is never pending with its removal.
    for (const auto& s : snapshots.list()) {
        if (c.stop) {
            return;
        }
        if (!s.removalPending()) {
            continue;
        }
        const std::string transition = "remove snapshot " + s.label;
        if (Outcome::Done !=
            runStages(
                c, transition,
                {stage("snapshot-remove", {Context::script(r.storage, "remove-snapshot-" + s.label,
                                                           materialise::removeSnapshotsScript(
                                                               c.plan(db_), {s.label}))})})) {
            return;
        }
        // The label may be taken again: its journal goes with it, or the
        // new snapshot's steps would be taken as done.
        const std::string prefix = c.name() + ": ";
        JournalPool journal(db_, clusterKey(c.r));
        db::Transaction tx(db_);
        snapshots.remove(s.label);
        journal.clear(prefix + "snapshot " + s.label);
        journal.clear(prefix + transition);
        journal.clearPrefix(prefix + "rollback " + s.label + " ");
        tx.commit();
        report(c, c.state, "snapshot '" + s.label + "' removed");
    }
}

void Lifecycle::release(Context& c) {
    const auto& r = c.r;
    reservation::ReservationPool(db_).setState(r.id, "releasing");
    c.state = "releasing";
    std::vector<execute::Stage> stages;
    if (materialise::MaterialisationPool(db_).find(c.name())) {
        const auto& m = c.plan(db_);
        std::vector<std::string> labels;
        for (const auto& s : SnapshotPool(db_, r.id).list()) {
            labels.push_back(s.label);
        }
        stages = {stage("computes", {}), stage("frontend", {}), stage("network", {}),
                  stage("storage", {Context::script(r.storage, "snapshots",
                                                    materialise::removeSnapshotsScript(m, labels)),
                                    c.bundle(db_, r.storage, "storage", true, "target lvm")})};
        for (const auto& host : c.vmServers()) {
            auto steps = c.bundle(db_, host, "computes", true, "vm");
            stages[0].steps.insert(stages[0].steps.end(), steps.begin(), steps.end());
        }
        stages[1].steps = c.bundle(db_, r.gateway, "frontend", true, "vm kit");
        for (const auto& host : c.vmHosts()) {
            auto steps = c.bundle(db_, host, "network", true, "iscsi network");
            stages[2].steps.insert(stages[2].steps.end(), steps.begin(), steps.end());
        }
    }
    if (Outcome::Done != runStages(c, "end", stages)) {
        return;
    }
    db::Transaction tx(db_);
    SnapshotPool(db_, r.id).removeAll();
    materialise::MaterialisationPool(db_).remove(c.name());
    reservation::ReservationPool(db_).setState(r.id, "released");
    tx.commit();
    report(c, "released", "storage, snapshots, networks, VMs and rows removed");
}

std::vector<TransitionReport> Lifecycle::sync(reservation::Time now) {
    // Only the reservations with something due: the others spanning now, and
    // the history, are not read.
    auto live = reservation::ReservationPool(db_).listDue(now);
    std::sort(live.begin(), live.end(),
              [](const auto& a, const auto& b) { return a.request.start < b.request.start; });
    std::vector<TransitionReport> reports;
    auto finish = [&](Context& c) {
        if (c.state != c.from || !c.details.empty()) {
            reports.push_back({c.name(), c.from, c.state, join(c.details, "; ")});
        }
    };
    // Releases first: they free what a starting cluster may need.
    for (const auto& r : live) {
        if (r.request.end <= now && r.state != "released") {
            Context c{r, now};
            release(c);
            finish(c);
        }
    }
    for (const auto& r : live) {
        if (!(r.request.start <= now && now < r.request.end)) {
            continue;
        }
        Context c{r, now};
        if (c.state == "scheduled" || c.state == "provisioning") {
            provision(c);
        }
        if (!c.stop && c.state == "installing") {
            install(c);
        }
        if (!c.stop && (c.state == "active" || c.state == "powered-off")) {
            power(c);
        }
        if (!c.stop && c.state == "active") {
            requests(c);
        }
        finish(c);
    }
    return reports;
}

}  // namespace vcluster::lifecycle
