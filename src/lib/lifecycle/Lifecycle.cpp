#include "lifecycle/Lifecycle.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "cluster/Attributes.h"
#include "lifecycle/HostBundle.h"
#include "lifecycle/JournalPool.h"
#include "lifecycle/NodeActionPool.h"
#include "lifecycle/NodeActions.h"
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
// are journalled per boundary, so each is done once. The windows are those
// the calendar holds (in the reservation's own time zone, skipped days left
// out), the first reaching back to the build: a cluster built ahead of its
// first class stays on through it, so its computes install undisturbed.
struct PowerWanted {
    bool on = true;
    reservation::Time since = 0;
};

PowerWanted powerWanted(const reservation::StoredReservation& r, reservation::Time now) {
    if (!r.request.repeat) {
        return {true, r.request.start};
    }
    PowerWanted want{false, r.request.start};
    for (const auto& w : r.request.computeWindows()) {
        if (w.start > now) {
            break;
        }
        want = w.end > now ? PowerWanted{true, w.start} : PowerWanted{false, w.end};
    }
    return want;
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
            if (m->reservation != r.id) {
                throw Error("the materialisation of '" + name() + "' belongs to reservation #" +
                            std::to_string(m->reservation) + ", not #" + std::to_string(r.id));
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

void Lifecycle::report(Context& c, const std::string& to, const std::string& detail) {
    c.state = to;
    if (!detail.empty()) {
        c.details.push_back(detail);
    }
}

void Lifecycle::setState(Context& c, const std::string& state) {
    db::Transaction tx(db_);
    reservation::ReservationPool pool(db_);
    pool.setState(c.r.id, state);
    pool.resetAttempts(c.r.id);
    tx.commit();
    c.state = state;
}

void Lifecycle::fail(Context& c, const execute::StepFailure& failure) {
    failAttempt(c, failure.step.host + ": " + failure.step.name + " failed (exit " +
                       std::to_string(failure.result.exitCode) +
                       "): " + firstLine(failure.result.error));
}

void Lifecycle::failAttempt(Context& c, const std::string& reason) {
    db::Transaction tx(db_);
    reservation::ReservationPool pool(db_);
    const std::int64_t attempts = pool.countFailure(c.r.id, reason);
    // A bounded number of retries (the next syncs) before the reservation is failed.
    std::string state = attempts >= kMaxAttempts ? "failed" : c.state;
    pool.setState(c.r.id, state);
    tx.commit();
    report(
        c, state,
        reason +
            (state == "failed" ? "" : " (attempt " + std::to_string(attempts) + ", will retry)"));
    c.stop = true;
}

void Lifecycle::failNow(Context& c, const std::string& reason) {
    db::Transaction tx(db_);
    reservation::ReservationPool pool(db_);
    pool.setFailureReason(c.r.id, reason);
    pool.setState(c.r.id, "failed");
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
        auto existing = pool.find(c.name());
        if (existing && existing->reservation != c.r.id) {
            // Rows and host objects of another reservation of this name: never
            // inherit them (they are another tenant's disks and keys).
            tx.commit();
            failNow(c, "the Rocks rows and host objects of another reservation named '" + c.name() +
                           "' (#" + std::to_string(existing->reservation) +
                           ") are still there: an admin must remove them first");
            return;
        }
        if (!existing) {
            issueKitCredential(db_, c.r);
            auto m = materialise::resolve(planFor(db_, c.r), pool.usedMacs());
            m.reservation = c.r.id;
            pool.insert(m);
            reservation::ReservationPool(db_).setBuilt(c.r.id, c.r.request.nodes,
                                                       c.r.request.memoryMiB, c.r.request.cpus);
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
    reservation::ReservationPool reservations(db_);
    reservations.markInstallStarted(r.id, c.now);
    reservations.setState(r.id, "installing");
    tx.commit();
    report(c, "installing", "storage, networks and the frontend VM started");
}

// An install not finished yet: the reservation waits (no attempt burnt)
// until vc_install_timeout from the install's start, then it fails.
void Lifecycle::waitOrTimeOut(Context& c, const std::string& install, const std::string& what) {
    const auto& r = c.r;
    auto started = reservation::ReservationPool(db_).installStarted(r.id).value_or(c.now);
    std::string text =
        AttributePool(db_).global("vc_install_timeout").value_or(kDefaultInstallTimeout);
    reservation::Time timeout = reservation::parseDuration(text, "vc_install_timeout");
    if (c.now - started >= timeout) {
        failNow(c, r.gateway + ": install-probe: " + install + " did not finish within " + text +
                       " (vc_install_timeout), since " + reservation::formatTime(started));
    } else {
        report(c, "installing",
               "waiting for " + what + " (since " + reservation::formatTime(started) +
                   ", timeout " + text + ")");
    }
}

void Lifecycle::install(Context& c) {
    const auto& r = c.r;
    const auto& m = c.plan(db_);
    const bool simulated = executor_.simulated();
    const std::string kind = executor_.name();
    auto probe =
        stage("install-probe",
              {Context::script(
                  r.gateway, "install-probe", materialise::installProbeScript(m),
                  simulated ? "    (" + kind + ": the install is taken as finished)\n" : "")});
    Outcome probed = runStages(c, "start", {probe});
    if (probed == Outcome::Failed) {
        return;
    }
    if (probed == Outcome::NotYet) {
        waitOrTimeOut(c, "the install of " + c.name() + "-frontend", "the frontend's install");
        return;
    }
    // The computes install from the frontend; the `installed` snapshot is
    // taken once they have (each sync asks again, the computes' start is
    // done once), so a weekly cluster is never powered off mid-install.
    std::vector<execute::Stage> computes{stage("computes", {})};
    for (const auto& host : c.vmServers()) {
        for (auto&& steps :
             {c.bundle(db_, host, "computes", false, "vm"),
              Context::script(host, "computes-power",
                              materialise::powerScript(m, host, VmSelection::Computes, true))}) {
            computes[0].steps.insert(computes[0].steps.end(), steps.begin(), steps.end());
        }
    }
    computes.push_back(
        stage("computes-probe",
              {Context::script(
                  r.gateway, "computes-probe", materialise::computesProbeScript(m),
                  simulated ? "    (" + kind + ": the install is taken as finished)\n" : "")}));
    probed = runStages(c, "start", computes);
    if (probed == Outcome::Failed) {
        return;
    }
    if (probed == Outcome::NotYet) {
        waitOrTimeOut(c, "the install of the computes of " + c.name(),
                      "the computes' installs from the frontend");
        return;
    }
    SnapshotPool snapshots(db_, r.id);
    snapshots.request(kInstalledLabel, reservation::formatTime(c.now));
    std::vector<execute::Stage> stages{
        stage("snapshot", {Context::script(r.storage, std::string("snapshot-") + kInstalledLabel,
                                           materialise::snapshotScript(m, kInstalledLabel))})};
    if (Outcome::Done != runStages(c, "start", stages)) {
        return;
    }
    db::Transaction tx(db_);
    snapshots.taken(kInstalledLabel, reservation::formatTime(c.now));
    reservation::ReservationPool pool(db_);
    pool.setState(r.id, "active");
    pool.resetAttempts(r.id);
    tx.commit();
    report(c, "active",
           (simulated ? "install taken as finished (" + kind + ")"
                      : "frontend and computes installed") +
               ", snapshot '" + kInstalledLabel + "' taken: built on " +
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
    reservation::ReservationPool reservations(db_);
    if (want.on) {
        std::vector<execute::Stage> stages{
            stage("frontend", {Context::script(c.r.gateway, "frontend-power",
                                               materialise::powerScript(
                                                   m, c.r.gateway, VmSelection::Frontend, true))}),
            stage("computes", {})};
        for (const auto& host : c.vmServers()) {
            auto steps =
                Context::script(host, "computes-power",
                                materialise::powerScript(m, host, VmSelection::Computes, true));
            stages[1].steps.insert(stages[1].steps.end(), steps.begin(), steps.end());
        }
        if (Outcome::Done != runStages(c, "power-on " + when, stages)) {
            return;
        }
        reservations.setShutdownAsked(c.r.id, std::nullopt);
        setState(c, "active");
        report(c, c.state, "window opened at " + when + ": VMs on");
        return;
    }
    powerOff(c, want.since);
}

// A window's close: the guests are asked to shut down (ACPI), each later
// sync checks whether they are off, and after vc_shutdown_timeout (from the
// sync that asked) the rest are stopped hard. Every step is journalled under
// the close's transition. The end of a reservation and a roll-back power off
// at once (teardown.sh, powerScript).
void Lifecycle::powerOff(Context& c, reservation::Time since) {
    const auto& m = c.plan(db_);
    const std::string when = reservation::formatTime(since);
    const std::string transition = "power-off " + when;
    const std::string closed =
        since == c.r.request.start ? "outside its windows" : "window closed at " + when;
    reservation::ReservationPool reservations(db_);
    auto perHost = [&](const std::string& name, auto&& script) {
        execute::Stage st{name, {}};
        for (const auto& host : c.vmHosts()) {
            auto steps = Context::script(host, name, script(host));
            st.steps.insert(st.steps.end(), steps.begin(), steps.end());
        }
        return st;
    };
    if (!c.r.shutdownAsked) {
        auto ask = perHost("shutdown", [&](const std::string& host) {
            return materialise::shutdownScript(m, host, VmSelection::All);
        });
        if (Outcome::Done != runStages(c, transition, {ask})) {
            return;
        }
        reservations.setShutdownAsked(c.r.id, c.now);
        c.r.shutdownAsked = c.now;
    }
    const std::string text =
        AttributePool(db_).global("vc_shutdown_timeout").value_or(kDefaultShutdownTimeout);
    const reservation::Time timeout = reservation::parseDuration(text, "vc_shutdown_timeout");
    const reservation::Time asked = *c.r.shutdownAsked;
    const bool hard = c.now - asked >= timeout;
    auto last = hard
                    ? perHost("hard-stop",
                              [&](const std::string& host) {
                                  return materialise::powerScript(m, host, VmSelection::All, false);
                              })
                    : perHost("shutdown-wait", [&](const std::string& host) {
                          return materialise::shutdownWaitScript(m, host, VmSelection::All);
                      });
    Outcome outcome = runStages(c, transition, {last});
    if (outcome == Outcome::NotYet) {
        report(c, c.state,
               closed + ": clean shutdown asked at " + reservation::formatTime(asked) +
                   ", waiting (hard stop after " + text + ", vc_shutdown_timeout)");
        return;
    }
    if (outcome != Outcome::Done) {
        return;
    }
    reservations.setShutdownAsked(c.r.id, std::nullopt);
    setState(c, "powered-off");
    report(c, c.state,
           closed +
               (hard ? ": VMs stopped hard after " + text + " (vc_shutdown_timeout)"
                     : ": VMs shut down cleanly") +
               ", disks kept");
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
    auto built = materialise::MaterialisationPool(db_).find(c.name());
    if (built && built->reservation == r.id) {
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
    if (built && built->reservation == r.id) {
        materialise::MaterialisationPool(db_).remove(c.name());
    }
    revokeClusterCredentials(db_, c.name());
    reservation::ReservationPool pool(db_);
    pool.setState(r.id, "released");
    pool.recordEnd(r.id, reservation::formatTime(c.now), "sync", "its end time passed");
    tx.commit();
    report(c, "released", "storage, snapshots, networks, VMs and rows removed");
}

// ---- Changes of a built cluster --------------------------------------------

namespace {

// FNV-1a: a stable digest of a shape, so each target shape has a journal of
// its own (a changed target never takes another's steps as done).
std::string digest(const materialise::Materialisation& m) {
    std::string text;
    for (const auto& n : m.nodes) {
        text += n.name + "@" + n.physicalHost + ":" + std::to_string(n.memoryMiB) + ":" +
                std::to_string(n.cpus) + ";";
    }
    std::uint64_t h = 14695981039346656037ULL;
    for (unsigned char ch : text) {
        h = (h ^ ch) * 1099511628211ULL;
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (int i = 0; i < 8; ++i, h >>= 4U) {
        out += kHex[h & 15U];
    }
    return out;
}

// A step that runs sections of a host's apply.sh or teardown.sh, of any
// generated host outputs (Context::bundle's, for another materialisation).
std::vector<execute::Step> bundleOf(const std::map<std::string, materialise::HostOutput>& hosts,
                                    const std::string& cluster, const std::string& host,
                                    const std::string& step, bool teardown,
                                    const std::string& sections) {
    auto it = hosts.find(host);
    if (it == hosts.end()) {
        return {};
    }
    return {{host, step,
             bundleScript(it->second, teardown, sections,
                          cluster + "-" + step + (teardown ? "-teardown" : "-apply")),
             "    " + std::string(teardown ? "teardown.sh" : "apply.sh") +
                 " sections: " + sections + "\n"}};
}

void append(execute::Stage& stage, std::vector<execute::Step> steps) {
    stage.steps.insert(stage.steps.end(), steps.begin(), steps.end());
}

// The hosts of these nodes, each once, in their order.
std::vector<std::string> hostsOf(const std::vector<materialise::VirtualNode>& nodes) {
    std::vector<std::string> out;
    for (const auto& n : nodes) {
        if (n.role == materialise::NodeRole::Compute &&
            std::find(out.begin(), out.end(), n.physicalHost) == out.end()) {
            out.push_back(n.physicalHost);
        }
    }
    return out;
}

}  // namespace

void Lifecycle::reshape(Context& c) {
    reservation::ReservationPool pool(db_);
    const auto& q = c.r.request;
    // Set by the change (rocks set vcluster, rocks move vcluster node):
    // nothing else to look at for the clusters that did not change.
    if (!pool.reshaping(c.r.id)) {
        return;
    }
    const materialise::Materialisation m = c.plan(db_);
    // The shape asked for: the request's computes, where the calendar put them.
    materialise::ClusterPlan plan = planFor(db_, c.r);
    const std::size_t want =
        std::min(plan.computes.size(), static_cast<std::size_t>(std::max(0, q.nodes)));
    plan.computes.resize(want);
    // What goes (removed: beyond the new count; moved: on another host now),
    // highest index first.
    std::vector<materialise::VirtualNode> gone;
    std::vector<materialise::VirtualNode> removed;
    std::vector<std::string> what;
    std::size_t have = 0;
    bool resized = false;
    for (auto it = m.nodes.rbegin(); it != m.nodes.rend(); ++it) {
        if (it->role != materialise::NodeRole::Compute) {
            continue;
        }
        ++have;
        const auto rank = static_cast<std::size_t>(it->rank);
        if (rank >= want) {
            gone.push_back(*it);
            removed.push_back(*it);
            continue;
        }
        const auto& spec = plan.computes[rank];
        if (it->physicalHost != spec.vmServer) {
            gone.push_back(*it);
            what.push_back(it->guestName + " moved from " + it->physicalHost + " to " +
                           spec.vmServer);
        }
        resized = resized || it->memoryMiB != spec.memoryMiB || it->cpus != spec.cpus;
    }
    if (want > have) {
        what.insert(what.begin(), std::to_string(want - have) + " compute(s) added");
    } else if (want < have) {
        what.insert(what.begin(), std::to_string(have - want) + " compute(s) removed");
    }
    if (resized) {
        what.push_back("definitions rewritten for " + std::to_string(q.memoryMiB) + " MiB, " +
                       std::to_string(q.cpus) + " CPUs per compute (in effect at their next " +
                       "power cycle: rocks set vcluster " + c.name() + " cycle=yes)");
    }
    const auto next =
        materialise::reshaped(m, plan, materialise::MaterialisationPool(db_).usedMacs());
    const std::string transition = "reshape " + std::to_string(want) + " " + digest(next);
    auto only = [&](const std::vector<materialise::VirtualNode>& nodes) {
        materialise::Materialisation part = m;
        part.nodes = nodes;
        return part;
    };
    // First what goes: its VMs powered off and undefined, the removed
    // nodes' disks out of the target, their snapshots and LVs gone; a host
    // left with nothing of the cluster loses its session and network.
    std::vector<execute::Stage> first{stage("computes-off", {}), stage("computes-remove", {}),
                                      stage("storage-remove", {}), stage("network-remove", {})};
    if (!gone.empty()) {
        // Highest index first on each host: the power-off goes in the list's
        // order, a teardown in the reverse of its nodes'.
        const auto part = only(gone);
        const auto outputs = materialise::generateHosts(
            only(std::vector<materialise::VirtualNode>(gone.rbegin(), gone.rend())));
        for (const auto& host : hostsOf(gone)) {
            append(first[0], Context::script(host, "computes-off",
                                             materialise::powerScript(
                                                 part, host, VmSelection::Computes, false)));
            append(first[1], bundleOf(outputs, c.name(), host, "computes-remove", true, "vm"));
        }
    }
    if (!removed.empty()) {
        const auto part = only(removed);
        const auto outputs = materialise::generateHosts(part);
        std::vector<std::string> labels;
        for (const auto& snap : SnapshotPool(db_, c.r.id).list()) {
            labels.push_back(snap.label);
        }
        const std::string& storage = m.plan.storage.node;
        append(first[2],
               Context::script(storage, "luns-remove", materialise::removeLunsScript(part)));
        append(first[2], Context::script(storage, "snapshots-remove",
                                         materialise::removeSnapshotsScript(part, labels)));
        append(first[2], bundleOf(outputs, c.name(), storage, "lvm-remove", true, "lvm"));
    }
    const auto nextHosts = next.vmHosts();
    for (const auto& host : m.vmHosts()) {
        if (std::find(nextHosts.begin(), nextHosts.end(), host) == nextHosts.end()) {
            append(first[3], c.bundle(db_, host, "network-remove", true, "iscsi network"));
        }
    }
    if (Outcome::Done != runStages(c, transition, first)) {
        return;
    }
    // The rows say the new shape from here on (what the second part builds
    // is torn down with the cluster should it end before it is done).
    if (have != want || !gone.empty() || resized) {
        db::Transaction tx(db_);
        materialise::MaterialisationPool(db_).replace(next);
        tx.commit();
    }
    // Then what comes: new LVs (zeroed) and LUNs, sessions rescanned, the
    // network and logins on new hosts, the VMs (re)defined, the frontend's
    // kit with the new list of computes, the new computes started (they
    // install from the virtual frontend like the first ones).
    const auto outputs = materialise::generateHosts(next);
    const auto servers = hostsOf(next.nodes);
    // A first attempt does what the change needs; a later one (the rows say
    // the new shape already, so nothing differs) does every step, each
    // idempotent and journalled.
    const bool retry = have == want && gone.empty() && !resized;
    const auto oldHosts = m.vmHosts();
    const auto known = [&](const std::string& host) {
        return std::find(oldHosts.begin(), oldHosts.end(), host) != oldHosts.end();
    };
    const bool newHost = !std::all_of(nextHosts.begin(), nextHosts.end(), known);
    std::set<std::string> touched;  // hosts of added or moved computes
    for (const auto& n : next.nodes) {
        const bool moved =
            std::any_of(gone.begin(), gone.end(), [&](const auto& g) { return g.rank == n.rank; });
        if (n.role == materialise::NodeRole::Compute &&
            (static_cast<std::size_t>(n.rank) >= have || moved)) {
            touched.insert(n.physicalHost);
        }
    }
    std::vector<execute::Stage> second{stage("storage", {}), stage("iscsi-rescan", {}),
                                       stage("network", {}), stage("computes", {}),
                                       stage("kit", {}),     stage("computes-on", {})};
    if (retry || want > have || newHost) {
        append(second[0],
               bundleOf(outputs, c.name(), next.plan.storage.node, "storage", false, "lvm target"));
    }
    for (const auto& host : nextHosts) {
        if ((retry || want > have) && known(host)) {
            append(second[1],
                   Context::script(host, "iscsi-rescan", materialise::rescanScript(next, host)));
        }
        if (retry || newHost) {
            append(second[2], bundleOf(outputs, c.name(), host, "network", false, "network iscsi"));
        }
    }
    for (const auto& host : servers) {
        if (retry || resized || touched.count(host) != 0U) {
            append(second[3], bundleOf(outputs, c.name(), host, "computes", false, "vm"));
        }
        if (c.state == "active" && (retry || touched.count(host) != 0U)) {
            append(second[5], Context::script(host, "computes-power",
                                              materialise::powerScript(
                                                  next, host, VmSelection::Computes, true)));
        }
    }
    if (retry || want != have) {
        append(second[4],
               bundleOf(outputs, c.name(), next.plan.frontend.gateway, "kit", false, "kit"));
    }
    if (Outcome::Done != runStages(c, transition, second)) {
        return;
    }
    db::Transaction tx(db_);
    // Running VMs keep their size until their next power cycle (cycle()).
    const bool running = c.state == "active";
    const int nodes = static_cast<int>(want);
    pool.setBuilt(c.r.id, nodes, running ? c.r.builtMemoryMiB : q.memoryMiB,
                  running ? c.r.builtCpus : q.cpus);
    if (c.r.nodeHosts.size() > want) {
        c.r.nodeHosts.resize(want);
        pool.setNodeHosts(c.r.id, c.r.nodeHosts);  // the removed nodes' capacity is free
    }
    pool.setReshaping(c.r.id, false);
    pool.resetAttempts(c.r.id);
    JournalPool(db_, clusterKey(c.r)).clearPrefix(c.name() + ": reshape ");
    tx.commit();
    c.r.builtNodes = nodes;
    c.m.reset();
    c.hosts.clear();
    report(c, c.state,
           (what.empty() ? std::string("change finished") : join(what, ", ")) + ": " +
               std::to_string(want) + " compute(s)");
}

void Lifecycle::cycle(Context& c) {
    reservation::ReservationPool pool(db_);
    // Once a change is carried out (not reshaping), the definitions have
    // the request's size.
    const std::int64_t memory = c.r.request.memoryMiB;
    const int cpus = c.r.request.cpus;
    const bool asked = pool.cycleAsked(c.r.id);
    if ((!asked &&
         (c.state == "active" || (c.r.builtMemoryMiB == memory && c.r.builtCpus == cpus))) ||
        pool.reshaping(c.r.id)) {
        return;
    }
    if (c.state == "powered-off") {
        // Off: they boot with their definitions' size.
        db::Transaction tx(db_);
        pool.setBuilt(c.r.id, c.r.builtNodes, memory, cpus);
        pool.setCycleAsked(c.r.id, false);
        tx.commit();
        c.r.builtMemoryMiB = memory;
        c.r.builtCpus = cpus;
        return;
    }
    const auto& m = c.plan(db_);
    std::vector<execute::Stage> stages{stage("computes-off", {}), stage("computes-on", {})};
    for (const auto& host : hostsOf(m.nodes)) {
        append(stages[0],
               Context::script(host, "computes-off",
                               materialise::powerScript(m, host, VmSelection::Computes, false)));
        append(stages[1],
               Context::script(host, "computes-power",
                               materialise::powerScript(m, host, VmSelection::Computes, true)));
    }
    if (Outcome::Done != runStages(c, "cycle", stages)) {
        return;
    }
    db::Transaction tx(db_);
    pool.setBuilt(c.r.id, c.r.builtNodes, memory, cpus);
    pool.setCycleAsked(c.r.id, false);
    JournalPool(db_, clusterKey(c.r)).clear(c.name() + ": cycle");
    tx.commit();
    c.r.builtMemoryMiB = memory;
    c.r.builtCpus = cpus;
    report(c, c.state,
           "computes power-cycled: " + std::to_string(memory) + " MiB, " + std::to_string(cpus) +
               " CPUs each");
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
        // A failed one waits for the admin (`rocks remove vcluster` asks for
        // its teardown): it keeps what it holds until then.
        if (r.request.end <= now && r.state != "released" && r.state != "failed") {
            Context c{r, now};
            try {
                release(c);
            } catch (const Error& e) {
                failAttempt(c, e.what());
            }
            finish(c);
        }
    }
    for (const auto& r : live) {
        // A weekly cluster is built ahead of its first window (buildStart).
        if (!(r.request.buildStart() <= now && now < r.request.end)) {
            continue;
        }
        Context c{r, now};
        // One reservation that cannot go on (its rows cannot be written, say
        // because a released-too-late cluster still has its address) is an
        // attempt of its own: the others' transitions still happen.
        try {
            if (c.state == "scheduled" || c.state == "provisioning") {
                provision(c);
            }
            if (!c.stop && c.state == "installing") {
                install(c);
            }
            if (!c.stop && (c.state == "active" || c.state == "powered-off")) {
                power(c);
            }
            if (!c.stop && (c.state == "active" || c.state == "powered-off")) {
                reshape(c);
            }
            if (!c.stop && (c.state == "active" || c.state == "powered-off")) {
                cycle(c);
            }
            if (!c.stop && c.state == "active") {
                requests(c);
            }
            if (!c.stop && c.state == "active") {
                nodeActions(c);
            }
        } catch (const Error& e) {
            failAttempt(c, e.what());
        }
        finish(c);
    }
    return reports;
}

// ---- Tenants' node actions --------------------------------------------------

std::vector<TransitionReport> Lifecycle::nodeActionsOnly(reservation::Time now) {
    std::vector<TransitionReport> reports;
    for (const auto& r : reservation::ReservationPool(db_).listWithNodeActions()) {
        Context c{r, now};
        try {
            nodeActions(c);
        } catch (const Error& e) {
            // As in a sync: the cluster's other transitions are the sync's;
            // an action that cannot start stays asked for the next sync.
            c.details.push_back(e.what());
        }
        if (!c.details.empty()) {
            reports.push_back({c.name(), c.from, c.state, join(c.details, "; ")});
        }
    }
    return reports;
}

void Lifecycle::nodeActions(Context& c) {
    NodeActionPool pool(db_);
    for (const auto& a : pool.pending(c.r.id)) {
        if (c.stop) {
            return;
        }
        if (a.action == "reinstall" && a.node == "frontend" && a.started.empty()) {
            // Its new kit carries a credential that works: the admin may
            // have revoked the one the old kit had.
            db::Transaction tx(db_);
            if (renewRevokedKitCredential(db_, c.r)) {
                c.m.reset();
            }
            tx.commit();
        }
        const auto& m = c.plan(db_);
        const std::string now = reservation::formatTime(c.now);
        const std::string transition = c.name() + ": node-action " + std::to_string(a.id);
        JournalPool journal(db_, clusterKey(c.r));
        const std::string what = a.node + " " + a.action + " (#" + std::to_string(a.id) + ")";
        auto finish = [&](const std::string& state, const std::string& detail) {
            db::Transaction tx(db_);
            pool.finish(a.id, state, now, detail);
            journal.clear(transition);
            tx.commit();
            report(c, c.state, std::string(what).append(": ").append(detail));
        };
        const materialise::VirtualNode* node = nullptr;
        for (const auto& n : m.nodes) {
            const bool frontend = n.role == materialise::NodeRole::Frontend;
            if ((frontend && a.node == "frontend") ||
                (!frontend && a.node == "compute-0-" + std::to_string(n.rank))) {
                node = &n;
            }
        }
        if (node == nullptr) {
            finish("failed", "the cluster has no such node any more");
            continue;
        }
        materialise::Materialisation part = m;
        part.nodes = {*node};
        const std::string& host = node->physicalHost;
        const std::string& storage = m.plan.storage.node;
        const bool frontend = node->role == materialise::NodeRole::Frontend;
        std::string started = a.started;
        if (started.empty()) {
            started = now;
            pool.started(a.id, started);
        }
        auto on = [&] {
            return stage(
                "power-on",
                {Context::script(host, "power-on",
                                 materialise::powerScript(part, host, VmSelection::All, true))});
        };
        auto off = [&] {
            return stage(
                "power-off",
                {Context::script(host, "power-off",
                                 materialise::powerScript(part, host, VmSelection::All, false))});
        };
        std::vector<execute::Stage> stages;
        std::string done;
        std::string waiting;
        if (a.action == "on") {
            stages = {on()};
            done = "powered on";
        } else if (a.action == "reset") {
            stages = {stage("reset", {Context::script(
                                         host, "reset",
                                         materialise::resetScript(part, host, VmSelection::All))})};
            done = "reset";
        } else if (a.action == "off") {
            const std::string text =
                AttributePool(db_).global("vc_shutdown_timeout").value_or(kDefaultShutdownTimeout);
            const reservation::Time timeout =
                reservation::parseDuration(text, "vc_shutdown_timeout");
            const bool hard = c.now - reservation::parseTime(started, "started") >= timeout;
            stages = {
                stage("shutdown",
                      {Context::script(host, "shutdown",
                                       materialise::shutdownScript(part, host, VmSelection::All))}),
                hard
                    ? stage("hard-stop",
                            {Context::script(
                                host, "hard-stop",
                                materialise::powerScript(part, host, VmSelection::All, false))})
                    : stage("shutdown-wait", {Context::script(host, "shutdown-wait",
                                                              materialise::shutdownWaitScript(
                                                                  part, host, VmSelection::All))})};
            done = "shut down cleanly";
            if (hard) {
                done = "stopped hard after ";
                done.append(text).append(" (vc_shutdown_timeout)");
            }
            waiting = "clean shutdown asked at ";
            waiting.append(started)
                .append(", waiting (hard stop after ")
                .append(text)
                .append(", vc_shutdown_timeout)");
        } else if (a.action == "reinstall") {
            stages = {
                off(),
                stage("wipe",
                      {Context::script(storage, "wipe", materialise::wipeBootScript(part))}),
                // The frontend's kit written again (what the books hold now:
                // a renewed credential), and its installer definition.
                stage("installer", {frontend ? c.bundle(db_, host, "installer", false, "kit vm")
                                             : std::vector<execute::Step>{}}),
                on()};
            done = frontend ? "disk wiped, booted into the installer with its kit"
                            : "disk wiped, booted from the network to install from the frontend";
        } else if (a.action == "rollback") {
            stages = {
                off(),
                stage("lun-off",
                      {Context::script(storage, "lun-off", materialise::removeLunsScript(part))}),
                stage("merge",
                      {Context::script(storage, "merge", materialise::mergeScript(part, a.label))}),
                stage("lun-on", {c.bundle(db_, storage, "lun-on", false, "target")}),
                stage("rescan",
                      {Context::script(host, "rescan", materialise::rescanScript(m, host))}),
                on()};
            done = "disk rolled back to snapshot '" + a.label + "', started";
        } else if (a.action == "console") {
            // A read, not journalled: its output is the capture.
            const auto steps = Context::script(
                host, "console", materialise::consoleTailScript(part, host, kConsoleBytes));
            execute::StepResult result =
                steps.empty() ? execute::StepResult{} : executor_.run(steps.front());
            db::Transaction tx(db_);
            std::string said = what;
            if (result.exitCode != 0) {
                said.append(": failed");
                pool.finish(a.id, "failed", now,
                            host + ": console failed (exit " + std::to_string(result.exitCode) +
                                "): " + firstLine(result.error));
            } else {
                if (result.output.size() > kConsoleBytes) {
                    result.output.erase(0, result.output.size() - kConsoleBytes);
                }
                said.append(": ").append(std::to_string(result.output.size())).append(" bytes");
                pool.finish(a.id, "done", now, result.output);
            }
            tx.commit();
            report(c, c.state, said);
            continue;
        } else {
            finish("failed", "unknown action '" + a.action + "'");
            continue;
        }
        execute::StageRunner runner(executor_, journal, progress_, width_);
        if (auto failure = runner.run(transition, stages)) {
            if (failure->result.exitCode == execute::kExitNotYet && !waiting.empty()) {
                report(c, c.state, std::string(what).append(": ").append(waiting));
                continue;
            }
            finish("failed", failure->step.host + ": " + failure->step.name + " failed (exit " +
                                 std::to_string(failure->result.exitCode) +
                                 "): " + firstLine(failure->result.error));
            continue;
        }
        if (frontend && a.action == "reinstall") {
            // Installing again: the install probe runs at each sync, then the
            // computes are started as after the first install (each step of
            // that transition again, each idempotent).
            // One transaction with the action's end: a sync killed between
            // the two must not reinstall it again once installed.
            db::Transaction tx(db_);
            reservation::ReservationPool reservations(db_);
            reservations.restartInstall(c.r.id, c.now);
            reservations.setState(c.r.id, "installing");
            reservations.resetAttempts(c.r.id);
            journal.clear(c.name() + ": start");
            c.state = "installing";
            finish("done", done);
            tx.commit();
            c.stop = true;
            return;
        }
        finish("done", done);
    }
}

}  // namespace vcluster::lifecycle
