// rocks remove vcluster <name>: cancels a reservation.
#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include "cli/Plugin.h"
#include "portal/PortalClient.h"
#include "reservation/ReservationBook.h"

namespace {

// Who removes it, for the history: the user behind sudo, else the caller.
std::string invokingUser() {
    if (const char* sudo = std::getenv("SUDO_USER"); sudo != nullptr && *sudo != '\0') {
        return sudo;
    }
    const passwd* pw = getpwuid(geteuid());
    return pw != nullptr ? pw->pw_name : "uid " + std::to_string(geteuid());
}

using namespace vcluster;
using namespace vcluster::cli;
using namespace vcluster::reservation;

class RemoveVcluster : public Command {
  public:
    std::vector<std::string> words() const override { return {"remove", "vcluster"}; }
    CommandHelp help() const override {
        return {
            "Cancel a virtual cluster reservation",
            "A reservation that has not started yet is deleted. One whose start passed but "
            "that was never built is marked cancelled. One that was built (or partly built, "
            "or failed) gets its end moved to now, so the next `rocks sync vcluster` tears "
            "down everything it created and removes its rows. Either way its future capacity "
            "(nodes, storage, VLAN id, public address) is free for other reservations at once.",
            {{"name", "the vcluster", false, true}},
            portal::portalParams(),
            {{"rocks remove vcluster dc1", "cancels dc1"},
             {"rocks remove vcluster dc1 portal=https://manager:8443 token-file=~/.vcluster-token",
              "cancels dc1 through a remote portal (one request per name there)"}}};
    }
    void run(Context& ctx) override {
        if (auto portal = portal::portalConfig(ctx.params())) {
            ctx.requireArg(0, "name");
            portal::PortalClient client(*portal);
            for (const auto& name : ctx.args()) {
                client.call("DELETE",
                            "/api/v1/reservations/" + portal::PortalClient::segment(name));
            }
            return;
        }
        Time now = currentTime();
        db::Transaction tx(ctx.db());
        ctx.requireArg(0, "name");
        for (const auto& name : ctx.args()) {
            ReservationBook(ctx.db()).cancel(name, now, invokingUser());
        }
        tx.commit();
    }
};

}  // namespace

ROCKS_COMMAND(RemoveVcluster)
