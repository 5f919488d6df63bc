#pragma once

#include <cstdint>
#include <string>
#include <vector>

// The input of materialisation: a reservation that admission has already
// placed (which hosts, which VLAN id or VNI, which public IP, which storage
// node). Nothing here is allocated yet; see Materialisation.h for the
// resolved model (names, MACs, IPs, IQN, CHAP) derived from it.
namespace vcluster::materialise {

enum class Hypervisor { VMware, Kvm };
enum class NetworkKind { Vlan, Vxlan };
enum class LvKind { Thick, Thin };
enum class TargetKind { Tgt, Lio };

const char* toString(Hypervisor value);   // "vmware", "kvm"
const char* toString(NetworkKind value);  // "vlan", "vxlan"
const char* toString(LvKind value);       // "thick", "thin"
const char* toString(TargetKind value);   // "tgt", "lio"
Hypervisor parseHypervisor(const std::string& text);
NetworkKind parseNetworkKind(const std::string& text);
LvKind parseLvKind(const std::string& text);
TargetKind parseTargetKind(const std::string& text);

// A physical host that takes part (gateway, vm-server or storage node): the
// address it has on the physical private network (iSCSI initiator address,
// VXLAN tunnel endpoint) and the interfaces the generated files refer to.
struct PhysicalHost {
    std::string name;
    std::string address;
    std::string trunkInterface = "eth0";     // carries the VLANs / the VXLAN underlay
    std::string publicBridge = "br-public";  // gateways: bridge on the public leg (KVM)
    std::string publicVnet = "vmnet0";       // gateways: VMware's bridged public vmnet
    // The host's iSCSI initiator name (LIO ACLs are by name); "" derives
    // iqn.<site date>.<authority>:<host>.
    std::string initiatorName;
    // Gateways: the NIC on the public network that the public bridge is made
    // from ("" when the site makes the bridge itself), and the gateway's own
    // public address on it (moves to the bridge; "" when not in the database).
    std::string publicInterface;
    std::string publicAddress;
    std::string publicNetmask;
};

struct FrontendSpec {
    std::string gateway;  // physical gateway that runs the virtual frontend
    int memoryMiB = 2048;
    int cpus = 1;
    std::uint64_t diskBytes = 0;
    std::string publicIp;
    std::string publicNetmask = "255.255.255.0";
    std::string publicGateway;
};

struct ComputeSpec {
    std::string vmServer;
    int memoryMiB = 1024;
    int cpus = 1;
    std::uint64_t diskBytes = 0;
};

struct StorageSpec {
    std::string node;
    std::string volumeGroup = "vg_vcluster";
    LvKind lvKind = LvKind::Thick;
    std::string thinPool = "vc_thinpool";  // only for LvKind::Thin
    TargetKind target = TargetKind::Tgt;
    int portalPort = 3260;
};

struct Roll {
    std::string name;
    std::string version;
    std::string arch = "x86_64";
};

// How the virtual frontend's installer is booted and answered: the Rocks
// installer's kernel and initrd on the gateway (booted directly by KVM; on
// VMware Server, which cannot, put on a per-cluster boot CD with
// isolinux), the kickstart server and roll server of the physical frontend,
// and the site's answers to the frontend screens (docs/attributes.md).
struct InstallerSite {
    std::string rocksVersion = "7.0";
    std::string kernel = "/boot/kickstart/default/vmlinuz-7.0-x86_64";
    std::string initrd = "/boot/kickstart/default/initrd.img-7.0-x86_64";
    std::string isolinux = "/usr/share/syslinux/isolinux.bin";  // VMware boot CD only
    std::string kickstartUrl;  // http://<physical frontend>/install/sbin/kickstart.cgi
    std::string rollServer;    // http://<physical frontend>/install/rolls/
    std::string ntpHost = "pool.ntp.org";
    std::string certificateOrganization = "vcluster";
    std::string certificateLocality = "Unknown";
    std::string certificateState = "Unknown";
    std::string certificateCountry = "US";
    std::string clusterContact;  // "" -> root@<fqdn>
    std::string clusterLatlong = "N0.00 E0.00";
    bool keyOnlyRoot = false;  // vc_root_login=key-only: root's password locked
};

// Site-wide facts (Rocks global attributes) the generated files need.
struct SiteInfo {
    std::string iqnDate = "2026-11";           // yyyy-mm the naming authority owned the domain
    std::string iqnAuthority = "org.example";  // reversed domain name
    std::vector<std::string> dnsServers = {"192.0.2.1"};
    std::string publicDomain = "example.org";
    std::string timezone = "UTC";
    std::string privateNetwork = "10.1.0.0";  // every virtual cluster may reuse it
    int privatePrefix = 16;
    std::string privateDomain = "local";
    InstallerSite installer;
    std::string vmDirectory = "/var/lib/vcluster/vms";  // VMware .vmx/.vmdk home
    int vxlanPort = 4789;
    std::vector<PhysicalHost> hosts;  // every host the plan names
};

struct ClusterPlan {
    std::string name;  // lower-case host-name label, unique among virtual clusters
    std::string owner;
    Hypervisor hypervisor = Hypervisor::Kvm;
    NetworkKind network = NetworkKind::Vlan;
    int segmentId = 0;  // VLAN id (1-4094) or VNI (1-16777215)
    std::vector<Roll> rolls;
    std::string sshPublicKey;
    std::string fqdn;  // public name of the virtual frontend
    // crypt(3) hash of the frontend's random root password (made at booking;
    // the clear text was shown once to the owner), and the token the
    // installed frontend publishes when its install really finished.
    std::string rootPasswordHash;
    std::string installToken;
    // The portal the frontend's vc-power reaches (vc_portal_url) and the
    // cluster-scoped token it uses: both set, or no vc-power in the kit.
    std::string portalUrl;
    std::string powerToken;
    std::string portalCaPem;  // vc_portal_cacert's certificates ("": the system's CAs)
    FrontendSpec frontend;
    std::vector<ComputeSpec> computes;
    StorageSpec storage;
    SiteInfo site;

    const PhysicalHost& host(const std::string& hostName) const;  // throws Error when absent
};

// Refuses, with an Error an admin can act on, a plan whose values could not
// be written safely (names, ranges, addresses, key text).
void validate(const ClusterPlan& plan);
// An http(s) URL of characters safe on a kernel command line and in XML.
void validateUrl(const std::string& url, const std::string& what);
// PEM text of one or more certificates (what vc-power trusts the portal
// with: vc_portal_cacert): printable lines, BEGIN/END CERTIFICATE blocks and
// nothing else; a private key is refused by name.
void validateCaCertificates(const std::string& pem, const std::string& what);
// The file's text, validated as above (what names it in the Error).
std::string readCaCertificates(const std::string& path, const std::string& what);

}  // namespace vcluster::materialise
