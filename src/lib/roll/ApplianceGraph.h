#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "cluster/Appliances.h"
#include "roll/RollTree.h"

namespace vcluster::roll {

// What installing one appliance does: its row in the database (graph and
// root node, as kgen uses them) and the node files the graph walk gives it.
struct ApplianceGraph {
    Appliance appliance;
    std::vector<WalkStep> steps;
};

// Throws Error naming the known appliances when `name` is not one of them.
ApplianceGraph walkAppliance(const RollTree& roll, const std::vector<Appliance>& appliances,
                             const std::string& name);

// The kickstart outline: each node file in order with its packages and
// its pre/post sections, nodes of other Rocks rolls named but not expanded.
void writeKickstartOutline(std::ostream& out, const ApplianceGraph& graph);

// "vcluster,lvm2" and "2 post, 1 pre" for listings.
std::string packageList(const NodeFile& node);
std::string sectionSummary(const NodeFile& node);

}  // namespace vcluster::roll
