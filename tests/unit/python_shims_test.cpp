// The Python modules that put the roll's commands into Rocks' own `rocks`
// (cli/PythonShims.h): which are written, and that any help text survives
// as Rocks' docstring grammar inside Python 2.4 syntax. The real plugins'
// tree runs under the stand-in of Rocks in tests/rocks-python/shims.test.sh.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "cli/PythonShims.h"
#include "support/Process.h"

using namespace vcluster;
using namespace vcluster::cli;

namespace {

CommandHelp nastyHelp() {
    CommandHelp h;
    h.summary = "Book <things> & \"quote\" them";
    h.description =
        "Backslash \\ and triple \"\"\" quotes, 'apostrophes', a tab\tand \xE2\x80\x94 a dash.";
    h.args = {{"name", "the <name> & more", false, false}, {"extra", "repeated", true, true}};
    h.params = {{"start", "when it starts; <iso>", "now", false},
                {"sshkey", "the key's file", "", true}};
    h.examples = {{"rocks add thing x start='a&b' note=\"y\"", "books <x>"}};
    return h;
}

const ShimFile* find(const ShimTree& t, const std::string& path) {
    auto it = std::find_if(t.files.begin(), t.files.end(),
                           [&](const ShimFile& f) { return f.path == path; });
    return it == t.files.end() ? nullptr : &*it;
}

}  // namespace

TEST(PythonShims, OnlyTheRollsOwnCommandsGetModules) {
    const std::set<std::string> rocks = {"add",         "add/host", "list", "list/host", "report",
                                         "report/host", "help",     "set",  "set/attr"};
    CommandHelp h{"x", "", {}, {}, {}};
    auto tree = pythonShimTree({{{"add", "host"}, h},
                                {{"list", "host"}, h},
                                {{"list", "host", "maintenance"}, h},
                                {{"add", "vcluster", "user"}, h},
                                {{"add", "vcluster"}, h},
                                {{"report", "host", "vcluster", "config"}, h},
                                {{"rollback", "vcluster"}, h},
                                {{"help"}, h},
                                {{"set", "attr"}, h}},
                               rocks, "/opt/rocks/libexec/vcluster/rocks");
    std::vector<std::string> paths;
    for (const auto& f : tree.files) {
        paths.push_back(f.path);
    }
    EXPECT_EQ(paths, (std::vector<std::string>{
                         "rocks/commands/add/vcluster/__init__.py",
                         "rocks/commands/add/vcluster/user/__init__.py",
                         "rocks/commands/list/host/maintenance/__init__.py",
                         "rocks/commands/report/host/vcluster/__init__.py",
                         "rocks/commands/report/host/vcluster/config/__init__.py",
                         "rocks/commands/rollback/__init__.py",
                         "rocks/commands/rollback/vcluster/__init__.py",
                     }));
    EXPECT_EQ(tree.ownedDirectories,
              (std::vector<std::string>{
                  "rocks/commands/add/vcluster", "rocks/commands/list/host/maintenance",
                  "rocks/commands/report/host/vcluster", "rocks/commands/rollback"}));
    EXPECT_EQ(tree.rocksOwn,
              (std::vector<std::string>{"add host", "list host", "help", "set attr"}));
    // add vcluster is a command although written after its sub-command's package
    EXPECT_NE(find(tree, "rocks/commands/add/vcluster/__init__.py")->content.find("class Command("),
              std::string::npos);
    // a package that is no command has no Command; a new verb has Rocks' `command`
    EXPECT_EQ(find(tree, "rocks/commands/report/host/vcluster/__init__.py")->content.find("class"),
              std::string::npos);
    EXPECT_NE(find(tree, "rocks/commands/rollback/__init__.py")
                  ->content.find("class command(rocks.commands.Command):"),
              std::string::npos);
    EXPECT_NE(find(tree, "rocks/commands/rollback/vcluster/__init__.py")
                  ->content.find("class Command(rocks.commands.rollback.command):"),
              std::string::npos);
}

TEST(PythonShims, DocstringIsRocksGrammarInAscii) {
    const std::string doc = rocksDocstring({"add", "thing"}, nastyHelp());
    EXPECT_NE(doc.find("Book &lt;things&gt; &amp; \"quote\" them."), std::string::npos) << doc;
    EXPECT_NE(doc.find("<arg type='string' name='name'>"), std::string::npos) << doc;
    EXPECT_NE(doc.find("<arg type='string' name='extra' optional='1' repeat='1'>"),
              std::string::npos);
    EXPECT_NE(doc.find("<param type='string' name='start' optional='1'>"), std::string::npos);
    EXPECT_NE(doc.find("Default: now."), std::string::npos);
    EXPECT_NE(doc.find("<param type='string' name='sshkey' optional='0'>"), std::string::npos);
    EXPECT_NE(doc.find("<example cmd='add thing x start=&apos;a&amp;b&apos; note=&quot;y&quot;'>"),
              std::string::npos)
        << doc;
    EXPECT_TRUE(std::all_of(doc.begin(), doc.end(),
                            [](char c) { return static_cast<unsigned char>(c) < 0x80; }));
    EXPECT_NE(doc.find("a tab and ? a dash."), std::string::npos) << doc;
}

// The module with that help parses under Python 3, its docstring is the
// text above exactly (escapes undone by Python) and is well-formed XML.
TEST(PythonShims, NastyHelpStillParsesAsPythonAndXml) {
    test::TempDir dir;
    auto tree = pythonShimTree({{{"add", "thing"}, nastyHelp()}}, {"add"}, "/x/it's \"rocks\"");
    const ShimFile* f = find(tree, "rocks/commands/add/thing/__init__.py");
    ASSERT_NE(f, nullptr);
    test::writeFile(dir / "shim.py", f->content);
    test::writeFile(dir / "want.txt", rocksDocstring({"add", "thing"}, nastyHelp()));
    const std::string check = R"PY(
import ast, sys, xml.dom.minidom
tree = ast.parse(open(sys.argv[1]).read())
cls = [n for n in tree.body if isinstance(n, ast.ClassDef)][0]
doc = ast.get_docstring(cls, clean=False)
want = open(sys.argv[2]).read()
assert doc.strip() == want.strip(), (doc, want)
xml.dom.minidom.parseString('<docstring>%s</docstring>' % doc)
values = dict((t.id, n.value.value) for n in tree.body if isinstance(n, ast.Assign)
              for t in n.targets if isinstance(n.value, ast.Constant))
assert values['DISPATCHER'] == '/x/it\'s "rocks"', values
)PY";
    auto r = test::runProcess(
        {"python3", "-c", check, (dir / "shim.py").string(), (dir / "want.txt").string()});
    EXPECT_EQ(r.exitCode, 0) << r.err << f->content;
    auto syntax = test::runProcess(
        {"python3", std::string(VCLUSTER_SOURCE_DIR) + "/tests/rocks-python/py24_syntax.py",
         (dir / "shim.py").string()});
    EXPECT_EQ(syntax.exitCode, 0) << syntax.out << syntax.err;
}
