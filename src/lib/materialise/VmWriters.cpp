// VM definitions: VMware Server .vmx + raw-device .vmdk, libvirt domain XML.
#include <cstdio>

#include "materialise/Writers.h"
#include "materialise/Xml.h"

namespace vcluster::materialise {

namespace {

// VMware's config files escape special characters as |XX (hex).
std::string vmxValue(const std::string& text) {
    std::string out = "\"";
    for (unsigned char c : text) {
        if (c == '"' || c == '|' || c == '#' || c < 0x20 || c == 0x7f) {
            char buf[4];
            std::snprintf(buf, sizeof buf, "|%02X", c);
            out += buf;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out + "\"";
}

struct VmxFile {
    std::string text;
    void set(const std::string& key, const std::string& value) {
        text += key + " = " + vmxValue(value) + "\n";
    }
};

std::string diskLetterDevice(const std::string& first, std::size_t index) {
    std::string dev = first.empty() ? "vda" : first;
    dev.back() = static_cast<char>('a' + index);
    return dev;
}

const char* kLibvirtDir = "/etc/vcluster/libvirt/";
const char* kConsoleDir = "/var/log/vcluster/console";

}  // namespace

std::string VmxWriter::vmdkName(const VmDefinition& vm, std::size_t index) {
    return vm.name + "-disk" + std::to_string(index) + ".vmdk";
}

std::string VmxWriter::vmx(const VmDefinition& vm) {
    VmxFile f;
    f.text = "#!/usr/bin/vmware\n";
    f.set(".encoding", "UTF-8");
    f.set("config.version", "8");
    f.set("virtualHW.version", "4");
    f.set("displayName", vm.name);
    f.set("annotation", "vcluster " + vm.cluster);
    f.set("guestOS", "rhel5-64");
    f.set("memsize", std::to_string(vm.memoryMiB));
    f.set("numvcpus", std::to_string(vm.cpus));
    f.set("uuid.action", "keep");
    f.set("scsi0.present", "TRUE");
    f.set("scsi0.virtualDev", "lsilogic");
    for (std::size_t i = 0; i < vm.disks.size(); ++i) {
        const std::string key = "scsi0:" + std::to_string(i);
        f.set(key + ".present", "TRUE");
        f.set(key + ".fileName", vmdkName(vm, i));
        f.set(key + ".deviceType", "scsi-hardDisk");
        f.set(key + ".mode", "independent-persistent");
    }
    for (std::size_t i = 0; i < vm.nics.size(); ++i) {
        const std::string key = "ethernet" + std::to_string(i);
        f.set(key + ".present", "TRUE");
        f.set(key + ".virtualDev", "e1000");
        f.set(key + ".connectionType", "custom");
        f.set(key + ".vnet", vm.nics[i].vnet);
        f.set(key + ".addressType", "static");
        f.set(key + ".address", vm.nics[i].mac);
    }
    if (!vm.bootIso.empty()) {
        // VMware Server cannot boot a kernel directly: the per-cluster CD
        // holds the installer's kernel, initrd and command line (isolinux).
        f.set("ide1:0.present", "TRUE");
        f.set("ide1:0.deviceType", "cdrom-image");
        f.set("ide1:0.fileName", vm.bootIso);
        f.set("ide1:0.startConnected", "TRUE");
    }
    if (!vm.kitImage.empty()) {
        f.set("floppy0.present", "TRUE");
        f.set("floppy0.fileType", "file");
        f.set("floppy0.fileName", vm.kitImage);
        f.set("floppy0.startConnected", "TRUE");
    } else {
        f.set("floppy0.present", "FALSE");
    }
    // The frontend boots its disk first: empty, it is not bootable and the
    // BIOS falls through to the boot CD; once installed, the installer's
    // reboot comes up from the disk instead of installing again.
    f.set("bios.bootOrder", vm.bootFromNetwork ? "ethernet0,hdd" : "hdd,cdrom");
    return f.text;
}

std::string VmxWriter::vmdk(const VmDisk& disk) {
    const std::uint64_t sectors = disk.bytes / 512;
    std::string s =
        "# Disk DescriptorFile\n"
        "version=1\n"
        "CID=fffffffe\n"
        "parentCID=ffffffff\n"
        "createType=\"fullDevice\"\n"
        "\n"
        "# Extent description\n";
    s += "RW " + std::to_string(sectors) + " FLAT " + vmxValue(disk.devicePath) + " 0\n";
    s += "\n# The Disk Data Base\n#DDB\n\n";
    VmxFile ddb;
    ddb.set("ddb.virtualHWVersion", "4");
    ddb.set("ddb.adapterType", "lsilogic");
    ddb.set("ddb.geometry.cylinders", std::to_string(sectors / (std::uint64_t{255} * 63)));
    ddb.set("ddb.geometry.heads", "255");
    ddb.set("ddb.geometry.sectors", "63");
    return s + ddb.text;
}

void VmxWriter::apply(const VmDefinition& vm, HostOutput& out) const {
    const std::string vmxPath = vm.directory + "/" + vm.name + ".vmx";
    out.files.add("files/vmware/" + vm.name + ".vmx", vmx(vm), 0644);
    out.apply.section("vm");
    for (std::size_t i = 0; i < vm.disks.size(); ++i) {
        out.files.add("files/vmware/" + vmdkName(vm, i), vmdk(vm.disks[i]), 0644);
        out.apply.installFile("files/vmware/" + vmdkName(vm, i),
                              vm.directory + "/" + vmdkName(vm, i), 0644);
    }
    out.apply.installFile("files/vmware/" + vm.name + ".vmx", vmxPath, 0644);
    const Word registered = Word::under("root", vmxPath);
    out.apply.ensure({{"vmware-cmd", "-l"}, {"grep", "-Fx", "--", registered}},
                     {{"vmware-cmd", "-s", "register", registered}});
}

std::string VmxWriter::vmxPath(const VmDefinition& vm) {
    return vm.directory + "/" + vm.name + ".vmx";
}

ShellPipeline VmxWriter::running(const VmDefinition& vm) const {
    // Registered under the install root (empty on a real host), like every
    // path the generated scripts touch.
    return {{"vmware-cmd", Word::under("root", vmxPath(vm)), "getstate"},
            {"grep", "-Fw", "--", "on"}};
}

ShellCommand VmxWriter::powerOn(const VmDefinition& vm) const {
    return {"vmware-cmd", Word::under("root", vmxPath(vm)), "start"};
}

ShellCommand VmxWriter::powerOff(const VmDefinition& vm) const {
    return {"vmware-cmd", Word::under("root", vmxPath(vm)), "stop", "hard"};
}

ShellCommand VmxWriter::shutdown(const VmDefinition& vm) const {
    // "soft": the guest's shutdown through VMware Tools (ACPI without them).
    return {"vmware-cmd", Word::under("root", vmxPath(vm)), "stop", "soft"};
}

ShellCommand VmxWriter::reset(const VmDefinition& vm) const {
    return {"vmware-cmd", Word::under("root", vmxPath(vm)), "reset", "hard"};
}

void VmxWriter::teardown(const VmDefinition& vm, HostOutput& out) const {
    const std::string vmxPath = VmxWriter::vmxPath(vm);
    out.teardown.section("vm");
    out.teardown.whenPresent(running(vm), {powerOff(vm)});
    const Word registered = Word::under("root", vmxPath);
    out.teardown.whenPresent({{"vmware-cmd", "-l"}, {"grep", "-Fx", "--", registered}},
                             {{"vmware-cmd", "-s", "unregister", registered}});
    out.teardown.removeFile(vmxPath);
    for (std::size_t i = 0; i < vm.disks.size(); ++i) {
        out.teardown.removeFile(vm.directory + "/" + vmdkName(vm, i));
    }
    out.teardown.whenPresent(
        {{"stat", "--", Word::under("root", vm.directory)}},
        {{"rmdir", "--ignore-fail-on-non-empty", "--", Word::under("root", vm.directory)}});
}

std::string LibvirtDomainWriter::domainXml(const VmDefinition& vm) {
    XmlDocument doc("domain");
    xmlNodePtr d = doc.root();
    XmlDocument::attr(d, "type", "kvm");
    XmlDocument::child(d, "name", vm.name);
    XmlDocument::child(d, "description", "vcluster " + vm.cluster);
    XmlDocument::attr(XmlDocument::child(d, "memory", std::to_string(vm.memoryMiB)), "unit", "MiB");
    XmlDocument::child(d, "vcpu", std::to_string(vm.cpus));
    xmlNodePtr os = XmlDocument::child(d, "os");
    XmlDocument::attr(XmlDocument::child(os, "type", "hvm"), "arch", "x86_64");
    if (vm.installer) {
        // The installer, booted directly as Rocks' KVM roll does.
        XmlDocument::child(os, "kernel", vm.installer->kernel);
        XmlDocument::child(os, "initrd", vm.installer->initrd);
        XmlDocument::child(os, "cmdline", vm.installer->cmdline);
    } else {
        for (const char* dev : vm.bootFromNetwork ? std::vector<const char*>{"network", "hd"}
                                                  : std::vector<const char*>{"hd"}) {
            XmlDocument::attr(XmlDocument::child(os, "boot"), "dev", dev);
        }
    }
    xmlNodePtr features = XmlDocument::child(d, "features");
    XmlDocument::child(features, "acpi");
    XmlDocument::child(features, "apic");
    XmlDocument::child(d, "on_poweroff", "destroy");
    // The installer's final reboot ends the install: the domain stops, and
    // the install probe defines it booting from its disk (installedDefinition).
    XmlDocument::child(d, "on_reboot", vm.installer ? "destroy" : "restart");
    XmlDocument::child(d, "on_crash", "destroy");
    xmlNodePtr devices = XmlDocument::child(d, "devices");
    for (std::size_t i = 0; i < vm.disks.size(); ++i) {
        xmlNodePtr disk = XmlDocument::child(devices, "disk");
        XmlDocument::attr(disk, "type", "block");
        XmlDocument::attr(disk, "device", "disk");
        xmlNodePtr driver = XmlDocument::child(disk, "driver");
        XmlDocument::attr(driver, "name", "qemu");
        XmlDocument::attr(driver, "type", "raw");
        XmlDocument::attr(driver, "cache", "none");
        XmlDocument::attr(driver, "io", "native");
        XmlDocument::attr(XmlDocument::child(disk, "source"), "dev", vm.disks[i].devicePath);
        xmlNodePtr target = XmlDocument::child(disk, "target");
        XmlDocument::attr(target, "dev", diskLetterDevice(vm.disks[i].guestDevice, i));
        XmlDocument::attr(target, "bus", "virtio");
    }
    if (vm.installer && !vm.kitImage.empty()) {
        // The kit, read-only, found by the installer hook by its serial
        // (/dev/disk/by-id/virtio-VCKIT) or its FAT label.
        xmlNodePtr kit = XmlDocument::child(devices, "disk");
        XmlDocument::attr(kit, "type", "file");
        XmlDocument::attr(kit, "device", "disk");
        xmlNodePtr driver = XmlDocument::child(kit, "driver");
        XmlDocument::attr(driver, "name", "qemu");
        XmlDocument::attr(driver, "type", "raw");
        XmlDocument::attr(XmlDocument::child(kit, "source"), "file", vm.kitImage);
        xmlNodePtr target = XmlDocument::child(kit, "target");
        XmlDocument::attr(target, "dev", "vdz");
        XmlDocument::attr(target, "bus", "virtio");
        XmlDocument::child(kit, "serial", kKitLabel);
        XmlDocument::child(kit, "readonly");
    }
    for (const auto& nic : vm.nics) {
        xmlNodePtr iface = XmlDocument::child(devices, "interface");
        XmlDocument::attr(iface, "type", "bridge");
        XmlDocument::attr(XmlDocument::child(iface, "mac"), "address", nic.mac);
        XmlDocument::attr(XmlDocument::child(iface, "source"), "bridge", nic.bridge);
        XmlDocument::attr(XmlDocument::child(iface, "model"), "type", "virtio");
        if (nic.mtu > 0) {
            XmlDocument::attr(XmlDocument::child(iface, "mtu"), "size", std::to_string(nic.mtu));
        }
    }
    xmlNodePtr serial = XmlDocument::child(devices, "serial");
    XmlDocument::attr(serial, "type", "pty");
    XmlDocument::attr(XmlDocument::child(serial, "target"), "port", "0");
    // What the guest writes to its serial console, kept on the host for
    // its owner (the console node action reads its tail).
    xmlNodePtr log = XmlDocument::child(serial, "log");
    XmlDocument::attr(log, "file", consoleLogPath(vm));
    XmlDocument::attr(log, "append", "on");
    xmlNodePtr console = XmlDocument::child(devices, "console");
    XmlDocument::attr(console, "type", "pty");
    xmlNodePtr ctarget = XmlDocument::child(console, "target");
    XmlDocument::attr(ctarget, "type", "serial");
    XmlDocument::attr(ctarget, "port", "0");
    xmlNodePtr graphics = XmlDocument::child(devices, "graphics");
    XmlDocument::attr(graphics, "type", "vnc");
    XmlDocument::attr(graphics, "autoport", "yes");
    XmlDocument::attr(graphics, "listen", "127.0.0.1");
    return doc.str();
}

std::string consoleLogPath(const VmDefinition& vm) {
    return std::string(kConsoleDir) + "/" + vm.name + ".log";
}

VmDefinition LibvirtDomainWriter::installedDefinition(const VmDefinition& vm) {
    VmDefinition installed = vm;
    installed.installer.reset();
    installed.kitImage.clear();  // the kit's secrets stay with the install
    return installed;
}

std::string LibvirtDomainWriter::installedPath(const VmDefinition& vm) {
    return kLibvirtDir + vm.name + ".installed.xml";
}

void LibvirtDomainWriter::apply(const VmDefinition& vm, HostOutput& out) const {
    const std::string file = "files/libvirt/" + vm.name + ".xml";
    out.files.add(file, domainXml(vm), 0644);
    out.apply.section("vm");
    out.apply.installFile(file, kLibvirtDir + vm.name + ".xml", 0644);
    if (vm.installer) {
        const std::string installed = "files/libvirt/" + vm.name + ".installed.xml";
        out.files.add(installed, domainXml(installedDefinition(vm)), 0644);
        out.apply.installFile(installed, installedPath(vm), 0644);
    }
    out.apply.run({"install", "-d", "-m", "0700", "--", Word::under("root", kConsoleDir)});
    // Defining an identical domain again changes nothing.
    out.apply.run({"virsh", "define", Word::under("root", kLibvirtDir + vm.name + ".xml")});
}

ShellPipeline LibvirtDomainWriter::running(const VmDefinition& vm) const {
    return {{"virsh", "domstate", vm.name}, {"grep", "-Fx", "--", "running"}};
}

ShellCommand LibvirtDomainWriter::powerOn(const VmDefinition& vm) const {
    return {"virsh", "start", vm.name};
}

ShellCommand LibvirtDomainWriter::powerOff(const VmDefinition& vm) const {
    return {"virsh", "destroy", vm.name};
}

ShellCommand LibvirtDomainWriter::shutdown(const VmDefinition& vm) const {
    return {"virsh", "shutdown", vm.name, "--mode", "acpi"};
}

ShellCommand LibvirtDomainWriter::reset(const VmDefinition& vm) const {
    return {"virsh", "reset", vm.name};
}

void LibvirtDomainWriter::teardown(const VmDefinition& vm, HostOutput& out) const {
    out.teardown.section("vm");
    out.teardown.whenPresent(running(vm), {powerOff(vm)});
    out.teardown.whenPresent({{"virsh", "dominfo", vm.name}}, {{"virsh", "undefine", vm.name}});
    out.teardown.removeFile(kLibvirtDir + vm.name + ".xml");
    // Its console output is the tenant's: it goes with the VM.
    out.teardown.removeFile(consoleLogPath(vm));
    if (vm.installer) {
        out.teardown.removeFile(installedPath(vm));
    }
}

std::vector<ShellCommand> LibvirtDomainWriter::bootInstalled(const VmDefinition& vm) const {
    if (!vm.installer) {
        return {};
    }
    return {{"virsh", "define", Word::under("root", installedPath(vm))}, powerOn(vm)};
}

std::unique_ptr<HypervisorDriver> makeHypervisorDriver(Hypervisor kind) {
    if (kind == Hypervisor::VMware) {
        return std::make_unique<VmxWriter>();
    }
    return std::make_unique<LibvirtDomainWriter>();
}

}  // namespace vcluster::materialise
