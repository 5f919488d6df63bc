// rocks list vcluster node [vcluster...]
#include "cli/Plugin.h"
#include "materialise/MaterialisationPool.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;
using namespace vcluster::materialise;

class ListVclusterNode : public Command {
  public:
    std::vector<std::string> words() const override { return {"list", "vcluster", "node"}; }
    CommandHelp help() const override {
        return {"List the nodes of materialised virtual clusters",
                "One row per interface of every virtual node: its name in the physical "
                "database, cluster, role, the physical host that runs it, device, MAC, IP, "
                "subnet and VLAN id.",
                {{"vcluster", "a virtual cluster; all when none is given", true, true}},
                {outputFormatParam()},
                {{"rocks list vcluster node alpha", "alpha's nodes with their MACs and IPs"}}};
    }
    void run(Context& ctx) override {
        MaterialisationPool pool(ctx.db());
        std::vector<VirtualNodeRow> rows;
        if (ctx.args().empty()) {
            rows = pool.nodes(std::nullopt);
        } else {
            for (const auto& name : ctx.args()) {
                pool.get(name);
                auto some = pool.nodes(name);
                rows.insert(rows.end(), some.begin(), some.end());
            }
        }
        Table table({{"node"},
                     {"vcluster"},
                     {"role"},
                     {"host"},
                     {"iface"},
                     {"mac"},
                     {"ip"},
                     {"subnet"},
                     {"vlan", Table::Kind::Number}});
        for (const auto& r : rows) {
            table.addRow({r.name, r.cluster, r.role, r.physicalHost, r.device, r.mac, r.ip,
                          r.subnet, optionalText(r.vlan)});
        }
        ctx.print(table);
    }
};

}  // namespace

ROCKS_COMMAND(ListVclusterNode)
