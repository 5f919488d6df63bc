// Whole-process benchmark: what a user waits for, on a site of 1,000
// vm-servers, 10 gateways and 10 storage nodes holding 0, 1,000, 10,000 and
// 100,000 bookings. Each figure is the median of repeated runs of the real
// `rocks` binary (start-up, plugin loading, reading the database, deciding,
// writing, output):
//   add        rocks add vcluster (admitted; removed again after each run)
//   earliest   rocks add vcluster start=earliest (a large request that must wait)
//   sync       rocks sync vcluster with nothing due
//   list       rocks list vcluster (every row), and with state=, owner=, from=/to=
// plus the growth ratio of each against the empty (or 1,000) database. The
// sizes take turns run by run, so a ratio compares runs made side by side.
//
// The database is built as a site's history is: bookings follow each other in
// time at a steady rate (one every 7.2 minutes, 1 h to 2 days long, 1 to 32
// nodes), so the number of bookings at any instant stays the same while the
// history grows; the bench loads them with `rocks load vcluster` and then
// marks what lies before "now" (the middle of that history) released and
// what spans it active, as the syncs would have.
//
// Usage: bench-whole_process [--sizes 0,1000,10000,100000] [--runs N] [--keep DIR]
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "cluster/Attributes.h"
#include "cluster/Hosts.h"
#include "cluster/Rolls.h"
#include "db/Schema.h"
#include "db/SqliteDatabase.h"
#include "reservation/TimeText.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using vcluster::reservation::formatTime;
using vcluster::reservation::Time;

namespace {

constexpr Time kT0 = 1893456000;      // 2030-01-01: the bench's "load" day
constexpr Time kFirst = kT0 + 86400;  // the first booking starts a day later
constexpr Time kSpacing = 432;        // one booking every 7.2 minutes
constexpr int kVmServers = 1000;

std::string base64(const std::string& in) {
    static const char* abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                     (static_cast<unsigned char>(in[i + 1]) << 8) |
                     static_cast<unsigned char>(in[i + 2]);
        for (int k = 18; k >= 0; k -= 6) {
            out += abc[(v >> k) & 63];
        }
    }
    if (i + 1 == in.size()) {
        unsigned v = static_cast<unsigned char>(in[i]) << 16;
        out += abc[(v >> 18) & 63];
        out += abc[(v >> 12) & 63];
        out += "==";
    } else if (i + 2 == in.size()) {
        unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                     (static_cast<unsigned char>(in[i + 1]) << 8);
        out += abc[(v >> 18) & 63];
        out += abc[(v >> 12) & 63];
        out += abc[(v >> 6) & 63];
        out += '=';
    }
    return out;
}

std::string sshKey() {
    auto field = [](const std::string& s) {
        std::string out(4, '\0');
        out[3] = static_cast<char>(s.size());
        return out + s;
    };
    std::string material(32, '\0');
    for (std::size_t i = 0; i < material.size(); ++i) {
        material[i] = static_cast<char>(i * 7 + 3);
    }
    return "ssh-ed25519 " + base64(field("ssh-ed25519") + field(material)) + " bench@example.org";
}

void site(vcluster::db::Database& db) {
    using vcluster::Host;
    vcluster::db::Transaction tx(db);
    vcluster::HostPool hosts(db);
    vcluster::AttributePool attrs(db);
    for (int i = 0; i < kVmServers; ++i) {
        Host h;
        h.name = "vm-server-" + std::to_string(1 + i / 100) + "-" + std::to_string(i % 100);
        h.membership = "VM Server";
        h.cpus = 32;
        hosts.add(h);
    }
    attrs.setAppliance("vm-server", "vc_cpus", "32");
    attrs.setAppliance("vm-server", "vc_memory", "131072");
    for (int g = 0; g < 10; ++g) {
        Host h;
        h.name = "gateway-0-" + std::to_string(g);
        h.membership = "Gateway";
        h.cpus = 64;
        hosts.add(h);
        attrs.setHost(h.name, "vc_public_ips",
                      "198.18." + std::to_string(g) + ".1-198.18." + std::to_string(g) + ".250");
    }
    attrs.setAppliance("gateway", "vc_cpus", "256");
    attrs.setAppliance("gateway", "vc_memory", "1048576");
    for (int s = 0; s < 10; ++s) {
        Host h;
        h.name = "storage-2-" + std::to_string(s);
        h.membership = "Storage";
        hosts.add(h);
    }
    attrs.setAppliance("storage", "vc_pool_size", "1000TiB");
    // What a booking's frontend installs from (checked at admission since
    // issue 15): the roll server's rolls and the physical frontend.
    vcluster::RollPool rolls(db);
    for (const char* roll : {"base", "core", "kernel", "os", "hpc", "sge", "ganglia"}) {
        rolls.add({roll, "7.0", "x86_64", true});
    }
    attrs.setGlobal("Kickstart_PublicHostname", "manager.example.org");
    attrs.setGlobal("Kickstart_PublicGateway", "198.18.255.1");
    tx.commit();
}

