#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>

namespace vcluster {

// A lock that is handed to its waiters in the order they asked for it
// (BasicLockable: std::lock_guard<TurnQueue> takes a turn). std::mutex lets
// a thread that just released it take it again before a waiter wakes, so
// under a steady queue some waiters lose many rounds in a row: the portal's
// 64 booking threads had a p99 twice their median. Each waiter sleeps on its
// own condition, and a release wakes exactly the next one.
class TurnQueue {
  public:
    void lock() {
        std::unique_lock<std::mutex> guard(mutex_);
        if (!held_) {
            held_ = true;
            return;
        }
        Waiter self;
        waiting_.push_back(&self);
        self.wake.wait(guard, [&self] { return self.granted; });
    }

    void unlock() {
        std::lock_guard<std::mutex> guard(mutex_);
        if (waiting_.empty()) {
            held_ = false;
            return;
        }
        Waiter* next = waiting_.front();
        waiting_.pop_front();
        next->granted = true;
        // Under the mutex: the waiter cannot return (and free its condition)
        // before this call is done with it.
        next->wake.notify_one();
    }

    // How many wait for the turn (for tests and figures).
    std::size_t waiting() {
        std::lock_guard<std::mutex> guard(mutex_);
        return waiting_.size();
    }

  private:
    struct Waiter {
        std::condition_variable wake;
        bool granted = false;
    };
    std::mutex mutex_;
    bool held_ = false;  // the turn is someone's; it passes on without being free
    std::deque<Waiter*> waiting_;
};

}  // namespace vcluster
