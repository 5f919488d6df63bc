// rocks set host attr <host> <attr> <value>
#include "cli/Plugin.h"
#include "cluster/Attributes.h"
#include "reservation/Site.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;

class SetHostAttr : public Command {
  public:
    std::vector<std::string> words() const override { return {"set", "host", "attr"}; }
    CommandHelp help() const override {
        return {
            "Set an attribute of one host",
            "Host attributes override appliance and global ones. Physical capacity is described "
            "this way, "
            "e.g. vc_memory and vc_cpus of a vm-server (see README).",
            {{"host", "the host"}, {"attr", "attribute name"}, {"value", "its value"}},
            {{"attr", "attribute name", ""}, {"value", "its value", ""}},
            {{"rocks set host attr vm-server-0-0 vc_memory 65536", "64 GiB for VMs on that host"}}};
    }
    void run(Context& ctx) override {
        std::string host = ctx.requireArg(0, "host");
        std::string attr = ctx.args().size() > 1 ? ctx.args()[1] : ctx.requireParam("attr");
        std::string value = ctx.args().size() > 2 ? ctx.args()[2] : ctx.requireParam("value");
        reservation::validateSiteAttribute(attr, value);
        db::Transaction tx(ctx.db());
        AttributePool(ctx.db()).setHost(host, attr, value);
        tx.commit();
    }
};

}  // namespace

ROCKS_COMMAND(SetHostAttr)
