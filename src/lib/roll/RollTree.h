#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace vcluster::roll {

// Where something is in the roll source: a path relative to the roll
// directory ("nodes/vcluster-base.xml") and a 1-based line (0: whole file).
struct Location {
    std::string file;
    long line = 0;
};

// One thing wrong with the roll, printed as "file:line: message".
struct Problem {
    Location where;
    std::string message;
    std::string text() const;
};

// Where a package, section or edge applies (arch=, os=, release=, cond=),
// as Rocks writes it, e.g. `os="linux" cond="kvm"`; empty when always.
using Conditions = std::string;

struct Package {
    std::string name;
    Conditions conditions;
    long line = 0;
};

// A <pre>, <post> or <main> section; body is its text with Rocks' helper
// elements (<file>, <eval>, <var>) kept as written and comments dropped.
struct Section {
    std::string kind;
    Conditions conditions;
    std::string body;
    long line = 0;
};

// An appliance a node file creates with `rocks add appliance` in a <post>
// section, the way Rocks rolls register their appliances.
struct ApplianceDeclaration {
    std::string name;
    std::string membership;
    std::string node;
    std::string graph = "default";
    std::string isPublic;
    Location where;
};

struct NodeFile {
    std::string name;  // file name without .xml
    Location where;    // the <kickstart> element
    std::string description;
    std::vector<Package> packages;
    std::vector<Section> sections;
    std::vector<ApplianceDeclaration> appliances;
};

struct Edge {
    std::string from;
    std::string to;
    Conditions conditions;
    Location where;
};

// head is placed before tail in the generated kickstart.
struct Order {
    std::string head;
    std::string tail;
    Location where;
};

struct Graph {
    std::string name;  // the directory under graphs/, e.g. "default"
    std::vector<Edge> edges;
    std::vector<Order> orders;
};

// One node file of an appliance, in kickstart order.
struct WalkStep {
    std::string node;
    const NodeFile* file = nullptr;  // nullptr: a node of another Rocks roll
    std::string parent;              // the node whose edge brought it in ("" for the root)
    Conditions conditions;           // that edge's conditions
};

// A roll's nodes/ and graphs/<graph>/ as Rocks' kpp reads them, loaded with
// libxml2 and validated against the roll's RELAX NG schemas. Loading never
// stops at a bad file: what is wrong goes to problems().
class RollTree {
  public:
    // Throws Error when dir has no nodes/ directory.
    static RollTree load(const std::filesystem::path& dir);

    const std::filesystem::path& directory() const { return dir_; }
    const std::map<std::string, NodeFile>& nodes() const { return nodes_; }
    const std::map<std::string, Graph>& graphs() const { return graphs_; }
    std::vector<ApplianceDeclaration> appliances() const;

    // Everything wrong: unreadable or invalid files, unknown entities, edges
    // and orders naming missing nodes, cycles, node files no appliance
    // reaches. Sorted by file and line.
    std::vector<Problem> check() const;

    // The node files an appliance rooted at `root` gets, in the order Rocks
    // would put them in the kickstart: every node reachable by edges, sorted
    // by the <order> constraints, ties in depth-first order. Edge conditions
    // are reported, not evaluated. Throws Error for an unknown graph or root.
    std::vector<WalkStep> walk(const std::string& graph, const std::string& root) const;

  private:
    std::filesystem::path dir_;
    std::map<std::string, NodeFile> nodes_;
    std::map<std::string, Graph> graphs_;
    std::vector<Problem> loadProblems_;

    friend class RollLoader;
};

// The installed roll source: $VCLUSTER_ROLL_DIR, else share/vcluster under the
// prefix rocks runs from (executablePrefixes(): build tree and install roots)
// when it exists, else <prefix>/share/vcluster.
std::filesystem::path defaultRollDirectory();

}  // namespace vcluster::roll
