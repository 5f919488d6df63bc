// Loading a roll's node and graph files with libxml2: entity handling,
// well-formedness, RELAX NG validation, then the model (RollTree.h).
#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/tree.h>

#include <unistd.h>
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <regex>
#include <set>
#include <sstream>

#include "cli/BuildInfo.h"
#include "roll/RocksBase.h"
#include "roll/RollSchemas.h"
#include "roll/RollTree.h"
#include "util/Error.h"
#include "util/InstallLayout.h"
#include "util/Strings.h"

namespace vcluster::roll {

namespace {

namespace fs = std::filesystem;

struct DocFree {
    void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
struct ParserFree {
    void operator()(xmlParserCtxt* c) const { xmlFreeParserCtxt(c); }
};
struct RngParserFree {
    void operator()(xmlRelaxNGParserCtxt* c) const { xmlRelaxNGFreeParserCtxt(c); }
};
struct RngFree {
    void operator()(xmlRelaxNG* s) const { xmlRelaxNGFree(s); }
};
struct RngValidFree {
    void operator()(xmlRelaxNGValidCtxt* c) const { xmlRelaxNGFreeValidCtxt(c); }
};
using DocPtr = std::unique_ptr<xmlDoc, DocFree>;

std::string trimmed(std::string s) {
    auto notSpace = [](unsigned char c) { return std::isspace(c) == 0; };
    s.erase(s.begin(), std::find_if(s.begin(), s.end(), notSpace));
    s.erase(std::find_if(s.rbegin(), s.rend(), notSpace).base(), s.end());
    return s;
}

std::string name(const xmlNode* node) { return reinterpret_cast<const char*>(node->name); }

std::string attribute(const xmlNode* node, const char* attr) {
    xmlChar* value = xmlGetProp(node, reinterpret_cast<const xmlChar*>(attr));
    if (value == nullptr) {
        return {};
    }
    std::string out(reinterpret_cast<const char*>(value));
    xmlFree(value);
    return out;
}

std::string content(const xmlNode* node) {
    xmlChar* value = xmlNodeGetContent(node);
    if (value == nullptr) {
        return {};
    }
    std::string out(reinterpret_cast<const char*>(value));
    xmlFree(value);
    return out;
}

bool isElement(const xmlNode* node, const char* tag = nullptr) {
    return node->type == XML_ELEMENT_NODE && (tag == nullptr || name(node) == tag);
}

long lineOf(const xmlNode* node) { return xmlGetLineNo(node); }

// arch=, os=, release=, cond= as Rocks writes them; `outer` first (an
// edge's conditions apply to each of its <to> children too).
Conditions conditionsOf(const xmlNode* node, const Conditions& outer = {}) {
    std::vector<std::string> parts;
    if (!outer.empty()) {
        parts.push_back(outer);
    }
    for (const char* attr : {"arch", "os", "release", "cond"}) {
        if (std::string v = attribute(node, attr); !v.empty()) {
            parts.push_back(std::string(attr) + "=\"" + v + "\"");
        }
    }
    return join(parts, " ");
}

// The text of a section as an admin reads it: text verbatim, helper elements
// re-written as tags, comments replaced by the line breaks they spanned so
// that line counting inside the body stays right.
void render(const xmlNode* first, std::string& out) {
    for (const xmlNode* n = first; n != nullptr; n = n->next) {
        switch (n->type) {
            case XML_TEXT_NODE:
            case XML_CDATA_SECTION_NODE:
                out += content(n);
                break;
            case XML_COMMENT_NODE: {
                std::string c = content(n);
                out.append(static_cast<std::size_t>(std::count(c.begin(), c.end(), '\n')), '\n');
                break;
            }
            case XML_ELEMENT_NODE: {
                out += "<" + name(n);
                for (const xmlAttr* a = n->properties; a != nullptr; a = a->next) {
                    out += " " + std::string(reinterpret_cast<const char*>(a->name)) + "=\"" +
                           attribute(n, reinterpret_cast<const char*>(a->name)) + "\"";
                }
                if (n->children == nullptr) {
                    out += "/>";
                } else {
                    out += ">";
                    render(n->children, out);
                    out += "</" + name(n) + ">";
                }
                break;
            }
            default:
                break;
        }
    }
}

// Shell-like words of one command line: quotes removed, no expansion.
std::vector<std::string> shellWords(const std::string& line) {
    std::vector<std::string> words;
    std::string word;
    bool inWord = false;
    char quote = 0;
    for (char c : line) {
        if (quote != 0) {
            if (c == quote) {
                quote = 0;
            } else {
                word += c;
            }
        } else if (c == '\'' || c == '"') {
            quote = c;
            inWord = true;
        } else if (std::isspace(static_cast<unsigned char>(c)) != 0) {
            if (inWord) {
                words.push_back(word);
                word.clear();
                inWord = false;
            }
        } else {
            word += c;
            inWord = true;
        }
    }
    if (inWord) {
        words.push_back(word);
    }
    return words;
}

// `rocks add appliance NAME membership=... node=... graph=... public=...`
// commands in a <post> body (with backslash continuations).
std::vector<ApplianceDeclaration> appliancesIn(const Section& post, const std::string& file) {
    static const std::string kCommand = "rocks add appliance";
    std::vector<ApplianceDeclaration> out;
    const std::string& body = post.body;
    for (std::size_t at = body.find(kCommand); at != std::string::npos;
         at = body.find(kCommand, at + kCommand.size())) {
        std::string logical;
        std::size_t i = at + kCommand.size();
        for (; i < body.size() && body[i] != '\n'; ++i) {
            if (body[i] == '\\' && i + 1 < body.size() && body[i + 1] == '\n') {
                logical += ' ';
                ++i;
            } else {
                logical += body[i];
            }
        }
        ApplianceDeclaration decl;
        decl.where = {
            file, post.line + std::count(body.begin(), body.begin() + static_cast<long>(at), '\n')};
        for (const auto& word : shellWords(logical)) {
            auto eq = word.find('=');
            if (eq == std::string::npos) {
                if (decl.name.empty()) {
                    decl.name = word;
                }
                continue;
            }
            std::string key = word.substr(0, eq);
            std::string value = word.substr(eq + 1);
            if (key == "membership") {
                decl.membership = value;
            } else if (key == "node") {
                decl.node = value;
            } else if (key == "graph") {
                decl.graph = value;
            } else if (key == "public") {
                decl.isPublic = value;
            }
        }
        out.push_back(decl);
    }
    return out;
}

std::string readText(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw Error("cannot read " + path.string());
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

const std::set<std::string>& xmlEntities() {
    static const std::set<std::string> kNames = {"amp", "lt", "gt", "quot", "apos"};
    return kNames;
}

class Schema {
  public:
    explicit Schema(const char* text) {
        std::unique_ptr<xmlRelaxNGParserCtxt, RngParserFree> parser(xmlRelaxNGNewMemParserCtxt(
            text, static_cast<int>(std::char_traits<char>::length(text))));
        schema_.reset(xmlRelaxNGParse(parser.get()));
        if (!schema_) {
            throw Error("the roll's compiled-in RELAX NG schema does not parse");
        }
    }
    // Validation messages with their lines, in document order.
    std::vector<Problem> validate(xmlDoc* doc, const std::string& file) const {
        std::vector<Problem> problems;
        std::unique_ptr<xmlRelaxNGValidCtxt, RngValidFree> ctxt(
            xmlRelaxNGNewValidCtxt(schema_.get()));
        Collector collector{file, &problems};
        xmlRelaxNGSetValidStructuredErrors(ctxt.get(), &Collector::onError, &collector);
        if (xmlRelaxNGValidateDoc(ctxt.get(), doc) != 0 && problems.empty()) {
            problems.push_back({{file, 0}, "does not match the RELAX NG schema"});
        }
        return problems;
    }

  private:
    struct Collector {
        std::string file;
        std::vector<Problem>* problems;
        static void onError(void* self, xmlError* error) {
            auto* c = static_cast<Collector*>(self);
            long line = error->line;
            if (error->node != nullptr) {
                line = xmlGetLineNo(static_cast<xmlNode*>(error->node));
            }
            Problem p{{c->file, line},
                      "schema: " + trimmed(error->message != nullptr ? error->message : "invalid")};
            for (const auto& seen : *c->problems) {
                if (seen.where.line == p.where.line && seen.message == p.message) {
                    return;
                }
            }
            c->problems->push_back(std::move(p));
        }
    };
    std::unique_ptr<xmlRelaxNG, RngFree> schema_;
};

}  // namespace

// Reads the files; every problem is recorded, nothing throws past a bad file.
class RollLoader {
  public:
    explicit RollLoader(RollTree& tree)
        : tree_(tree), kickstart_(kickstartSchema()), graph_(graphSchema()) {}

