#pragma once

#include <map>
#include <string>
#include <vector>

#include "materialise/FileTree.h"
#include "materialise/Materialisation.h"
#include "materialise/Writers.h"

namespace vcluster::materialise {

// What one physical host gets, for `rocks report vcluster`.
struct HostAssignment {
    std::string host;
    std::vector<std::string> roles;  // storage, gateway, vm-server
    std::vector<std::string> items;  // "LV vc-a-compute-0-0 20 GiB", "VM a-frontend" ...
};

std::vector<HostAssignment> assignments(const Materialisation& m);

// Every host's files plus apply.sh and teardown.sh, keyed by host name.
// Apply runs lvm, target, network, iscsi, vm, kit; teardown the reverse.
std::map<std::string, HostOutput> generateHosts(const Materialisation& m);

// The whole tree: <host>/apply.sh, <host>/teardown.sh, <host>/files/...
FileTree generateTree(const Materialisation& m);

// One host's part of the tree (paths relative to the host directory).
FileTree hostTree(const HostOutput& out);

}  // namespace vcluster::materialise
