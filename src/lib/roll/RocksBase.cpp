#include "roll/RocksBase.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace vcluster::roll {

namespace {

// Node files of Rocks' base roll (rocksclusters/base, nodes/*.xml) that a
// roll's graph may name. Only the names matter here: their contents are not
// part of this roll and `rocks report appliance kickstart` says so.
constexpr std::array<std::string_view, 48> kExternalNodes = {
    "411-base",
    "411-client",
    "411-server",
    "apache",
    "autofs-client",
    "autofs-server",
    "base",
    "ca",
    "client",
    "client-firewall",
    "compute",
    "compute-appliance",
    "database",
    "database-data",
    "database-schema",
    "devel",
    "dhcp-client",
    "dhcp-server",
    "dns-server",
    "firewall",
    "foundation-base",
    "foundation-client",
    "foundation-server",
    "grub-client",
    "grub-server",
    "install",
    "insert-rolls",
    "iscsi",
    "mail-client",
    "mail-server",
    "nas",
    "networking-client",
    "networking-server",
    "nfs-server",
    "node",
    "ntp-client",
    "ntp-server",
    "partition",
    "postshell",
    "pxe",
    "resolv",
    "restore-user-files",
    "routes-client",
    "routes-server",
    "server",
    "server-firewall",
    "ssh",
    "syslog",
};

constexpr std::array<std::string_view, 3> kRocksRoots = {"server", "client", "compute"};

// Attributes Rocks defines on every frontend (rocks list attr) and the
// per-host ones kgen adds; used as &name; entities in node files.
constexpr std::array<std::string_view, 52> kAttributes = {
    "Info_CertificateCountry",
    "Info_CertificateLocality",
    "Info_CertificateOrganization",
    "Info_CertificateState",
    "Info_ClusterLatlong",
    "Info_ClusterName",
    "Info_ClusterURL",
    "Info_Contact",
    "Info_FQDN",
    "Kickstart_Keyboard",
    "Kickstart_Lang",
    "Kickstart_Langsupport",
    "Kickstart_Multicast",
    "Kickstart_PrivateAddress",
    "Kickstart_PrivateBroadcast",
    "Kickstart_PrivateDNSDomain",
    "Kickstart_PrivateDNSServers",
    "Kickstart_PrivateGateway",
    "Kickstart_PrivateHostname",
    "Kickstart_PrivateInterface",
    "Kickstart_PrivateKickstartBasedir",
    "Kickstart_PrivateKickstartCGI",
    "Kickstart_PrivateKickstartHost",
    "Kickstart_PrivateNTPHost",
    "Kickstart_PrivateNetmask",
    "Kickstart_PrivateNetmaskCIDR",
    "Kickstart_PrivateNetwork",
    "Kickstart_PrivateSyslogHost",
    "Kickstart_PublicAddress",
    "Kickstart_PublicBroadcast",
    "Kickstart_PublicDNSDomain",
    "Kickstart_PublicDNSServers",
    "Kickstart_PublicGateway",
    "Kickstart_PublicHostname",
    "Kickstart_PublicInterface",
    "Kickstart_PublicKickstartHost",
    "Kickstart_PublicNTPHost",
    "Kickstart_PublicNetmask",
    "Kickstart_PublicNetmaskCIDR",
    "Kickstart_PublicNetwork",
    "Kickstart_Timezone",
    "appliance",
    "arch",
    "distribution",
    "hostname",
    "managed",
    "membership",
    "os",
    "rack",
    "rank",
    "release",
    "version",
};

constexpr std::string_view kRollAttributePrefix = "vc_";

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& list, const std::string& name) {
    return std::find(list.begin(), list.end(), name) != list.end();
}

}  // namespace

bool isExternalNode(const std::string& name) { return contains(kExternalNodes, name); }

bool isRocksRoot(const std::string& name) { return contains(kRocksRoots, name); }

bool isOrderAnchor(const std::string& name) { return name == "HEAD" || name == "TAIL"; }

bool isKnownAttribute(const std::string& name) {
    return contains(kAttributes, name) || name.rfind(kRollAttributePrefix, 0) == 0 ||
           name == "rocks_version" || name == "rocks_release";
}

}  // namespace vcluster::roll
