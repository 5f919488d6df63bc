// rocks set vcluster <name> end=|nodes=|memory=: changes a reservation.
#include "cli/Plugin.h"
#include "reservation/ReservationBook.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;
using namespace vcluster::reservation;

class SetVcluster : public Command {
  public:
    std::vector<std::string> words() const override { return {"set", "vcluster"}; }
    CommandHelp help() const override {
        return {"Extend, shrink or grow a virtual cluster reservation",
                "Changes the end time, the number of compute nodes or the memory per node, and "
                "re-admits the reservation as a whole: its network id, frontend, storage and "
                "existing nodes stay where they are and only added nodes are placed. If anything "
                "does not fit, the command is refused (exit 2) and nothing changes.",
                {{"name", "the vcluster"}},
                {{"end", "new end time (ISO 8601)", ""},
                 {"nodes", "new number of compute nodes", ""},
                 {"memory", "new memory per compute node", ""}},
                {{"rocks set vcluster dc1 end=2027-01-31T23:59:59Z", "extends dc1 by a month"},
                 {"rocks set vcluster dc1 nodes=24", "grows dc1 to 24 nodes"}}};
    }
    void run(Context& ctx) override {
        std::string name = ctx.requireArg(0, "name");
        ReservationChange change = parseReservationChange(ctx.params());
        Time now = currentTime();
        db::Transaction tx(ctx.db());
        ReservationBook(ctx.db()).change(name, change, now);
        tx.commit();
    }
};

}  // namespace

ROCKS_COMMAND(SetVcluster)
