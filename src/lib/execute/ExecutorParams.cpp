#include "execute/ExecutorParams.h"

#include <filesystem>

#include "cluster/Attributes.h"
#include "util/Error.h"

namespace vcluster::execute {

std::vector<cli::ParamHelp> executorOptionParams() {
    return {
        {"host-root", "local executor: give each host a directory of its own under this path", ""},
        {"tool-path", "local executor: directory put first on PATH", ""},
        {"ssh-config", "ssh executor: an ssh_config file (ssh -F) naming how to reach hosts",
         "attribute vc_ssh_config, else ssh's own"}};
}

ExecutorOptions executorOptionsFrom(cli::Context& ctx) {
    ExecutorOptions options{
        ctx.param("host-root", ""), ctx.param("tool-path", ""),
        ctx.param("ssh-config", AttributePool(ctx.db()).global("vc_ssh_config").value_or(""))};
    if (!options.sshConfig.empty() && !std::filesystem::is_regular_file(options.sshConfig)) {
        throw Error("ssh-config: no such file '" + options.sshConfig + "'");
    }
    return options;
}

}  // namespace vcluster::execute
