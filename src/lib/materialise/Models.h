#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "materialise/ClusterPlan.h"
#include "materialise/Materialisation.h"

// Typed models of what is generated for one host. Writers turn these into
// files and script steps; nothing else formats configuration text.
namespace vcluster::materialise {

struct LogicalVolume {
    std::string volumeGroup;
    std::string name;
    std::uint64_t bytes = 0;
    LvKind kind = LvKind::Thick;
    std::string thinPool;
};

struct TargetLun {
    int lun = 1;
    std::string name;  // backstore name (the LV name)
    std::string backingStore;
    std::uint64_t bytes = 0;
};

// One iSCSI target per virtual cluster.
struct TargetConfig {
    std::string cluster;
    std::string iqn;
    std::vector<TargetLun> luns;
    ChapCredentials chap;
    std::vector<std::string> initiatorAddresses;  // tgt ACL
    std::vector<std::string> initiatorNames;      // LIO ACL
    std::string portalAddress;
    int portalPort = 3260;
};

struct VlanBridge {
    std::string trunk;
    int vlanId = 0;
    std::string vlanDevice;
    std::string bridge;
};

struct VxlanBridge {
    int vni = 0;
    std::string device;
    std::string bridge;
    std::string underlay;
    std::string localAddress;
    std::vector<std::string> remoteAddresses;  // the other VTEPs of the cluster
    int port = 4789;
};

// The gateway's public bridge, which every virtual frontend's public NIC is
// plugged into: made once from the public NIC, shared by all clusters.
struct PublicBridge {
    std::string bridge;
    std::string interface;  // "" when the site makes the bridge itself
    std::string address;    // the gateway's own public address ("" unknown)
    std::string netmask;
};

struct IscsiLogin {
    std::string cluster;
    std::string iqn;
    std::string portalAddress;
    int portalPort = 3260;
    ChapCredentials chap;
    std::vector<std::string> byPaths;  // devices that must appear after login
};

struct VmNic {
    std::string mac;
    std::string bridge;  // KVM
    std::string vnet;    // VMware
    int mtu = 0;         // 0: the bridge's default; VXLAN clusters use 1450
};

struct VmDisk {
    std::string devicePath;  // /dev/disk/by-path/...
    std::uint64_t bytes = 0;
    std::string guestDevice;  // vda / sda
};

// The installer a virtual frontend boots the way Rocks' KVM roll does: the
// kernel and initrd of the physical frontend's distribution, with the
// kickstart server and the frontend's public address on the command line.
struct InstallerBoot {
    std::string kernel;
    std::string initrd;
    std::string cmdline;
};

struct VmDefinition {
    std::string name;
    std::string cluster;
    int memoryMiB = 1024;
    int cpus = 1;
    std::vector<VmNic> nics;
    std::vector<VmDisk> disks;
    bool bootFromNetwork = true;  // computes PXE-boot from their frontend
    // Frontend only: the installer (KVM boots it directly until the install
    // is done; VMware boots bootIso, a per-cluster CD holding it), and the
    // cluster's kit image (site.attrs, rolls.xml, key, computes), attached
    // read-only as a disk (KVM, serial VCKIT) or a floppy (VMware).
    std::optional<InstallerBoot> installer;
    std::string bootIso;
    std::string kitImage;
    std::string directory;  // VMware: where the .vmx/.vmdk live
};

struct KitCompute {
    std::string name;  // compute-0-N inside the cluster
    int rank = 0;
    std::string mac;
    std::string ip;
    int cpus = 1;
};

// What the virtual frontend's unattended install needs.
struct FrontendKit {
    Hypervisor hypervisor = Hypervisor::Kvm;
    std::string cluster;
    std::string owner;
    std::string fqdn;
    std::string hostName;
    std::string publicIp;
    std::string publicNetmask;
    std::string publicGateway;
    std::string publicDomain;
    std::vector<std::string> dnsServers;
    std::string privateIp;
    std::string privateNetmask;
    std::string privateNetwork;
    std::string privateDomain;
    std::string timezone;
    std::vector<Roll> rolls;
    std::string sshPublicKey;
    std::vector<KitCompute> computes;
    InstallerSite installer;  // answers (NTP, certificate...), paths, servers
    InstallerBoot boot;       // what the boot CD's isolinux.cfg says (VMware)
    std::string rootPasswordHash;
    std::string installToken;  // the installed frontend publishes it (install probe)
    std::string portalUrl;     // vc-power's portal and credential (both, or no vc-power)
    std::string powerToken;
    std::string portalCaPem;  // the CA vc-power verifies the portal with ("": system CAs)
};

// Where the kit lives on the gateway: root-only (0700 directory, 0600 files).
std::string kitDirectory(const std::string& cluster);  // /export/vcluster/<c>
std::string kitImagePath(const std::string& cluster);  // <dir>/kit.img (FAT, label VCKIT)
std::string bootIsoPath(const std::string& cluster);   // <dir>/boot.iso (VMware)
inline constexpr const char* kKitLabel = "VCKIT";
// Where the virtual frontend keeps the CA vc-power verifies the portal with.
inline constexpr const char* kVcPowerCaPath = "/root/.vc-power-ca.pem";
// The path of the marker the installed frontend serves over http on its
// public address (its content: "vcluster <cluster> installed <token>").
inline constexpr const char* kInstallMarkerPath = "/vcluster/install-done";
// The list the installed frontend serves of its computes that have finished
// their own install from it: one name per line (Rocks' boot action "os",
// which a compute's kickstart sets at its end; see the roll's node file).
inline constexpr const char* kComputesMarkerPath = "/vcluster/computes-installed";
InstallerBoot installerBoot(const Materialisation& m);

// Model builders: the one place that maps a materialisation onto each model.
std::vector<LogicalVolume> logicalVolumes(const Materialisation& m);
TargetConfig targetConfig(const Materialisation& m);
VlanBridge vlanBridge(const Materialisation& m, const std::string& host);
VxlanBridge vxlanBridge(const Materialisation& m, const std::string& host);
PublicBridge publicBridge(const Materialisation& m);  // of the frontend's gateway
IscsiLogin iscsiLogin(const Materialisation& m, const std::string& host);
VmDefinition vmDefinition(const Materialisation& m, const VirtualNode& node);
FrontendKit frontendKit(const Materialisation& m);
std::string initiatorName(const ClusterPlan& plan, const PhysicalHost& host);

}  // namespace vcluster::materialise
