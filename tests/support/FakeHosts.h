#pragma once

// What the fake host toolset (tests/fakehost) keeps on purpose after every
// cluster has ended, for the lifecycle and crash tests' "nothing left" checks.
#include <string>
#include <vector>

namespace vcluster::test {

// The fake host toolset's commands (ip, lvcreate, tgtadm, virsh, ...): what
// the executors are given as tool-path= to run the scripts against.
inline const std::string kFakeHostTools = std::string(VCLUSTER_SOURCE_DIR) + "/tests/fakehost/bin";

// The gateway's public bridge, made from its eth1 by the first cluster whose
// frontend it runs and kept for the others (never torn down): the fake
// links' state and the ifcfg files, as paths under the fake hosts' root,
// sorted.
inline std::vector<std::string> keptPublicBridge(const std::string& gateway = "gateway-0-0") {
    return {gateway + "/etc/sysconfig/network-scripts/ifcfg-br-public",
            gateway + "/etc/sysconfig/network-scripts/ifcfg-eth1",
            gateway + "/state/link/br-public/state",
            gateway + "/state/link/br-public/type",
            gateway + "/state/link/eth1/master",
            gateway + "/state/link/eth1/state"};
}

}  // namespace vcluster::test
