// The web login's throttle, on a clock the test moves.
#include <gtest/gtest.h>

#include <thread>

#include "portal/LoginThrottle.h"

using vcluster::portal::LoginThrottle;
using namespace std::chrono_literals;

namespace {

const LoginThrottle::Clock::time_point t0{};

// `times` attempts admitted and failed; returns how many were admitted.
int fail(LoginThrottle& t, const std::string& user, const std::string& address, int times,
         LoginThrottle::Clock::time_point at = t0) {
    int admitted = 0;
    for (int i = 0; i < times; ++i) {
        admitted += t.admit(user, address, at) == 0 ? 1 : 0;
    }
    return admitted;
}

}  // namespace

TEST(LoginThrottle, APairBacksOffExponentiallyAfterItsFreeAttempts) {
    LoginThrottle t(5, 900s);
    EXPECT_EQ(fail(t, "alice", "192.0.2.7", 4), 4);
    EXPECT_EQ(t.retryAfter("alice", "192.0.2.7", t0), 0) << "4 of 5: may still try";
    EXPECT_EQ(t.admit("alice", "192.0.2.7", t0 + 10s), 0);
    EXPECT_EQ(t.retryAfter("alice", "192.0.2.7", t0 + 10s), 5);
    EXPECT_EQ(t.retryAfter("bob", "192.0.2.7", t0 + 10s), 0) << "other names are not affected";
    EXPECT_EQ(t.admit("alice", "192.0.2.7", t0 + 12s), 3) << "refused, and not counted";
    EXPECT_EQ(t.admit("alice", "192.0.2.7", t0 + 15s), 0);
    EXPECT_EQ(t.retryAfter("alice", "192.0.2.7", t0 + 15s), 10);
    EXPECT_EQ(t.admit("alice", "192.0.2.7", t0 + 25s), 0);
    EXPECT_EQ(t.retryAfter("alice", "192.0.2.7", t0 + 25s), 20);
    for (int i = 0; i < 20; ++i) {
        auto at = t0 + 100s + std::chrono::seconds(1000 * i);
        t.admit("alice", "192.0.2.7", at);
    }
    EXPECT_EQ(t.retryAfter("alice", "192.0.2.7", t0 + 19100s), 900) << "never past the most";
    // The real user at her own address is not locked out by a guesser elsewhere.
    EXPECT_EQ(t.admit("alice", "198.51.100.9", t0 + 19100s), 0);
}

TEST(LoginThrottle, AnAddressGetsFourTimesTheAttemptsOverAllNamesButKnownPairsPass) {
    LoginThrottle t(5, 60s);
    t.admit("carol", "203.0.113.5", t0);
    t.succeeded("carol", "203.0.113.5", t0);  // carol logs in from there
    for (int i = 0; i < 19; ++i) {
        t.admit("guess" + std::to_string(i), "203.0.113.5", t0);
    }
    EXPECT_EQ(t.retryAfter("dave", "203.0.113.5", t0), 0);
    t.admit("guess19", "203.0.113.5", t0);
    EXPECT_EQ(t.retryAfter("dave", "203.0.113.5", t0 + 500ms), 5) << "20 failures from it";
    EXPECT_EQ(t.retryAfter("dave", "192.0.2.1", t0 + 500ms), 0) << "dave elsewhere is fine";
    EXPECT_EQ(t.retryAfter("carol", "203.0.113.5", t0 + 500ms), 0)
        << "a pair that logged in before is not held by its address";
}

TEST(LoginThrottle, ASuccessForgetsThePairsFailures) {
    LoginThrottle t(3, 60s);
    fail(t, "alice", "192.0.2.7", 2);
    t.admit("alice", "192.0.2.7", t0);
    t.succeeded("alice", "192.0.2.7", t0);
    EXPECT_EQ(fail(t, "alice", "192.0.2.7", 2), 2);
    EXPECT_EQ(t.retryAfter("alice", "192.0.2.7", t0), 0) << "2 failures since the success";
    t.admit("alice", "192.0.2.7", t0);
    EXPECT_GT(t.retryAfter("alice", "192.0.2.7", t0), 0);
}

TEST(LoginThrottle, ParallelAttemptsAreCountedBeforeTheirCheck) {
    LoginThrottle t(5, 900s);
    std::atomic<int> admitted{0};
    std::vector<std::thread> guessers;
    for (int i = 0; i < 40; ++i) {
        guessers.emplace_back([&] {
            if (t.admit("alice", "192.0.2.7", t0) == 0) {
                ++admitted;
            }
        });
    }
    for (auto& g : guessers) {
        g.join();
    }
    EXPECT_EQ(admitted, 5);
}

TEST(LoginThrottle, MemoryIsBoundedByDroppingTheOldestRecord) {
    LoginThrottle t(1, 3600s, 4);
    t.admit("old", "192.0.2.1", t0);
    t.admit("new", "192.0.2.2", t0 + 1s);
    EXPECT_GT(t.retryAfter("old", "192.0.2.1", t0 + 2s), 0);
    t.admit("newer", "192.0.2.3", t0 + 2s);
    t.admit("newest", "192.0.2.4", t0 + 3s);  // past 4 pairs: the oldest goes
    EXPECT_EQ(t.retryAfter("old", "192.0.2.1", t0 + 4s), 0);
    EXPECT_GT(t.retryAfter("newest", "192.0.2.4", t0 + 4s), 0);
    // A very long name counts as its first 256 bytes.
    std::string longName(300, 'x');
    t.admit(longName, "192.0.2.5", t0 + 4s);
    EXPECT_GT(t.retryAfter(std::string(256, 'x') + "y", "192.0.2.5", t0 + 4s), 0);
}
