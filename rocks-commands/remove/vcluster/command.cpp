// rocks remove vcluster <name>: cancels a reservation.
#include "cli/Plugin.h"
#include "reservation/ReservationBook.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;
using namespace vcluster::reservation;

class RemoveVcluster : public Command {
  public:
    std::vector<std::string> words() const override { return {"remove", "vcluster"}; }
    CommandHelp help() const override {
        return {"Cancel a virtual cluster reservation",
                "A reservation that has not started yet is deleted. One whose start passed but "
                "that was never built is marked cancelled. One that was built (or partly built, "
                "or failed) gets its end moved to now, so the next `rocks sync vcluster` tears "
                "down everything it created and removes its rows. Either way its future capacity "
                "(nodes, storage, VLAN id, public address) is free for other reservations at once.",
                {{"name", "the vcluster", false, true}},
                {},
                {{"rocks remove vcluster dc1", "cancels dc1"}}};
    }
    void run(Context& ctx) override {
        Time now = currentTime();
        db::Transaction tx(ctx.db());
        ctx.requireArg(0, "name");
        for (const auto& name : ctx.args()) {
            ReservationBook(ctx.db()).cancel(name, now);
        }
        tx.commit();
    }
};

}  // namespace

ROCKS_COMMAND(RemoveVcluster)
