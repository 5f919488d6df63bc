#include "materialise/Operations.h"

#include <algorithm>

#include "materialise/Writers.h"
#include "util/Error.h"

namespace vcluster::materialise {

namespace {

// The VMs of `selection` that run on `host`.
std::vector<VmDefinition> vmsOn(const Materialisation& m, const std::string& host,
                                VmSelection selection) {
    std::vector<VmDefinition> out;
    for (const auto& node : m.nodes) {
        bool wanted = selection == VmSelection::All ||
                      (selection == VmSelection::Frontend) == (node.role == NodeRole::Frontend);
        if (wanted && node.physicalHost == host) {
            out.push_back(vmDefinition(m, node));
        }
    }
    return out;
}

}  // namespace

ShellScript shutdownScript(const Materialisation& m, const std::string& host,
                           VmSelection selection) {
    ShellScript s("ask the guests of virtual cluster " + m.plan.name + " on " + host +
                  " to shut down (ACPI)");
    s.section("power");
    const auto hypervisor = makeHypervisorDriver(m.plan.hypervisor);
    for (const auto& vm : vmsOn(m, host, selection)) {
        s.whenPresent(hypervisor->running(vm), {hypervisor->shutdown(vm)});
    }
    return s;
}

ShellScript shutdownWaitScript(const Materialisation& m, const std::string& host,
                               VmSelection selection) {
    ShellScript s("are the VMs of virtual cluster " + m.plan.name + " on " + host +
                  " off? (exit 0 yes, " + std::to_string(kProbeNotYet) + " still shutting down)");
    s.section("power");
    const auto hypervisor = makeHypervisorDriver(m.plan.hypervisor);
    for (const auto& vm : vmsOn(m, host, selection)) {
        s.whenPresent(hypervisor->running(vm), {{"echo", vm.name + " is still shutting down"},
                                                {"exit", std::to_string(kProbeNotYet)}});
    }
    return s;
}

ShellScript powerScript(const Materialisation& m, const std::string& host, VmSelection selection,
                        bool on) {
    ShellScript s(std::string(on ? "power on" : "power off") + " the VMs of virtual cluster " +
                  m.plan.name + " on " + host);
    s.section("power");
    const auto hypervisor = makeHypervisorDriver(m.plan.hypervisor);
    for (const auto& node : m.nodes) {
        bool wanted = selection == VmSelection::All ||
                      (selection == VmSelection::Frontend) == (node.role == NodeRole::Frontend);
        if (!wanted || node.physicalHost != host) {
            continue;
        }
        const VmDefinition vm = vmDefinition(m, node);
        if (on) {
            s.ensure(hypervisor->running(vm), {hypervisor->powerOn(vm)});
        } else {
            s.whenPresent(hypervisor->running(vm), {hypervisor->powerOff(vm)});
        }
    }
    return s;
}

ShellScript installProbeScript(const Materialisation& m) {
    ShellScript s("is the virtual frontend of " + m.plan.name + " installed? (exit 0 yes, " +
                  std::to_string(kProbeNotYet) + " not yet)");
    s.section("probe");
    const auto hypervisor = makeHypervisorDriver(m.plan.hypervisor);
    for (const auto& node : m.nodes) {
        if (node.role != NodeRole::Frontend) {
            continue;
        }
        const VmDefinition vm = vmDefinition(m, node);
        // A KVM frontend stops when its installer reboots at the end
        // (on_reboot destroy): it is then defined booting from its disk.
        std::vector<ShellCommand> stopped = hypervisor->bootInstalled(vm);
        if (stopped.empty()) {
            stopped = {
                {"echo", "error - the VM " + node.name + " is not running", Word::raw(">&2")},
                {"exit", "1"}};
        } else {
            stopped.push_back(
                {"echo", "the installer of " + node.name + " has finished: booted from its disk"});
            stopped.push_back({"exit", std::to_string(kProbeNotYet)});
        }
        s.ensure(hypervisor->running(vm), stopped);
        // Installed means the frontend's own install finished: the roll's
        // node file for virtual frontends publishes this cluster's token
        // once the computes are added (not only "sshd answers").
        const std::string url = "http://" + m.plan.frontend.publicIp + kInstallMarkerPath;
        s.ensure({{"curl", "-fsS", "--max-time", "5", "--", url},
                  {"grep", "-Fx", "--", installMarker(m)}},
                 {{"echo", "the install of " + node.name + " is not finished yet"},
                  {"exit", std::to_string(kProbeNotYet)}});
        s.run({"echo", node.name + " is installed: " + url + " has its marker"});
    }
    return s;
}

ShellScript computesProbeScript(const Materialisation& m) {
    ShellScript s("have the computes of " + m.plan.name + " installed from their frontend? (exit " +
                  "0 yes, " + std::to_string(kProbeNotYet) + " not yet)");
    s.section("probe");
    const std::string url = "http://" + m.plan.frontend.publicIp + kComputesMarkerPath;
    for (const auto& node : m.nodes) {
        if (node.role != NodeRole::Compute) {
            continue;
        }
        // Listed by the name it has inside the cluster (compute-0-N).
        s.ensure(
            {{"curl", "-fsS", "--max-time", "5", "--", url}, {"grep", "-Fx", "--", node.guestName}},
            {{"echo", "the install of " + node.name + " is not finished yet"},
             {"exit", std::to_string(kProbeNotYet)}});
    }
    s.run({"echo", "the computes of " + m.plan.name + " are installed: " + url + " lists them"});
    return s;
}

std::string installMarker(const Materialisation& m) {
    return "vcluster " + m.plan.name + " installed " + m.plan.installToken;
}

void validateSnapshotLabel(const std::string& label) {
    if (label.empty() || label.size() > 24) {
        throw Error("label must be 1 to 24 characters, not '" + label + "'");
    }
    for (std::size_t i = 0; i < label.size(); ++i) {
        const char c = label[i];
        const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && i > 0);
        if (!ok) {
            throw Error("label '" + label +
                        "' may only have lower-case letters, digits and '-' (not first)");
        }
    }
}

