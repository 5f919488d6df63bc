#pragma once

#include <string>

#include "db/Database.h"
#include "execute/StageRunner.h"

namespace vcluster::lifecycle {

// Steps of one host recorded in vcluster_journal (the journal's SQL lives here).
class JournalPool : public execute::StepJournal {
  public:
    JournalPool(db::Database& db, std::string clusterKey)
        : db_(db), cluster_(std::move(clusterKey)) {}
    bool isDone(const std::string& transition, const execute::Step& step) override;
    void started(const std::string& transition, const execute::Step& step) override;
    void finished(const std::string& transition, const execute::Step& step,
                  const execute::StepResult& result) override;
    // Forgets a transition's steps (before a fresh attempt of a whole transition).
    void clear(const std::string& transition);
    // Forgets every transition whose name starts with `prefix` (which must
    // hold no LIKE wildcard: cluster names and snapshot labels have none).
    void clearPrefix(const std::string& prefix);

  private:
    db::Database& db_;
    std::string cluster_;
};

}  // namespace vcluster::lifecycle
