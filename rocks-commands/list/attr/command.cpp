// rocks list attr
#include "cli/Plugin.h"
#include "cluster/Attributes.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;

class ListAttr : public Command {
  public:
    std::vector<std::string> words() const override { return {"list", "attr"}; }
    CommandHelp help() const override {
        return {
            "List the global attributes", "", {}, {outputFormatParam()}, {{"rocks list attr", ""}}};
    }
    void run(Context& ctx) override {
        Table table({{"attr"}, {"value"}});
        for (const auto& a : AttributePool(ctx.db()).listGlobal()) {
            table.addRow({a.attr, a.value});
        }
        ctx.print(table);
    }
};

}  // namespace

ROCKS_COMMAND(ListAttr)
