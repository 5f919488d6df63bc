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
    Time horizonSeconds = Time{365} * 86400;
};

// Reads the defaults through `lookup` (attribute name -> value); malformed
// attribute values are reported as errors naming the attribute.
ReservationDefaults readDefaults(
    const std::function<std::optional<std::string>(const std::string&)>& lookup);

// A virtual cluster request, typed and validated. Nothing in it is text that
// still needs parsing.
struct ReservationRequest {
    std::string name;
    std::string owner;
    std::string fqdn;
    Time start = 0;
    Time end = 0;
    bool startEarliest = false;  // start=earliest: search from `start` for the first fit
    std::optional<WeeklyRepeat> repeat;
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
    // When CPUs and memory are held: the weekly windows, or the whole span.
    std::vector<Interval> computeWindows() const;
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
inline constexpr const char* kVclusterCommandWords[] = {"calendar", "node",     "portal",
                                                        "roll",     "snapshot", "user"};

// parse + validate `rocks add vcluster <name> key=value...`. `now` is used for
// start=earliest and to refuse reservations that already ended.
ReservationRequest parseReservationRequest(const std::string& name,
                                           const std::map<std::string, std::string>& params,
                                           const ReservationDefaults& defaults, Time now);

// Small parsers shared with `rocks set vcluster`.
int parseCount(const std::string& text, const std::string& what, int min, int max);
std::vector<std::string> parseNameList(const std::string& text, const std::string& what);

}  // namespace vcluster::reservation
