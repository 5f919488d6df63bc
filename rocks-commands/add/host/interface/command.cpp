// rocks add host interface <host> <iface> ip= mac= subnet= name= module= vlan=
#include "cli/Plugin.h"
#include "cluster/Networks.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;

class AddHostInterface : public Command {
  public:
    std::vector<std::string> words() const override { return {"add", "host", "interface"}; }
    CommandHelp help() const override {
        return {"Add a network interface to a host",
                "The MAC must be unique in the database; the IP must lie inside the named network "
                "and be unused "
                "on it (per VLAN). The VLAN id (1-4094) marks a tagged interface.",
                {{"host", "the host"}, {"iface", "the device name, e.g. eth0"}},
                {{"iface", "the device name (instead of the second argument)", ""},
                 {"ip", "IPv4 address", ""},
                 {"mac", "MAC address, aa:bb:cc:dd:ee:ff", ""},
                 {"subnet", "the network name (see rocks list network)", ""},
                 {"name", "the host's name on this network", "the host name"},
                 {"module", "kernel module of the NIC", ""},
                 {"vlan", "802.1Q VLAN id", ""},
                 {"options", "module options", ""}},
                {{"rocks add host interface vm-server-0-0 eth0 ip=10.1.255.250 subnet=private "
                  "mac=52:54:00:00:00:01",
                  "adds the private interface"}}};
    }
    void run(Context& ctx) override {
        Interface i;
        i.host = ctx.requireArg(0, "host");
        i.device = ctx.requireArg(1, "iface");
        i.ip = ctx.param("ip", "");
        i.mac = ctx.param("mac", "");
        i.network = ctx.param("subnet", "");
        i.name = ctx.param("name", "");
        i.module = ctx.param("module", "");
        i.vlan = optionalIntParam(ctx, "vlan");
        i.options = ctx.param("options", "");
        db::Transaction tx(ctx.db());
        InterfacePool(ctx.db()).add(i);
        tx.commit();
    }
};

}  // namespace

ROCKS_COMMAND(AddHostInterface)
