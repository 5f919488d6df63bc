// rocks set attr <attr> <value>
#include "cli/Plugin.h"
#include "cluster/Attributes.h"
#include "reservation/Site.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;

class SetAttr : public Command {
  public:
    std::vector<std::string> words() const override { return {"set", "attr"}; }
    CommandHelp help() const override {
        return {"Set a global attribute",
                "Global attributes are the site's defaults; appliance and host attributes override "
                "them. The "
                "vcluster attributes are described in the README (vc_*).",
                {{"attr", "attribute name"}, {"value", "its value"}},
                {{"attr", "attribute name (instead of the first argument)", ""},
                 {"value", "its value (instead of the second argument)", ""}},
                {{"rocks set attr vc_vlan_range 100-199",
                  "lets virtual clusters use VLANs 100 to 199"}}};
    }
    void run(Context& ctx) override {
        std::string attr = ctx.requireArg(0, "attr");
        std::string value = ctx.args().size() > 1 ? ctx.args()[1] : ctx.requireParam("value");
        reservation::validateSiteAttribute(attr, value);
        db::Transaction tx(ctx.db());
        AttributePool(ctx.db()).setGlobal(attr, value);
        tx.commit();
    }
};

}  // namespace

ROCKS_COMMAND(SetAttr)
