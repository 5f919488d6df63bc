// rocks remove host interface <host> <iface>
#include "cli/Plugin.h"
#include "cluster/Networks.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;

class RemoveHostInterface : public Command {
  public:
    std::vector<std::string> words() const override { return {"remove", "host", "interface"}; }
    CommandHelp help() const override {
        return {"Remove a network interface from a host",
                "",
                {{"host", "the host"}, {"iface", "the device name"}},
                {{"iface", "the device name (instead of the second argument)", ""}},
                {{"rocks remove host interface compute-0-0 eth1", "removes eth1"}}};
    }
    void run(Context& ctx) override {
        db::Transaction tx(ctx.db());
        InterfacePool(ctx.db()).remove(ctx.requireArg(0, "host"), ctx.requireArg(1, "iface"));
        tx.commit();
    }
};

}  // namespace

ROCKS_COMMAND(RemoveHostInterface)
