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
            "(nodes, storage, VLAN id, public address) is free for other reservations at once. "
            "The name of a count= group removes all of its clusters, once confirm= repeats how "
            "many there are.",
            {{"name", "the vcluster (or group)", false, true}},
            [] {
                auto p = portal::portalParams();
                p.push_back({"confirm", "for a group: its number of clusters", ""});
                return p;
            }(),
            {{"rocks remove vcluster dc1", "cancels dc1"},
             {"rocks remove vcluster hpc101 confirm=30", "cancels the 30 clusters of hpc101"},
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
        ReservationBook book(ctx.db());
        for (const auto& name : ctx.args()) {
            auto members = book.group(name);
            if (members.empty() || ReservationPool(ctx.db()).findLive(name)) {
                book.cancel(name, now, invokingUser());
                continue;
            }
            const std::string n = std::to_string(members.size());
            if (ctx.param("confirm", "") != n) {
                std::string why = "vcluster '";
                why += name;
                why += "' is a group of " + n + " clusters: give confirm=";
                why += n;
                why += " to remove them all";
                throw Error(why);
            }
            for (const auto& m : members) {
                book.cancel(m.request.name, now, invokingUser());
            }
        }
        tx.commit();
    }
};

}  // namespace

ROCKS_COMMAND(RemoveVcluster)
