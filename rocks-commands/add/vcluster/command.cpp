// rocks add vcluster <name> start= end= ...: reserves a virtual cluster.
#include "cli/Plugin.h"
#include "portal/PortalClient.h"
#include "reservation/ReservationBook.h"
#include "reservation/ReservationTables.h"
#include "reservation/SshPublicKey.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;
using namespace vcluster::reservation;

class AddVcluster : public Command {
  public:
    std::vector<std::string> words() const override { return {"add", "vcluster"}; }
    CommandHelp help() const override {
        return {
            "Reserve a virtual cluster for a period of time",
            "Admits the reservation only if, at every instant of its period (every weekly window "
            "for repeat=), everything it needs is free: CPUs and memory for each compute node on "
            "one vm-server, a frontend slot and a public address on a gateway, its disks in one "
            "storage pool, and a VLAN id (or VXLAN VNI). On refusal (exit 2) the message names "
            "the resource, the host or pool and the instant it runs out, and the earliest start "
            "(same duration) at which the same request fits; start=earliest books that. Times "
            "are ISO 8601 with Z or an offset, or without one in the reservation's time zone "
            "(tz=, default the site's Kickstart_Timezone, else UTC), which is stored with it: "
            "weekly windows keep their wall-clock hours across daylight-saving changes and read "
            "the same in every process whatever its TZ. A weekly cluster is built ahead of its "
            "first window by vc_install_allowance, held in the calendar like a window. Sizes "
            "take MiB, GiB or TiB suffixes (a bare number is MiB). Defaults come from the global "
            "vc_default_* attributes (docs/attributes.md). Placement follows vc_placement (pack "
            "or spread).",
            {{"name", "the virtual cluster's name (lower-case, <= 20 characters)"}},
            portal::withPortalParams(
                {{"start", "start time, or 'earliest' (with duration=)", "", true},
                 {"end", "end time (or give duration=)", ""},
                 {"duration", "length instead of end=, e.g. 12h, 30d, 2w", ""},
                 {"nodes", "number of compute nodes (0 allowed)", "1"},
                 {"cpus", "CPUs per compute node", "vc_default_cpus"},
                 {"memory", "memory per compute node", "vc_default_memory"},
                 {"disk", "disk per compute node", "vc_default_disk"},
                 {"fe-cpus", "CPUs of the virtual frontend", "vc_default_fe_cpus"},
                 {"fe-memory", "memory of the virtual frontend", "vc_default_fe_memory"},
                 {"fe-disk", "disk of the virtual frontend", "vc_default_fe_disk"},
                 {"rolls", "comma-separated rolls for the frontend", "vc_default_rolls"},
                 {"appliances", "comma-separated appliances of the nodes", "compute"},
                 {"sshkey", "the tenant's OpenSSH public key, or a file holding it (or sshkeys=)",
                  "", false},
                 {"owner", "who the cluster is for", ""},
                 {"fqdn", "public name of the virtual frontend", "<name>.<public domain>"},
                 {"hypervisor", "kvm or vmware", "vc_default_hypervisor"},
                 {"network", "vlan or vxlan", "vc_default_network"},
                 {"repeat", "weekly windows, e.g. tue,thu@13:00-16:00 (CPUs/memory held only then)",
                  ""},
                 {"tz", "IANA time zone of the windows, skip= dates and offset-less times",
                  "Kickstart_Timezone, else UTC"},
                 {"skip", "days without windows (holidays): 2027-03-23,2027-04-13..2027-04-20", ""},
                 {"count", "book this many identical clusters <name>-01.. (all or nothing)",
                  "one, named <name>"},
                 {"sshkeys", "with count=: a file of public keys, one a line, one per cluster",
                  "sshkey= for all"}}),
            {{"rocks add vcluster dc1 start=2026-12-07T09:00:00Z end=2026-12-31T23:59:59Z nodes=16 "
              "memory=2GiB disk=20GiB rolls=base,kernel,os,hpc,sge sshkey=/root/provider.pub "
              "owner=provider",
              "a data-centre cluster of 16 nodes until the end of the month"},
             {"rocks add vcluster hpc101 start=2027-02-01 end=2027-05-31 nodes=8 memory=4GiB "
              "repeat=tue@13:00-16:00 tz=Europe/Berlin skip=2027-04-13..2027-04-20 "
              "sshkey=/root/course.pub owner=teacher",
              "a course cluster running every Tuesday afternoon (Berlin time) of a term, but "
              "not in the Easter week"},
             {"rocks add vcluster farm2 start=earliest duration=14d nodes=32 "
              "sshkey=/root/farm.pub",
              "the earliest two weeks for which 32 extra nodes fit"},
             {"rocks add vcluster hpc101 count=30 start=2027-02-01 end=2027-05-31 nodes=2 "
              "repeat=tue@13:00-16:00 sshkeys=/root/students.keys owner=teacher",
              "a cluster per student, hpc101-01 to hpc101-30, each with its student's key"},
             {"rocks add vcluster dc1 start=2026-12-07T09:00:00Z end=2026-12-31T23:59:59Z "
              "sshkey=~/.ssh/id_ed25519.pub portal=https://manager.example.org:8443 "
              "token-file=~/.vcluster-token",
              "the same request through a remote portal (as the token's user)"}}};
    }
    void run(Context& ctx) override {
        std::string name = ctx.requireArg(0, "name");
        if (auto portal = portal::portalConfig(ctx.params())) {
            // The key file is read here, on the client; the portal takes key text only.
            nlohmann::json body = nlohmann::json::object();
            for (const auto& [key, value] : portal::withoutClientParams(ctx.params())) {
                body[key] = key == "sshkey" ? loadSshPublicKey(value).line() : value;
            }
            body["name"] = name;
            nlohmann::json answer =
                portal::PortalClient(*portal).call("POST", "/api/v1/reservations", body);
            // One object, or a count= group's {"group", "clusters": [...]}.
            nlohmann::json rows = answer.is_object() && answer.contains("clusters")
                                      ? answer["clusters"]
                                      : nlohmann::json::array({answer});
            NetworkKind kind =
                !rows.empty() && rows[0].contains("vxlan") ? NetworkKind::Vxlan : NetworkKind::Vlan;
            ctx.print(portal::tableFromJson(bookedColumns(kind), rows));
            return;
        }
        Time now = currentTime();
        db::Transaction tx(ctx.db());
        Site site = loadSite(ctx.db());
        GroupParams group = parseGroupParams(ctx.params(), site.defaults);
        auto params = ctx.params();
        if (!group.keys.empty() && params.count("sshkey") == 0) {
            params["sshkey"] = group.keys.front();  // each member gets its own below
        }
        ReservationRequest request = parseReservationRequest(name, params, site.defaults, now);
        if (group.count > 0) {
            auto members =
                ReservationBook(ctx.db()).addGroup(request, group.count, group.keys, now);
            tx.commit();
            ctx.print(bookedTable(members));
            return;
        }
        StoredReservation r =
            ReservationBook(ctx.db(), std::move(site)).add(std::move(request), now);
        tx.commit();
        ctx.print(bookedTable(r));
    }
};

}  // namespace

ROCKS_COMMAND(AddVcluster)
