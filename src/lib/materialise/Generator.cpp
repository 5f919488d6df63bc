#include "materialise/Generator.h"

#include <algorithm>

namespace vcluster::materialise {

namespace {

std::string humanBytes(std::uint64_t bytes) {
    const std::uint64_t gib = 1ULL << 30;
    if (bytes % gib == 0) {
        return std::to_string(bytes / gib) + " GiB";
    }
    return std::to_string(bytes / (1ULL << 20)) + " MiB";
}

}  // namespace

std::vector<HostAssignment> assignments(const Materialisation& m) {
    std::vector<HostAssignment> out;
    auto entry = [&](const std::string& host) -> HostAssignment& {
        for (auto& a : out) {
            if (a.host == host) {
                return a;
            }
        }
        out.push_back({host, {}, {}});
        return out.back();
    };
    HostAssignment& storage = entry(m.plan.storage.node);
    storage.roles.push_back("storage");
    storage.items.push_back(std::string("target ") + m.iqn + " (" +
                            toString(m.plan.storage.target) + ", CHAP user " + m.chap.user + ")");
    for (const auto& lv : logicalVolumes(m)) {
        storage.items.push_back("LV " + lv.volumeGroup + "/" + lv.name + " " +
                                humanBytes(lv.bytes) + " " + toString(lv.kind));
    }
    for (const auto& node : m.nodes) {
        HostAssignment& a = entry(node.physicalHost);
        const char* role = node.role == NodeRole::Frontend ? "gateway" : "vm-server";
        if (std::find(a.roles.begin(), a.roles.end(), role) == a.roles.end()) {
            a.roles.push_back(role);
        }
        if (std::find(a.items.begin(), a.items.end(), "bridge " + m.clusterBridge) ==
            a.items.end()) {
            a.items.push_back("bridge " + m.clusterBridge);
            a.items.push_back(std::string(toString(m.plan.network)) + " " + m.segmentDevice);
        }
        std::string vm = "VM " + node.name + " " + std::to_string(node.memoryMiB) + " MiB " +
                         std::to_string(node.cpus) + " cpus";
        for (const auto& nic : node.nics) {
            vm += " " + nic.device + "=" + nic.mac + "/" + nic.ip;
        }
        a.items.push_back(vm);
    }
    return out;
}

std::map<std::string, HostOutput> generateHosts(const Materialisation& m) {
    std::map<std::string, HostOutput> hosts;
    auto out = [&](const std::string& host) -> HostOutput& {
        return hosts.try_emplace(host, host).first->second;
    };
    const auto target = makeTargetDriver(m.plan.storage.target);
    const auto network = makeNetworkDriver(m.plan.network);
    const auto hypervisor = makeHypervisorDriver(m.plan.hypervisor);
    const auto volumes = logicalVolumes(m);
    const TargetConfig targetModel = targetConfig(m);
    const FrontendKit kit = frontendKit(m);
    const std::vector<std::string> vmHosts = m.vmHosts();
    const std::string& storage = m.plan.storage.node;
    const std::string& gateway = m.plan.frontend.gateway;

    LvmWriter::apply(volumes, out(storage));
    target->apply(targetModel, out(storage));
    for (const auto& host : vmHosts) {
        network->apply(m, host, out(host));
    }
    if (m.plan.hypervisor == Hypervisor::Kvm) {
        PublicBridgeWriter::apply(publicBridge(m), out(gateway));  // VMware: its vmnet
    }
    for (const auto& host : vmHosts) {
        IscsiLoginWriter::apply(iscsiLogin(m, host), out(host));
    }
    // The kit first: its check that the installer is on the gateway comes
    // before the frontend's domain is defined.
    FrontendKitWriter::apply(kit, out(gateway));
    for (const auto& node : m.nodes) {
        hypervisor->apply(vmDefinition(m, node), out(node.physicalHost));
    }

    FrontendKitWriter::teardown(kit, out(gateway));
    for (auto it = m.nodes.rbegin(); it != m.nodes.rend(); ++it) {
        hypervisor->teardown(vmDefinition(m, *it), out(it->physicalHost));
    }
    for (const auto& host : vmHosts) {
        IscsiLoginWriter::teardown(iscsiLogin(m, host), out(host));
    }
    for (const auto& host : vmHosts) {
        network->teardown(m, host, out(host));
    }
    target->teardown(targetModel, out(storage));
    LvmWriter::teardown(volumes, out(storage));
    return hosts;
}

FileTree hostTree(const HostOutput& out) {
    FileTree t = out.files;
    t.add("apply.sh", out.apply.render(), 0755);
    t.add("teardown.sh", out.teardown.render(), 0755);
    return t;
}

FileTree generateTree(const Materialisation& m) {
    FileTree tree;
    for (const auto& [host, out] : generateHosts(m)) {
        tree.merge(host, hostTree(out));
    }
    return tree;
}

}  // namespace vcluster::materialise
