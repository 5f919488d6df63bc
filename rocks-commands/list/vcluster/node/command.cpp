// rocks list vcluster node <name>: where each virtual node runs.
#include "cli/Plugin.h"
#include "reservation/ReservationPool.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;
using namespace vcluster::reservation;

class ListVclusterNode : public Command {
  public:
    std::vector<std::string> words() const override { return {"list", "vcluster", "node"}; }
    CommandHelp help() const override {
        return {"List the virtual nodes of a virtual cluster and their physical hosts",
                "One row per virtual node: the frontend (on a gateway, with its public address) "
                "and each compute node (on a vm-server), with CPUs and memory; the storage node "
                "holding the cluster's disks is shown as the STORAGE row.",
                {{"name", "the vcluster"}},
                {outputFormatParam()},
                {{"rocks list vcluster node dc1", "placement of dc1"}}};
    }
    void run(Context& ctx) override {
        std::string name = ctx.requireArg(0, "name");
        auto r = ReservationPool(ctx.db()).findLive(name);
        if (!r) {
            throw Error("unknown vcluster '" + name + "'");
        }
        const auto& q = r->request;
        Table table({{"node"},
                     {"appliance"},
                     {"host"},
                     {"cpus", Table::Kind::Number},
                     {"memory"},
                     {"disk"},
                     {"address"}});
        table.addRow({name, "frontend", r->gateway, std::to_string(q.feCpus),
                      formatSizeMiB(q.feMemoryMiB), formatSizeMiB(q.feDiskMiB), r->publicIp});
        std::string appliance = q.appliances.empty() ? "compute" : q.appliances.front();
        for (std::size_t i = 0; i < r->nodeHosts.size(); ++i) {
            table.addRow({name + "-" + appliance + "-0-" + std::to_string(i), appliance,
                          r->nodeHosts[i], std::to_string(q.cpus), formatSizeMiB(q.memoryMiB),
                          formatSizeMiB(q.diskMiB), ""});
        }
        table.addRow({name + "-storage", "storage", r->storage, "", "",
                      formatSizeMiB(q.totalDiskMiB()), ""});
        ctx.print(table);
    }
};

}  // namespace

ROCKS_COMMAND(ListVclusterNode)