    void loadNodes() {
        for (const auto& path : xmlFiles(tree_.dir_ / "nodes")) {
            std::string rel = relative(path);
            DocPtr doc = parse(path, rel, kickstart_);
            if (!doc) {
                // Known by name, so edges to it do not add "no node file" noise.
                tree_.nodes_[path.stem().string()] = {
                    path.stem().string(), {rel, 1}, {}, {}, {}, {}};
                continue;
            }
            const xmlNode* root = xmlDocGetRootElement(doc.get());
            NodeFile node;
            node.name = path.stem().string();
            node.where = {rel, lineOf(root)};
            for (const xmlNode* n = root->children; n != nullptr; n = n->next) {
                if (isElement(n, "description")) {
                    node.description = trimmed(content(n));
                } else if (isElement(n, "package")) {
                    node.packages.push_back({trimmed(content(n)), conditionsOf(n), lineOf(n)});
                } else if (isElement(n, "pre") || isElement(n, "post") || isElement(n, "main") ||
                           isElement(n, "boot")) {
                    Section s{name(n), conditionsOf(n), {}, lineOf(n)};
                    render(n->children, s.body);
                    if (s.kind == "post") {
                        auto found = appliancesIn(s, rel);
                        node.appliances.insert(node.appliances.end(), found.begin(), found.end());
                    }
                    node.sections.push_back(std::move(s));
                }
            }
            tree_.nodes_[node.name] = std::move(node);
        }
    }

