// rocks list host attr <host...>
#include "cli/Plugin.h"
#include "cluster/Attributes.h"
#include "cluster/Hosts.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;

class ListHostAttr : public Command {
  public:
    std::vector<std::string> words() const override { return {"list", "host", "attr"}; }
    CommandHelp help() const override {
        return {"List the attributes in effect for hosts",
                "Each attribute with the value in effect and SOURCE: H (host), A (appliance) or G "
                "(global).",
                {{"host", "a host name; all hosts when none is given", true, true}},
                {outputFormatParam()},
                {{"rocks list host attr vm-server-0-0", ""}}};
    }
    void run(Context& ctx) override {
        std::vector<std::string> hosts = ctx.args();
        if (hosts.empty()) {
            for (const auto& h : HostPool(ctx.db()).list()) {
                hosts.push_back(h.name);
            }
        }
        AttributePool pool(ctx.db());
        Table table({{"host"}, {"source"}, {"attr"}, {"value"}});
        for (const auto& host : hosts) {
            for (const auto& a : pool.listResolved(host)) {
                table.addRow({host, scopeLetter(a.scope), a.attr, a.value});
            }
        }
        ctx.print(table);
    }
};

}  // namespace

ROCKS_COMMAND(ListHostAttr)
