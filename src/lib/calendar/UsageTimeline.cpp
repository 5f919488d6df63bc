#include "calendar/UsageTimeline.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdlib>
#include <new>
#include <type_traits>

#include "util/Error.h"

namespace vcluster::calendar {

std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
    std::int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

namespace {

// Visits the values of the consecutive keys [from, to] of `map`, making the
// missing ones, with one iterator rather than a lookup each.
template <typename Map, typename Make, typename Visit>
void forEachKey(Map& map, std::int64_t from, std::int64_t to, Make make, Visit visit) {
    auto at = map.lower_bound(from);
    for (std::int64_t i = from; i <= to; ++i, ++at) {
        if (at == map.end() || at->first != i) {
            at = map.emplace_hint(at, i, make());
        }
        visit(i, at->second);
    }
}

}  // namespace

UsageTimeline::Amounts::Amounts(std::size_t n) : size_(n) {
    static_assert(std::is_trivially_copyable_v<Amount> && sizeof(Amount) == 16,
                  "an Amount of zero bytes is the zero Amount");
    // At least one element, so that a zero-sized one is not a null pointer.
    data_.reset(static_cast<Amount*>(std::calloc(std::max<std::size_t>(n, 1), sizeof(Amount))));
    if (!data_) {
        throw std::bad_alloc();
    }
}

UsageTimeline::Amounts::Amounts(const Amounts& other) : Amounts(other.size_) {
    std::copy(other.begin(), other.end(), data_.get());
}

UsageTimeline::Amounts& UsageTimeline::Amounts::operator=(const Amounts& other) {
    if (this != &other) {
        *this = Amounts(other);
    }
    return *this;
}

void UsageTimeline::Amounts::Free::operator()(Amount* p) const noexcept { std::free(p); }

UsageTimeline::UsageTimeline(std::vector<Amount> capacity, Time bucketWidth)
    : capacity_(std::move(capacity)), width_(bucketWidth) {
    if (width_ <= 0) {
        throw Error("calendar bucket width must be positive");
    }
}

std::int64_t UsageTimeline::bucketOf(Time t) const { return floorDiv(t, width_); }

UsageTimeline::Bucket UsageTimeline::emptyBucket() const {
    Bucket b;
    b.start = Amounts(capacity_.size());
    b.max = Amounts(capacity_.size());
    return b;
}

void UsageTimeline::recomputeMax(Bucket& b, int host) const {
    auto h = static_cast<std::size_t>(host);
    Amount v = b.start[h];
    Amount m = v;
    for (const auto& e : b.events) {
        if (e.host == host) {
            v += e.delta;
            m = maxOf(m, v);
        }
    }
    b.max[h] = m;
}

const UsageTimeline::Amounts* UsageTimeline::summary(int level, std::int64_t index) const {
    if (level == 0) {
        auto it = buckets_.find(index);
        return it == buckets_.end() ? nullptr : &it->second.max;
    }
    const auto& blocks = levels_[static_cast<std::size_t>(level - 1)];
    auto it = blocks.find(index);
    return it == blocks.end() ? nullptr : &it->second;
}

void UsageTimeline::refreshBlocks(const HostAmounts& uses, std::int64_t first, std::int64_t last) {
    std::array<const Amounts*, kFanout> children{};
    for (int level = 1; level <= kLevels; ++level) {
        first = floorDiv(first, kFanout);
        last = floorDiv(last, kFanout);
        auto& blocks = levels_[static_cast<std::size_t>(level - 1)];
        for (std::int64_t j = first; j <= last; ++j) {
            for (std::int64_t c = 0; c < kFanout; ++c) {
                children[static_cast<std::size_t>(c)] = summary(level - 1, j * kFanout + c);
            }
            auto& maxima = blocks.try_emplace(j, capacity_.size()).first->second;
            for (const auto& use : uses) {
                auto h = static_cast<std::size_t>(use.first);
                Amount m;
                for (const auto* child : children) {
                    if (child != nullptr) {
                        m = maxOf(m, (*child)[h]);
                    }
                }
                maxima[h] = m;
            }
        }
    }
}

void UsageTimeline::apply(const HostAmounts& uses, const Interval& iv, bool adding) {
    if (iv.end <= iv.start) {
        return;
    }
    HostAmounts valid;
    for (const auto& u : uses) {
        if (u.first >= 0 && static_cast<std::size_t>(u.first) < capacity_.size()) {
            valid.push_back(u);
        }
    }
    if (valid.empty()) {
        return;
    }
    auto edit = [&](Bucket& b, Time at, int host, const Amount& delta) {
        auto byTime = [](const Event& e, Time t) { return e.at < t; };
        auto it = std::lower_bound(b.events.begin(), b.events.end(), at, byTime);
        if (adding) {
            // At one instant the ends come before the starts: a replay that
            // takes the maximum after each change then never sees a use that
            // ends there beside one that starts there (a hand-over counted
            // twice, the host full for nothing).
            if (delta.cpus >= 0 && delta.mib >= 0) {
                while (it != b.events.end() && it->at == at) {
                    ++it;
                }
            }
            b.events.insert(it, Event{at, host, delta});
            return;
        }
        for (; it != b.events.end() && it->at == at; ++it) {
            if (it->host == host && it->delta == delta) {
                b.events.erase(it);
                return;
            }
        }
    };
    // Adding what holds nothing negative only raises the buckets' maxima:
    // each block's maximum is raised to theirs as they are passed, without
    // reading a block's other children again (refreshBlocks, what a removal
    // needs).
    const bool raising = adding && std::all_of(valid.begin(), valid.end(), [](const auto& u) {
                             return u.second.cpus >= 0 && u.second.mib >= 0;
                         });
    std::array<std::int64_t, kLevels> blockIndex{};
    std::array<Amounts*, kLevels> block{};
    auto raise = [&](std::int64_t i, const Bucket& b) {
        std::int64_t index = i;
        for (std::size_t k = 0; k < static_cast<std::size_t>(kLevels); ++k) {
            index = floorDiv(index, kFanout);
            if (block[k] == nullptr || blockIndex[k] != index) {
                block[k] = &levels_[k].try_emplace(index, capacity_.size()).first->second;
                blockIndex[k] = index;
            }
            for (const auto& use : valid) {
                auto h = static_cast<std::size_t>(use.first);
                (*block[k])[h] = maxOf((*block[k])[h], b.max[h]);
            }
        }
    };
    // The buckets of the interval (a day's booking spans dozens).
    auto makeBucket = [this] { return emptyBucket(); };
    forEachKey(buckets_, bucketOf(iv.start), bucketOf(iv.end - 1), makeBucket,
               [&](std::int64_t i, Bucket& b) {
                   const Time bs = i * width_;
                   const Time be = bs + width_;
                   const bool whole = iv.start <= bs && iv.end >= be;
                   for (const auto& [host, amount] : valid) {
                       auto h = static_cast<std::size_t>(host);
                       const Amount delta = adding ? amount : Amount{} - amount;
                       if (iv.start <= bs) {
                           b.start[h] += delta;
                       } else {
                           edit(b, iv.start, host, amount);
                       }
                       if (iv.end < be) {
                           edit(b, iv.end, host, Amount{} - amount);
                       }
                       if (whole) {
                           b.max[h] += delta;
                       } else {
                           recomputeMax(b, host);
                       }
                   }
                   if (raising) {
                       raise(i, b);
                   }
               });
    if (!raising) {
        refreshBlocks(valid, bucketOf(iv.start), bucketOf(iv.end - 1));
    }
    // A start or an end exactly at a bucket's first instant is no event.
    for (const Time t : {iv.start, iv.end}) {
        if (const std::int64_t i = bucketOf(t); i * width_ == t) {
            for (const auto& use : valid) {
                editEdge(i, use.first, adding);
            }
        }
    }
}

void UsageTimeline::editEdge(std::int64_t index, int host, bool adding) {
    if (adding) {
        edges_[index].push_back(host);
        return;
    }
    auto it = edges_.find(index);
    if (it == edges_.end()) {
        return;
    }
    auto& hosts = it->second;
    if (auto h = std::find(hosts.begin(), hosts.end(), host); h != hosts.end()) {
        *h = hosts.back();
        hosts.pop_back();
    }
    if (hosts.empty()) {
        edges_.erase(it);
    }
}

void UsageTimeline::add(int host, const Interval& iv, const Amount& amount) {
    apply({{host, amount}}, iv, true);
}

void UsageTimeline::remove(int host, const Interval& iv, const Amount& amount) {
    apply({{host, amount}}, iv, false);
}

void UsageTimeline::add(const HostAmounts& uses, const Interval& iv) { apply(uses, iv, true); }

void UsageTimeline::remove(const HostAmounts& uses, const Interval& iv) { apply(uses, iv, false); }

void UsageTimeline::valuesAt(const Bucket& b, Time at, std::vector<Amount>& out) const {
    out.assign(b.start.begin(), b.start.end());
    for (const auto& e : b.events) {
        if (e.at > at) {
            break;
        }
        out[static_cast<std::size_t>(e.host)] += e.delta;
    }
}

void UsageTimeline::maxUsage(const std::vector<Interval>& windows, std::vector<Amount>& out) const {
    const std::size_t n = capacity_.size();
    out.assign(n, Amount{});
    thread_local std::vector<Amount> current;
    auto absorb = [&](const auto& max) {
        for (std::size_t h = 0; h < n; ++h) {
            out[h] = maxOf(out[h], max[h]);
        }
    };
    // A bucket the window covers only in part: replay its changes exactly.
    auto partial = [&](const Bucket& b, Time lo, Time hi) {
        valuesAt(b, lo, current);
        absorb(current);
        for (const auto& e : b.events) {
            if (e.at <= lo) {
                continue;
            }
            if (e.at >= hi) {
                break;
            }
            auto h = static_cast<std::size_t>(e.host);
            current[h] += e.delta;
            out[h] = maxOf(out[h], current[h]);
        }
    };
    for (const auto& w : windows) {
        if (w.end <= w.start) {
            continue;
        }
        std::int64_t first = bucketOf(w.start);
        std::int64_t last = bucketOf(w.end - 1);
        if (first * width_ < w.start || (first == last && w.end < (last + 1) * width_)) {
            if (auto it = buckets_.find(first); it != buckets_.end()) {
                partial(it->second, w.start, std::min(w.end, (first + 1) * width_));
            }
            ++first;
        }
        if (last >= first && w.end < (last + 1) * width_) {
            if (auto it = buckets_.find(last); it != buckets_.end()) {
                partial(it->second, last * width_, w.end);
            }
            --last;
        }
        // Whole buckets [first, last]: the largest aligned blocks that fit.
        for (std::int64_t i = first; i <= last;) {
            int level = 0;
            std::int64_t span = 1;
            while (level < kLevels && i % (span * kFanout) == 0 && i + span * kFanout - 1 <= last) {
                span *= kFanout;
                ++level;
            }
            if (const auto* max = summary(level, i / span)) {
                absorb(*max);
            }
            i += span;
        }
    }
}

std::vector<std::pair<Time, Amount>> UsageTimeline::steps(int host, const Interval& span) const {
    std::vector<std::pair<Time, Amount>> out;
    auto h = static_cast<std::size_t>(host);
    auto push = [&](Time t, const Amount& v) {
        if (out.empty() || !(out.back().second == v)) {
            out.emplace_back(t, v);
        }
    };
    Time cursor = span.start;
    for (auto it = buckets_.lower_bound(bucketOf(span.start));
         it != buckets_.end() && it->first * width_ < span.end; ++it) {
        const Bucket& b = it->second;
        const Time bs = it->first * width_;
        if (bs > cursor) {
            push(cursor, Amount{});  // a gap: no bucket, nothing booked
        }
        Amount v = b.start[h];
        Time lo = std::max(span.start, bs);
        for (const auto& e : b.events) {
            if (e.host == host && e.at <= lo) {
                v += e.delta;
            }
        }
        push(lo, v);
        for (const auto& e : b.events) {
            if (e.host == host && e.at > lo && e.at < span.end) {
                v += e.delta;
                push(e.at, v);
            }
        }
        cursor = bs + width_;
    }
    if (cursor < span.end) {
        push(cursor, Amount{});
    }
    return out;
}

void UsageTimeline::allSteps(const Interval& span,
                             std::vector<std::vector<std::pair<Time, Amount>>>& out) const {
    const std::size_t n = capacity_.size();
    out.resize(n);
    for (auto& s : out) {
        s.clear();
    }
    if (span.end <= span.start) {
        return;
    }
    // Several changes of one host at one instant make one step.
    auto push = [&](std::size_t h, Time t, const Amount& v) {
        auto& s = out[h];
        if (!s.empty() && s.back().first == t) {
            s.pop_back();
        }
        if (s.empty() || !(s.back().second == v)) {
            s.emplace_back(t, v);
        }
    };
    thread_local std::vector<Amount> current;
    current.assign(n, Amount{});
    const std::int64_t first = bucketOf(span.start);
    auto it = buckets_.lower_bound(first);
    if (it != buckets_.end() && it->first == first) {
        valuesAt(it->second, span.start, current);
        for (std::size_t h = 0; h < n; ++h) {
            push(h, span.start, current[h]);
        }
        for (const auto& e : it->second.events) {
            if (e.at >= span.end) {
                break;  // sorted by time
            }
            if (e.at > span.start) {
                auto h = static_cast<std::size_t>(e.host);
                current[h] += e.delta;
                push(h, e.at, current[h]);
            }
        }
        ++it;
    } else {
        for (std::size_t h = 0; h < n; ++h) {
            push(h, span.start, current[h]);
        }
    }
    // Every bucket after the first: its start values (a missing bucket or a
    // run of them holds nothing), then the changes inside it.
    std::int64_t expected = first + 1;
    auto clearFrom = [&](std::int64_t index) {
        const Time t = index * width_;
        for (std::size_t h = 0; h < n; ++h) {
            if (!(current[h] == Amount{})) {
                current[h] = Amount{};
                push(h, t, current[h]);
            }
        }
    };
    // A bucket's start values differ from the values at the end of the one
    // before (or from nothing, after a gap: no use spans a missing bucket)
    // only for the hosts with a use starting or ending at its first instant.
    auto edge = edges_.lower_bound(first + 1);
    for (; it != buckets_.end() && it->first * width_ < span.end; ++it) {
        if (it->first > expected) {
            clearFrom(expected);
        }
        const Bucket& b = it->second;
        const Time bs = it->first * width_;
        while (edge != edges_.end() && edge->first < it->first) {
            ++edge;
        }
        if (edge != edges_.end() && edge->first == it->first) {
            for (int host : edge->second) {
                auto h = static_cast<std::size_t>(host);
                if (!(b.start[h] == current[h])) {
                    current[h] = b.start[h];
                    push(h, bs, current[h]);
                }
            }
        }
        for (const auto& e : b.events) {
            if (e.at >= span.end) {
                break;
            }
            auto h = static_cast<std::size_t>(e.host);
            current[h] += e.delta;
            push(h, e.at, current[h]);
        }
        expected = it->first + 1;
    }
    if (expected * width_ < span.end) {
        clearFrom(expected);
    }
}

std::pair<std::int64_t, Time> UsageTimeline::peak(int host, int dim,
                                                  const std::vector<Interval>& windows) const {
    auto h = static_cast<std::size_t>(host);
    std::int64_t best = -1;
    Time at = windows.empty() ? 0 : windows.front().start;
    for (const auto& w : windows) {
        if (w.end <= w.start) {
            continue;
        }
        if (best < 0) {
            best = 0;  // usage is never below 0; anything higher moves `at`
            at = w.start;
        }
        const std::int64_t last = bucketOf(w.end - 1);
        for (auto it = buckets_.lower_bound(bucketOf(w.start));
             it != buckets_.end() && it->first <= last; ++it) {
            const Bucket& b = it->second;
            if (b.max[h].get(dim) <= best) {
                continue;  // cannot hold a higher instant: skip its changes
            }
            const Time lo = std::max(w.start, it->first * width_);
            const Time hi = std::min(w.end, (it->first + 1) * width_);
            Amount v = b.start[h];
            auto e = b.events.begin();
            for (; e != b.events.end() && e->at <= lo; ++e) {
                if (e->host == host) {
                    v += e->delta;
                }
            }
            if (v.get(dim) > best) {
                best = v.get(dim);
                at = lo;
            }
            for (; e != b.events.end() && e->at < hi; ++e) {
                if (e->host == host) {
                    v += e->delta;
                    if (v.get(dim) > best) {
                        best = v.get(dim);
                        at = e->at;
                    }
                }
            }
        }
    }
    return {std::max<std::int64_t>(best, 0), at};
}

IdTimeline::IdTimeline(IdRange range, Time bucketWidth) : range_(range), width_(bucketWidth) {}

std::int64_t IdTimeline::bucketOf(Time t) const { return floorDiv(t, width_); }

bool IdTimeline::usedIn(std::int64_t id, const Interval& iv) const {
    auto found = byId_.find(id);
    if (found == byId_.end()) {
        return false;
    }
    // Bookings of one id never overlap each other, so only the last one that
    // starts before iv.end can reach into iv.
    const auto& spans = found->second;
    auto it = spans.lower_bound(iv.end);
    if (it == spans.begin()) {
        return false;
    }
    --it;
    return it->second.first > iv.start;
}

std::optional<IdHolding> IdTimeline::holder(std::int64_t id, const Interval& iv) const {
    auto found = byId_.find(id);
    if (found == byId_.end()) {
        return std::nullopt;
    }
    for (auto it = found->second.begin(); it != found->second.end() && it->first < iv.end; ++it) {
        if (it->second.first > iv.start) {
            return IdHolding{{it->first, it->second.first}, it->second.second};
        }
    }
    return std::nullopt;
}

bool IdTimeline::isFree(std::int64_t id, const Interval& iv) const {
    return inRange(id) && !usedIn(id, iv);
}

void IdTimeline::Mask::set(std::uint64_t bit) {
    const std::uint64_t w = bit / 64;
    if (words.size() <= w) {
        words.resize(w + 1, 0);
    }
    words[w] |= std::uint64_t{1} << (bit % 64);
    if (words[w] == ~std::uint64_t{0}) {
        if (full.size() <= w / 64) {
            full.resize(w / 64 + 1, 0);
        }
        full[w / 64] |= std::uint64_t{1} << (w % 64);
    }
}

void IdTimeline::Mask::clear(std::uint64_t bit) {
    const std::uint64_t w = bit / 64;
    if (words.size() <= w) {
        return;
    }
    words[w] &= ~(std::uint64_t{1} << (bit % 64));
    if (full.size() > w / 64) {
        full[w / 64] &= ~(std::uint64_t{1} << (w % 64));
    }
}

void IdTimeline::add(std::int64_t id, const Interval& iv, std::int64_t holder) {
    byId_[id].emplace(iv.start, std::pair{iv.end, holder});
    if (!inRange(id)) {
        return;  // no bitmap bit: firstFree() never offers it
    }
    auto bit = static_cast<std::uint64_t>(id - range_.first);
    const std::int64_t first = bucketOf(iv.start);
    const std::int64_t last = bucketOf(iv.end - 1);
    auto setAll = [bit](std::map<std::int64_t, Mask>& masks, std::int64_t from, std::int64_t to) {
        forEachKey(
            masks, from, to, [] { return Mask{}; }, [bit](std::int64_t, Mask& m) { m.set(bit); });
    };
    setAll(masks_, first, last);
    for (int k = 1; k <= kLevels; ++k) {
        const int shift = kFanoutBits * k;
        setAll(blocks_[static_cast<std::size_t>(k - 1)], first >> shift, last >> shift);
    }
}

Interval IdTimeline::blockSpan(int level, std::int64_t index) const {
    const int shift = kFanoutBits * level;
    return {(index << shift) * width_, ((index + 1) << shift) * width_};
}

void IdTimeline::remove(std::int64_t id, const Interval& iv) {
    auto found = byId_.find(id);
    if (found == byId_.end()) {
        return;
    }
    auto range = found->second.equal_range(iv.start);
    for (auto it = range.first; it != range.second; ++it) {
        if (it->second.first == iv.end) {
            found->second.erase(it);
            break;
        }
    }
    if (found->second.empty()) {
        byId_.erase(found);
    }
    if (!inRange(id)) {
        return;
    }
    auto bit = static_cast<std::uint64_t>(id - range_.first);
    for (std::int64_t i = bucketOf(iv.start); i <= bucketOf(iv.end - 1); ++i) {
        auto it = masks_.find(i);
        if (it != masks_.end() && !usedIn(id, {i * width_, (i + 1) * width_})) {
            it->second.clear(bit);
        }
    }
    for (int k = 1; k <= kLevels; ++k) {
        const int shift = kFanoutBits * k;
        auto& level = blocks_[static_cast<std::size_t>(k - 1)];
        for (std::int64_t j = bucketOf(iv.start) >> shift; j <= bucketOf(iv.end - 1) >> shift;
             ++j) {
            auto it = level.find(j);
            if (it != level.end() && !usedIn(id, blockSpan(k, j))) {
                it->second.clear(bit);
            }
        }
    }
}

std::optional<std::int64_t> IdTimeline::firstFree(const Interval& iv) const {
    if (range_.size() == 0 || iv.end <= iv.start) {
        return std::nullopt;
    }
    // Ids used in a bucket wholly inside iv are certainly taken; ids used only
    // in a partly covered bucket need an exact look.
    thread_local std::vector<const Mask*> inside;
    thread_local std::vector<const Mask*> edge;
    thread_local std::vector<std::uint64_t> full;
    inside.clear();
    edge.clear();
    full.clear();
    const std::int64_t first = bucketOf(iv.start);
    const std::int64_t last = bucketOf(iv.end - 1);
    // The buckets iv covers wholly, and the one or two it covers in part.
    const std::int64_t firstWhole = first * width_ == iv.start ? first : first + 1;
    const std::int64_t lastWhole = (last + 1) * width_ == iv.end ? last : last - 1;
    auto addEdge = [&](std::int64_t i) {
        if (auto it = masks_.find(i); it != masks_.end()) {
            edge.push_back(&it->second);
        }
    };
    if (firstWhole > lastWhole) {
        addEdge(first);
        if (last != first) {
            addEdge(last);
        }
    } else {
        if (first < firstWhole) {
            addEdge(first);
        }
        if (last > lastWhole) {
            addEdge(last);
        }
    }
    // Ids used anywhere in a bucket or block wholly inside iv are taken over
    // iv, and a word full there is full over iv. The whole buckets are read
    // as the fewest aligned blocks of 8^k buckets.
    for (std::int64_t i = firstWhole; i <= lastWhole;) {
        int k = kLevels;
        while (k > 0 && ((i & ((std::int64_t{1} << (kFanoutBits * k)) - 1)) != 0 ||
                         i + (std::int64_t{1} << (kFanoutBits * k)) - 1 > lastWhole)) {
            --k;
        }
        const auto& level = k == 0 ? masks_ : blocks_[static_cast<std::size_t>(k - 1)];
        if (auto it = level.find(i >> (kFanoutBits * k)); it != level.end()) {
            inside.push_back(&it->second);
            const auto& f = it->second.full;
            if (full.size() < f.size()) {
                full.resize(f.size(), 0);
            }
            for (std::size_t w = 0; w < f.size(); ++w) {
                full[w] |= f[w];
            }
        }
        i += std::int64_t{1} << (kFanoutBits * k);
    }
    const auto words = static_cast<std::uint64_t>((range_.size() + 63) / 64);
    for (std::uint64_t w = 0; w < words; ++w) {
        if (w / 64 < full.size()) {
            std::uint64_t notFull = ~full[w / 64] >> (w % 64);
            if (notFull == 0) {
                w = (w / 64) * 64 + 63;  // the rest of these 64 words are full
                continue;
            }
            w += static_cast<std::uint64_t>(std::countr_zero(notFull));
            if (w >= words) {
                break;
            }
        }
        std::uint64_t taken = 0;
        std::uint64_t unsure = 0;
        for (const Mask* m : inside) {
            taken |= w < m->words.size() ? m->words[w] : 0;
        }
        for (const Mask* m : edge) {
            unsure |= w < m->words.size() ? m->words[w] : 0;
        }
        std::uint64_t candidates = ~taken;
        while (candidates != 0) {
            auto b = static_cast<std::uint64_t>(std::countr_zero(candidates));
            std::int64_t id = range_.first + static_cast<std::int64_t>(w * 64 + b);
            if (id > range_.last) {
                return std::nullopt;
            }
            if ((unsure >> b & 1U) == 0 || !usedIn(id, iv)) {
                return id;
            }
            candidates &= candidates - 1;
        }
    }
    return std::nullopt;
}

}  // namespace vcluster::calendar
