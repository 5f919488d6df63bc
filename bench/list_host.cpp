// Benchmark: `rocks list host` as an admin runs it — the whole process,
// including start-up and plugin discovery — on a database with 10,000 hosts
// and 40,000 interfaces. Prints the median and p90 of repeated runs.
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "cluster/Hosts.h"
#include "db/Schema.h"
#include "db/SqliteDatabase.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

void populate(vcluster::db::Database& db, int hosts, int interfacesPerHost) {
    vcluster::db::Transaction tx(db);
    auto membership = vcluster::HostPool(db).membershipId("VM Server");
    auto node = db.prepare(
        "INSERT INTO nodes (Name, Membership, CPUs, Rack, Rank) VALUES (?, ?, 32, ?, ?)");
    auto net = db.prepare(
        "INSERT INTO networks (Node, MAC, IP, Name, Device, Subnet) VALUES (?, ?, ?, ?, ?, "
        "(SELECT ID FROM subnets WHERE name = 'private'))");
    for (int h = 0; h < hosts; ++h) {
        std::string name = "vm-server-" + std::to_string(h / 100) + "-" + std::to_string(h % 100);
        node->reset();
        node->bind(1, name);
        node->bind(2, membership);
        node->bind(3, std::int64_t{h / 100});
        node->bind(4, std::int64_t{h % 100});
        node->step();
        std::int64_t id = db.lastInsertId();
        for (int i = 0; i < interfacesPerHost; ++i) {
            int n = h * interfacesPerHost + i;
            char mac[32];
            std::snprintf(mac, sizeof mac, "52:54:00:%02x:%02x:%02x", (n >> 16) & 0xff,
                          (n >> 8) & 0xff, n & 0xff);
            std::string ip = "10.1." + std::to_string(n / 250) + "." + std::to_string(n % 250 + 1);
            net->reset();
            net->bind(1, id);
            net->bind(2, std::string(mac));
            net->bind(3, i == 0 ? vcluster::db::Value{ip} : vcluster::db::Value{nullptr});
            net->bind(4, name);
            net->bind(5, "eth" + std::to_string(i));
            net->step();
        }
    }
    tx.commit();
}

struct Sample {
    double wallMs;
    double cpuMs;  // user + system time of the process: steadier on a shared machine
};

Sample runOnce(const std::string& rocks, const std::string& dbPath, const std::string& pluginDir) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    std::string dbEnv = "ROCKS_DB=" + dbPath;
    std::string pluginEnv = "ROCKS_PLUGIN_PATH=" + pluginDir;
    char* envp[] = {dbEnv.data(), pluginEnv.data(), nullptr};
    std::string list = "list";
    std::string host = "host";
    std::string exe = rocks;
    char* argv[] = {exe.data(), list.data(), host.data(), nullptr};
    auto start = Clock::now();
    pid_t pid = 0;
    if (posix_spawn(&pid, exe.c_str(), &actions, nullptr, argv, envp) != 0) {
        std::perror("posix_spawn");
        std::exit(1);
    }
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    auto elapsed = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    posix_spawn_file_actions_destroy(&actions);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::fprintf(stderr, "rocks list host failed\n");
        std::exit(1);
    }
    auto ms = [](const timeval& tv) {
        return static_cast<double>(tv.tv_sec) * 1e3 + static_cast<double>(tv.tv_usec) / 1e3;
    };
    return {elapsed, ms(usage.ru_utime) + ms(usage.ru_stime)};
}

}  // namespace

int main(int argc, char** argv) {
    const int hosts = 10000;
    const int interfaces = 4;
    const int runs = argc > 1 ? std::atoi(argv[1]) : 31;
    fs::path dir = fs::temp_directory_path() / ("vcluster-bench-" + std::to_string(getpid()));
    fs::create_directories(dir);
    std::string dbPath = (dir / "cluster.db").string();
    {
        vcluster::db::SqliteDatabase db(dbPath);
        vcluster::db::migrate(db);
        populate(db, hosts, interfaces);
    }
    fs::path rocks = VCLUSTER_ROCKS_BINARY;
    std::string pluginDir = (rocks.parent_path().parent_path() / "lib/vcluster/commands").string();
    runOnce(rocks, dbPath, pluginDir);  // warm the page cache
    std::vector<double> times;
    std::vector<double> cpu;
    for (int i = 0; i < runs; ++i) {
        Sample s = runOnce(rocks, dbPath, pluginDir);
        times.push_back(s.wallMs);
        cpu.push_back(s.cpuMs);
    }
    std::sort(times.begin(), times.end());
    std::sort(cpu.begin(), cpu.end());
    std::printf("rocks list host: %d hosts, %d interfaces, %d runs (whole process)\n", hosts,
                hosts * interfaces, runs);
    std::printf(
        "  min %.1f ms  median %.1f ms  p90 %.1f ms  max %.1f ms  (target: median < 50 ms)\n",
        times.front(), times[times.size() / 2], times[times.size() * 9 / 10], times.back());
    std::printf("  CPU time (user+sys): min %.1f ms  median %.1f ms\n", cpu.front(),
                cpu[cpu.size() / 2]);
    if (std::getenv("KEEP") == nullptr) {
        fs::remove_all(dir);
    } else {
        std::printf("kept %s\n", dbPath.c_str());
    }
    return 0;
}
