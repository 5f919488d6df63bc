// rocks list vcluster node [vcluster...]: where each virtual node runs and,
// once the cluster is materialised, its MAC, IP and VLAN.
#include <map>

#include "cli/Plugin.h"
#include "lifecycle/NodeActions.h"
#include "materialise/MaterialisationPool.h"
#include "reservation/ReservationPool.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;

class ListVclusterNode : public Command {
  public:
    std::vector<std::string> words() const override { return {"list", "vcluster", "node"}; }
    CommandHelp help() const override {
        return {"List the virtual nodes of virtual clusters and their physical hosts",
                "One row per virtual node: its name in the physical database (<vcluster>-frontend, "
                "<vcluster>-compute-0-N), the physical host that runs it (a gateway for the "
                "frontend, a "
                "vm-server for a compute), CPUs and memory, and, once the cluster is materialised, "
                "the MAC "
                "and IP of its private interface, the VLAN id (or VNI) and the frontend's public "
                "address. "
                "The storage node holding the cluster's disks is the last row. POWER is the "
                "node's power state as the books know it (on, off, installing, not built) and "
                "ACTION its last action (`rocks set vcluster node power`) with its state.",
                {{"vcluster", "a virtual cluster; all live ones when none is given", true, true}},
                {outputFormatParam()},
                {{"rocks list vcluster node dc1", "placement, MACs and IPs of dc1"}}};
    }
    void run(Context& ctx) override {
        reservation::ReservationPool reservations(ctx.db());
        std::vector<reservation::StoredReservation> clusters;
        if (ctx.args().empty()) {
            clusters = reservations.listLive();
        } else {
            for (const auto& name : ctx.args()) {
                auto r = reservations.findLive(name);
                if (!r) {
                    throw Error("unknown vcluster '" + name + "'");
                }
                clusters.push_back(*r);
            }
        }
        materialise::MaterialisationPool materialised(ctx.db());
        Table table({{"node"},
                     {"vcluster"},
                     {"role"},
                     {"host"},
                     {"cpus", Table::Kind::Number},
                     {"memory"},
                     {"disk"},
                     {"mac"},
                     {"ip"},
                     {"vlan", Table::Kind::Number},
                     {"public"},
                     {"power"},
                     {"action"}});
        for (const auto& r : clusters) {
            const auto& q = r.request;
            // Private interface of each materialised node, by node name.
            std::map<std::string, materialise::VirtualNodeRow> privateIf;
            for (const auto& row : materialised.nodes(q.name)) {
                if (row.subnet == "private") {
                    privateIf[row.name] = row;
                }
            }
            const auto views = lifecycle::nodeViews(ctx.db(), r, reservation::currentTime());
            std::size_t index = 0;
            auto add = [&](const std::string& node, const std::string& role,
                           const std::string& host, int cpus, std::int64_t mem, std::int64_t disk,
                           const std::string& pub) {
                auto it = privateIf.find(node);
                bool known = it != privateIf.end();
                const auto& view = views.at(index++);
                table.addRow({node, q.name, role, host, std::to_string(cpus),
                              reservation::formatSizeMiB(mem), reservation::formatSizeMiB(disk),
                              known ? it->second.mac : "", known ? it->second.ip : "",
                              known ? optionalText(it->second.vlan) : std::to_string(r.networkId),
                              pub, view.power,
                              view.last ? view.last->action + " " + view.last->state : ""});
            };
            add(q.name + "-frontend", "frontend", r.gateway, q.feCpus, q.feMemoryMiB, q.feDiskMiB,
                r.publicIp);
            for (std::size_t i = 0; i < r.nodeHosts.size(); ++i) {
                add(q.name + "-compute-0-" + std::to_string(i), "compute", r.nodeHosts[i], q.cpus,
                    q.memoryMiB, q.diskMiB, "");
            }
            table.addRow({q.name + "-storage", q.name, "storage", r.storage, "", "",
                          reservation::formatSizeMiB(q.totalDiskMiB()), "", "", "", "", "", ""});
        }
        ctx.print(table);
    }
};

}  // namespace

ROCKS_COMMAND(ListVclusterNode)
