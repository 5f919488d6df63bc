// rocks remove network <name>
#include "cli/Plugin.h"
#include "cluster/Networks.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;

class RemoveNetwork : public Command {
  public:
    std::vector<std::string> words() const override { return {"remove", "network"}; }
    CommandHelp help() const override {
        return {"Remove a network that no interface uses",
                "",
                {{"network", "the network's name"}},
                {},
                {}};
    }
    void run(Context& ctx) override {
        db::Transaction tx(ctx.db());
        NetworkPool(ctx.db()).remove(ctx.requireArg(0, "network"));
        tx.commit();
    }
};

}  // namespace

ROCKS_COMMAND(RemoveNetwork)
