// rocks report host vcluster config <host> [vcluster=<name>]
#include <unistd.h>

#include <cstdio>
#include <string_view>

#include "cli/Plugin.h"
#include "lifecycle/PlanFromReservation.h"
#include "materialise/Generator.h"
#include "materialise/MaterialisationPool.h"
#include "util/Strings.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;
using namespace vcluster::materialise;

constexpr const char* kRedacted = "<chap-secret:redacted>";

class ReportHostVclusterConfig : public Command {
  public:
    std::vector<std::string> words() const override {
        return {"report", "host", "vcluster", "config"};
    }
    CommandHelp help() const override {
        return {"Print one physical host's generated virtual-cluster files",
                "For every virtual cluster with anything on the host (or only vcluster=), prints "
                "each generated file (apply.sh, teardown.sh, files/...) after a header line with "
                "its path and mode. The clusters' CHAP secrets are shown as "
                "<chap-secret:redacted> unless secrets=yes (root only).",
                {{"host", "a physical host: storage node, gateway or vm-server"}},
                {{"vcluster", "only this virtual cluster", ""},
                 {"secrets", "show the CHAP secrets as the host gets them (root only)", "no"}},
                {{"rocks report host vcluster config vm-server-1-0", "its bridges, logins, VMs"}}};
    }
    void run(Context& ctx) override {
        const std::string host = ctx.requireArg(0, "host");
        const bool secrets = parseBool(ctx.param("secrets", "no"), "secrets");
        if (secrets && ::geteuid() != 0) {
            throw Refusal("secrets=yes is for root");
        }
        MaterialisationPool pool(ctx.db());
        std::vector<std::string> clusters;
        if (auto only = ctx.param("vcluster")) {
            clusters.push_back(*only);
        } else {
            clusters = pool.clustersOnHost(host);
        }
        bool any = false;
        for (const auto& name : clusters) {
            Materialisation plan = lifecycle::currentPlan(ctx.db(), name);
            const std::string secret = plan.chap.secret;
            auto hosts = generateHosts(plan);
            auto it = hosts.find(host);
            if (it == hosts.end()) {
                continue;
            }
            any = true;
            const FileTree tree = hostTree(it->second);
            for (const auto& [path, file] : tree.files()) {
                char mode[8];
                std::snprintf(mode, sizeof mode, "%04o", file.mode);
                std::string content = file.content;
                for (std::size_t at = 0; !secrets && !secret.empty() &&
                                         (at = content.find(secret, at)) != std::string::npos;) {
                    content.replace(at, secret.size(), kRedacted);
                    at += std::string_view(kRedacted).size();
                }
                ctx.out() << "#### vcluster " << name << ": " << host << "/" << path << " (mode "
                          << mode << ")\n"
                          << content;
                if (!content.empty() && content.back() != '\n') {
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
