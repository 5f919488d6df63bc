// rocks move vcluster node <name> <node> host=<vm-server>: a cold move of one
// compute node of a virtual cluster to another vm-server.
#include "cli/Plugin.h"
#include "reservation/ReservationBook.h"
#include "util/Strings.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;

// compute-0-<rank> or <cluster>-compute-0-<rank>.
int rankOf(const std::string& cluster, const std::string& node) {
    std::string rest = node;
    const std::string full = cluster + "-";
    if (rest.rfind(full, 0) == 0) {
        rest = rest.substr(full.size());
    }
    const std::string prefix = "compute-0-";
    if (rest.rfind(prefix, 0) != 0 || rest.size() == prefix.size() ||
        rest.size() > prefix.size() + 6 ||
        rest.find_first_not_of("0123456789", prefix.size()) != std::string::npos) {
        throw Error("node must be compute-0-N or " + cluster + "-compute-0-N, not '" + node + "'");
    }
    return std::stoi(rest.substr(prefix.size()));
}

class MoveVclusterNode : public Command {
  public:
    std::vector<std::string> words() const override { return {"move", "vcluster", "node"}; }
    CommandHelp help() const override {
        return {"Move a compute node of a virtual cluster to another vm-server (cold)",
                "Books the node on the new vm-server at once (refused, exit 2, nothing changed, "
                "when it does not fit there); the next `rocks sync vcluster` powers its VM off, "
                "undefines it on the old host, brings the cluster's network and iSCSI session "
                "to the new host, defines the VM there and starts it (if the cluster is "
                "active). Its disk stays on the storage node. The way to empty a vm-server "
                "for maintenance.",
                {{"name", "the vcluster", false, false}, {"node", "compute-0-N", false, false}},
                {{"host", "the vm-server to move it to", ""}},
                {{"rocks move vcluster node dc1 compute-0-3 host=vm-server-1-2",
                  "dc1's compute-0-3 runs on vm-server-1-2 after the next sync"}}};
    }
    void run(Context& ctx) override {
        const std::string name = ctx.requireArg(0, "name");
        const std::string node = ctx.requireArg(1, "node");
        if (ctx.args().size() > 2) {
            throw Error("one node at a time");
        }
        if (!ctx.has("host") || ctx.param("host", "").empty()) {
            throw Error("host= is required: the vm-server to move " + node + " to");
        }
        const std::string host = ctx.param("host", "");
        const int rank = rankOf(name, node);
        db::Transaction tx(ctx.db());
        reservation::ReservationBook(ctx.db()).moveNode(name, rank, host,
                                                        reservation::currentTime());
        tx.commit();
        ctx.out() << name << ": compute-0-" << rank << " booked on " << host
                  << "; the next rocks sync vcluster moves it\n";
    }
};

}  // namespace

ROCKS_COMMAND(MoveVclusterNode)
