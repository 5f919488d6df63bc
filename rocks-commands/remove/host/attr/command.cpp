// rocks remove host attr <host> <attr>
#include "cli/Plugin.h"
#include "cluster/Attributes.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;

class RemoveHostAttr : public Command {
  public:
    std::vector<std::string> words() const override { return {"remove", "host", "attr"}; }
    CommandHelp help() const override {
        return {"Remove an attribute of one host",
                "",
                {{"host", "the host"}, {"attr", "attribute name"}},
                {{"attr", "attribute name", ""}},
                {}};
    }
    void run(Context& ctx) override {
        std::string host = ctx.requireArg(0, "host");
        std::string attr = ctx.args().size() > 1 ? ctx.args()[1] : ctx.requireParam("attr");
        db::Transaction tx(ctx.db());
        if (!AttributePool(ctx.db()).removeHost(host, attr)) {
            throw Error("host '" + host + "' has no attribute '" + attr + "'");
        }
        tx.commit();
    }
};

}  // namespace

ROCKS_COMMAND(RemoveHostAttr)
