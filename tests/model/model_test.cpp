// The books and the hosts always agree: a model-based test. Random (seeded,
// bounded, reproducible) sequences of what admins and tenants do — book, change,
// cancel, grow, shrink, resize and power-cycle built clusters, move a built
// compute to another vm-server, take hosts out of service, snapshot, roll back, change site
// attributes, break a host tool and mend it — interleaved with `rocks sync
// vcluster` at an advancing clock, all through the real `rocks` binary against
// the fake host toolset. After every step the database and the fake hosts'
// state are checked against the invariants:
//   - no host runs more vCPUs or memory than its capacity x overcommit;
//   - every domain, LV, target, CHAP account, VLAN/VXLAN link and iSCSI
//     session on a host belongs to exactly one live (or failed) reservation
//     whose materialisation has a part on that host, with the owner the
//     database says;
//   - no two reservations alive at the same instant share a name, VLAN/VNI,
//     public IP or capacity beyond the hosts' (the calendar's own check), and
//     no two rows share a MAC;
//   - what the calendar books equals what the hosts hold: a built cluster's
//     computes run where its allocation says, as many as it is booked for,
//     no larger than it is booked for (grown, shrunk, moved, resized and
//     power-cycled clusters included).
// VCLUSTER_MODEL_STEPS (default 1200, spread over the seeds) and
// VCLUSTER_MODEL_SEEDS (comma-separated) set the run; a failure names its seed
// and step, and the same seed replays the same sequence.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <regex>
#include <set>

#include "calendar/ScanCalendar.h"
#include "db/SqliteDatabase.h"
#include "materialise/MaterialisationPool.h"
#include "reservation/ReservationBook.h"
#include "support/Keys.h"
#include "support/Process.h"

using namespace vcluster;
using namespace vcluster::test;
namespace fs = std::filesystem;

