#pragma once

#include <string>
#include <vector>

#include "materialise/Materialisation.h"
#include "materialise/ShellScript.h"

// Scripts of the lifecycle's operations on a built cluster, beside the
// apply/teardown scripts of Generator.h: powering VMs on and off, probing the
// virtual frontend's install, and the LVM snapshots of its disks. Each is
// self-contained (no files travel with it), idempotent and quotes every value
// it interpolates.
namespace vcluster::materialise {

// Exit status of a probe that says "not yet" (EX_TEMPFAIL): not a failure.
constexpr int kProbeNotYet = 75;

enum class VmSelection { Frontend, Computes, All };

// Starts (on=true) or powers off the cluster's VMs of `selection` on `host`.
ShellScript powerScript(const Materialisation& m, const std::string& host, VmSelection selection,
                        bool on);

// The clean power-off at a window's close, in two journalled steps: asks
// the guests of the VMs of `selection` on `host` to shut down (ACPI; only
// those running), then, at each later sync, whether they are all off (exit
// 0) or still shutting down (kProbeNotYet). After the site's timeout the
// lifecycle runs powerScript(..., false) instead: a hard stop.
ShellScript shutdownScript(const Materialisation& m, const std::string& host,
                           VmSelection selection);
ShellScript shutdownWaitScript(const Materialisation& m, const std::string& host,
                               VmSelection selection);

// Runs on the gateway: exit 0 when the virtual frontend is installed (its VM
// runs and serves installMarker() over http on its public address, which the
// roll's node file for virtual frontends writes once the install, the tenant's
// key and the computes are done), kProbeNotYet while the install goes on. A
// KVM frontend whose installer has stopped it is defined booting from its
// disk and started (not yet); a stopped VMware frontend is an error (exit 1).
ShellScript installProbeScript(const Materialisation& m);
// What the installed frontend serves at http://<public IP>/vcluster/install-done.
std::string installMarker(const Materialisation& m);

// Runs on the gateway once the computes are started: exit 0 when every
// compute has finished installing from the virtual frontend (the frontend
// lists it at http://<public IP>/vcluster/computes-installed), kProbeNotYet
// while some still install. The `installed` snapshot waits for this, and so
// does a weekly cluster's first power-off.
ShellScript computesProbeScript(const Materialisation& m);

// A snapshot label: 1-24 of [a-z0-9-], starting with a letter or digit.
// Throws Error naming the problem otherwise.
void validateSnapshotLabel(const std::string& label);

// The snapshot LV of an LV: "<lv>.<label>" (LV names of clusters have no '.').
std::string snapshotVolumeName(const std::string& logicalVolume, const std::string& label);

// Runs on the storage node: an LVM snapshot of every LV of the cluster
// (thick: as large as its origin, so it cannot overflow; thin: in the pool).
ShellScript snapshotScript(const Materialisation& m, const std::string& label);

// Runs on the storage node while no target exports the LVs: merges each
// snapshot back into its origin, then takes it again so the label survives.
ShellScript mergeScript(const Materialisation& m, const std::string& label);

// Runs on the storage node: removes the snapshots of these labels.
ShellScript removeSnapshotsScript(const Materialisation& m, const std::vector<std::string>& labels);

// Runs on the storage node: takes the disks of `gone`'s computes (removed
// from a built cluster, highest index first) out of the cluster's running
// target, before their LVs go (teardown "lvm" of the same nodes).
ShellScript removeLunsScript(const Materialisation& gone);

// Runs on a vm-server that is logged in already: rescans the cluster's
// session so that LUNs added to its target appear, and waits for the disks
// of its nodes there (nothing when not logged in: the login of apply.sh
// finds them all).
ShellScript rescanScript(const Materialisation& m, const std::string& host);

}  // namespace vcluster::materialise
