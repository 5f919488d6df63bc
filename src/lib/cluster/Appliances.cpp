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

}  // namespace vcluster
