// rocks remove host <host...>
#include "cli/Plugin.h"
#include "cluster/Hosts.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;

class RemoveHost : public Command {
  public:
    std::vector<std::string> words() const override { return {"remove", "host"}; }
    CommandHelp help() const override {
        return {"Remove hosts from the cluster database",
                "Removes each host with its interfaces, attributes and VM rows, all in one "
                "transaction: if one "
                "name is unknown, nothing is removed. A host that still runs virtual machines is "
                "refused.",
                {{"host", "a host name", false, true}},
                {},
                {{"rocks remove host compute-0-0", "removes one host"}}};
    }
    void run(Context& ctx) override {
        db::Transaction tx(ctx.db());
        HostPool pool(ctx.db());
        for (const auto& name : ctx.args()) {
            pool.remove(name);
        }
        tx.commit();
    }
};

}  // namespace

ROCKS_COMMAND(RemoveHost)
