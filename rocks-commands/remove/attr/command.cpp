// rocks remove attr <attr>
#include "cli/Plugin.h"
#include "cluster/Attributes.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;

class RemoveAttr : public Command {
  public:
    std::vector<std::string> words() const override { return {"remove", "attr"}; }
    CommandHelp help() const override {
        return {"Remove a global attribute",
                "",
                {{"attr", "attribute name"}},
                {{"attr", "attribute name", ""}},
                {}};
    }
    void run(Context& ctx) override {
        std::string attr = ctx.requireArg(0, "attr");
        db::Transaction tx(ctx.db());
        if (!AttributePool(ctx.db()).removeGlobal(attr)) {
            throw Error("no global attribute '" + attr + "'");
        }
        tx.commit();
    }
};

}  // namespace

ROCKS_COMMAND(RemoveAttr)
