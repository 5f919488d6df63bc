// rocks list network
#include "cli/Plugin.h"
#include "cluster/Networks.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;

class ListNetwork : public Command {
  public:
    std::vector<std::string> words() const override { return {"list", "network"}; }
    CommandHelp help() const override {
        return {"List the networks (subnets)",
                "",
                {},
                {outputFormatParam()},
                {{"rocks list network", ""}}};
    }
    void run(Context& ctx) override {
        Table table({{"network"},
                     {"subnet"},
                     {"netmask"},
                     {"mtu", Table::Kind::Number},
                     {"dnszone"},
                     {"servedns"}});
        for (const auto& n : NetworkPool(ctx.db()).list()) {
            table.addRow({n.name, n.subnet, n.netmask, std::to_string(n.mtu), n.dnsZone,
                          n.serveDns ? "True" : "False"});
        }
        ctx.print(table);
    }
};

}  // namespace

ROCKS_COMMAND(ListNetwork)