// The bookings of the history, as `rocks load vcluster`'s JSON.
nlohmann::json history(int n, const std::string& key) {
    std::mt19937_64 rng(7);
    nlohmann::json items = nlohmann::json::array();
    for (int i = 0; i < n; ++i) {
        Time start = kFirst + Time{i} * kSpacing + static_cast<Time>(rng() % 300);
        Time length = 3600 + static_cast<Time>(rng() % (47 * 3600));
        int nodes = 1 + static_cast<int>(rng() % 32);
        char name[32];
        std::snprintf(name, sizeof name, "h%06d", i);
        nlohmann::json item = {{"name", name},
                               {"owner", "provider" + std::to_string(i % 100)},
                               {"start", formatTime(start)},
                               {"end", formatTime(start + length)},
                               {"nodes", nodes},
                               {"cpus", 4},
                               {"memory", "8GiB"},
                               {"disk", "10GiB"},
                               {"sshkey", key}};
        if (i % 100 == 99) {  // a few weekly courses
            item["end"] = formatTime(start + 14 * 86400);
            item["repeat"] = "tue,thu@13:00-16:00";
            item["nodes"] = 8;
        }
        items.push_back(std::move(item));
    }
    return items;
}

struct Run {
    double ms = 0;
    double cpuMs = 0;  // user + system time of the process: steadier on a shared machine
    int status = 0;
    std::string out;
};

