#pragma once

#include <optional>
#include <string>
#include <vector>

#include "db/Database.h"

namespace vcluster {

// A roll the physical frontend's roll server offers (Rocks' `rolls` table).
struct RollRecord {
    std::string name;
    std::string version;
    std::string arch;
    bool enabled = true;
};

class RollPool {
  public:
    explicit RollPool(db::Database& db) : db_(db) {}

    // Every roll, by name then version.
    std::vector<RollRecord> list() const;
    // The enabled roll of that name (the newest row when there are several).
    std::optional<RollRecord> findEnabled(const std::string& name) const;
    // Registers a roll (the embedded database; on a Rocks frontend `rocks
    // add roll` fills the table). Throws Error when it is there already.
    void add(const RollRecord& roll);

  private:
    db::Database& db_;
};

// Refuses (Error, exit 1) a roll that the rolls table does not offer,
// naming the ones it does: the one message of `rocks add vcluster` and the
// portal.
void requireInstalledRolls(db::Database& db, const std::vector<std::string>& rolls);

}  // namespace vcluster
