#include "util/TurnQueue.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

namespace vcluster {
namespace {

// Waits (bounded) until `n` threads wait for the turn.
bool waitUntilQueued(TurnQueue& turn, std::size_t n) {
    for (int i = 0; i < 5000; ++i) {
        if (turn.waiting() == n) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return false;
}

TEST(TurnQueue, WaitersGetTheTurnInTheOrderTheyAskedForIt) {
    TurnQueue turn;
    std::vector<int> order;  // written only by the turn's holder
    turn.lock();
    std::vector<std::thread> threads;
    for (int i = 0; i < 6; ++i) {
        threads.emplace_back([&turn, &order, i] {
            std::lock_guard<TurnQueue> mine(turn);
            order.push_back(i);
        });
        ASSERT_TRUE(waitUntilQueued(turn, static_cast<std::size_t>(i) + 1));
    }
    turn.unlock();
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4, 5}));
    EXPECT_EQ(turn.waiting(), 0U);
}

TEST(TurnQueue, TheHolderCannotTakeTheTurnBackBeforeAWaiter) {
    TurnQueue turn;
    std::vector<std::string> order;
    turn.lock();
    std::thread waiter([&] {
        std::lock_guard<TurnQueue> mine(turn);
        order.emplace_back("waiter");
    });
    ASSERT_TRUE(waitUntilQueued(turn, 1));
    turn.unlock();
    turn.lock();  // at once: the waiter's turn comes first
    order.emplace_back("holder again");
    turn.unlock();
    waiter.join();
    EXPECT_EQ(order, (std::vector<std::string>{"waiter", "holder again"}));
}

TEST(TurnQueue, AFreeTurnIsTakenAtOnceAndManyThreadsEachGetIt) {
    TurnQueue turn;
    long count = 0;
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i) {
        threads.emplace_back([&] {
            for (int k = 0; k < 2000; ++k) {
                std::lock_guard<TurnQueue> mine(turn);
                ++count;
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(count, 8 * 2000);
    EXPECT_EQ(turn.waiting(), 0U);
}

}  // namespace
}  // namespace vcluster
