#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "reservation/TimeText.h"
#include "reservation/WeeklyRepeat.h"

namespace vcluster::reservation {

enum class Hypervisor { Kvm, VMware };
enum class NetworkKind { Vlan, Vxlan };
const char* hypervisorName(Hypervisor h);  // "kvm", "vmware"
const char* networkName(NetworkKind n);    // "vlan", "vxlan"
Hypervisor parseHypervisor(const std::string& text);
NetworkKind parseNetworkKind(const std::string& text);

// Site defaults for what a request leaves out (global vc_default_* attributes).
struct ReservationDefaults {
    int cpus = 1;
    std::int64_t memoryMiB = 2048;
    std::int64_t diskMiB = std::int64_t{20} * 1024;
    int feCpus = 2;
    std::int64_t feMemoryMiB = 4096;
    std::int64_t feDiskMiB = std::int64_t{50} * 1024;
    Hypervisor hypervisor = Hypervisor::Kvm;
    NetworkKind network = NetworkKind::Vlan;
    std::vector<std::string> rolls = {"base", "kernel", "os"};
    std::string publicDomain = "example.org";
    std::string timeZone = "UTC";  // Kickstart_Timezone, the site's zone
    Time horizonSeconds = Time{365} * 86400;
    Time installAllowance = Time{2} * 3600;  // vc_install_allowance
    int groupLimit = 100;                    // vc_group_limit: the largest count=
    // What one provider (a portal user who is not an admin) may book at
    // most: nodes per cluster and the length of a reservation; 0: no limit.
    int providerMaxNodes = 0;
    Time providerMaxDuration = 0;
};

// Reads the defaults through `lookup` (attribute name -> value); malformed
// attribute values are reported as errors naming the attribute.
ReservationDefaults readDefaults(
    const std::function<std::optional<std::string>(const std::string&)>& lookup);

// A virtual cluster request, typed and validated. Nothing in it is text that
// still needs parsing.
struct ReservationRequest {
    std::string name;
    std::string group;  // the count= booking it is one of ("hpc101"), or ""
    std::string owner;
    std::string fqdn;
    Time start = 0;
    Time end = 0;
    bool startEarliest = false;          // start=earliest: search from `start` for the first fit
    std::optional<WeeklyRepeat> repeat;  // its zone is timeZone
    // The IANA zone of the reservation (tz=, default the site's): its weekly
    // windows, skipped dates and offset-less start/end are in it.
    std::string timeZone = "UTC";
    // How long before its first window a weekly cluster's build may start
    // (the site's vc_install_allowance when booked), so that it is installed
    // when the first class begins; never before `start`.
    Time installAllowance = 0;
    int nodes = 0;
    int cpus = 1;
    std::int64_t memoryMiB = 0;  // per compute node
    std::int64_t diskMiB = 0;    // per compute node
    int feCpus = 1;
    std::int64_t feMemoryMiB = 0;
    std::int64_t feDiskMiB = 0;
    std::vector<std::string> rolls;
    std::vector<std::string> appliances;
    std::string sshKey;  // one validated OpenSSH public key line
    Hypervisor hypervisor = Hypervisor::Kvm;
    NetworkKind network = NetworkKind::Vlan;

    Interval span() const { return {start, end}; }
    // When CPUs and memory are held and the VMs run: the weekly windows (the
    // first one reaching back by the install allowance: the build), or the
    // whole span.
    std::vector<Interval> computeWindows() const;
    // When the build starts: `start`, or for a weekly reservation its first
    // window's start less the install allowance (not before `start`).
    Time buildStart() const;
    std::int64_t totalDiskMiB() const { return feDiskMiB + diskMiB * nodes; }
};

// A virtual cluster's name becomes part of host names (<name>-compute-0-0),
// so it is a short host-name label: lower-case letter first, then lower-case
// letters, digits and '-', at most 20 characters.
void validateClusterName(const std::string& name);

// The words that follow "vcluster" in the roll's commands (rocks list
// vcluster node, rocks remove vcluster snapshot, ...): the longest command
// wins, so a cluster with such a name could not be named on the command
// line. They are refused as names (a test keeps this list in step with the
// plugins).
inline constexpr const char* kVclusterCommandWords[] = {"calendar", "database", "node", "portal",
                                                        "roll",     "snapshot", "user"};

// parse + validate `rocks add vcluster <name> key=value...`. `now` is used for
// start=earliest and to refuse reservations that already ended.
ReservationRequest parseReservationRequest(const std::string& name,
                                           const std::map<std::string, std::string>& params,
                                           const ReservationDefaults& defaults, Time now);

// count= and sshkeys= of `rocks add vcluster`: a group of `count` identical
// clusters (0: an ordinary booking), one key per cluster from the file
// `sshkeys` (one OpenSSH public key a line; blank and '#' lines ignored) or
// the one sshkey= for all. `keysFromFile` false (the portal): sshkeys= is
// the keys' text, never a file of the server.
struct GroupParams {
    int count = 0;
    std::vector<std::string> keys;
};
GroupParams parseGroupParams(const std::map<std::string, std::string>& params,
                             const ReservationDefaults& defaults, bool keysFromFile = true);

// Every skipped date of a weekly reservation lies within its span (days in
// its zone); throws Error naming the first that does not.
void validateSkips(const ReservationRequest& r);

// Small parsers shared with `rocks set vcluster`.
int parseCount(const std::string& text, const std::string& what, int min, int max);
std::vector<std::string> parseNameList(const std::string& text, const std::string& what);

// Refuses (Refusal) a provider's request beyond the site's provider limits
// (vc_provider_max_nodes, vc_provider_max_duration).
void checkProviderLimits(const ReservationRequest& request, const ReservationDefaults& defaults);

}  // namespace vcluster::reservation
