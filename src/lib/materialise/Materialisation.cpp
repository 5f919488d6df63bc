#include "materialise/Materialisation.h"

#include <sys/random.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "util/Error.h"
#include "util/Strings.h"
#include "util/Validate.h"

namespace vcluster::materialise {

namespace {

constexpr std::uint64_t kVmwareBase = 0x005056000000ULL;  // 00:50:56:00:00:00
constexpr std::uint64_t kVmwareLimit = 0x0050563fffffULL;
constexpr std::uint64_t kKvmBase = 0x525400000000ULL;  // locally administered
constexpr std::uint64_t kKvmLimit = 0x525400ffffffULL;

std::uint64_t macToInt(const std::string& mac) {
    std::uint64_t v = 0;
    for (char c : mac) {
        if (c == ':') {
            continue;
        }
        v = (v << 4) | static_cast<std::uint64_t>(std::isdigit(static_cast<unsigned char>(c))
                                                      ? c - '0'
                                                      : std::tolower(c) - 'a' + 10);
    }
    return v;
}

std::string intToMac(std::uint64_t v) {
    char buf[18];
    std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x",
                  static_cast<unsigned>((v >> 40) & 0xff), static_cast<unsigned>((v >> 32) & 0xff),
                  static_cast<unsigned>((v >> 24) & 0xff), static_cast<unsigned>((v >> 16) & 0xff),
                  static_cast<unsigned>((v >> 8) & 0xff), static_cast<unsigned>(v & 0xff));
    return buf;
}

VirtualNic nic(std::string device, std::string mac, std::string ip, std::string netmask,
               std::string subnet) {
    VirtualNic n;
    n.device = std::move(device);
    n.mac = std::move(mac);
    n.ip = std::move(ip);
    n.netmask = std::move(netmask);
    n.subnet = std::move(subnet);
    return n;
}

}  // namespace

MacAllocator::MacAllocator(Hypervisor hypervisor, const std::vector<std::string>& used)
    : base_(hypervisor == Hypervisor::VMware ? kVmwareBase : kKvmBase),
      limit_(hypervisor == Hypervisor::VMware ? kVmwareLimit : kKvmLimit),
      cursor_(base_ + 1) {  // :00 is left alone: some tools treat it as "unset"
    used_.reserve(used.size());
    for (const auto& mac : used) {
        try {
            used_.insert(macToInt(normalizeMac(mac)));
        } catch (const Error&) {
            // A malformed MAC in the database cannot collide with a valid one.
        }
    }
}

std::string MacAllocator::next() {
    while (cursor_ <= limit_ && used_.count(cursor_) != 0) {
        ++cursor_;
    }
    if (cursor_ > limit_) {
        throw Error("no free MAC address left in " + intToMac(base_) + "-" + intToMac(limit_));
    }
    used_.insert(cursor_);
    return intToMac(cursor_++);
}

bool MacAllocator::validFor(Hypervisor hypervisor, const std::string& mac) {
    std::uint64_t v = macToInt(normalizeMac(mac));
    return hypervisor == Hypervisor::VMware ? (v >= kVmwareBase && v <= kVmwareLimit)
                                            : (v >= kKvmBase && v <= kKvmLimit);
}

