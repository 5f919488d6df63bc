// rocks set vcluster node power <name> <node> action=on|off|reset|reinstall|rollback [label=]:
// asks an action of one node of a built cluster; the next sync carries it out.
#include "cli/Plugin.h"
#include "lifecycle/NodeActions.h"
#include "util/AuditLog.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;

class SetVclusterNodePower : public Command {
  public:
    std::vector<std::string> words() const override { return {"set", "vcluster", "node", "power"}; }
    CommandHelp help() const override {
        return {
            "Power on, off, reset, reinstall, roll back or read the console of one node of a "
            "virtual cluster",
            "Records the action; the next `rocks sync vcluster` carries it out on the node's "
            "host and journals it (`rocks list vcluster node` shows each node's power state "
            "and last action). on starts the VM; off asks its guest to shut down (ACPI) and "
            "stops it hard after vc_shutdown_timeout; reset is the reset button (a node that is "
            "off is started); reinstall powers it off, wipes the start of its disk and boots it "
            "again: a compute from the network (it installs from its virtual frontend, whose "
            "boot action for it decides: `rocks set host boot <node> action=install` there, "
            "which vc-power does), the frontend into its installer with its kit (the cluster "
            "is installing again until the install finishes); rollback returns the node's disk "
            "to a snapshot of the cluster (label=, default installed) and starts it; console "
            "captures the last 64 KiB of its serial console (KVM), shown by the portal. The "
            "cluster must be active; one action per node at a time.",
            {{"name", "the vcluster"},
             {"node", "frontend or compute-0-N (or the physical database's <name>-compute-0-N)"}},
            {{"action", "on, off, reset, reinstall, rollback or console", ""},
             {"label", "rollback: the snapshot to return to", "installed"}},
            {{"rocks set vcluster node power dc1 compute-0-3 action=reset",
              "the reset button of dc1's compute-0-3"},
             {"rocks set vcluster node power dc1 compute-0-3 action=reinstall",
              "compute-0-3 installs again from dc1's frontend"},
             {"rocks set vcluster node power dc1 frontend action=off", "a clean power-off"}}};
    }
    void run(Context& ctx) override {
        const std::string name = ctx.requireArg(0, "name");
        if (ctx.args().size() < 2) {
            throw Error("missing required argument node (frontend or compute-0-N)");
        }
        if (ctx.args().size() > 2) {
            throw Error("one node at a time, not " + std::to_string(ctx.args().size() - 1));
        }
        const std::string node = ctx.args()[1];
        const std::string action = ctx.requireParam("action");
        auto a = lifecycle::requestNodeAction(ctx.db(), name, node, action, ctx.param("label", ""),
                                              localUser(), reservation::currentTime());
        ctx.out() << name << " " << a.node << ": " << a.action
                  << (a.label.empty() || a.action != "rollback" ? "" : " to '" + a.label + "'")
                  << " requested (#" << a.id << "); the next rocks sync vcluster carries it out\n";
    }
};

}  // namespace

ROCKS_COMMAND(SetVclusterNodePower)
