#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "execute/Executor.h"

namespace vcluster::portal {

// The portal's own worker for the tenants' node actions: carries them out
// as soon as they are asked (the portal wakes it), and every `interval`
// those asked otherwise (`rocks set vcluster node power`, a clean power-off
// waiting for its guest), with the executor a sync would use. It takes the
// sync lock for each pass, never waiting for it: while a sync runs, that
// sync or the next pass does them. Without it (executor none) the next
// `rocks sync vcluster` carries them out.
class NodeWorker {
  public:
    NodeWorker(std::string databasePath, std::string executor, execute::ExecutorOptions options,
               std::chrono::seconds interval);
    ~NodeWorker();  // stops the thread (a pass under way is finished first)
    NodeWorker(const NodeWorker&) = delete;
    NodeWorker& operator=(const NodeWorker&) = delete;
    void wake();

  private:
    void loop();
    void pass();
    std::string databasePath_;
    std::string executor_;
    execute::ExecutorOptions options_;
    std::chrono::seconds interval_;
    std::mutex mutex_;
    std::condition_variable changed_;
    bool woken_ = false;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace vcluster::portal
