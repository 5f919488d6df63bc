#include "cluster/Appliances.h"

namespace vcluster {

std::vector<Appliance> AppliancePool::list() const {
    std::vector<Appliance> out;
    for (const auto& r : db_.query(
             "SELECT a.Name, COALESCE(m.Name, ''), a.Graph, a.Node, COALESCE(m.Public, 'no') "
             "FROM appliances a LEFT JOIN memberships m ON m.Appliance = a.ID ORDER BY a.ID")) {
        out.push_back({r.text(0), r.text(1), r.text(2), r.text(3), r.text(4) == "yes"});
    }
    return out;
}

std::vector<std::string> AppliancePool::nodeAppliances() const {
    std::vector<std::string> out;
    for (const auto& r :
         db_.query("SELECT Name FROM appliances WHERE Name NOT IN "
                   "('frontend', 'gateway', 'vm-server', 'storage') ORDER BY Name")) {
        out.push_back(r.text(0));
    }
    return out;
}

std::vector<std::string> AppliancePool::enabledRolls() const {
    std::vector<std::string> out;
    for (const auto& r :
         db_.query("SELECT DISTINCT Name FROM rolls WHERE Enabled = 'yes' ORDER BY Name")) {
        out.push_back(r.text(0));
    }
    return out;
}

}  // namespace vcluster
