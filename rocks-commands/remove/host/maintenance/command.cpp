// rocks remove host maintenance <host> [id=]: puts a host back in service.
#include "cli/Plugin.h"
#include "reservation/ReservationPool.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;
using namespace vcluster::reservation;

class RemoveHostMaintenance : public Command {
  public:
    std::vector<std::string> words() const override { return {"remove", "host", "maintenance"}; }
    CommandHelp help() const override {
        return {"Remove maintenance windows of a host",
                "Removes one window (id= from `rocks list host maintenance`) or all of the "
                "host's windows.",
                {{"host", "the host"}},
                {{"id", "the window to remove; all when omitted", ""}},
                {{"rocks remove host maintenance vm-server-1-3", "back in service"}}};
    }
    void run(Context& ctx) override {
        std::string host = ctx.requireArg(0, "host");
        std::optional<std::int64_t> id;
        if (auto v = ctx.param("id")) {
            id = parseInteger(*v, "id");
        }
        db::Transaction tx(ctx.db());
        if (ReservationPool(ctx.db()).removeMaintenance(host, id) == 0) {
            throw Error("no maintenance window of " + host + (id ? " with that id" : ""));
        }
        tx.commit();
    }
};

}  // namespace

ROCKS_COMMAND(RemoveHostMaintenance)
