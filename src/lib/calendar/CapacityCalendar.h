#pragma once

#include <array>
#include <set>

#include "calendar/CapacityView.h"
#include "calendar/UsageTimeline.h"

namespace vcluster::calendar {

// The booked capacity of the whole site over time: one UsageTimeline per
// host pool, one IdTimeline for VLAN ids, one for VNIs and one per gateway
// for its public addresses. Not thread-safe; build one per transaction.
class CapacityCalendar : public CapacityView {
  public:
    static constexpr Time kDefaultBucketWidth = 14400;  // see migration 22
    explicit CapacityCalendar(Inventory inventory, Time bucketWidth = kDefaultBucketWidth);

    const Inventory& inventory() const override { return inventory_; }
    void book(const Booking& booking) override;
    void unbook(const Booking& booking) override;
    // The same with the pools' use only inside `within` (disjoint, in time
    // order): a calendar that knows the bookings of some stretches of time
    // only (SiteCalendar) answers within them, so the days of a booking
    // outside them would be buckets filled for nothing. Its ids and its end
    // are booked whole, as the candidate starts and the room around an id
    // are read beyond the stretches.
    void book(const Booking& booking, const std::vector<Interval>& within);
    void unbook(const Booking& booking, const std::vector<Interval>& within);
    // Books a booked booking's use of the pools inside `more` as well (time
    // it did not hold before: the stretches grew).
    void extend(const Booking& booking, const std::vector<Interval>& more);
    void addOutage(const Outage& outage) override;
    void freeOver(Pool pool, const std::vector<Interval>& windows,
                  std::vector<Amount>& free) const override;
    std::optional<std::int64_t> firstFreeNetworkId(NetworkKind kind,
                                                   const Interval& hold) const override;
    std::optional<int> firstFreePublicIp(int gateway, const Interval& hold) const override;
    bool networkIdFree(NetworkKind kind, std::int64_t id, const Interval& hold) const override;
    bool publicIpFree(int gateway, int address, const Interval& hold) const override;
    std::optional<IdHolding> networkIdHolder(NetworkKind kind, std::int64_t id,
                                             const Interval& hold) const override;
    std::optional<IdHolding> publicIpHolder(int gateway, int address,
                                            const Interval& hold) const override;
    Time peakInstant(Pool pool, int host, int dim,
                     const std::vector<Interval>& windows) const override;
    std::optional<Time> nextEndAfter(Time t) const override;
    void endsBetween(Time after, Time upTo, std::vector<Time>& out) const override;
    void usageSteps(Pool pool, const Interval& span, std::vector<UsageSteps>& out) const override;

    // For reports: usage of one host as a step function over `span`.
    std::vector<std::pair<Time, Amount>> steps(Pool pool, int host, const Interval& span) const;

  private:
    // The pools' use only inside `within` unless it is null; ids and ends
    // unless usageOnly.
    void apply(const Booking& booking, bool adding, const std::vector<Interval>* within,
               bool usageOnly);
    const UsageTimeline& timeline(Pool pool) const {
        return timelines_[static_cast<std::size_t>(pool)];
    }
    UsageTimeline& timeline(Pool pool) { return timelines_[static_cast<std::size_t>(pool)]; }

    Inventory inventory_;
    std::vector<UsageTimeline> timelines_;  // by Pool
    IdTimeline vlans_;
    IdTimeline vnis_;
    std::vector<IdTimeline> publicIps_;  // by gateway
    std::multiset<Time> ends_;
};

}  // namespace vcluster::calendar
