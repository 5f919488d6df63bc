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
    // The appliances a tenant may ask for on its nodes (appliances=): every
    // one but the site's physical roles (frontend, gateway, vm-server,
    // storage), by name.
    std::vector<std::string> nodeAppliances() const;
    // The names of the rolls Rocks has enabled (the `rolls` table), by name.
    std::vector<std::string> enabledRolls() const;

  private:
    db::Database& db_;
};

}  // namespace vcluster
