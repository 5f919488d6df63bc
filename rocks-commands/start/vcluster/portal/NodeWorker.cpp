#include "NodeWorker.h"

#include <iostream>
#include <sstream>

#include "db/Database.h"
#include "db/DatabaseUrl.h"
#include "lifecycle/Lifecycle.h"
#include "reservation/TimeText.h"
#include "util/Error.h"

namespace vcluster::portal {

NodeWorker::NodeWorker(std::string databasePath, std::string executor,
                       execute::ExecutorOptions options, std::chrono::seconds interval)
    : databasePath_(std::move(databasePath)),
      executor_(std::move(executor)),
      options_(std::move(options)),
      interval_(interval),
      thread_([this] { loop(); }) {}

NodeWorker::~NodeWorker() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    changed_.notify_all();
    thread_.join();
}

void NodeWorker::wake() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        woken_ = true;
    }
    changed_.notify_all();
}

void NodeWorker::loop() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (!stopping_) {
        changed_.wait_for(lock, interval_, [this] { return woken_ || stopping_; });
        if (stopping_) {
            return;
        }
        woken_ = false;
        lock.unlock();
        try {
            pass();
        } catch (const std::exception& e) {
            std::cerr << "portal: node actions: " << e.what() << std::endl;
        }
        lock.lock();
    }
}

void NodeWorker::pass() {
    auto db = db::openDatabase(databasePath_, db::Access::Write);
    auto held = db->holdLock("sync", 0);
    if (!held) {
        return;  // a sync is running: it, or the next pass, carries them out
    }
    std::ostringstream steps;
    auto executor = execute::makeExecutor(executor_, steps, options_);
    execute::Progress progress(steps, false);
    lifecycle::Lifecycle engine(*db, *executor, progress, 8);
    for (const auto& r : engine.nodeActionsOnly(reservation::currentTime())) {
        std::cerr << "portal: node actions: " << r.cluster << ": " << r.detail << std::endl;
    }
}

}  // namespace vcluster::portal
