// rocks sync vcluster [now=] [executor=] [width=]: perform every lifecycle
// transition that is due. A systemd timer shipped by the roll runs it every
// minute; now= makes the whole lifecycle testable without waiting.
#include <unistd.h>

#include <optional>

#include "cli/Plugin.h"
#include "cluster/Attributes.h"
#include "execute/Executor.h"
#include "execute/ExecutorParams.h"
#include "lifecycle/Lifecycle.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;

class SyncVcluster : public Command {
  public:
    std::vector<std::string> words() const override { return {"sync", "vcluster"}; }
    CommandHelp help() const override {
        CommandHelp help{
            "Build the virtual clusters whose start is due and release those whose end is due",
            "At a reservation's start: its Rocks rows are created (virtual frontend and computes, "
            "interfaces, VM rows), then on the hosts, in order: storage (LVs, iSCSI target), "
            "networks (VLAN/VXLAN bridges, iSCSI logins), the virtual frontend (its install kit, "
            "its VM, started). Then it is installing: each sync runs one probe on the gateway "
            "(the VM runs and sshd answers on the frontend's public address, port 22); 'not yet' "
            "is no failure, but the install must end within the vc_install_timeout attribute "
            "(default 2h). Once it is installed, every disk is snapshotted as 'installed' and the "
            "computes are defined and started: active. A weekly reservation (repeat=) is built "
            "ahead of its first window by its install allowance (vc_install_allowance, default "
            "2h; not before its start) and stays on through that window, then is powered on at "
            "each window's opening and off at its close (powered-off in between, disks kept): "
            "the guests are asked to shut down (ACPI: virsh shutdown, vmware-cmd stop soft) and "
            "those still running after vc_shutdown_timeout (default 5m) are stopped hard. A sync "
            "converges to the power state due at now whatever syncs were missed; windows are in "
            "the reservation's own time zone (tz=), skipped days (skip=) have none. Snapshots and "
            "roll-backs asked with `rocks create "
            "vcluster snapshot` and `rocks rollback vcluster` are done for active clusters. At "
            "its end the same in reverse, the snapshots too, then the rows are removed and the "
            "capacity is free. States: scheduled, provisioning, installing, active, powered-off, "
            "releasing, released (cancelled, failed). One sync runs at a time (a second waits "
            "for the first, up to wait=). Every step is journalled before and after "
            "it runs, so an interrupted sync resumes; a failed step is retried by the next syncs "
            "up to 3 attempts, then the reservation is failed with the host, the step and its "
            "error. The dry-run executor prints every step and changes nothing (the database "
            "included); the pretend executor prints them and records them as done, the install "
            "probe as passed, so states move on as if they had run (a demo, a rehearsal).",
            {},
            {{"now", "the time to act at (ISO 8601)", "the clock"},
             {"executor",
              "dry-run (print the steps, change nothing), pretend (print them and record them as "
              "done), local (run here) or ssh (run on each host)",
              "attribute vc_executor, else ssh"},
             {"width", "how many hosts work in parallel", "8"},
             {"wait",
              "how long to wait for a sync already running (the timer's, the portal's node "
              "actions) before giving up: one sync at a time acts on the hosts",
              "10m"}},
            {{"rocks sync vcluster", "what a systemd timer runs every minute"},
             {"rocks sync vcluster now=2026-12-07T09:00:00Z executor=dry-run",
              "shows what the start of a reservation does"},
             {"rocks sync vcluster executor=ssh ssh-config=/etc/vcluster/ssh_config",
              "reaches the hosts as that ssh_config says (ports, keys, SetEnv)"}}};
        auto reach = execute::executorOptionParams();
        help.params.insert(help.params.end(), reach.begin(), reach.end());
        return help;
    }
    void run(Context& ctx) override {
        reservation::Time now = ctx.has("now")
                                    ? reservation::parseTime(ctx.requireParam("now"), "now")
                                    : reservation::currentTime();
        std::string kind =
            ctx.param("executor", AttributePool(ctx.db()).global("vc_executor").value_or("ssh"));
        auto width = optionalIntParam(ctx, "width").value_or(8);
        if (width < 1 || width > 256) {
            throw Error("width must be between 1 and 256");
        }
        const execute::ExecutorOptions options = execute::executorOptionsFrom(ctx);
        const std::string waitText = ctx.param("wait", "10m");
        const reservation::Time wait = reservation::parseDuration(waitText, "wait");
        // One sync at a time: two would both see a step not done yet and run
        // it on the hosts at once. A dry run changes nothing and needs none.
        std::unique_ptr<db::HeldLock> held;
        if (kind != "dry-run") {
            held = ctx.db().holdLock("sync", 0);
            if (!held) {
                ctx.out() << "waiting for the rocks sync vcluster already running\n" << std::flush;
                held = ctx.db().holdLock("sync", static_cast<int>(wait));
            }
            if (!held) {
                throw Error("another rocks sync vcluster has been running for longer than wait=" +
                            waitText + "; nothing was done");
            }
        }
        auto executor = execute::makeExecutor(kind, ctx.out(), options);
        execute::Progress progress(ctx.out(), isatty(STDOUT_FILENO) != 0);
        lifecycle::Lifecycle engine(ctx.db(), *executor, progress, static_cast<std::size_t>(width));
        // A dry run shows what the sync would do and changes nothing: the
        // whole sync is one transaction, rolled back.
        std::optional<db::Transaction> dryRun;
        if (kind == "dry-run") {
            dryRun.emplace(ctx.db());
        }
        auto reports = engine.sync(now);
        dryRun.reset();
        Table table({{"vcluster"}, {"from"}, {"to"}, {"detail"}});
        for (const auto& r : reports) {
            table.addRow({r.cluster, r.from, r.to, r.detail});
        }
        if (reports.empty()) {
            ctx.out() << "nothing is due at " << reservation::formatTime(now) << '\n';
        } else {
            ctx.print(table);
        }
        if (kind == "dry-run") {
            ctx.out() << "dry-run: nothing was run and nothing was changed (executor=pretend "
                         "records the steps as done)\n";
        }
    }
};

}  // namespace

ROCKS_COMMAND(SyncVcluster)
