// rocks report roll check [dir=]
#include "cli/Plugin.h"
#include "roll/RollTree.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;

class ReportRollCheck : public Command {
  public:
    std::vector<std::string> words() const override { return {"report", "roll", "check"}; }
    CommandHelp help() const override {
        return {
            "Check the roll's node and graph files",
            "Loads nodes/*.xml and graphs/<graph>/*.xml of a roll source the way Rocks' "
            "kickstart generator reads them, and prints one line per problem as file:line: "
            "what. It checks that every file is well-formed XML valid against the roll's "
            "RELAX NG schemas (graphs/schema/), that every &attribute; is a Rocks attribute "
            "or a vcluster_* one, that every node an edge, order or `rocks add appliance` "
            "names exists in this roll or in Rocks' base roll, that edges and orders have "
            "no cycles, and that every node file is reached from server, client or an "
            "appliance's node. Exits non-zero when there is any problem.",
            {},
            {{"dir",
              "the roll source directory, holding nodes/ and graphs/ (default: the "
              "installed roll, /opt/rocks/share/vcluster)",
              ""}},
            {{"rocks report roll check", "check the installed roll"},
             {"rocks report roll check dir=.", "check the roll source in the current directory"}}};
    }
    void run(Context& ctx) override {
        auto dir = ctx.has("dir") ? std::filesystem::path(ctx.requireParam("dir"))
                                  : roll::defaultRollDirectory();
        auto tree = roll::RollTree::load(dir);
        auto problems = tree.check();
        for (const auto& p : problems) {
            ctx.out() << p.text() << '\n';
        }
        if (!problems.empty()) {
            ctx.out().flush();
            throw Error(std::to_string(problems.size()) + " problem(s) in the roll at " +
                        dir.string());
        }
        ctx.out() << "roll at " << dir.string() << ": " << tree.nodes().size() << " node files, "
                  << tree.appliances().size() << " appliances, " << tree.graphs().size()
                  << " graph(s): no problems\n";
    }
};

}  // namespace

ROCKS_COMMAND(ReportRollCheck)
