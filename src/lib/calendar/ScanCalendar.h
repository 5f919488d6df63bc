#pragma once

#include "calendar/CapacityView.h"

namespace vcluster::calendar {

// The simplest correct calendar: a flat list of every booking's uses, and
// every question answered by scanning all of it (then sweeping the ones that
// overlap). It is the oracle the tests compare CapacityCalendar with, and the
// baseline the benchmark measures it against.
class ScanCalendar : public CapacityView {
  public:
    explicit ScanCalendar(Inventory inventory) : inventory_(std::move(inventory)) {}

    const Inventory& inventory() const override { return inventory_; }
    void book(const Booking& booking) override;
    void unbook(const Booking& booking) override;
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

    // Invariant check over the whole calendar: every instant of every host
    // within capacity, no id held twice at once. Returns the violations.
    std::vector<std::string> violations() const;

  private:
    struct Use {
        Pool pool;
        int host;
        Interval interval;
        Amount amount;
        bool outage;
        bool operator==(const Use&) const = default;
    };
    struct IdUse {
        int space;  // 0 VLAN, 1 VNI, 2 + g: public addresses of gateway g
        std::int64_t id;
        Interval interval;
        std::int64_t holder = 0;
        bool operator==(const IdUse&) const = default;
    };
    std::vector<Use> usesOf(const Booking& booking) const;
    std::vector<IdUse> idUsesOf(const Booking& booking) const;
    std::optional<std::int64_t> firstFreeId(int space, IdRange range, const Interval& hold) const;
    std::optional<IdHolding> holderOf(int space, std::int64_t id, const Interval& hold) const;
    std::size_t hostCount(Pool pool) const;
    Amount capacity(Pool pool, int host) const;

    Inventory inventory_;
    std::vector<Use> uses_;
    std::vector<IdUse> idUses_;
};

}  // namespace vcluster::calendar
