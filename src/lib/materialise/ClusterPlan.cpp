#include "materialise/ClusterPlan.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>

#include "util/Error.h"
#include "util/Files.h"
#include "util/Validate.h"

namespace vcluster::materialise {

namespace {

template <typename Enum, std::size_t N>
Enum parseEnum(const std::string& text, const char* what, const Enum (&values)[N]) {
    std::string known;
    for (Enum v : values) {
        if (text == toString(v)) {
            return v;
        }
        known += (known.empty() ? "" : ", ") + std::string(toString(v));
    }
    throw Error(std::string("unknown ") + what + " '" + text + "' (known: " + known + ")");
}

// Characters that are safe in a path written into tgt's config, a .vmx
// value or an ifcfg file without any quoting surprises.
void validatePath(const std::string& path, const std::string& what) {
    if (path.empty() || path.front() != '/') {
        throw Error(what + " must be an absolute path");
    }
    const bool ok = std::all_of(path.begin(), path.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '-' ||
               c == '.' || c == ':' || c == '+';
    });
    if (!ok) {
        throw Error(what + " '" + path + "' may only contain letters, digits and /_-.:+");
    }
}

void validateResources(int memoryMiB, int cpus, std::uint64_t diskBytes, const std::string& who) {
    if (memoryMiB < 64) {
        throw Error(who + ": memory must be at least 64 MiB");
    }
    if (cpus < 1 || cpus > 256) {
        throw Error(who + ": cpus must be between 1 and 256");
    }
    if (diskBytes < (std::uint64_t{1} << 20) || diskBytes % 512 != 0) {
        throw Error(who + ": disk must be at least 1 MiB and a multiple of 512 bytes");
    }
}

}  // namespace

const char* toString(Hypervisor value) { return value == Hypervisor::VMware ? "vmware" : "kvm"; }
const char* toString(NetworkKind value) { return value == NetworkKind::Vlan ? "vlan" : "vxlan"; }
const char* toString(LvKind value) { return value == LvKind::Thick ? "thick" : "thin"; }
const char* toString(TargetKind value) { return value == TargetKind::Tgt ? "tgt" : "lio"; }

Hypervisor parseHypervisor(const std::string& text) {
    static const Hypervisor all[] = {Hypervisor::VMware, Hypervisor::Kvm};
    return parseEnum(text, "hypervisor", all);
}
NetworkKind parseNetworkKind(const std::string& text) {
    static const NetworkKind all[] = {NetworkKind::Vlan, NetworkKind::Vxlan};
    return parseEnum(text, "network kind", all);
}
LvKind parseLvKind(const std::string& text) {
    static const LvKind all[] = {LvKind::Thick, LvKind::Thin};
    return parseEnum(text, "logical volume kind", all);
}
TargetKind parseTargetKind(const std::string& text) {
    static const TargetKind all[] = {TargetKind::Tgt, TargetKind::Lio};
    return parseEnum(text, "iSCSI target kind", all);
}

const PhysicalHost& ClusterPlan::host(const std::string& hostName) const {
    for (const auto& h : site.hosts) {
        if (h.name == hostName) {
            return h;
        }
    }
    throw Error("virtual cluster '" + name + "': physical host '" + hostName +
                "' is not described in the plan's site hosts");
}

