#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "calendar/Capacity.h"

namespace vcluster::calendar {

// a / b rounded towards minus infinity (a bucket's index for negative times too).
std::int64_t floorDiv(std::int64_t a, std::int64_t b);

// Usage over time of a fixed set of hosts (one pool), answering "the most
// each host uses at any instant of these windows" for all hosts at once.
//
// Time is cut into buckets of `bucketWidth` seconds. Each bucket keeps, per
// host, the usage at its first instant and the maximum over the bucket, in
// contiguous arrays, plus the changes that happen strictly inside it. A
// window covers some whole buckets (an element-wise max over their arrays,
// no per-host lookups) and at most two partial ones (replayed exactly from
// their changes). Whole buckets are further summarised in aligned blocks of
// 8, 64 and 512 buckets (per-host maxima), so a window of any length reads
// at most a few dozen arrays. Answers are exact; ScanCalendar is the oracle.
class UsageTimeline {
  public:
    UsageTimeline(std::vector<Amount> capacity, Time bucketWidth);

    std::size_t size() const { return capacity_.size(); }
    const std::vector<Amount>& capacity() const { return capacity_; }
    Time bucketWidth() const { return width_; }

    void add(int host, const Interval& interval, const Amount& amount);
    // Undoes an add() with the same arguments.
    void remove(int host, const Interval& interval, const Amount& amount);
    // Several hosts over the same interval at once (one pass over the buckets).
    using HostAmounts = std::vector<std::pair<int, Amount>>;
    void add(const HostAmounts& uses, const Interval& interval);
    void remove(const HostAmounts& uses, const Interval& interval);

    // out[h] = the largest usage of host h at any instant of the windows
    // (each dimension on its own).
    void maxUsage(const std::vector<Interval>& windows, std::vector<Amount>& out) const;

    // The largest usage of one host in one dimension (0 cpus, 1 mib) over the
    // windows, and the first instant it is reached.
    std::pair<std::int64_t, Time> peak(int host, int dim,
                                       const std::vector<Interval>& windows) const;

    // Usage of one host as a step function over [from, to): (instant, usage)
    // at `from` and at every change after it.
    std::vector<std::pair<Time, Amount>> steps(int host, const Interval& span) const;
    // The same for every host at once, in one pass over the buckets of
    // `span`: out[h] is host h's steps.
    void allSteps(const Interval& span,
                  std::vector<std::vector<std::pair<Time, Amount>>>& out) const;

  private:
    // A fixed number of zero Amounts (one per host) from calloc(3): fresh
    // heap memory is zero already, so a bucket's two arrays cost no writes
    // and no page until a host's usage is written there. Filling them
    // (std::vector's assign) was a tenth of an admission at 100,000
    // bookings: 32 KB a bucket for 1,000 hosts, most of them never booked.
    class Amounts {
      public:
        Amounts() = default;
        explicit Amounts(std::size_t n);
        Amounts(const Amounts& other);
        Amounts& operator=(const Amounts& other);
        Amounts(Amounts&&) noexcept = default;
        Amounts& operator=(Amounts&&) noexcept = default;
        ~Amounts() = default;
        std::size_t size() const { return size_; }
        Amount& operator[](std::size_t i) { return data_.get()[i]; }
        const Amount& operator[](std::size_t i) const { return data_.get()[i]; }
        const Amount* begin() const { return data_.get(); }
        const Amount* end() const { return data_.get() + size_; }

      private:
        struct Free {
            void operator()(Amount* p) const noexcept;
        };
        std::unique_ptr<Amount[], Free> data_;
        std::size_t size_ = 0;
    };
    struct Event {
        Time at;
        int host;
        Amount delta;
    };
    struct Bucket {
        Amounts start;              // usage at the bucket's first instant
        Amounts max;                // max usage over the bucket
        std::vector<Event> events;  // changes strictly inside, sorted by time
    };
    std::int64_t bucketOf(Time t) const;
    Bucket emptyBucket() const;
    void recomputeMax(Bucket& b, int host) const;
    void apply(const HostAmounts& uses, const Interval& interval, bool adding);
    // Usage of every host at `at` inside bucket `b` (into `out`).
    void valuesAt(const Bucket& b, Time at, std::vector<Amount>& out) const;

    std::vector<Amount> capacity_;
    Time width_;
    // Summaries: levels_[k-1] maps a block index to per-host maxima over the
    // 8^k buckets it covers; a missing block means nothing booked there.
    static constexpr int kLevels = 3;
    static constexpr std::int64_t kFanout = 8;
    void refreshBlocks(const HostAmounts& uses, std::int64_t firstBucket, std::int64_t lastBucket);
    const Amounts* summary(int level, std::int64_t index) const;
    std::map<std::int64_t, Bucket> buckets_;
    std::vector<std::map<std::int64_t, Amounts>> levels_{kLevels};
    // The hosts whose usage changes exactly at a bucket's first instant (a
    // use starting or ending there), by bucket index, once per such use:
    // the only hosts whose start value can differ from their value at the
    // end of the bucket before, so allSteps() compares them alone.
    std::map<std::int64_t, std::vector<int>> edges_;
    void editEdge(std::int64_t index, int host, bool adding);
};

// Numbered resources held one at a time (VLAN ids, VNIs, a gateway's public
// addresses): each id's bookings, plus per time bucket a bitmap of the ids
// used somewhere in it, so the lowest free id is found by OR-ing bitmaps
// instead of testing ids one by one. Each bucket also marks its full words
// (64 ids all used), so the search skips the ids in use 4,096 at a time
// rather than reading every bucket's word for them. Aligned blocks of 8, 64
// and 512 buckets keep the ids used anywhere in them, so an interval of a
// month (what admission's room around a hold asks) reads a few dozen masks,
// not one per bucket.
class IdTimeline {
  public:
    IdTimeline(IdRange range, Time bucketWidth);
    const IdRange& range() const { return range_; }

    std::optional<std::int64_t> firstFree(const Interval& interval) const;
    bool isFree(std::int64_t id, const Interval& interval) const;
    // The earliest booking of `id` that overlaps `interval`.
    std::optional<IdHolding> holder(std::int64_t id, const Interval& interval) const;
    // Ids outside the range (a reservation admitted before the range was
    // narrowed keeps its id) are recorded but never offered.
    void add(std::int64_t id, const Interval& interval, std::int64_t holder = 0);
    void remove(std::int64_t id, const Interval& interval);

  private:
    std::int64_t bucketOf(Time t) const;
    bool usedIn(std::int64_t id, const Interval& interval) const;
    IdRange range_;
    Time width_;
    bool inRange(std::int64_t id) const { return id >= range_.first && id <= range_.last; }
    // id -> start -> (end, holder)
    std::map<std::int64_t, std::multimap<Time, std::pair<Time, std::int64_t>>> byId_;
    struct Mask {
        std::vector<std::uint64_t> words;  // bit i of word w: id first + 64 w + i used
        std::vector<std::uint64_t> full;   // bit j of full[k]: words[64 k + j] is all ones
        void set(std::uint64_t bit);
        void clear(std::uint64_t bit);
    };
    std::map<std::int64_t, Mask> masks_;
    // blocks_[k-1]: block index (bucket >> 3k) -> the ids used anywhere in
    // its 8^k buckets.
    static constexpr int kLevels = 3;
    static constexpr int kFanoutBits = 3;
    Interval blockSpan(int level, std::int64_t index) const;
    std::array<std::map<std::int64_t, Mask>, kLevels> blocks_;
};

}  // namespace vcluster::calendar
