// rocks add vcluster roll <name> version= [arch=]: registers a roll the roll
// server offers to virtual frontends (Rocks' rolls table).
#include "cli/Plugin.h"
#include "cluster/Rolls.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;

class AddVclusterRoll : public Command {
  public:
    std::vector<std::string> words() const override { return {"add", "vcluster", "roll"}; }
    CommandHelp help() const override {
        return {"Register a roll that virtual frontends may install",
                "Adds a row to Rocks' rolls table: the rolls a booking may name (rolls=) and the "
                "versions the virtual frontend's rolls.xml asks the roll server for. On a Rocks "
                "frontend `rocks add roll` fills the table from the roll ISOs; this command is "
                "for the roll's own database (and for tests).",
                {{"roll", "the roll's name, e.g. base"}},
                {{"version", "the roll's version, e.g. 7.0", "", true},
                 {"arch", "its architecture", "x86_64"},
                 {"enabled", "whether bookings may use it (yes or no)", "yes"}},
                {{"rocks add vcluster roll base version=7.0",
                  "Rocks' base roll, version 7.0, for x86_64"}}};
    }
    void run(Context& ctx) override {
        RollRecord roll;
        roll.name = ctx.requireArg(0, "roll");
        roll.version = ctx.requireParam("version");
        roll.arch = ctx.param("arch", "x86_64");
        roll.enabled = parseBool(ctx.param("enabled", "yes"), "enabled");
        db::Transaction tx(ctx.db());
        RollPool(ctx.db()).add(roll);
        tx.commit();
    }
};

}  // namespace

ROCKS_COMMAND(AddVclusterRoll)
