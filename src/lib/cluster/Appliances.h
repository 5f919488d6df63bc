#pragma once

#include <string>
#include <vector>

#include "db/Database.h"

namespace vcluster {

struct Appliance {
    std::string name;        // e.g. "vm-server"
    std::string membership;  // e.g. "VM Server"
    std::string graph;
    std::string node;       // the graph's root node file for this appliance
    bool isPublic = false;  // offered by insert-ethers
};

class AppliancePool {
  public:
    explicit AppliancePool(db::Database& db) : db_(db) {}
    std::vector<Appliance> list() const;

  private:
    db::Database& db_;
};

}  // namespace vcluster
