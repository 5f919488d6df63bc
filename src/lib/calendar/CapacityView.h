#pragma once

#include <optional>
#include <utility>
#include <vector>

#include "calendar/Capacity.h"

namespace vcluster::calendar {

// A host's usage as a step function: (instant, usage) at the start of a span
// and at every change after it, in order.
using UsageSteps = std::vector<std::pair<Time, Amount>>;

// The questions admission asks about booked capacity. Two mechanisms answer
// them: CapacityCalendar (fast, what `rocks` uses) and ScanCalendar (looks at
// every booking: the simplest correct answer, the tests' oracle and the
// benchmark's baseline). Admission (the policy) is written once against this.
class CapacityView {
  public:
    virtual ~CapacityView() = default;
    virtual const Inventory& inventory() const = 0;

    virtual void book(const Booking& booking) = 0;
    // Undoes book() of the same booking.
    virtual void unbook(const Booking& booking) = 0;
    virtual void addOutage(const Outage& outage) = 0;

    // free[h] = capacity of host h minus its largest usage at any instant of
    // the windows (may be negative when a host is overbooked by an outage).
    virtual void freeOver(Pool pool, const std::vector<Interval>& windows,
                          std::vector<Amount>& free) const = 0;
    // The lowest VLAN id / VNI free during all of `hold`.
    virtual std::optional<std::int64_t> firstFreeNetworkId(NetworkKind kind,
                                                           const Interval& hold) const = 0;
    // The lowest-numbered public address of the gateway free during `hold`.
    virtual std::optional<int> firstFreePublicIp(int gateway, const Interval& hold) const = 0;
    // Whether one given id / address is free during all of `hold`.
    virtual bool networkIdFree(NetworkKind kind, std::int64_t id, const Interval& hold) const = 0;
    virtual bool publicIpFree(int gateway, int address, const Interval& hold) const = 0;
    // The earliest booking that holds the id / address during `hold`, if any
    // (for a refusal that names the real instant and holder).
    virtual std::optional<IdHolding> networkIdHolder(NetworkKind kind, std::int64_t id,
                                                     const Interval& hold) const = 0;
    virtual std::optional<IdHolding> publicIpHolder(int gateway, int address,
                                                    const Interval& hold) const = 0;
    // The first instant of the windows at which the host's usage in one
    // dimension (0 cpus, 1 mib) is highest.
    virtual Time peakInstant(Pool pool, int host, int dim,
                             const std::vector<Interval>& windows) const = 0;
    // The first instant after `t` at which some booking or outage ends
    // (where capacity can become free), if any.
    virtual std::optional<Time> nextEndAfter(Time t) const = 0;
    // The distinct instants in (after, upTo] at which some booking or outage
    // ends, in order (into `out`).
    virtual void endsBetween(Time after, Time upTo, std::vector<Time>& out) const = 0;
    // The usage of every host of the pool as a step function over `span`:
    // out[h] starts at span.start (the earliest-start search sweeps these);
    // each out[h] is empty when the span is.
    virtual void usageSteps(Pool pool, const Interval& span,
                            std::vector<UsageSteps>& out) const = 0;
};

}  // namespace vcluster::calendar