    void loadGraphs() {
        std::error_code ec;
        fs::path graphs = tree_.dir_ / "graphs";
        if (!fs::is_directory(graphs, ec)) {
            problem({"graphs", 0}, "no graphs/ directory: no node file is in any appliance");
            return;
        }
        std::vector<fs::path> dirs;
        for (const auto& entry : fs::directory_iterator(graphs, ec)) {
            if (entry.is_directory() && entry.path().filename() != "schema") {
                dirs.push_back(entry.path());
            }
        }
        std::sort(dirs.begin(), dirs.end());
        for (const auto& dir : dirs) {
            Graph& graph = tree_.graphs_[dir.filename().string()];
            graph.name = dir.filename().string();
            for (const auto& path : xmlFiles(dir)) {
                std::string rel = relative(path);
                DocPtr doc = parse(path, rel, graph_);
                if (doc) {
                    readGraph(xmlDocGetRootElement(doc.get()), rel, graph);
                }
            }
        }
    }

  private:
    void problem(Location where, std::string message) {
        tree_.loadProblems_.push_back({std::move(where), std::move(message)});
    }

    std::string relative(const fs::path& path) const {
        return path.lexically_relative(tree_.dir_).generic_string();
    }

    static std::vector<fs::path> xmlFiles(const fs::path& dir) {
        std::vector<fs::path> files;
        std::error_code ec;
        for (const auto& entry : fs::directory_iterator(dir, ec)) {
            if (entry.is_regular_file() && entry.path().extension() == ".xml") {
                files.push_back(entry.path());
            }
        }
        std::sort(files.begin(), files.end());
        return files;
    }

    // Rocks attributes (&Kickstart_PrivateHostname;) are substituted by kpp
    // before any XML parser sees the file, so they are declared nowhere. We
    // keep each as literal text (&amp;name;), which leaves lines unchanged and
    // shows the attribute in `rocks report appliance kickstart`; names that
    // are not Rocks attributes are reported.
    std::string substituteEntities(const std::string& text, const std::string& rel) {
        static const std::regex kEntity("&([A-Za-z_][A-Za-z0-9_.\\-]*);");
        std::string out;
        long line = 1;
        auto last = text.cbegin();
        for (std::sregex_iterator it(text.begin(), text.end(), kEntity), end; it != end; ++it) {
            const auto& m = *it;
            line += std::count(last, m[0].first, '\n');
            out.append(last, m[0].first);
            last = m[0].second;
            std::string entity = m[1].str();
            if (xmlEntities().count(entity) != 0) {
                out += m[0].str();
                continue;
            }
            if (!isKnownAttribute(entity)) {
                problem({rel, line}, "unknown Rocks attribute &" + entity +
                                         "; (neither a standard Rocks attribute nor vc_*)");
            }
            out += "&amp;" + entity + ";";
        }
        out.append(last, text.cend());
        return out;
    }

