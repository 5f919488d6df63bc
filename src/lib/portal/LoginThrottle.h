#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace vcluster::portal {

// Slows password guessing at the web login. After `attempts` failed logins
// for one user name, or 4 x `attempts` from one client address (several
// people may share an address), within `window`, further logins for that
// name or from that address are refused, the right password too, until
// `window` has passed since the first of those failures. A successful login
// forgets the name's failures. Kept in memory (a restart forgets it too), on
// a monotonic clock, for at most `maxKeys` names and addresses.
class LoginThrottle {
  public:
    using Clock = std::chrono::steady_clock;
    LoginThrottle(int attempts, std::chrono::seconds window, std::size_t maxKeys = 100000);

    // Seconds until `user` from `address` may try again; 0: now.
    std::int64_t retryAfter(const std::string& user, const std::string& address,
                            Clock::time_point now);
    void failed(const std::string& user, const std::string& address, Clock::time_point now);
    void succeeded(const std::string& user);

  private:
    struct Failures {
        int count = 0;
        Clock::time_point first;
    };
    std::int64_t wait(const std::string& key, int limit, Clock::time_point now);
    void count(const std::string& key, Clock::time_point now);
    void forgetExpired(Clock::time_point now);

    int attempts_;
    std::chrono::seconds window_;
    std::size_t maxKeys_;
    std::mutex mutex_;
    std::map<std::string, Failures> failures_;  // "user:<name>" or "addr:<address>"
};

}  // namespace vcluster::portal
