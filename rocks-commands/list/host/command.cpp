// rocks list host [host...]: the hosts of the cluster, physical and virtual.
#include <set>

#include "cli/Plugin.h"
#include "cluster/Hosts.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;

class ListHost : public Command {
  public:
    std::vector<std::string> words() const override { return {"list", "host"}; }
    CommandHelp help() const override {
        return {"List the hosts in the cluster database",
                "One row per host with its membership, CPU count, rack, rank and boot actions. "
                "Give host names "
                "to list only those.",
                {{"host", "a host name; lists all hosts when none is given", true, true}},
                {outputFormatParam()},
                {{"rocks list host", "all hosts"},
                 {"rocks list host vm-server-0-0 output-format=json", "one host as JSON"}}};
    }
    void run(Context& ctx) override {
        HostPool pool(ctx.db());
        Table table({{"host"},
                     {"membership"},
                     {"cpus", Table::Kind::Number},
                     {"rack", Table::Kind::Number},
                     {"rank", Table::Kind::Number},
                     {"runaction"},
                     {"installaction"}});
        auto add = [&table](const Host& h) {
            table.addRow({h.name, h.membership, std::to_string(h.cpus), optionalText(h.rack),
                          optionalText(h.rank), h.runAction, h.installAction});
        };
        if (ctx.args().empty()) {
            table.reserve(pool.count());
            pool.forEach(add);
        } else {
            for (const auto& name : ctx.args()) {
                add(pool.get(name));
            }
        }
        ctx.print(table);
    }
};

}  // namespace

ROCKS_COMMAND(ListHost)