std::string snapshotVolumeName(const std::string& logicalVolume, const std::string& label) {
    return logicalVolume + "." + label;
}

namespace {

ShellCommand createSnapshot(const LogicalVolume& lv, const std::string& label) {
    const std::string origin = lv.volumeGroup + "/" + lv.name;
    const std::string name = snapshotVolumeName(lv.name, label);
    if (lv.kind == LvKind::Thin) {
        // A thin snapshot shares the pool; -kn so it can be activated to merge.
        return {"lvcreate", "--yes", "-s", "-kn", "-n", name, origin};
    }
    return {"lvcreate", "--yes", "-s", "-l", "100%ORIGIN", "-n", name, origin};
}

}  // namespace

ShellScript snapshotScript(const Materialisation& m, const std::string& label) {
    validateSnapshotLabel(label);
    ShellScript s("snapshot '" + label + "' of the disks of virtual cluster " + m.plan.name);
    s.section("snapshot");
    for (const auto& lv : logicalVolumes(m)) {
        const std::string path = lv.volumeGroup + "/" + snapshotVolumeName(lv.name, label);
        s.ensure({{"lvs", path}}, {createSnapshot(lv, label)});
    }
    return s;
}

ShellScript mergeScript(const Materialisation& m, const std::string& label) {
    validateSnapshotLabel(label);
    ShellScript s("roll the disks of virtual cluster " + m.plan.name + " back to snapshot '" +
                  label + "'");
    s.section("merge");
    for (const auto& lv : logicalVolumes(m)) {
        const std::string path = lv.volumeGroup + "/" + snapshotVolumeName(lv.name, label);
        // The merge consumes the snapshot; taking it again keeps the label
        // for the next roll-back. A re-run after the merge finds no snapshot
        // (or the new one, whose merge changes nothing).
        s.whenPresent({{"lvs", path}}, {{"lvconvert", "--merge", path}});
        s.ensure({{"lvs", path}}, {createSnapshot(lv, label)});
    }
    return s;
}

ShellScript removeSnapshotsScript(const Materialisation& m,
                                  const std::vector<std::string>& labels) {
    ShellScript s("remove the snapshots of virtual cluster " + m.plan.name);
    s.section("snapshot");
    for (const auto& label : labels) {
        validateSnapshotLabel(label);
        for (const auto& lv : logicalVolumes(m)) {
            const std::string path = lv.volumeGroup + "/" + snapshotVolumeName(lv.name, label);
            s.whenPresent({{"lvs", path}}, {{"lvremove", "--yes", path}});
        }
    }
    return s;
}

ShellScript removeLunsScript(const Materialisation& gone) {
    ShellScript s("take removed disks out of the target of virtual cluster " + gone.plan.name);
    s.section("target");
    const TargetConfig t = targetConfig(gone);
    std::vector<TargetLun> luns = t.luns;
    std::sort(luns.begin(), luns.end(), [](const auto& a, const auto& b) { return a.lun > b.lun; });
    if (gone.plan.storage.target == TargetKind::Lio) {
        const std::string tpg = "/iscsi/" + t.iqn + "/tpg1";
        for (const auto& lun : luns) {
            const std::string path = tpg + "/luns/lun" + std::to_string(lun.lun);
            s.whenPresent({{"targetcli", path, "ls"}}, {{"targetcli", tpg + "/luns", "delete",
                                                         "lun" + std::to_string(lun.lun)}});
            s.whenPresent({{"targetcli", "/backstores/block/" + lun.name, "ls"}},
                          {{"targetcli", "/backstores/block", "delete", lun.name}});
        }
        s.run({"targetcli", "saveconfig"});
        return s;
    }
    const ShellCommand show = {
        "tgtadm", Word::raw("\"${tgt_opts[@]}\""), "--lld", "iscsi", "--mode", "target", "--op",
        "show"};
    for (const auto& lun : luns) {
        s.whenPresent(
            {show, {"tgt_target", t.iqn}, {"grep", "-Fxe", tgtLunLine(lun.lun)}},
            {{"tgtadm", Word::raw("\"${tgt_opts[@]}\""), "--lld", "iscsi", "--mode", "logicalunit",
              "--op", "delete", "--tid", Word::raw("\"$(tgt_tid " + shellQuote(t.iqn) + ")\""),
              "--lun", std::to_string(lun.lun)}});
    }
    return s;
}

ShellScript rescanScript(const Materialisation& m, const std::string& host) {
    ShellScript s("rescan the iSCSI session of virtual cluster " + m.plan.name + " on " + host);
    s.section("iscsi");
    const IscsiLogin l = iscsiLogin(m, host);
    const std::string portal = l.portalAddress + ":" + std::to_string(l.portalPort);
    s.whenPresent({{"iscsiadm", "-m", "session"}, {"has_field", "4", l.iqn}},
                  {{"iscsiadm", "-m", "node", "-T", l.iqn, "-p", portal, "--rescan"}});
    for (const auto& path : l.byPaths) {
        s.whenPresent({{"iscsiadm", "-m", "session"}, {"has_field", "4", l.iqn}},
                      {{"wait_for_block", path}});
    }
    return s;
}

}  // namespace vcluster::materialise
