#include "materialise/Models.h"

#include <algorithm>

#include "util/Validate.h"

namespace vcluster::materialise {

std::string initiatorName(const ClusterPlan& plan, const PhysicalHost& host) {
    if (!host.initiatorName.empty()) {
        return host.initiatorName;
    }
    return "iqn." + plan.site.iqnDate + "." + plan.site.iqnAuthority + ":" + host.name;
}

std::vector<LogicalVolume> logicalVolumes(const Materialisation& m) {
    std::vector<LogicalVolume> out;
    for (const auto& node : m.nodes) {
        for (const auto& disk : node.disks) {
            out.push_back({m.plan.storage.volumeGroup, disk.logicalVolume, disk.bytes,
                           m.plan.storage.lvKind, m.plan.storage.thinPool});
        }
    }
    return out;
}

TargetConfig targetConfig(const Materialisation& m) {
    TargetConfig t;
    t.cluster = m.plan.name;
    t.iqn = m.iqn;
    t.chap = m.chap;
    t.portalAddress = m.portalAddress;
    t.portalPort = m.plan.storage.portalPort;
    for (const auto& node : m.nodes) {
        for (const auto& disk : node.disks) {
            t.luns.push_back({disk.lun, disk.logicalVolume, disk.backingStore, disk.bytes});
        }
    }
    for (const auto& hostName : m.vmHosts()) {
        const PhysicalHost& host = m.plan.host(hostName);
        if (std::find(t.initiatorAddresses.begin(), t.initiatorAddresses.end(), host.address) ==
            t.initiatorAddresses.end()) {
            t.initiatorAddresses.push_back(host.address);
        }
        t.initiatorNames.push_back(initiatorName(m.plan, host));
    }
    return t;
}

VlanBridge vlanBridge(const Materialisation& m, const std::string& host) {
    return {m.plan.host(host).trunkInterface, m.plan.segmentId, m.segmentDevice, m.clusterBridge};
}

VxlanBridge vxlanBridge(const Materialisation& m, const std::string& host) {
    VxlanBridge v;
    const PhysicalHost& self = m.plan.host(host);
    v.vni = m.plan.segmentId;
    v.device = m.segmentDevice;
    v.bridge = m.clusterBridge;
    v.underlay = self.trunkInterface;
    v.localAddress = self.address;
    v.port = m.plan.site.vxlanPort;
    for (const auto& other : m.vmHosts()) {
        if (other != host) {
            v.remoteAddresses.push_back(m.plan.host(other).address);
        }
    }
    return v;
}

PublicBridge publicBridge(const Materialisation& m) {
    const PhysicalHost& gateway = m.plan.host(m.plan.frontend.gateway);
    return {gateway.publicBridge, gateway.publicInterface, gateway.publicAddress,
            gateway.publicNetmask};
}

IscsiLogin iscsiLogin(const Materialisation& m, const std::string& host) {
    IscsiLogin l;
    l.cluster = m.plan.name;
    l.iqn = m.iqn;
    l.portalAddress = m.portalAddress;
    l.portalPort = m.plan.storage.portalPort;
    l.chap = m.chap;
    for (const auto& node : m.nodes) {
        if (node.physicalHost == host) {
            for (const auto& disk : node.disks) {
                l.byPaths.push_back(disk.byPath);
            }
        }
    }
    return l;
}

VmDefinition vmDefinition(const Materialisation& m, const VirtualNode& node) {
    VmDefinition vm;
    vm.name = node.name;
    vm.cluster = m.plan.name;
    vm.memoryMiB = node.memoryMiB;
    vm.cpus = node.cpus;
    for (const auto& nic : node.nics) {
        // VXLAN costs 50 bytes of the underlay's 1500: the guest must know.
        const bool tunnelled = m.plan.network == NetworkKind::Vxlan && nic.subnet == "private";
        vm.nics.push_back({nic.mac, nic.bridge, nic.vnet, tunnelled ? 1450 : 0});
    }
    for (const auto& disk : node.disks) {
        vm.disks.push_back({disk.byPath, disk.bytes, disk.guestDevice});
    }
    vm.bootFromNetwork = node.role == NodeRole::Compute;
    if (node.role == NodeRole::Frontend) {
        vm.installer = installerBoot(m);
        vm.kitImage = kitImagePath(m.plan.name);
        if (m.plan.hypervisor == Hypervisor::VMware) {
            vm.bootIso = bootIsoPath(m.plan.name);
        }
    }
    vm.directory = m.plan.site.vmDirectory + "/" + node.name;
    return vm;
}

std::string kitDirectory(const std::string& cluster) { return "/export/vcluster/" + cluster; }

std::string kitImagePath(const std::string& cluster) { return kitDirectory(cluster) + "/kit.img"; }

std::string bootIsoPath(const std::string& cluster) { return kitDirectory(cluster) + "/boot.iso"; }

InstallerBoot installerBoot(const Materialisation& m) {
    const ClusterPlan& p = m.plan;
    const InstallerSite& in = p.site.installer;
    // As Rocks' "install vm frontend" boot action: `build` makes it a
    // frontend install; the public NIC (eth1) reaches the kickstart server.
    std::string cmdline =
        "ks=" + in.kickstartUrl + " ksdevice=eth1 build ip=" + p.frontend.publicIp +
        " netmask=" + p.frontend.publicNetmask + " gateway=" + p.frontend.publicGateway;
    if (!p.site.dnsServers.empty()) {
        cmdline += " dns=" + p.site.dnsServers.front();
    }
    cmdline +=
        std::string(" vcluster.kit=LABEL=") + kKitLabel + " console=tty0 console=ttyS0,115200n8";
    return {in.kernel, in.initrd, cmdline};
}

FrontendKit frontendKit(const Materialisation& m) {
    const ClusterPlan& p = m.plan;
    const VirtualNode& fe = m.frontend();
    FrontendKit k;
    k.hypervisor = p.hypervisor;
    k.cluster = p.name;
    k.owner = p.owner;
    k.installer = p.site.installer;
    k.boot = installerBoot(m);
    k.rootPasswordHash = p.rootPasswordHash;
    k.installToken = p.installToken;
    k.portalUrl = p.portalUrl;
    k.powerToken = p.powerToken;
    k.portalCaPem = p.portalCaPem;
    k.fqdn = p.fqdn;
    k.hostName = fe.guestName;
    k.publicIp = p.frontend.publicIp;
    k.publicNetmask = p.frontend.publicNetmask;
    k.publicGateway = p.frontend.publicGateway;
    k.publicDomain = p.fqdn.find('.') == std::string::npos ? p.site.publicDomain
                                                           : p.fqdn.substr(p.fqdn.find('.') + 1);
    k.dnsServers = p.site.dnsServers;
    k.privateIp = fe.nics.at(0).ip;
    k.privateNetmask = m.privateNetmask;
    k.privateNetwork = p.site.privateNetwork;
    k.privateDomain = p.site.privateDomain;
    k.timezone = p.site.timezone;
    k.rolls = p.rolls;
    k.sshPublicKey = p.sshPublicKey;
    for (const auto& node : m.nodes) {
        if (node.role == NodeRole::Compute) {
            k.computes.push_back(
                {node.guestName, node.rank, node.nics.at(0).mac, node.nics.at(0).ip, node.cpus});
        }
    }
    return k;
}

}  // namespace vcluster::materialise
