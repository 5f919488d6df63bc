// rocks add network <name> <subnet> <netmask> [mtu=] [dnszone=] [servedns=]
#include "cli/Plugin.h"
#include "cluster/Networks.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;

class AddNetwork : public Command {
  public:
    std::vector<std::string> words() const override { return {"add", "network"}; }
    CommandHelp help() const override {
        return {"Add a network (an IPv4 subnet) to the cluster database",
                "",
                {{"network", "the network's name"},
                 {"subnet", "network address", true},
                 {"netmask", "dotted netmask", true}},
                {{"subnet", "network address, e.g. 10.2.0.0", ""},
                 {"netmask", "dotted netmask, e.g. 255.255.0.0", ""},
                 {"mtu", "MTU", "1500"},
                 {"dnszone", "DNS zone", "the network name"},
                 {"servedns", "whether the frontend serves DNS for the zone", "no"}},
                {{"rocks add network storage 10.3.0.0 255.255.0.0 mtu=9000",
                  "a jumbo-frame storage network"}}};
    }
    void run(Context& ctx) override {
        Network n;
        n.name = ctx.requireArg(0, "network");
        n.subnet = ctx.args().size() > 1 ? ctx.args()[1] : ctx.requireParam("subnet");
        n.netmask = ctx.args().size() > 2 ? ctx.args()[2] : ctx.requireParam("netmask");
        n.mtu = optionalIntParam(ctx, "mtu").value_or(1500);
        n.dnsZone = ctx.param("dnszone", "");
        n.serveDns = parseBool(ctx.param("servedns", "no"), "servedns");
        db::Transaction tx(ctx.db());
        NetworkPool(ctx.db()).add(n);
        tx.commit();
    }
};

}  // namespace

ROCKS_COMMAND(AddNetwork)
