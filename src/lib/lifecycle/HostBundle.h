#pragma once

#include <string>

#include "materialise/Writers.h"

namespace vcluster::lifecycle {

// One self-contained bash script that carries a host's generated files (each
// base64-encoded, with its mode) into a private directory and runs that
// host's apply.sh or teardown.sh there for the given sections. This is what
// an executor sends to the host (on stdin, for ssh): nothing needs to be
// copied beforehand. The directory (it holds the CHAP secret) is
// ${VCLUSTER_ROOT}/run/vcluster/<name>, root-only, removed on exit and, should
// the step be killed, by its re-run, which the journal guarantees.
std::string bundleScript(const materialise::HostOutput& host, bool teardown,
                         const std::string& sections, const std::string& name);

std::string base64Encode(const std::string& bytes);

}  // namespace vcluster::lifecycle
