// A command built outside the roll: dropping its .so into the plugin
// directory must be enough for `rocks report hello` to exist.
#include "cli/Plugin.h"

namespace {

class ReportHello : public vcluster::cli::Command {
  public:
    std::vector<std::string> words() const override { return {"report", "hello"}; }
    vcluster::cli::CommandHelp help() const override {
        return {"Say hello (a test plugin)", "", {{"who", "whom to greet", true}}, {}, {}};
    }
    void run(vcluster::cli::Context& ctx) override {
        ctx.out() << "hello " << (ctx.args().empty() ? "world" : ctx.args()[0]) << '\n';
    }
};

}  // namespace

ROCKS_COMMAND(ReportHello)
