#include "portal/LoginThrottle.h"

#include <algorithm>

namespace vcluster::portal {

namespace {

constexpr int kAddressFactor = 4;

// The wait after the last free try; each failure after it doubles the wait.
constexpr std::chrono::seconds kFirstWait{5};

// A name is a key as typed, but never more than this of it (bounded memory).
constexpr std::size_t kMaxNameBytes = 256;

std::string pairKey(const std::string& user, const std::string& address) {
    return "pair:" + user.substr(0, kMaxNameBytes) + "\n" + address.substr(0, kMaxNameBytes);
}
std::string addressKey(const std::string& address) {
    return "addr:" + address.substr(0, kMaxNameBytes);
}

}  // namespace

LoginThrottle::LoginThrottle(int attempts, std::chrono::seconds maxDelay, std::size_t maxKeys,
                             std::chrono::seconds forget)
    : attempts_(std::max(1, attempts)),
      maxDelay_(std::max(std::chrono::seconds(1), maxDelay)),
      maxKeys_(std::max<std::size_t>(2, maxKeys)),
      forget_(std::max(forget, maxDelay_)) {}

std::int64_t LoginThrottle::waitOf(const std::string& key, Clock::time_point now) const {
    auto it = failures_.find(key);
    if (it == failures_.end() || it->second.until <= now) {
        return 0;
    }
    // Whole seconds, rounded up: Retry-After must not invite an early retry.
    return std::chrono::ceil<std::chrono::seconds>(it->second.until - now).count();
}

std::int64_t LoginThrottle::retryAfter(const std::string& user, const std::string& address,
                                       Clock::time_point now) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::int64_t wait = waitOf(pairKey(user, address), now);
    auto known = known_.find(pairKey(user, address));
    if (known == known_.end() || now - known->second.last >= forget_) {
        wait = std::max(wait, waitOf(addressKey(address), now));
    }
    return wait;
}

std::int64_t LoginThrottle::admit(const std::string& user, const std::string& address,
                                  Clock::time_point now) {
    std::int64_t wait = retryAfter(user, address, now);
    if (wait > 0) {
        return wait;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    // Checked again under this lock: another thread may have counted since.
    std::string pair = pairKey(user, address);
    if (waitOf(pair, now) > 0) {
        return waitOf(pair, now);
    }
    count(pair, attempts_, now);
    count(addressKey(address), kAddressFactor * attempts_, now);
    return 0;
}

void LoginThrottle::count(const std::string& key, int freeTries, Clock::time_point now) {
    auto it = failures_.find(key);
    if (it != failures_.end() && now - it->second.last >= forget_) {
        failures_.erase(it);  // an old streak: start again
        it = failures_.end();
    }
    if (it == failures_.end()) {
        makeRoom(failures_, now);
        it = failures_.emplace(key, Failures{0, now, now}).first;
    }
    Failures& f = it->second;
    ++f.count;
    f.last = now;
    if (f.count >= freeTries) {
        // The try after the last free one waits 5 s, then 10, 20, ... maxDelay.
        int doublings = std::min(f.count - freeTries, 24);
        auto delay =
            std::min<std::chrono::seconds>(kFirstWait * (std::int64_t{1} << doublings), maxDelay_);
        f.until = now + delay;
    }
}

void LoginThrottle::succeeded(const std::string& user, const std::string& address,
                              Clock::time_point now) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string pair = pairKey(user, address);
    failures_.erase(pair);
    // The attempt admitted was counted against the address as a failure too.
    if (auto it = failures_.find(addressKey(address)); it != failures_.end()) {
        if (--it->second.count <= 0) {
            failures_.erase(it);
        }
    }
    if (known_.find(pair) == known_.end()) {
        makeRoom(known_, now);
    }
    known_[pair] = Failures{0, now, now};
}

void LoginThrottle::makeRoom(std::map<std::string, Failures>& records, Clock::time_point now) {
    if (records.size() < maxKeys_) {
        return;
    }
    for (auto it = records.begin(); it != records.end();) {
        it = now - it->second.last >= forget_ && it->second.until <= now ? records.erase(it)
                                                                         : std::next(it);
    }
    if (records.size() >= maxKeys_) {
        // Still full (a flood of names): drop the record touched longest ago.
        records.erase(std::min_element(
            records.begin(), records.end(),
            [](const auto& a, const auto& b) { return a.second.last < b.second.last; }));
    }
}

}  // namespace vcluster::portal
