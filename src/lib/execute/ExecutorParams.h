#pragma once

#include <vector>

#include "cli/Command.h"
#include "cli/Context.h"
#include "execute/Executor.h"

namespace vcluster::execute {

// The parameters of the commands that run steps on the hosts (`rocks sync
// vcluster`, `rocks start vcluster portal executor=`): where the local
// executor's hosts live and its tools come from, and the ssh executor's
// ssh_config.
std::vector<cli::ParamHelp> executorOptionParams();
// Their values (ssh-config: else the attribute vc_ssh_config); an ssh-config
// that is no file is refused.
ExecutorOptions executorOptionsFrom(cli::Context& ctx);

}  // namespace vcluster::execute
