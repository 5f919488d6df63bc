// The generated VXLAN network part run for real in network namespaces (see
// vxlan-netns.sh). The kernel here has no 8021q, so the VLAN variant is
// checked by shellcheck/bash -n and its ifcfg files by the writer tests.
#include <gtest/gtest.h>
#include <unistd.h>

#include "Fixtures.h"
#include "materialise/Generator.h"
#include "support/Process.h"

using namespace vcluster;
using namespace vcluster::materialise;

TEST(VxlanNetns, TwoHostsPingIdempotentTeardownCleanAndTheGatewaysPublicBridgeIsMade) {
    if (geteuid() != 0 || test::runProcess({"ip", "netns", "list"}).exitCode != 0) {
        GTEST_SKIP() << "needs root and ip netns";
    }
    auto plan = test::samplePlan("alpha", 10042, 1, Hypervisor::Kvm, NetworkKind::Vxlan);
    for (auto& h : plan.site.hosts) {
        h.trunkInterface = "trunk0";
        if (h.name == "gateway-0-0") {
            h.address = "192.168.231.1";
        } else if (h.name == "vm-server-1-0") {
            h.address = "192.168.231.2";
        }
    }
    Materialisation m = resolve(plan, {});
    test::TempDir dir;
    generateTree(m).writeTo(dir.path());
    auto r = test::runProcess(
        {"bash", std::string(VCLUSTER_SOURCE_DIR) + "/tests/materialise/vxlan-netns.sh",
         dir.path().string(), "gateway-0-0", "vm-server-1-0", "10042", m.frontend().nics[0].ip,
         m.nodes[1].nics[0].ip});
    EXPECT_EQ(r.exitCode, 0) << r.out << r.err;
}
