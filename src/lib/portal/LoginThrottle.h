#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace vcluster::portal {

// Slows password guessing at the web login without locking anybody out.
//
// Every attempt is counted when it is admitted, before its password is
// checked, under one lock: parallel guesses cannot slip past the count. A
// (user name, client address) pair has `attempts` free tries; each further
// failure doubles the wait before its next try, from 5 s up to `maxDelay`.
// So a guesser far away slows only its own pair and never locks the real
// user (or an admin) out at their address. Across names, one address gets 4 x
// `attempts` free failures before the same back-off applies to it, which
// slows spraying one password over many names; a pair that logged in
// successfully before is exempt from that address-wide wait, so users behind
// a shared address keep logging in. A success forgets the pair's failures.
// Kept in memory (a restart forgets it), on a monotonic clock, for at most
// `maxKeys` pairs, addresses and known pairs; a record is dropped once
// `forget` has passed since its last failure.
class LoginThrottle {
  public:
    using Clock = std::chrono::steady_clock;
    LoginThrottle(int attempts, std::chrono::seconds maxDelay, std::size_t maxKeys = 100000,
                  std::chrono::seconds forget = std::chrono::hours(24));

    // Seconds until `user` from `address` may try again; 0: now. When 0, the
    // attempt is counted as a failure at once (succeeded() takes it back).
    std::int64_t admit(const std::string& user, const std::string& address, Clock::time_point now);
    // The same wait, without counting an attempt.
    std::int64_t retryAfter(const std::string& user, const std::string& address,
                            Clock::time_point now);
    void succeeded(const std::string& user, const std::string& address, Clock::time_point now);

  private:
    struct Failures {
        int count = 0;
        Clock::time_point last;
        Clock::time_point until;  // no try before
    };
    std::int64_t waitOf(const std::string& key, Clock::time_point now) const;
    void count(const std::string& key, int freeTries, Clock::time_point now);
    void makeRoom(std::map<std::string, Failures>& records, Clock::time_point now);

    int attempts_;
    std::chrono::seconds maxDelay_;
    std::size_t maxKeys_;
    std::chrono::seconds forget_;
    std::mutex mutex_;
    std::map<std::string, Failures> failures_;  // "pair:<name>\n<address>" or "addr:<address>"
    std::map<std::string, Failures> known_;     // pairs that logged in, .last = when
};

}  // namespace vcluster::portal