namespace {

constexpr reservation::Time kHour = 3600;
const char* const kStartText = "2026-12-01T00:00:00Z";

int envInt(const char* name, int fallback) {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0' ? std::stoi(v) : fallback;
}

std::vector<unsigned> seeds() {
    std::vector<unsigned> out;
    if (const char* v = std::getenv("VCLUSTER_MODEL_SEEDS"); v != nullptr && *v != '\0') {
        std::stringstream ss(v);
        std::string s;
        while (std::getline(ss, s, ',')) {
            out.push_back(static_cast<unsigned>(std::stoul(s)));
        }
        return out;
    }
    return {1, 2, 3, 4};
}

std::vector<std::string> listDir(const fs::path& dir) {
    std::vector<std::string> out;
    if (fs::is_directory(dir)) {
        for (const auto& e : fs::directory_iterator(dir)) {
            out.push_back(e.path().filename().string());
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string firstLine(const std::string& text) { return text.substr(0, text.find('\n')); }

// The number in <tag ...>N</tag> of a domain definition.
std::int64_t xmlNumber(const std::string& xml, const std::string& tag) {
    std::smatch m;
    if (std::regex_search(xml, m, std::regex("<" + tag + "[^>]*>([0-9]+)</" + tag + ">"))) {
        return std::stoll(m[1]);
    }
    return 0;
}

class Model {
  public:
    Model(unsigned seed, const fs::path& dir) : rng_(seed), dir_(dir), rocks_(dir / "cluster.db") {}

    void setUp() {
        auto r = rocks_.loadSampleCluster();
        ASSERT_EQ(r.exitCode, 0) << r.err;
        // Small hosts, few ids and addresses: bookings compete and ids recur.
        for (int i = 0; i < 8; ++i) {
            const std::string h = "vm-server-1-" + std::to_string(i);
            rocks_.ok({"set", "host", "attr", h, "vc_cpus", "8"});
            rocks_.ok({"set", "host", "attr", h, "vc_memory", "16384"});
        }
        for (int i = 0; i < 2; ++i) {
            const std::string g = "gateway-0-" + std::to_string(i);
            const std::string base = "192.0.2." + std::to_string(100 + i * 50);
            rocks_.ok(
                {"set", "host", "attr", g, "vc_public_ips",
                 base + "-" + base.substr(0, base.rfind('.') + 1) + std::to_string(102 + i * 50)});
            rocks_.ok({"set", "host", "attr", g, "vc_cpus", "8"});
            rocks_.ok({"set", "host", "attr", g, "vc_memory", "16384"});
            rocks_.ok({"set", "host", "attr", "storage-2-" + std::to_string(i), "vc_pool_size",
                       "200GiB"});
        }
        rocks_.ok({"set", "attr", "vc_vlan_range", "2-7"});
        rocks_.ok({"set", "attr", "vc_vni_range", "10000-10003"});
        rocks_.ok({"set", "attr", "vc_default_fe_memory", "2GiB"});
        rocks_.ok({"set", "attr", "vc_default_fe_disk", "10GiB"});
        writeFile(dir_ / "tenant.pub", sshKeyLine("ssh-ed25519", "tenant@example.org") + "\n");
        // The host tools: the fakes, one of which a step may break.
        fs::create_directories(dir_ / "tools");
        for (const auto& e :
             fs::directory_iterator(fs::path(VCLUSTER_SOURCE_DIR) / "tests/fakehost/bin")) {
            fs::create_symlink(e.path(), dir_ / "tools" / e.path().filename());
        }
        now_ = reservation::parseTime(kStartText, "now");
    }

    void step(int index) {
        std::uniform_int_distribution<int> pick(0, 99);
        const int roll = pick(rng_);
        if (roll < 30) {
            book();
        } else if (roll < 39) {
            change();
        } else if (roll < 42) {
            move();
        } else if (roll < 51) {
            cancel();
        } else if (roll < 56) {
            maintenance();
        } else if (roll < 62) {
            snapshot();
        } else if (roll < 67) {
            rollback();
        } else if (roll < 71) {
            breakOrMendATool();
        } else if (roll < 75) {
            siteAttribute();
        } else {
            sync();
        }
        if (!::testing::Test::HasFailure()) {
            check(index);
        }
    }

  private:
    std::string nowText() const { return reservation::formatTime(now_); }
    std::map<std::string, std::string> env() const { return {{"VCLUSTER_NOW", nowText()}}; }
    int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
    std::string clusterName() { return "c" + std::to_string(uniform(0, 9)); }

    ProcessResult rocks(const std::vector<std::string>& args) {
        auto r = rocks_(args, env());
        std::string line;
        for (const auto& a : args) {
            line += " " + a;
        }
        last_ = "rocks" + line + " (now " + nowText() + ") -> " + std::to_string(r.exitCode) + " " +
                firstLine(r.err);
        return r;
    }

    // The exit codes a step may give: 0, 2 (a refusal), or 1 for one of the
    // user errors the random input may legitimately make.
    void expectExit(const ProcessResult& r, const std::vector<std::string>& allowedErrors) {
        if (r.exitCode == 0 || r.exitCode == 2) {
            return;
        }
        bool allowed = r.exitCode == 1 && std::any_of(allowedErrors.begin(), allowedErrors.end(),
                                                      [&](const std::string& e) {
                                                          return r.err.find(e) != std::string::npos;
                                                      });
        EXPECT_TRUE(allowed) << last_ << "\n" << r.err << r.out;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    }

    void book() {
        const reservation::Time start = now_ + kHour * uniform(0, 72);
        const reservation::Time end = start + kHour * uniform(1, 120);
        std::vector<std::string> args = {"add",
                                         "vcluster",
                                         clusterName(),
                                         "start=" + reservation::formatTime(start),
                                         "end=" + reservation::formatTime(end),
                                         "nodes=" + std::to_string(uniform(0, 3)),
                                         "cpus=" + std::to_string(uniform(1, 4)),
                                         "memory=" + std::to_string(1 << uniform(0, 2)) + "GiB",
                                         "disk=" + std::to_string(uniform(1, 20)) + "GiB",
                                         "sshkey=" + (dir_ / "tenant.pub").string(),
                                         "owner=tenant" + std::to_string(uniform(0, 2))};
        if (uniform(0, 4) == 0) {
            args.emplace_back("network=vxlan");
        }
        if (uniform(0, 6) == 0) {
            args.emplace_back("repeat=mon,wed,fri@09:00-12:00");
        }
        expectExit(rocks(args), {"is not available", "has no window"});
    }

    void change() {
        std::vector<std::string> args = {"set", "vcluster", clusterName()};
        switch (uniform(0, 3)) {
            case 0:
                args.push_back("end=" + reservation::formatTime(now_ + kHour * uniform(1, 150)));
                break;
            case 1:
                args.push_back("nodes=" + std::to_string(uniform(0, 4)));
                break;
            case 2:
                args.push_back("memory=" + std::to_string(1 << uniform(0, 2)) + "GiB");
                break;
            default:
                args.push_back("cycle=yes");
        }
        expectExit(rocks(args),
                   {"unknown vcluster", "must be after start", "is in the past", "has no window",
                    "remove it first", "being torn down", "cycle=yes power-cycles"});
    }

    // A cold move of a compute to another vm-server.
    void move() {
        auto r = rocks({"move", "vcluster", "node", clusterName(),
                        "compute-0-" + std::to_string(uniform(0, 3)),
                        "host=vm-server-1-" + std::to_string(uniform(0, 7))});
        expectExit(r, {"unknown vcluster", "has no node", "already", "nodes move when"});
    }

    void cancel() {
        expectExit(rocks({"remove", "vcluster", clusterName()}), {"unknown vcluster"});
    }

    void maintenance() {
        const reservation::Time start = now_ + kHour * uniform(1, 48);
        auto r =
            rocks({"add", "host", "maintenance", "vm-server-1-" + std::to_string(uniform(0, 7)),
                   "start=" + reservation::formatTime(start),
                   "end=" + reservation::formatTime(start + kHour * uniform(1, 6))});
        expectExit(r, {});
    }

    void snapshot() {
        auto r = rocks({"create", "vcluster", "snapshot", clusterName(),
                        "label=s" + std::to_string(uniform(0, 2))});
        expectExit(r, {"unknown vcluster", "not active", "is not active", "already", "not built",
                       "is being", "pending"});
    }

    void rollback() {
        auto r = rocks({"rollback", "vcluster", clusterName(), "label=installed"});
        expectExit(r, {"unknown vcluster", "not active", "is not active", "no snapshot",
                       "not built", "pending", "is being"});
    }

    void breakOrMendATool() {
        static const char* const kTools[] = {"lvcreate", "virsh", "tgt-admin", "iscsiadm"};
        const std::string tool = kTools[uniform(0, 3)];
        const fs::path link = dir_ / "tools" / tool;
        fs::remove(link);
        if (broken_.count(tool) != 0U) {
            fs::create_symlink(fs::path(VCLUSTER_SOURCE_DIR) / "tests/fakehost/bin" / tool, link);
            broken_.erase(tool);
            last_ = "mended " + tool;
        } else {
            writeFile(link, "#!/bin/sh\necho '" + tool + ": injected failure' >&2\nexit 5\n");
            fs::permissions(link, fs::perms::owner_all);
            broken_.insert(tool);
            last_ = "broke " + tool;
        }
    }

    void siteAttribute() {
        static const char* const kRanges[] = {"2-7", "3-5", "2-10", "5-6"};
        rocks_.ok({"set", "attr", "vc_vlan_range", kRanges[uniform(0, 3)]});
        last_ = "set vc_vlan_range";
    }

    void sync() {
        now_ += 60 * uniform(0, 12 * 60);
        auto r = rocks({"sync", "vcluster", "now=" + nowText(), "executor=local",
                        "host-root=" + (dir_ / "hosts").string(),
                        "tool-path=" + (dir_ / "tools").string()});
        EXPECT_EQ(r.exitCode, 0) << last_ << "\n" << r.err << r.out;
    }

    // ---- the invariants ----------------------------------------------------

    struct Owned {
        std::string cluster;
        std::set<std::string> hosts;  // hosts with a part of it
    };

    void check(int index) {
        db::SqliteDatabase db(rocks_.db().string());
        auto sc = reservation::loadSiteCalendar(db, now_);
        const std::string where = " (step " + std::to_string(index) + ": " + last_ + ")";

        // The calendar: nothing over capacity, no id or address held twice,
        // as admitted (a cluster released late holds on past its end, which
        // the hosts' check below covers).
        calendar::ScanCalendar scan(sc.site.inventory);
        sc.now = 0;
        std::map<std::string, const reservation::StoredReservation*> live;
        for (const auto& r : sc.reservations) {
            scan.book(sc.bookingOf(r));
            EXPECT_TRUE(live.emplace(r.request.name, &r).second)
                << "two live reservations named " << r.request.name << where;
        }
        for (const auto& v : scan.violations()) {
            ADD_FAILURE() << "calendar: " << v << where;
        }
        // MACs unique across the networks table.
        auto dup = db.queryOne(
            "SELECT MAC FROM networks WHERE MAC <> '' GROUP BY MAC HAVING COUNT(*) > 1");
        EXPECT_FALSE(dup.has_value()) << "MAC " << (dup ? dup->text(0) : "") << " twice" << where;

        // What each materialised cluster has on which host.
        materialise::MaterialisationPool pool(db);
        std::map<std::string, materialise::Materialisation> built;
        for (const auto& name : pool.list()) {
            auto m = pool.get(name);
            auto it = live.find(name);
            if (it == live.end()) {
                ADD_FAILURE() << "materialisation of " << name << " with no live reservation"
                              << where;
                continue;
            }
            const auto& r = *it->second;
            EXPECT_EQ(m.reservation, r.id) << name << where;
            EXPECT_EQ(m.plan.owner, r.request.owner) << name << where;
            int computes = 0;
            for (const auto& n : m.nodes) {
                if (n.role == materialise::NodeRole::Compute) {
                    ++computes;
                    ASSERT_LT(static_cast<std::size_t>(n.rank), r.nodeHosts.size())
                        << n.name << " has no allocation" << where;
                    EXPECT_EQ(n.physicalHost, r.nodeHosts[static_cast<std::size_t>(n.rank)])
                        << n.name << where;
                }
            }
            // A change being carried out (a sync failed half-way) has its rows
            // in the new shape already; the calendar holds both.
            const bool reshaping =
                db.queryOne("SELECT COALESCE(Reshaping, 0) FROM vcluster_reservations WHERE ID = ?",
                            {r.id})
                    ->integer(0) != 0;
            if (!reshaping) {
                EXPECT_EQ(computes, r.builtNodes) << name << where;
            }
            EXPECT_LE(computes, r.heldNodes()) << name << where;
            // What runs is never more than the calendar holds for it.
            for (const auto& n : m.nodes) {
                const fs::path d = dir_ / "hosts" / n.physicalHost / "state/domain" / n.name;
                if (n.role != materialise::NodeRole::Compute || !fs::exists(d) ||
                    firstLine(readFile(d)) != "running") {
                    continue;
                }
                const std::string xml =
                    readFile(dir_ / "hosts" / n.physicalHost / "state/domain-live" / n.name);
                EXPECT_LE(xmlNumber(xml, "memory"), r.heldMemoryMiB())
                    << n.name << " runs more memory than booked" << where;
                EXPECT_LE(xmlNumber(xml, "vcpu"), r.heldCpus()) << n.name << where;
            }
            built.emplace(name, std::move(m));
        }

        // Every object on every host belongs to a built, live cluster with a
        // part there; running VMs fit the host.
        const std::regex domainName("(c[0-9]+)-(frontend|compute-0-[0-9]+)");
        const std::regex lvName("vc-(c[0-9]+)-.*");
        const std::regex iqnName(".*:vcluster\\.(c[0-9]+)");
        const std::regex accountName("vc-(c[0-9]+)");
        const std::regex linkName("(vlan|vcbr|vx|vxbr)([0-9]+)");
        auto owner = [&](const std::string& object, const std::regex& re,
                         const std::string& host) -> const materialise::Materialisation* {
            std::smatch m;
            if (!std::regex_match(object, m, re)) {
                ADD_FAILURE() << "unexpected object " << object << " on " << host << where;
                return nullptr;
            }
            auto it = built.find(m[1]);
            if (it == built.end()) {
                ADD_FAILURE() << object << " on " << host << " belongs to no built live cluster"
                              << where;
                return nullptr;
            }
            return &it->second;
        };
        auto hasPartOn = [](const materialise::Materialisation& m, const std::string& host) {
            if (m.plan.storage.node == host) {
                return true;
            }
            return std::any_of(m.nodes.begin(), m.nodes.end(),
                               [&](const auto& n) { return n.physicalHost == host; });
        };
        std::map<std::string, calendar::Amount> capacity;
        for (const auto& h : sc.site.inventory.vmServers) {
            capacity[h.name] = h.capacity;
        }
        for (const auto& h : sc.site.inventory.gateways) {
            capacity[h.name] = h.capacity;
        }
        for (const auto& host : listDir(dir_ / "hosts")) {
            const fs::path state = dir_ / "hosts" / host / "state";
            calendar::Amount running;
            for (const auto& d : listDir(state / "domain")) {
                const auto* m = owner(d, domainName, host);
                if (m == nullptr) {
                    continue;
                }
                bool here = std::any_of(m->nodes.begin(), m->nodes.end(), [&](const auto& n) {
                    return n.name == d && n.physicalHost == host;
                });
                EXPECT_TRUE(here) << "domain " << d << " on " << host
                                  << " is not one of its cluster's nodes there" << where;
                if (firstLine(readFile(state / "domain" / d)) == "running") {
                    const std::string xml = readFile(state / "domain-live" / d);
                    running += {xmlNumber(xml, "vcpu"), xmlNumber(xml, "memory")};
                }
            }
            if (capacity.count(host) != 0U) {
                EXPECT_TRUE(capacity[host].fits(running))
                    << host << " runs " << running.cpus << " vCPUs / " << running.mib
                    << " MiB over its capacity " << capacity[host].cpus << " / "
                    << capacity[host].mib << where;
            }
            for (const auto& vg : listDir(state / "lv")) {
                for (const auto& lv : listDir(state / "lv" / vg)) {
                    const std::string origin = lv.substr(0, lv.find('.'));
                    if (const auto* m = owner(origin, lvName, host)) {
                        EXPECT_EQ(m->plan.storage.node, host) << lv << where;
                    }
                }
            }
            for (const auto& t : listDir(state / "target")) {
                if (const auto* m = owner(t, iqnName, host)) {
                    EXPECT_EQ(m->plan.storage.node, host) << t << where;
                }
            }
            for (const auto& a : listDir(state / "account")) {
                owner(a, accountName, host);
            }
            for (const auto& s : listDir(state / "session")) {
                if (const auto* m = owner(s, iqnName, host)) {
                    EXPECT_TRUE(hasPartOn(*m, host)) << s << " on " << host << where;
                }
            }
            for (const auto& l : listDir(state / "link")) {
                if (l.rfind("eth", 0) == 0 || l == "br-public" || l == "lo") {
                    continue;
                }
                std::smatch mm;
                if (!std::regex_match(l, mm, linkName)) {
                    ADD_FAILURE() << "unexpected link " << l << " on " << host << where;
                    continue;
                }
                const bool vxlan = mm[1].str().rfind("vx", 0) == 0;
                const int id = std::stoi(mm[2]);
                bool owned = std::any_of(built.begin(), built.end(), [&](const auto& kv) {
                    const auto& m = kv.second;
                    return (m.plan.network == materialise::NetworkKind::Vxlan) == vxlan &&
                           m.plan.segmentId == id && hasPartOn(m, host);
                });
                EXPECT_TRUE(owned) << "link " << l << " on " << host
                                   << " belongs to no built cluster with a part there" << where;
            }
        }

        // Books -> hosts: an active cluster's VMs are all there, and running
        // (unless a transition of it is between a failed attempt and its retry).
        for (const auto& [name, m] : built) {
            const auto& r = *live.at(name);
            if (r.state != "active" ||
                db.queryOne("SELECT Attempts FROM vcluster_reservations WHERE ID = ?", {r.id})
                        ->integer(0) != 0) {
                continue;
            }
            for (const auto& n : m.nodes) {
                const fs::path d = dir_ / "hosts" / n.physicalHost / "state/domain" / n.name;
                EXPECT_TRUE(fs::exists(d)) << "active " << name << " has no domain " << n.name
                                           << " on " << n.physicalHost << where;
                if (fs::exists(d)) {
                    EXPECT_EQ(firstLine(readFile(d)), "running") << n.name << where;
                }
            }
        }
    }

    std::mt19937 rng_;
    fs::path dir_;
    Rocks rocks_;
    reservation::Time now_ = 0;
    std::set<std::string> broken_;
    std::string last_;
};

}  // namespace

TEST(BooksAndHosts, RandomSequencesKeepTheInvariants) {
    const auto all = seeds();
    const int steps = envInt("VCLUSTER_MODEL_STEPS", 1200);
    const int perSeed = std::max(1, steps / static_cast<int>(all.size()));
    for (unsigned seed : all) {
        TempDir dir;
        Model model(seed, dir.path());
        model.setUp();
        for (int i = 0; i < perSeed && !::testing::Test::HasFailure(); ++i) {
            model.step(i);
        }
        ASSERT_FALSE(::testing::Test::HasFailure())
            << "replay with VCLUSTER_MODEL_SEEDS=" << seed << " VCLUSTER_MODEL_STEPS=" << perSeed;
    }
}
