// rocks report version: the roll's version, from version.mk.
#include "cli/BuildInfo.h"
#include "cli/Plugin.h"

namespace {

using namespace vcluster::cli;

class ReportVersion : public Command {
  public:
    std::vector<std::string> words() const override { return {"report", "version"}; }
    CommandHelp help() const override {
        return {
            "Print the vcluster roll's name, version and release",
            "The version comes from the roll's version.mk at build time (also `rocks --version`).",
            {},
            {},
            {{"rocks report version", "prints e.g. vcluster 1.0.0-1"}}};
    }
    void run(Context& ctx) override {
        namespace b = vcluster::build;
        ctx.out() << b::kRollName << ' ' << b::kVersion << '-' << b::kRelease << '\n';
    }
};

}  // namespace

ROCKS_COMMAND(ReportVersion)
