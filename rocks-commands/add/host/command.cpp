// rocks add host <name> membership=... : adds a physical host.
#include "cli/Plugin.h"
#include "cluster/Hosts.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;

class AddHost : public Command {
  public:
    std::vector<std::string> words() const override { return {"add", "host"}; }
    CommandHelp help() const override {
        return {"Add a host to the cluster database",
                "Adds one host (a row in the nodes table). Its membership names its appliance: "
                "Frontend, "
                "Compute, Gateway, VM Server or Storage (or the appliance name: frontend, compute, "
                "gateway, "
                "vm-server, storage). Host names follow Rocks' rules: letters, digits and '-'.",
                {{"host", "the new host's name, e.g. vm-server-0-3"}},
                {{"membership", "membership or appliance name (or appliance=)", ""},
                 {"appliance", "synonym of membership", ""},
                 {"cpus", "number of CPUs", "1"},
                 {"rack", "rack number", ""},
                 {"rank", "rank in the rack", ""},
                 {"os", "operating system", "linux"},
                 {"arch", "architecture", "x86_64"},
                 {"comment", "free text", ""}},
                {{"rocks add host vm-server-0-0 membership=\"VM Server\" cpus=16 rack=0 rank=0",
                  "adds a VM server"}}};
    }
    void run(Context& ctx) override {
        Host h;
        h.name = ctx.requireArg(0, "host");
        h.membership = ctx.param("membership", ctx.param("appliance", ""));
        if (h.membership.empty()) {
            throw Error("missing required parameter membership= (or appliance=)");
        }
        h.cpus = optionalIntParam(ctx, "cpus").value_or(1);
        h.rack = optionalIntParam(ctx, "rack");
        h.rank = optionalIntParam(ctx, "rank");
        h.os = ctx.param("os", "linux");
        h.arch = ctx.param("arch", "x86_64");
        h.comment = ctx.param("comment", "");
        db::Transaction tx(ctx.db());
        HostPool(ctx.db()).add(h);
        tx.commit();
    }
};

}  // namespace

ROCKS_COMMAND(AddHost)