std::string randomSecret(std::size_t length) {
    static constexpr char kAlphabet[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    std::string out;
    unsigned char buf[64];
    while (out.size() < length) {
        ssize_t got = getrandom(buf, sizeof buf, 0);
        if (got < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw Error(std::string("cannot read random bytes: ") + std::strerror(errno));
        }
        for (ssize_t i = 0; i < got && out.size() < length; ++i) {
            if (buf[i] < 248) {  // 248 = 4 * 62: rejection keeps the choice uniform
                out.push_back(kAlphabet[buf[i] % 62]);
            }
        }
    }
    return out;
}

std::string frontendNodeName(const std::string& cluster) { return cluster + "-frontend"; }

std::string computeNodeName(const std::string& cluster, int rank) {
    return cluster + "-compute-0-" + std::to_string(rank);
}

std::string targetIqn(const ClusterPlan& plan) {
    // RFC 3720: lower case (cluster names already are).
    return "iqn." + plan.site.iqnDate + "." + toLower(plan.site.iqnAuthority) + ":vcluster." +
           plan.name;
}

std::string chapUser(const std::string& cluster) { return "vc-" + cluster; }

std::string segmentDeviceName(NetworkKind kind, int segmentId) {
    return (kind == NetworkKind::Vlan ? "vlan" : "vx") + std::to_string(segmentId);
}

std::string clusterBridgeName(NetworkKind kind, int segmentId) {
    return (kind == NetworkKind::Vlan ? "vcbr" : "vxbr") + std::to_string(segmentId);
}

std::string byPathName(const std::string& portal, const std::string& iqn, int lun) {
    return "/dev/disk/by-path/ip-" + portal + "-iscsi-" + iqn + "-lun-" + std::to_string(lun);
}

std::vector<std::string> Materialisation::vmHosts() const {
    std::vector<std::string> hosts;
    for (const auto& n : nodes) {
        if (std::find(hosts.begin(), hosts.end(), n.physicalHost) == hosts.end()) {
            hosts.push_back(n.physicalHost);
        }
    }
    return hosts;
}

void deriveNames(Materialisation& m) {
    const ClusterPlan& plan = m.plan;
    m.iqn = targetIqn(plan);
    m.portalAddress = plan.host(plan.storage.node).address;
    m.segmentDevice = segmentDeviceName(plan.network, plan.segmentId);
    m.clusterBridge = clusterBridgeName(plan.network, plan.segmentId);
    m.privateNetmask = formatIPv4(prefixToMask(plan.site.privatePrefix));
    const std::string portal = m.portalAddress + ":" + std::to_string(plan.storage.portalPort);
    // Each VMware cluster gets its own vnet named after its bridge; KVM NICs
    // plug straight into the bridge.
    int lun = 1;
    for (auto& node : m.nodes) {
        const PhysicalHost& host = plan.host(node.physicalHost);
        for (auto& nic : node.nics) {
            if (nic.subnet == "public") {
                nic.bridge = host.publicBridge;
                nic.vnet = host.publicVnet;
                nic.vlan.reset();
            } else {
                nic.bridge = m.clusterBridge;
                nic.vnet = m.clusterBridge;
                if (plan.network == NetworkKind::Vlan) {
                    nic.vlan = plan.segmentId;
                } else {
                    nic.vlan.reset();
                }
            }
        }
        for (auto& disk : node.disks) {
            disk.lun = lun++;
            disk.logicalVolume = "vc-" + plan.name + "-" +
                                 (node.role == NodeRole::Frontend ? "frontend" : node.guestName);
            if (disk.backingStore.empty()) {
                disk.backingStore = "/dev/" + plan.storage.volumeGroup + "/" + disk.logicalVolume;
            }
            disk.byPath = byPathName(portal, m.iqn, disk.lun);
            disk.guestDevice = plan.hypervisor == Hypervisor::Kvm ? "vda" : "sda";
        }
    }
    m.chap.user = chapUser(plan.name);
}

Materialisation resolve(const ClusterPlan& plan, const std::vector<std::string>& usedMacs) {
    validate(plan);
    Materialisation m;
    m.plan = plan;
    if (m.plan.installToken.empty()) {
        m.plan.installToken = randomSecret(24);  // the installed frontend publishes it
    }
    MacAllocator macs(plan.hypervisor, usedMacs);
    const std::uint32_t network = parseIPv4(plan.site.privateNetwork);
    const std::uint32_t broadcast = network | ~prefixToMask(plan.site.privatePrefix);
    const std::uint32_t frontendIp = network + (plan.site.privatePrefix <= 23 ? 257 : 1);
    const std::string netmask = formatIPv4(prefixToMask(plan.site.privatePrefix));

    VirtualNode fe;
    fe.name = frontendNodeName(plan.name);
    fe.guestName = plan.fqdn.substr(0, plan.fqdn.find('.'));
    fe.role = NodeRole::Frontend;
    fe.physicalHost = plan.frontend.gateway;
    fe.memoryMiB = plan.frontend.memoryMiB;
    fe.cpus = plan.frontend.cpus;
    fe.nics.push_back(nic("eth0", macs.next(), formatIPv4(frontendIp), netmask, "private"));
    fe.nics.push_back(
        nic("eth1", macs.next(), plan.frontend.publicIp, plan.frontend.publicNetmask, "public"));
    fe.disks.push_back({});
    fe.disks.back().bytes = plan.frontend.diskBytes;
    m.nodes.push_back(std::move(fe));

    std::uint32_t ip = broadcast - 1;
    for (std::size_t i = 0; i < plan.computes.size(); ++i, --ip) {
        if (ip == frontendIp) {
            --ip;
        }
        const auto& spec = plan.computes[i];
        VirtualNode n;
        n.rank = static_cast<int>(i);
        n.name = computeNodeName(plan.name, n.rank);
        n.guestName = "compute-0-" + std::to_string(i);
        n.physicalHost = spec.vmServer;
        n.memoryMiB = spec.memoryMiB;
        n.cpus = spec.cpus;
        n.nics.push_back(nic("eth0", macs.next(), formatIPv4(ip), netmask, "private"));
        n.disks.push_back({});
        n.disks.back().bytes = spec.diskBytes;
        m.nodes.push_back(std::move(n));
    }
    m.chap.secret = randomSecret(16);
    deriveNames(m);
    return m;
}

Materialisation reshaped(const Materialisation& built, const ClusterPlan& plan,
                         const std::vector<std::string>& usedMacs) {
    Materialisation m = resolve(plan, usedMacs);
    const std::size_t kept = std::min(m.nodes.size(), built.nodes.size());
    for (std::size_t i = 0; i < kept; ++i) {
        VirtualNode node = built.nodes[i];
        node.physicalHost = m.nodes[i].physicalHost;
        node.memoryMiB = m.nodes[i].memoryMiB;
        node.cpus = m.nodes[i].cpus;
        m.nodes[i] = std::move(node);
    }
    m.chap = built.chap;
    m.reservation = built.reservation;
    deriveNames(m);
    return m;
}

}  // namespace vcluster::materialise