Run run(const std::vector<std::string>& args, const std::vector<std::string>& env) {
    fs::path rocks = VCLUSTER_ROCKS_BINARY;
    std::string outPath =
        fs::temp_directory_path() / ("vcluster-bench-out-" + std::to_string(getpid()));
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, outPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
    posix_spawn_file_actions_addopen(&actions, 2, outPath.c_str(), O_WRONLY | O_APPEND, 0600);
    std::vector<std::string> argv{rocks.string()};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> cargv;
    for (auto& a : argv) {
        cargv.push_back(a.data());
    }
    cargv.push_back(nullptr);
    std::vector<std::string> envCopy = env;
    std::vector<char*> cenv;
    for (auto& e : envCopy) {
        cenv.push_back(e.data());
    }
    cenv.push_back(nullptr);
    auto start = Clock::now();
    pid_t pid = 0;
    if (posix_spawn(&pid, argv[0].c_str(), &actions, nullptr, cargv.data(), cenv.data()) != 0) {
        std::perror("posix_spawn");
        std::exit(1);
    }
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    Run r;
    r.ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    auto ms = [](const timeval& tv) {
        return static_cast<double>(tv.tv_sec) * 1e3 + static_cast<double>(tv.tv_usec) / 1e3;
    };
    r.cpuMs = ms(usage.ru_utime) + ms(usage.ru_stime);
    posix_spawn_file_actions_destroy(&actions);
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
    std::ifstream in(outPath);
    std::stringstream text;
    text << in.rdbuf();
    r.out = text.str();
    fs::remove(outPath);
    return r;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

struct Figures {
    std::map<std::string, double> ms;   // wall time by measure; < 0: failed
    std::map<std::string, double> cpu;  // CPU time by measure
    double loadSeconds = 0;
    int listed = 0;
    bool failed = false;  // a measured command did not run as meant
};

// A database of n bookings, as `now` sees it.
struct Prepared {
    std::vector<std::string> env;
    Time now = 0;
    Figures figures;
};

Prepared prepare(int n, const fs::path& dir, const std::string& key) {
    Prepared p;
    fs::path db = dir / ("bench-" + std::to_string(n) + ".db");
    fs::remove(db);
    {
        vcluster::db::SqliteDatabase d(db.string());
        vcluster::db::migrate(d);
        site(d);
    }
    const Time now = kFirst + Time{n} * kSpacing / 2;
    std::vector<std::string> loadEnv{"ROCKS_DB=" + db.string(), "VCLUSTER_NOW=" + formatTime(kT0)};
    if (n > 0) {
        fs::path file = dir / ("bench-" + std::to_string(n) + ".json");
        std::ofstream(file) << history(n, key).dump();
        Run load = run({"load", "vcluster", "file=" + file.string()}, loadEnv);
        p.figures.loadSeconds = load.ms / 1000;
        if (load.status != 0 && load.status != 2) {
            std::fprintf(stderr, "rocks load vcluster failed: %s\n", load.out.c_str());
            std::exit(1);
        }
        fs::remove(file);
        // What the syncs would have done by `now`.
        vcluster::db::SqliteDatabase d(db.string());
        // A load that booked nothing (every item refused: a site the
        // admission no longer accepts) would measure an empty calendar.
        if (d.queryOne("SELECT COUNT(*) FROM vcluster_reservations")->integer(0) == 0) {
            std::fprintf(stderr, "rocks load vcluster booked none of %d: %s\n", n,
                         load.out.substr(0, 400).c_str());
            std::exit(1);
        }
        vcluster::db::Transaction tx(d);
        d.execute("UPDATE vcluster_reservations SET State = 'released' WHERE EndTime <= ?", {now});
        // Weekly ones spanning now would want their power state converged,
        // which needs them built: leave them out.
        const char* spanning =
            "SELECT ID FROM vcluster_reservations WHERE RepeatSpec <> '' AND "
            "StartTime <= ? AND EndTime > ?";
        d.execute(
            std::string("DELETE FROM vcluster_allocations WHERE Reservation IN (") + spanning + ")",
            {now, now});
        d.execute(std::string("DELETE FROM vcluster_reservations WHERE ID IN (") + spanning + ")",
                  {now, now});
        d.execute(
            "UPDATE vcluster_reservations SET State = 'active' WHERE StartTime <= ? AND EndTime > "
            "?",
            {now, now});
        tx.commit();
    }
    p.env = {"ROCKS_DB=" + db.string(), "VCLUSTER_NOW=" + formatTime(now)};
    p.now = now;
    return p;
}

struct Measure {
    std::string what;
    std::vector<std::string> (*args)(Time now, const std::string& key);
    bool removeAfter = false;  // an add: removed again after each run
    bool refusalOk = false;
};

const std::vector<Measure> kCommands = {
    {"add",
     [](Time now, const std::string& key) -> std::vector<std::string> {
         return {"add",         "vcluster",     "benchadd", "start=" + formatTime(now + 2 * 3600),
                 "duration=1d", "nodes=16",     "cpus=4",   "memory=8GiB",
                 "disk=10GiB",  "sshkey=" + key};
     },
     true},
    {"earliest",
     [](Time, const std::string& key) -> std::vector<std::string> {
         return {"add",       "vcluster", "benchwait",    "start=earliest", "duration=12h",
                 "nodes=900", "cpus=16",  "memory=64GiB", "disk=10GiB",     "sshkey=" + key};
     },
     true, true},
    {"sync",
     [](Time, const std::string&) -> std::vector<std::string> {
         return {"sync", "vcluster", "executor=dry-run"};
     }},
    {"list",
     [](Time, const std::string&) -> std::vector<std::string> {
         return {"list", "vcluster"};
     }},
    {"list state=",
     [](Time, const std::string&) -> std::vector<std::string> {
         return {"list", "vcluster", "state=active"};
     }},
    {"list owner=",
     [](Time, const std::string&) -> std::vector<std::string> {
         return {"list", "vcluster", "owner=provider7"};
     }},
    {"list from=/to=",
     [](Time now, const std::string&) -> std::vector<std::string> {
         return {"list", "vcluster", "from=" + formatTime(now + 86400),
                 "to=" + formatTime(now + 2 * 86400)};
     }},
};

// Every command's runs, the sizes taking turns run by run (in a rotating
// order), so that a drift of the machine's speed falls on every size alike
// rather than on the one measured while it lasted: the growth ratios
// compare runs made side by side.
void measure(std::vector<Prepared>& sizes, int runs, const std::string& key) {
    for (const auto& m : kCommands) {
        std::vector<std::vector<double>> times(sizes.size());
        std::vector<std::vector<double>> cpu(sizes.size());
        std::vector<bool> failed(sizes.size(), false);
        auto once = [&](Prepared& p) {
            auto args = m.args(p.now, key);
            Run r = run(args, p.env);
            if (m.removeAfter) {
                run({"remove", "vcluster", args[2]}, p.env);
            }
            return r;
        };
        for (auto& p : sizes) {
            once(p);  // warm the page cache
        }
        for (int i = 0; i < runs; ++i) {
            for (std::size_t k = 0; k < sizes.size(); ++k) {
                const std::size_t s = (k + static_cast<std::size_t>(i)) % sizes.size();
                if (failed[s]) {
                    continue;
                }
                Run r = once(sizes[s]);
                if (r.status != 0 && !(m.refusalOk && r.status == 2)) {
                    std::fprintf(stderr, "%s failed (%d): %s", m.what.c_str(), r.status,
                                 r.out.c_str());
                    failed[s] = true;
                    continue;
                }
                times[s].push_back(r.ms);
                cpu[s].push_back(r.cpuMs);
            }
        }
        for (std::size_t s = 0; s < sizes.size(); ++s) {
            Figures& f = sizes[s].figures;
            f.ms[m.what] = failed[s] ? -1 : median(times[s]);
            f.cpu[m.what] = failed[s] ? -1 : median(cpu[s]);
            f.failed = f.failed || failed[s];
        }
        std::fprintf(stderr, "%s measured\n", m.what.c_str());
    }
    for (auto& p : sizes) {
        Run all = run({"list", "vcluster"}, p.env);
        p.figures.listed = static_cast<int>(std::count(all.out.begin(), all.out.end(), '\n')) - 1;
    }
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<int> sizes{0, 1000, 10000, 100000};
    int runs = 11;
    std::string keep;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--sizes") == 0 && i + 1 < argc) {
            sizes.clear();
            std::stringstream list(argv[++i]);
            for (std::string item; std::getline(list, item, ',');) {
                sizes.push_back(std::stoi(item));
            }
        } else if (std::strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
            runs = std::atoi(argv[++i]);
        } else if (std::strcmp(argv[i], "--keep") == 0 && i + 1 < argc) {
            keep = argv[++i];
        }
    }
    fs::path dir =
        keep.empty() ? fs::temp_directory_path() / ("vcluster-bench-wp-" + std::to_string(getpid()))
                     : fs::path(keep);
    fs::create_directories(dir);
    const std::string key = sshKey();
    std::printf("whole process, %d vm-servers, 10 gateways, 10 storage; median of %d runs\n",
                kVmServers, runs);
    std::vector<Prepared> prepared;
    for (int n : sizes) {
        prepared.push_back(prepare(n, dir, key));
        std::fprintf(stderr, "%d bookings loaded\n", n);
    }
    measure(prepared, runs, key);
    std::vector<Figures> all;
    for (const auto& p : prepared) {
        all.push_back(p.figures);
    }
    auto table = [&](const char* title, std::map<std::string, double> Figures::*field) {
        std::printf("\n%s\n%9s %8s %6s", title, "bookings", "load s", "rows");
        for (const auto& m : kCommands) {
            std::printf(" %14s", m.what.c_str());
        }
        std::printf("\n");
        for (std::size_t i = 0; i < all.size(); ++i) {
            std::printf("%9d %8.1f %6d", sizes[i], all[i].loadSeconds, all[i].listed);
            for (const auto& m : kCommands) {
                std::printf(" %14.1f", (all[i].*field)[m.what]);
            }
            std::printf("\n");
        }
        for (std::size_t i = 1; i < all.size(); ++i) {
            std::printf("%9d %15s", sizes[i], "x first size");
            for (const auto& m : kCommands) {
                double base = (all.front().*field)[m.what];
                double v = (all[i].*field)[m.what];
                if (base > 0 && v > 0) {
                    std::printf(" %13.2fx", v / base);
                } else {
                    std::printf(" %14s", "-");
                }
            }
            std::printf("\n");
        }
    };
    table("wall time, ms (the machine's other load included)", &Figures::ms);
    table("CPU time of the process (user + system), ms", &Figures::cpu);
    std::printf(
        "\ntargets at 100,000: add < 50 ms and <= 1.5x empty; sync < 30 ms; list < 300 ms; "
        "list filters < 50 ms\n");
    if (keep.empty()) {
        fs::remove_all(dir);
    }
    // A figure of -1 is a command that failed: the benchmark fails with it
    // (make bench printed -1 for add for a whole stop without failing).
    return std::any_of(all.begin(), all.end(), [](const Figures& f) { return f.failed; }) ? 1 : 0;
}
