// The web login's throttle, on a clock the test moves.
#include <gtest/gtest.h>

#include "portal/LoginThrottle.h"

using vcluster::portal::LoginThrottle;
using namespace std::chrono_literals;

namespace {

const LoginThrottle::Clock::time_point t0{};

void fail(LoginThrottle& t, const std::string& user, const std::string& address, int times,
          LoginThrottle::Clock::time_point at = t0) {
    for (int i = 0; i < times; ++i) {
        t.failed(user, address, at);
    }
}

}  // namespace

TEST(LoginThrottle, ANameIsRefusedForTheRestOfTheWindowAfterItsAttempts) {
    LoginThrottle t(5, 900s);
    fail(t, "alice", "192.0.2.7", 4);
    EXPECT_EQ(t.retryAfter("alice", "192.0.2.7", t0), 0) << "4 of 5: may still try";
    t.failed("alice", "192.0.2.7", t0 + 10s);
    EXPECT_EQ(t.retryAfter("alice", "192.0.2.7", t0 + 10s), 890);
    EXPECT_EQ(t.retryAfter("alice", "198.51.100.9", t0 + 10s), 890) << "from any address";
    EXPECT_EQ(t.retryAfter("alice", "192.0.2.7", t0 + 899s + 500ms), 1) << "rounded up";
    EXPECT_EQ(t.retryAfter("alice", "192.0.2.7", t0 + 900s), 0);
    // The old streak is over: a new one starts from one failure.
    t.failed("alice", "192.0.2.7", t0 + 901s);
    EXPECT_EQ(t.retryAfter("alice", "192.0.2.7", t0 + 901s), 0);
    EXPECT_EQ(t.retryAfter("bob", "192.0.2.7", t0 + 10s), 0) << "other names are not affected";
}

TEST(LoginThrottle, AnAddressGetsFourTimesTheAttemptsOverAllNames) {
    LoginThrottle t(5, 60s);
    for (int i = 0; i < 19; ++i) {
        t.failed("guess" + std::to_string(i), "203.0.113.5", t0);
    }
    EXPECT_EQ(t.retryAfter("carol", "203.0.113.5", t0), 0);
    t.failed("guess19", "203.0.113.5", t0);
    EXPECT_EQ(t.retryAfter("carol", "203.0.113.5", t0 + 1s), 59) << "20 failures from it";
    EXPECT_EQ(t.retryAfter("carol", "192.0.2.1", t0 + 1s), 0) << "carol elsewhere is fine";
}

TEST(LoginThrottle, ASuccessForgetsTheNamesFailures) {
    LoginThrottle t(3, 60s);
    fail(t, "alice", "192.0.2.7", 2);
    t.succeeded("alice");
    fail(t, "alice", "192.0.2.7", 2);
    EXPECT_EQ(t.retryAfter("alice", "192.0.2.7", t0), 0) << "2 failures since the success";
    t.failed("alice", "192.0.2.7", t0);
    EXPECT_GT(t.retryAfter("alice", "192.0.2.7", t0), 0);
}

TEST(LoginThrottle, MemoryIsBoundedByDroppingTheOldestStreak) {
    LoginThrottle t(1, 3600s, 4);  // two names, each with its address key
    t.failed("old", "192.0.2.1", t0);
    t.failed("new", "192.0.2.2", t0 + 1s);
    EXPECT_GT(t.retryAfter("old", "192.0.2.9", t0 + 2s), 0);
    t.failed("newest", "192.0.2.3", t0 + 2s);  // past 4 keys: the oldest go
    EXPECT_EQ(t.retryAfter("old", "192.0.2.9", t0 + 3s), 0);
    EXPECT_GT(t.retryAfter("new", "192.0.2.9", t0 + 3s), 0);
    EXPECT_GT(t.retryAfter("newest", "192.0.2.9", t0 + 3s), 0);
    // A very long name counts as its first 256 bytes.
    std::string longName(300, 'x');
    t.failed(longName, "192.0.2.4", t0 + 4s);
    EXPECT_GT(t.retryAfter(std::string(256, 'x') + "y", "192.0.2.9", t0 + 5s), 0);
}
