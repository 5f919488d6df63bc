#pragma once

#include <memory>
#include <string>
#include <vector>

#include "materialise/FileTree.h"
#include "materialise/Models.h"
#include "materialise/ShellScript.h"

// Writers turn the typed models into files and apply/teardown steps for one
// host. There is one driver interface per technology: targets (tgt, LIO),
// networks (VLAN, VXLAN) and hypervisors (VMware Server, KVM/libvirt).
namespace vcluster::materialise {

// What is generated for one physical host. Files are relative to the
// host's directory (next to apply.sh and teardown.sh).
struct HostOutput {
    explicit HostOutput(const std::string& host)
        : apply("apply: vcluster configuration of " + host),
          teardown("teardown: vcluster configuration of " + host) {}
    FileTree files;
    ShellScript apply;
    ShellScript teardown;
};

class LvmWriter {
  public:
    static void apply(const std::vector<LogicalVolume>& volumes, HostOutput& out);
    static void teardown(const std::vector<LogicalVolume>& volumes, HostOutput& out);
};

class TargetDriver {
  public:
    virtual ~TargetDriver() = default;
    virtual void apply(const TargetConfig& target, HostOutput& out) const = 0;
    virtual void teardown(const TargetConfig& target, HostOutput& out) const = 0;
};

// The line of `tgtadm --mode target --op show` that lists LUN `lun`.
std::string tgtLunLine(int lun);

// tgt: a conf.d fragment in targets.conf syntax, loaded with tgt-admin.
class TgtTargetWriter : public TargetDriver {
  public:
    static std::string fragment(const TargetConfig& target);
    static std::string fragmentPath(const TargetConfig& target);  // /etc/tgt/conf.d/...
    void apply(const TargetConfig& target, HostOutput& out) const override;
    void teardown(const TargetConfig& target, HostOutput& out) const override;
};

// LIO: targetcli one-shot commands, each guarded by a lookup of its object.
class LioTargetWriter : public TargetDriver {
  public:
    void apply(const TargetConfig& target, HostOutput& out) const override;
    void teardown(const TargetConfig& target, HostOutput& out) const override;
};

std::unique_ptr<TargetDriver> makeTargetDriver(TargetKind kind);

class NetworkDriver {
  public:
    virtual ~NetworkDriver() = default;
    virtual void apply(const Materialisation& m, const std::string& host,
                       HostOutput& out) const = 0;
    virtual void teardown(const Materialisation& m, const std::string& host,
                          HostOutput& out) const = 0;
};

// 802.1Q: ifcfg-* files (persistent, RHEL/CentOS initscripts) plus the same
// configuration applied live with iproute2.
class VlanBridgeWriter : public NetworkDriver {
  public:
    static FileTree ifcfgFiles(const VlanBridge& bridge);  // ifcfg-<vlan>, ifcfg-<bridge>
    void apply(const Materialisation& m, const std::string& host, HostOutput& out) const override;
    void teardown(const Materialisation& m, const std::string& host,
                  HostOutput& out) const override;
};

// VXLAN: one VTEP per host, unicast head-end replication to the other hosts
// of the cluster (no multicast needed in the underlay).
class VxlanBridgeWriter : public NetworkDriver {
  public:
    void apply(const Materialisation& m, const std::string& host, HostOutput& out) const override;
    void teardown(const Materialisation& m, const std::string& host,
                  HostOutput& out) const override;
};

std::unique_ptr<NetworkDriver> makeNetworkDriver(NetworkKind kind);

// The gateway's public bridge (KVM): made from the public NIC if missing,
// with the NIC's addresses and routes moved onto it, plus ifcfg files that
// make it so at boot. Never torn down: other clusters' frontends use it.
class PublicBridgeWriter {
  public:
    static FileTree ifcfgFiles(const PublicBridge& bridge);  // ifcfg-<nic>, ifcfg-<bridge>
    static void apply(const PublicBridge& bridge, HostOutput& out);
};

class IscsiLoginWriter {
  public:
    static void apply(const IscsiLogin& login, HostOutput& out);
    static void teardown(const IscsiLogin& login, HostOutput& out);
};

class HypervisorDriver {
  public:
    virtual ~HypervisorDriver() = default;
    virtual void apply(const VmDefinition& vm, HostOutput& out) const = 0;
    virtual void teardown(const VmDefinition& vm, HostOutput& out) const = 0;
    // Power: succeeds when the VM runs; starts it; powers it off at once
    // (the end of a reservation, a roll-back, a shutdown that timed out);
    // asks its guest to shut down cleanly (ACPI power button) and returns.
    virtual ShellPipeline running(const VmDefinition& vm) const = 0;
    virtual ShellCommand powerOn(const VmDefinition& vm) const = 0;
    virtual ShellCommand powerOff(const VmDefinition& vm) const = 0;
    virtual ShellCommand shutdown(const VmDefinition& vm) const = 0;
    // A hard reset of a running VM (the reset button).
    virtual ShellCommand reset(const VmDefinition& vm) const = 0;
    // After the installer stopped the frontend: what boots it from its disk
    // (empty when the VM does so by itself, as VMware's boot order does).
    virtual std::vector<ShellCommand> bootInstalled(const VmDefinition& vm) const = 0;
};

// VMware Server: a .vmx and, per disk, a raw-device .vmdk descriptor.
class VmxWriter : public HypervisorDriver {
  public:
    static std::string vmx(const VmDefinition& vm);
    static std::string vmdk(const VmDisk& disk);
    static std::string vmdkName(const VmDefinition& vm, std::size_t index);
    void apply(const VmDefinition& vm, HostOutput& out) const override;
    void teardown(const VmDefinition& vm, HostOutput& out) const override;
    ShellPipeline running(const VmDefinition& vm) const override;
    ShellCommand powerOn(const VmDefinition& vm) const override;
    ShellCommand powerOff(const VmDefinition& vm) const override;
    ShellCommand shutdown(const VmDefinition& vm) const override;
    ShellCommand reset(const VmDefinition& vm) const override;
    std::vector<ShellCommand> bootInstalled(const VmDefinition&) const override { return {}; }
    static std::string vmxPath(const VmDefinition& vm);
};

// KVM: libvirt domain XML built with libxml2.
class LibvirtDomainWriter : public HypervisorDriver {
  public:
    static std::string domainXml(const VmDefinition& vm);
    // The frontend once installed: boots its disk, no installer, no kit.
    static VmDefinition installedDefinition(const VmDefinition& vm);
    static std::string installedPath(
        const VmDefinition& vm);  // /etc/vcluster/libvirt/<vm>.installed.xml
    void apply(const VmDefinition& vm, HostOutput& out) const override;
    void teardown(const VmDefinition& vm, HostOutput& out) const override;
    ShellPipeline running(const VmDefinition& vm) const override;
    ShellCommand powerOn(const VmDefinition& vm) const override;
    ShellCommand powerOff(const VmDefinition& vm) const override;
    ShellCommand shutdown(const VmDefinition& vm) const override;
    ShellCommand reset(const VmDefinition& vm) const override;
    std::vector<ShellCommand> bootInstalled(const VmDefinition& vm) const override;
};

std::unique_ptr<HypervisorDriver> makeHypervisorDriver(Hypervisor kind);

// Where a KVM domain's serial console output is kept on its host.
std::string consoleLogPath(const VmDefinition& vm);

// The unattended-install kit of the virtual frontend, kept on its gateway
// (root only) and put on the kit image attached to the frontend's VM; a
// VMware frontend's boot CD is made beside it.
class FrontendKitWriter {
  public:
    static std::vector<std::pair<std::string, std::string>> siteAttrList(const FrontendKit& kit);
    static std::string siteAttrs(const FrontendKit& kit);
    static std::string rollsXml(const FrontendKit& kit);
    static std::string isolinuxCfg(const FrontendKit& kit);  // the VMware boot CD's
    static std::string computesCsv(const FrontendKit& kit);
    static std::string addComputesScript(const FrontendKit& kit);
    static FileTree files(const FrontendKit& kit);
    static std::string installDirectory(const FrontendKit& kit);
    static void apply(const FrontendKit& kit, HostOutput& out);
    static void teardown(const FrontendKit& kit, HostOutput& out);
};

}  // namespace vcluster::materialise
