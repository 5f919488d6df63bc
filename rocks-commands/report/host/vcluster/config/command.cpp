// rocks report host vcluster config <host> [vcluster=<name>]
#include <cstdio>

#include "cli/Plugin.h"
#include "lifecycle/PlanFromReservation.h"
#include "materialise/Generator.h"
#include "materialise/MaterialisationPool.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;
using namespace vcluster::materialise;

class ReportHostVclusterConfig : public Command {
  public:
    std::vector<std::string> words() const override {
        return {"report", "host", "vcluster", "config"};
    }
    CommandHelp help() const override {
        return {"Print one physical host's generated virtual-cluster files",
                "For every virtual cluster with anything on the host (or only vcluster=), prints "
                "each generated file (apply.sh, teardown.sh, files/...) after a header line with "
                "its path and mode. Output includes CHAP secrets: it is for root.",
                {{"host", "a physical host: storage node, gateway or vm-server"}},
                {{"vcluster", "only this virtual cluster", ""}},
                {{"rocks report host vcluster config vm-server-1-0", "its bridges, logins, VMs"}}};
    }
    void run(Context& ctx) override {
        const std::string host = ctx.requireArg(0, "host");
        MaterialisationPool pool(ctx.db());
        std::vector<std::string> clusters;
        if (auto only = ctx.param("vcluster")) {
            clusters.push_back(*only);
        } else {
            clusters = pool.clustersOnHost(host);
        }
        bool any = false;
        for (const auto& name : clusters) {
            auto hosts = generateHosts(lifecycle::currentPlan(ctx.db(), name));
            auto it = hosts.find(host);
            if (it == hosts.end()) {
                continue;
            }
            any = true;
            const FileTree tree = hostTree(it->second);
            for (const auto& [path, file] : tree.files()) {
                char mode[8];
                std::snprintf(mode, sizeof mode, "%04o", file.mode);
                ctx.out() << "#### vcluster " << name << ": " << host << "/" << path << " (mode "
                          << mode << ")\n"
                          << file.content;
                if (!file.content.empty() && file.content.back() != '\n') {
                    ctx.out() << "\n";
                }
            }
        }
        if (!any) {
            throw Error("host '" + host + "' has no virtual-cluster configuration");
        }
    }
};

}  // namespace

ROCKS_COMMAND(ReportHostVclusterConfig)