void validate(const ClusterPlan& plan) {
    validateHostName(plan.name, "virtual cluster name");
    if (plan.name.size() > 40) {
        throw Error("virtual cluster name '" + plan.name + "' is longer than 40 characters");
    }
    for (char c : plan.name) {
        if (std::isupper(static_cast<unsigned char>(c))) {
            throw Error("virtual cluster name '" + plan.name + "' must be lower case");
        }
    }
    validateIdentifier(plan.owner, "owner");
    if (plan.network == NetworkKind::Vlan && (plan.segmentId < 1 || plan.segmentId > 4094)) {
        throw Error("VLAN id " + std::to_string(plan.segmentId) + " is outside 1-4094");
    }
    if (plan.network == NetworkKind::Vxlan && (plan.segmentId < 1 || plan.segmentId > 16777215)) {
        throw Error("VNI " + std::to_string(plan.segmentId) + " is outside 1-16777215");
    }
    validateFqdn(plan.fqdn, "frontend FQDN");
    validateText(plan.sshPublicKey, "ssh public key");
    if (plan.sshPublicKey.rfind("ssh-", 0) != 0 && plan.sshPublicKey.rfind("ecdsa-", 0) != 0) {
        throw Error("ssh public key must start with its type (ssh-ed25519, ssh-rsa, ecdsa-...)");
    }
    for (const auto& r : plan.rolls) {
        validateIdentifier(r.name, "roll name");
        validateIdentifier(r.version, "roll version");
        validateIdentifier(r.arch, "roll arch");
    }
    std::set<std::string> hostNames;
    for (const auto& h : plan.site.hosts) {
        validateHostName(h.name);
        if (!hostNames.insert(h.name).second) {
            throw Error("physical host '" + h.name + "' is listed twice in the plan");
        }
        parseIPv4(h.address, "address of " + h.name);
        validateInterfaceName(h.trunkInterface, "trunk interface of " + h.name);
        validateInterfaceName(h.publicBridge, "public bridge of " + h.name);
        if (!h.publicInterface.empty()) {
            validateInterfaceName(h.publicInterface, "public interface of " + h.name);
            if (h.publicInterface == h.trunkInterface) {
                throw Error("the public interface of " + h.name + " (" + h.publicInterface +
                            ") is also its trunk interface");
            }
        }
        if (!h.publicAddress.empty()) {
            parseIPv4(h.publicAddress, "public address of " + h.name);
            parseNetmask(h.publicNetmask);
        }
        validateInterfaceName(h.publicVnet, "public vnet of " + h.name);
        if (!h.initiatorName.empty()) {
            validateIqn(h.initiatorName, "initiator name of " + h.name);
        }
    }
    plan.host(plan.frontend.gateway);
    plan.host(plan.storage.node);
    validateResources(plan.frontend.memoryMiB, plan.frontend.cpus, plan.frontend.diskBytes,
                      "frontend");
    parseIPv4(plan.frontend.publicIp, "frontend public IP");
    parseNetmask(plan.frontend.publicNetmask);
    if (!plan.frontend.publicGateway.empty()) {
        parseIPv4(plan.frontend.publicGateway, "frontend public gateway");
    }
    for (std::size_t i = 0; i < plan.computes.size(); ++i) {
        const auto& c = plan.computes[i];
        plan.host(c.vmServer);
        validateResources(c.memoryMiB, c.cpus, c.diskBytes, "compute " + std::to_string(i));
    }
    validateLvmName(plan.storage.volumeGroup, "volume group");
    validateLvmName(plan.storage.thinPool, "thin pool");
    if (plan.storage.portalPort < 1 || plan.storage.portalPort > 65535) {
        throw Error("iSCSI portal port must be between 1 and 65535");
    }
    validateIqnDate(plan.site.iqnDate, "IQN date");
    validateFqdn(plan.site.iqnAuthority, "IQN naming authority");
    for (const auto& dns : plan.site.dnsServers) {
        parseIPv4(dns, "DNS server");
    }
    validateFqdn(plan.site.publicDomain, "public DNS domain");
    validateFqdn(plan.site.privateDomain, "private DNS domain");
    const std::string& tz = plan.site.timezone;
    if (tz.empty() || tz.size() > 64 || tz.front() == '/' || tz.find("..") != std::string::npos ||
        !std::all_of(tz.begin(), tz.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' ||
                   c == '-' || c == '+';
        })) {
        throw Error("time zone '" + tz + "' is not a tz database name such as Europe/Amsterdam");
    }
    std::uint32_t net = parseIPv4(plan.site.privateNetwork, "private network");
    if (plan.site.privatePrefix < 8 || plan.site.privatePrefix > 24 ||
        (net & ~prefixToMask(plan.site.privatePrefix)) != 0) {
        throw Error("private network must be a /8 to /24 network address");
    }
    std::uint64_t hostsInSubnet = (1ULL << (32 - plan.site.privatePrefix)) - 2;
    if (plan.computes.size() + 258 > hostsInSubnet) {
        throw Error("private network /" + std::to_string(plan.site.privatePrefix) +
                    " is too small for " + std::to_string(plan.computes.size()) + " computes");
    }
    validatePath(plan.site.vmDirectory, "VM directory");
    const InstallerSite& in = plan.site.installer;
    validatePath(in.kernel, "installer kernel (vc_installer_kernel)");
    validatePath(in.initrd, "installer initrd (vc_installer_initrd)");
    validatePath(in.isolinux, "isolinux (vc_installer_isolinux)");
    validateUrl(in.kickstartUrl, "kickstart URL (vc_kickstart_url)");
    validateUrl(in.rollServer, "roll server (vc_roll_server)");
    for (const auto& [value, what] :
         {std::pair{in.ntpHost, "NTP host (Kickstart_PublicNTPHost)"},
          std::pair{in.certificateOrganization, "Info_CertificateOrganization"},
          std::pair{in.certificateLocality, "Info_CertificateLocality"},
          std::pair{in.certificateState, "Info_CertificateState"},
          std::pair{in.certificateCountry, "Info_CertificateCountry"},
          std::pair{in.clusterLatlong, "Info_ClusterLatlong"}}) {
        if (value.empty()) {
            throw Error(std::string(what) + " must not be empty");
        }
        validateText(value, what);
    }
    validateText(in.clusterContact, "Info_ClusterContact");
    validateText(in.rocksVersion, "rocks_version");
    if (plan.frontend.publicGateway.empty()) {
        throw Error("no public gateway for the virtual frontend of '" + plan.name +
                    "': set vc_public_gateway on " + plan.frontend.gateway +
                    " or Rocks' Kickstart_PublicGateway");
    }
    parseIPv4(plan.frontend.publicGateway, "public gateway");
    validateText(plan.rootPasswordHash, "root password hash");
    validateIdentifier(plan.installToken.empty() ? "-" : plan.installToken, "install token");
    if (!plan.portalUrl.empty()) {
        validateUrl(plan.portalUrl, "vc_portal_url");
    }
    if (!plan.powerToken.empty()) {
        validateIdentifier(plan.powerToken, "power token");
    }
    if (!plan.portalCaPem.empty()) {
        validateCaCertificates(plan.portalCaPem, "vc_portal_cacert");
    }
}