    DocPtr parse(const fs::path& path, const std::string& rel, const Schema& schema) {
        std::string text;
        try {
            text = substituteEntities(readText(path), rel);
        } catch (const Error& e) {
            problem({rel, 0}, e.what());
            return nullptr;
        }
        std::unique_ptr<xmlParserCtxt, ParserFree> ctxt(xmlNewParserCtxt());
        DocPtr doc(xmlCtxtReadMemory(ctxt.get(), text.data(), static_cast<int>(text.size()),
                                     rel.c_str(), nullptr,
                                     XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
        if (!doc || ctxt->wellFormed == 0) {
            const xmlError* error = xmlCtxtGetLastError(ctxt.get());
            long line = error != nullptr ? error->line : 0;
            std::string why = error != nullptr && error->message != nullptr
                                  ? trimmed(error->message)
                                  : "not well-formed";
            problem({rel, line}, "not well-formed XML: " + why);
            return nullptr;
        }
        auto invalid = schema.validate(doc.get(), rel);
        tree_.loadProblems_.insert(tree_.loadProblems_.end(), invalid.begin(), invalid.end());
        return doc;
    }

    void readGraph(const xmlNode* root, const std::string& rel, Graph& graph) {
        for (const xmlNode* n = root->children; n != nullptr; n = n->next) {
            if (isElement(n, "edge")) {
                readPairs(n, rel, "from", "to",
                          [&](std::string a, std::string b, Conditions c, long line) {
                              graph.edges.push_back(
                                  {std::move(a), std::move(b), std::move(c), {rel, line}});
                          });
            } else if (isElement(n, "order")) {
                readPairs(n, rel, "head", "tail",
                          [&](std::string a, std::string b, const Conditions&, long line) {
                              graph.orders.push_back({std::move(a), std::move(b), {rel, line}});
                          });
            }
        }
    }

    // <edge from=a to=b/>, <edge from=a><to>b</to>...</edge>, <edge to=b><from>a</from></edge>
    // and the same shapes of <order head tail>.
    template <typename Add>
    void readPairs(const xmlNode* n, const std::string& rel, const char* first, const char* second,
                   Add add) {
        std::string a = trimmed(attribute(n, first));
        std::string b = trimmed(attribute(n, second));
        Conditions outer = conditionsOf(n);
        bool any = false;
        if (!a.empty() && !b.empty()) {
            add(a, b, outer, lineOf(n));
            any = true;
        }
        for (const xmlNode* c = n->children; c != nullptr; c = c->next) {
            if (isElement(c, second) && !a.empty()) {
                add(a, trimmed(content(c)), conditionsOf(c, outer), lineOf(c));
                any = true;
            } else if (isElement(c, first) && !b.empty()) {
                add(trimmed(content(c)), b, conditionsOf(c, outer), lineOf(c));
                any = true;
            } else if (isElement(c)) {
                problem({rel, lineOf(c)}, "<" + name(c) + "> in an <" + name(n) + "> without " +
                                              (isElement(c, second) ? first : second) + "=");
                any = true;
            }
        }
        if (!any) {
            problem({rel, lineOf(n)}, "<" + name(n) + "> needs both " + first + " and " + second +
                                          " (attribute or child)");
        }
    }

    RollTree& tree_;
    // The schemas are compiled once a process (each load compiled both
    // again: most of the time of a load of a small tree).
    static const Schema& kickstartSchema() {
        static const Schema compiled(schema::kKickstart);
        return compiled;
    }
    static const Schema& graphSchema() {
        static const Schema compiled(schema::kGraph);
        return compiled;
    }
    const Schema& kickstart_;
    const Schema& graph_;
};

RollTree RollTree::load(const std::filesystem::path& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir / "nodes", ec)) {
        throw Error("no roll source in " + dir.string() + " (it has no nodes/ directory)");
    }
    RollTree tree;
    tree.dir_ = dir;
    RollLoader loader(tree);
    loader.loadNodes();
    loader.loadGraphs();
    return tree;
}

std::vector<ApplianceDeclaration> RollTree::appliances() const {
    std::vector<ApplianceDeclaration> out;
    for (const auto& [name, node] : nodes_) {
        out.insert(out.end(), node.appliances.begin(), node.appliances.end());
    }
    return out;
}

std::string Problem::text() const {
    return where.file + ":" + std::to_string(where.line) + ": " + message;
}

std::filesystem::path defaultRollDirectory() {
    if (const char* env = std::getenv("VCLUSTER_ROLL_DIR"); env != nullptr && *env != '\0') {
        return env;
    }
    std::error_code ec;
    for (const auto& prefix : executablePrefixes()) {
        auto candidate = prefix / "share" / "vcluster";
        if (fs::is_directory(candidate / "nodes", ec)) {
            return candidate;
        }
    }
    return fs::path(build::kPrefix) / "share" / "vcluster";
}

}  // namespace vcluster::roll
