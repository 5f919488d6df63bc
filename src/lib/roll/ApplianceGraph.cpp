#include "roll/ApplianceGraph.h"

#include <map>

#include "util/Error.h"
#include "util/Strings.h"

namespace vcluster::roll {

ApplianceGraph walkAppliance(const RollTree& roll, const std::vector<Appliance>& appliances,
                             const std::string& name) {
    std::vector<std::string> names;
    for (const auto& a : appliances) {
        if (a.name == name) {
            return {a, roll.walk(a.graph, a.node)};
        }
        names.push_back(a.name);
    }
    throw Error("no appliance '" + name + "' (appliances: " + join(names, ", ") + ")");
}

std::string packageList(const NodeFile& node) {
    std::vector<std::string> names;
    for (const auto& p : node.packages) {
        names.push_back(p.name);
    }
    return join(names, ",");
}

std::string sectionSummary(const NodeFile& node) {
    std::map<std::string, int> counts;
    for (const auto& s : node.sections) {
        ++counts[s.kind];
    }
    std::vector<std::string> parts;
    parts.reserve(counts.size());
    for (const auto& [kind, n] : counts) {
        parts.push_back(std::to_string(n) + " " + kind);
    }
    return join(parts, ", ");
}

void writeKickstartOutline(std::ostream& out, const ApplianceGraph& graph) {
    const auto& a = graph.appliance;
    out << "# appliance " << a.name << " (membership " << a.membership << "): graph " << a.graph
        << ", node " << a.node << ", " << graph.steps.size() << " node files in kickstart order\n";
    std::size_t index = 0;
    for (const auto& step : graph.steps) {
        ++index;
        out << "\n# " << index << ". " << step.node;
        if (step.file == nullptr) {
            out << " -- a node of Rocks' own rolls, not expanded here\n";
        } else {
            out << " -- " << step.file->where.file << '\n';
        }
        if (!step.parent.empty()) {
            out << "#    from " << step.parent;
            if (!step.conditions.empty()) {
                out << " when " << step.conditions;
            }
            out << '\n';
        }
        if (step.file == nullptr) {
            continue;
        }
        for (const auto& p : step.file->packages) {
            out << "<package" << (p.conditions.empty() ? "" : " " + p.conditions) << ">" << p.name
                << "</package>\n";
        }
        for (const auto& s : step.file->sections) {
            out << '<' << s.kind << (s.conditions.empty() ? "" : " " + s.conditions) << '>'
                << s.body << "</" << s.kind << ">\n";
        }
    }
}

}  // namespace vcluster::roll
