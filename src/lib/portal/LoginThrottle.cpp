#include "portal/LoginThrottle.h"

#include <algorithm>

namespace vcluster::portal {

namespace {

constexpr int kAddressFactor = 4;

// A name is a key as typed, but never more than this of it (bounded memory).
constexpr std::size_t kMaxNameBytes = 256;

std::string userKey(const std::string& user) { return "user:" + user.substr(0, kMaxNameBytes); }
std::string addressKey(const std::string& address) { return "addr:" + address; }

}  // namespace

LoginThrottle::LoginThrottle(int attempts, std::chrono::seconds window, std::size_t maxKeys)
    : attempts_(std::max(1, attempts)),
      window_(window),
      maxKeys_(std::max<std::size_t>(2, maxKeys)) {}

std::int64_t LoginThrottle::wait(const std::string& key, int limit, Clock::time_point now) {
    auto it = failures_.find(key);
    if (it == failures_.end() || it->second.count < limit) {
        return 0;
    }
    auto left = it->second.first + window_ - now;
    if (left <= Clock::duration::zero()) {
        failures_.erase(it);
        return 0;
    }
    // Whole seconds, rounded up: Retry-After must not invite an early retry.
    return std::chrono::ceil<std::chrono::seconds>(left).count();
}

std::int64_t LoginThrottle::retryAfter(const std::string& user, const std::string& address,
                                       Clock::time_point now) {
    std::lock_guard<std::mutex> lock(mutex_);
    return std::max(wait(userKey(user), attempts_, now),
                    wait(addressKey(address), kAddressFactor * attempts_, now));
}

void LoginThrottle::count(const std::string& key, Clock::time_point now) {
    auto it = failures_.find(key);
    if (it != failures_.end() && now - it->second.first >= window_) {
        failures_.erase(it);  // an old streak: start a new window
        it = failures_.end();
    }
    if (it == failures_.end()) {
        if (failures_.size() >= maxKeys_) {
            forgetExpired(now);
        }
        if (failures_.size() >= maxKeys_) {
            // Still full (a flood of names): drop the oldest streak.
            failures_.erase(std::min_element(
                failures_.begin(), failures_.end(),
                [](const auto& a, const auto& b) { return a.second.first < b.second.first; }));
        }
        failures_.emplace(key, Failures{1, now});
        return;
    }
    ++it->second.count;
}

void LoginThrottle::failed(const std::string& user, const std::string& address,
                           Clock::time_point now) {
    std::lock_guard<std::mutex> lock(mutex_);
    count(userKey(user), now);
    count(addressKey(address), now);
}

void LoginThrottle::succeeded(const std::string& user) {
    std::lock_guard<std::mutex> lock(mutex_);
    failures_.erase(userKey(user));
}

void LoginThrottle::forgetExpired(Clock::time_point now) {
    for (auto it = failures_.begin(); it != failures_.end();) {
        it = now - it->second.first >= window_ ? failures_.erase(it) : std::next(it);
    }
}

}  // namespace vcluster::portal
