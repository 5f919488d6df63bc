// What an appliance gets: the graph walk and the kickstart order.
#include <algorithm>
#include <deque>
#include <functional>
#include <queue>
#include <set>

#include "roll/RocksBase.h"
#include "roll/RollTree.h"
#include "util/Error.h"

namespace vcluster::roll {

namespace {

using Index = std::map<std::string, std::size_t>;

std::set<std::string> closure(const std::string& start,
                              const std::map<std::string, std::set<std::string>>& arcs) {
    std::set<std::string> seen;
    std::deque<std::string> queue{start};
    while (!queue.empty()) {
        auto node = queue.front();
        queue.pop_front();
        if (auto it = arcs.find(node); it != arcs.end()) {
            for (const auto& next : it->second) {
                if (seen.insert(next).second) {
                    queue.push_back(next);
                }
            }
        }
    }
    return seen;
}

// Topological order of every node the <order>s or the walk mention, ties
// broken by `rank` (depth-first position); HEAD first and TAIL last unless an
// order puts a node before HEAD or after TAIL, as in Rocks' base graph.
// Nodes left on a cycle (reported by check()) follow in rank order.
std::vector<std::string> kickstartOrder(const Graph& graph, Index rank) {
    std::map<std::string, std::set<std::string>> after;   // head -> tails
    std::map<std::string, std::set<std::string>> before;  // tail -> heads
    auto mention = [&](const std::string& node) { rank.emplace(node, rank.size()); };
    for (const auto& o : graph.orders) {
        mention(o.head);
        mention(o.tail);
        after[o.head].insert(o.tail);
        before[o.tail].insert(o.head);
    }
    mention("HEAD");
    mention("TAIL");
    auto first = closure("HEAD", before);  // placed before HEAD
    auto last = closure("TAIL", after);    // placed after TAIL
    for (const auto& [node, unused] : rank) {
        if (isOrderAnchor(node)) {
            continue;
        }
        if (first.count(node) == 0) {
            after["HEAD"].insert(node);
        }
        if (last.count(node) == 0) {
            after[node].insert("TAIL");
        }
    }
    after["HEAD"].insert("TAIL");

    std::map<std::string, std::size_t> pending;
    for (const auto& [node, unused] : rank) {
        pending[node] = 0;
    }
    for (const auto& [head, tails] : after) {
        for (const auto& tail : tails) {
            ++pending[tail];
        }
    }
    using Item = std::pair<std::size_t, std::string>;
    std::priority_queue<Item, std::vector<Item>, std::greater<>> ready;
    for (const auto& [node, count] : pending) {
        if (count == 0) {
            ready.push({rank[node], node});
        }
    }
    std::vector<std::string> order;
    std::set<std::string> placed;
    while (!ready.empty()) {
        auto [unused, node] = ready.top();
        ready.pop();
        order.push_back(node);
        placed.insert(node);
        for (const auto& tail : after[node]) {
            if (--pending[tail] == 0) {
                ready.push({rank[tail], tail});
            }
        }
    }
    std::vector<Item> rest;
    for (const auto& [node, r] : rank) {
        if (placed.count(node) == 0) {
            rest.emplace_back(r, node);
        }
    }
    std::sort(rest.begin(), rest.end());
    for (const auto& item : rest) {
        order.push_back(item.second);
    }
    return order;
}

}  // namespace

std::vector<WalkStep> RollTree::walk(const std::string& graphName, const std::string& root) const {
    auto g = graphs_.find(graphName);
    if (g == graphs_.end()) {
        throw Error("no graph '" + graphName + "' in " + (dir_ / "graphs").string());
    }
    if (nodes_.count(root) == 0 && !isExternalNode(root)) {
        throw Error("no node file '" + root + "' in " + (dir_ / "nodes").string());
    }
    const Graph& graph = g->second;

    // Depth first from the root, edges in file order: what the appliance gets.
    std::map<std::string, WalkStep> steps;
    Index rank;
    std::function<void(const std::string&, const std::string&, const Conditions&)> visit =
        [&](const std::string& node, const std::string& parent, const Conditions& conditions) {
            if (steps.count(node) != 0) {
                return;
            }
            auto file = nodes_.find(node);
            steps[node] = {node, file != nodes_.end() ? &file->second : nullptr, parent,
                           conditions};
            rank.emplace(node, rank.size());
            for (const auto& e : graph.edges) {
                if (e.from == node) {
                    visit(e.to, node, e.conditions);
                }
            }
        };
    visit(root, "", "");

    std::vector<WalkStep> out;
    for (const auto& node : kickstartOrder(graph, rank)) {
        if (auto it = steps.find(node); it != steps.end()) {
            out.push_back(it->second);
        }
    }
    return out;
}

}  // namespace vcluster::roll
