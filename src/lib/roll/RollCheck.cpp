// The structural checks of a roll: names, cycles, reachability.
#include <algorithm>
#include <deque>
#include <functional>
#include <set>

#include "roll/RocksBase.h"
#include "roll/RollTree.h"
#include "util/Strings.h"

namespace vcluster::roll {

namespace {

// Arcs of one relation (edges or orders) in file order, by their source.
struct Arc {
    std::string to;
    Location where;
};
using Adjacency = std::map<std::string, std::vector<Arc>>;

// Reports each arc that closes a cycle, with the cycle spelled out.
void findCycles(const Adjacency& arcs, const std::string& what, std::vector<Problem>& out) {
    enum class Mark { Open, Done };
    std::map<std::string, Mark> marks;
    std::vector<std::string> path;
    std::function<void(const std::string&)> visit = [&](const std::string& node) {
        marks[node] = Mark::Open;
        path.push_back(node);
        if (auto it = arcs.find(node); it != arcs.end()) {
            for (const auto& arc : it->second) {
                auto seen = marks.find(arc.to);
                if (seen == marks.end()) {
                    visit(arc.to);
                } else if (seen->second == Mark::Open) {
                    auto from = std::find(path.begin(), path.end(), arc.to);
                    std::vector<std::string> cycle(from, path.end());
                    cycle.push_back(arc.to);
                    out.push_back({arc.where, what + " cycle: " + join(cycle, " -> ")});
                }
            }
        }
        path.pop_back();
        marks[node] = Mark::Done;
    };
    for (const auto& [node, unused] : arcs) {
        if (marks.count(node) == 0) {
            visit(node);
        }
    }
}

}  // namespace

namespace {

// Control characters (line breaks above all) as single spaces.
std::string oneLine(const std::string& text) {
    std::string out;
    bool gap = false;
    for (char c : text) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
            gap = true;
            continue;
        }
        if (gap && !out.empty()) {
            out += ' ';
        }
        gap = false;
        out += c;
    }
    return out;
}

}  // namespace

std::vector<Problem> RollTree::check() const {
    std::vector<Problem> problems = loadProblems_;
    auto known = [&](const std::string& node) {
        return nodes_.count(node) != 0 || isExternalNode(node);
    };

    std::map<std::string, std::set<std::string>> roots;  // graph -> appliance root nodes
    for (const auto& decl : appliances()) {
        if (decl.name.empty() || decl.node.empty()) {
            problems.push_back({decl.where, "`rocks add appliance` needs a name and node="});
            continue;
        }
        if (!known(decl.node)) {
            problems.push_back({decl.where, "appliance '" + decl.name + "' names node '" +
                                                decl.node + "', which is in no node file"});
        }
        if (graphs_.count(decl.graph) == 0) {
            problems.push_back({decl.where, "appliance '" + decl.name + "' names graph '" +
                                                decl.graph + "', which is not under graphs/"});
        }
        roots[decl.graph].insert(decl.node);
    }

    std::set<std::string> reached;
    for (const auto& [graphName, graph] : graphs_) {
        Adjacency edges;
        Adjacency orders;
        for (const auto& e : graph.edges) {
            for (const auto& end : {e.from, e.to}) {
                if (!known(end)) {
                    problems.push_back({e.where, "edge " + e.from + " -> " + e.to +
                                                     ": no node file '" + end +
                                                     "' in this roll or in Rocks' base roll"});
                }
            }
            edges[e.from].push_back({e.to, e.where});
        }
        for (const auto& o : graph.orders) {
            for (const auto& end : {o.head, o.tail}) {
                if (!known(end) && !isOrderAnchor(end)) {
                    problems.push_back({o.where, "order " + o.head + " -> " + o.tail +
                                                     ": no node file '" + end +
                                                     "' in this roll or in Rocks' base roll"});
                }
            }
            orders[o.head].push_back({o.tail, o.where});
        }
        findCycles(edges, "edge", problems);
        findCycles(orders, "order", problems);

        std::set<std::string> starts = roots[graphName];
        for (const auto& [node, unused] : edges) {
            if (isRocksRoot(node)) {
                starts.insert(node);
            }
        }
        std::deque<std::string> queue(starts.begin(), starts.end());
        std::set<std::string> seen(starts.begin(), starts.end());
        while (!queue.empty()) {
            std::string node = queue.front();
            queue.pop_front();
            if (auto it = edges.find(node); it != edges.end()) {
                for (const auto& arc : it->second) {
                    if (seen.insert(arc.to).second) {
                        queue.push_back(arc.to);
                    }
                }
            }
        }
        reached.insert(seen.begin(), seen.end());
    }
    for (const auto& [name, node] : nodes_) {
        if (reached.count(name) == 0) {
            problems.push_back({node.where, "node '" + name +
                                                "' is in no appliance: no graph edge leads to it "
                                                "from server, client or an appliance's node"});
        }
    }

    // Each problem is one line of `rocks report roll check`: libxml2's own
    // messages may span lines ("Input is not proper UTF-8, indicate encoding
    // !\nBytes: ..."; found by fuzz/fuzz_roll_xml.cpp), and a name given as
    // "a&#10;b" keeps its newline through the parser.
    for (auto& p : problems) {
        p.message = oneLine(p.message);
        p.where.file = oneLine(p.where.file);
    }
    std::stable_sort(problems.begin(), problems.end(), [](const Problem& a, const Problem& b) {
        return std::tie(a.where.file, a.where.line) < std::tie(b.where.file, b.where.line);
    });
    return problems;
}

}  // namespace vcluster::roll
