// rocks list host interface [host...]
#include "cli/Plugin.h"
#include "cluster/Hosts.h"
#include "cluster/Networks.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;

class ListHostInterface : public Command {
  public:
    std::vector<std::string> words() const override { return {"list", "host", "interface"}; }
    CommandHelp help() const override {
        return {"List the network interfaces of hosts",
                "One row per interface: its network (subnet), device, MAC, IP, netmask, kernel "
                "module, name on "
                "that network and VLAN id.",
                {{"host", "a host name; all hosts when none is given", true, true}},
                {outputFormatParam()},
                {{"rocks list host interface gateway-0-0", "the interfaces of one gateway"}}};
    }
    void run(Context& ctx) override {
        InterfacePool pool(ctx.db());
        std::vector<Interface> interfaces;
        if (ctx.args().empty()) {
            interfaces = pool.list();
        } else {
            HostPool hosts(ctx.db());
            for (const auto& name : ctx.args()) {
                hosts.get(name);
                auto some = pool.list(name);
                interfaces.insert(interfaces.end(), some.begin(), some.end());
            }
        }
        Table table({{"host"},
                     {"subnet"},
                     {"iface"},
                     {"mac"},
                     {"ip"},
                     {"netmask"},
                     {"module"},
                     {"name"},
                     {"vlan", Table::Kind::Number}});
        for (const auto& i : interfaces) {
            table.addRow({i.host, i.network, i.device, i.mac, i.ip, i.netmask, i.module, i.name,
                          optionalText(i.vlan)});
        }
        ctx.print(table);
    }
};

}  // namespace

ROCKS_COMMAND(ListHostInterface)
