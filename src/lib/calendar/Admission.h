#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "calendar/CapacityView.h"

namespace vcluster::calendar {

// Why a demand does not fit: which resource, where, and when it runs out.
struct Shortage {
    Shortage() = default;
    Shortage(std::string what, std::string on, Time when, std::string need)
        : resource(std::move(what)), where(std::move(on)), at(when), needs(std::move(need)) {}
    std::string resource;  // e.g. "vm-server memory", "VLAN ids"
    std::string where;     // a host or pool name, or "" for site-wide ranges
    Time at = 0;
    std::string needs;  // e.g. "16 x 2048 MiB"
    // The booking that holds the one id or address asked for (0: none named);
    // the reservation layer names it in heldBy.
    std::int64_t holder = 0;
    std::string heldBy;
    // "vm-server memory runs out on vm-server-1-3 at 2026-12-01T09:00:00Z (needs ...)"
    std::string message() const;
};

using Decision = std::variant<Placement, Shortage>;

// Placement policy for compute nodes, given each vm-server's free capacity
// over the reservation's windows. Pack: fewest hosts, then best fit (the
// host left with the least room). Spread: one node at a time on the host
// with the most room. Returns the host of each node, or nothing when the
// nodes do not fit.
std::optional<std::vector<int>> placeNodes(const std::vector<Amount>& free, int nodes,
                                           const Amount& perNode, Policy policy);

// Admission: does the demand fit at every instant, and where does it go?
// Storage first, then the network id, the frontend (gateway + address), then
// the compute nodes.
Decision admit(const CapacityView& view, const Demand& demand, Policy policy);

// Re-admission of a changed reservation (`rocks set vcluster`), its own
// booking already taken out of `view`: keeps everything where it is (network
// id, frontend, storage, the first nodes) and places only added nodes.
Decision readmit(const CapacityView& view, const Demand& demand, const Placement& current,
                 Policy policy);

// The earliest shift of the demand (same duration; whole weeks for a weekly
// one), not before `demand`'s own start and starting no later than
// `latestStart`, at which it is admitted. Candidate starts are the instants
// where capacity is freed (a booking or outage ends): between two of them
// the set of bookings a window overlaps can only grow. The answer is the first
// candidate admit() accepts; for a demand held for one window, a sweep over
// the pools' usage steps rules candidates out a stretch at a time, so the cost
// follows the bookings in the stretch, not the candidates times the hosts.
// Stretches are at most half the demand long, so all of a stretch's windows
// share a span, and a stretch whose shared span has no room is ruled out from
// one maximum per host without reading its steps.
std::optional<std::pair<Demand, Placement>> earliestFit(const CapacityView& view,
                                                        const Demand& demand, Policy policy,
                                                        Time latestStart);

}  // namespace vcluster::calendar