void validateUrl(const std::string& url, const std::string& what) {
    if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
        throw Error(what + " '" + url + "' must be an http:// or https:// URL");
    }
    const bool ok = std::all_of(url.begin(), url.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) ||
               std::string_view("/_-.:+~%?=&").find(c) != std::string_view::npos;
    });
    if (!ok) {
        throw Error(what + " '" + url + "' may only contain letters, digits and /_-.:+~%?=&");
    }
}

namespace {
constexpr std::size_t kMaxCaBytes = std::size_t{64} * 1024;
}  // namespace

void validateCaCertificates(const std::string& pem, const std::string& what) {
    if (pem.size() > kMaxCaBytes) {
        throw Error(what + " holds " + std::to_string(pem.size()) +
                    " bytes: more than 64 KiB is not a CA bundle");
    }
    if (pem.find("PRIVATE KEY") != std::string::npos) {
        throw Error(what + " holds a private key: name the certificate, never its key");
    }
    bool inside = false;
    int certificates = 0;
    std::size_t lineNo = 0;
    std::istringstream in(pem);
    for (std::string line; std::getline(in, line);) {
        ++lineNo;
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        if (line == "-----BEGIN CERTIFICATE-----" && !inside) {
            inside = true;
        } else if (line == "-----END CERTIFICATE-----" && inside) {
            inside = false;
            ++certificates;
        } else if (inside) {
            const bool base64 = !line.empty() && std::all_of(line.begin(), line.end(), [](char c) {
                return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' ||
                       c == '=';
            });
            if (!base64) {
                throw Error(what + ": line " + std::to_string(lineNo) +
                            " of a certificate is not base64");
            }
        } else if (!line.empty()) {
            throw Error(what + ": line " + std::to_string(lineNo) +
                        " is outside any BEGIN/END CERTIFICATE block");
        }
    }
    if (inside) {
        throw Error(what + ": a certificate has no END CERTIFICATE line");
    }
    if (certificates == 0) {
        throw Error(what + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
}

std::string readCaCertificates(const std::string& path, const std::string& what) {
    if (path.empty() || path[0] != '/') {
        throw Error(what + " must be an absolute path, not '" + path + "'");
    }
    std::string pem = readSmallFile(path, kMaxCaBytes, what);
    validateCaCertificates(pem, what + " '" + path + "'");
    return pem;
}

}  // namespace vcluster::materialise
