// Crash safety (issue 5): `rocks sync vcluster` is SIGKILLed at many points of
// a start and of an end, run again, and must converge to the state of an
// uninterrupted run: the same files and fake LVs, targets, sessions, links and
// domains on every host after the start, nothing at all after the end, the
// rows back to the baseline, and a journal in which every step that was cut
// short was later done, and no step was done twice.
//
// Hosts are directories of a fake root; tests/fakehost/bin/ holds fake lvs,
// lvcreate, tgtadm, iscsiadm, ip, virsh, ... that keep their state under
// <host>/state/ and fail like the real tools on a harmful repeat (creating
// what exists, removing what does not), so such a repeat fails the rerun.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <thread>

#include "db/SqliteDatabase.h"
#include "support/FakeHosts.h"
#include "support/Keys.h"
#include "support/Process.h"

extern char** environ;

using namespace vcluster;
using namespace vcluster::test;
namespace fs = std::filesystem;

namespace {

using Tree = std::map<std::string, std::string>;
using Clock = std::chrono::steady_clock;

const char* kCounted[] = {"nodes", "networks", "vm_nodes", "vm_disks", "attributes", "catindex"};
const std::string kStart = "now=2026-12-07T09:00:30Z";
const std::string kEnd = "now=2026-12-31T00:00:30Z";

// Every file and link under a host root (but the fakes' call log), with its
// content: the whole observable state of the fake hosts.
Tree snapshot(const fs::path& root) {
    Tree out;
    if (!fs::exists(root)) {
        return out;
    }
    for (const auto& e : fs::recursive_directory_iterator(root)) {
        // Lexically: fs::relative would resolve the by-path links.
        std::string rel = e.path().lexically_relative(root).string();
        if (e.is_symlink()) {
            out[rel] = "-> " + fs::read_symlink(e.path()).string();
        } else if (e.is_regular_file() && e.path().filename() != "calls.log" &&
                   e.path().extension() != ".tmp") {
            // (A kill can leave a fake's scratch file, written aside to be
            // renamed into place; the real tools' changes have no such trace.)
            out[rel] = readFile(e.path());
        }
    }
    return out;
}

// The paths of `got` that are missing, extra or different from `want`. The
// CHAP secret is drawn when a cluster is materialised, so the files that carry
// it (target, node record, tgt conf) are compared by presence only, as are
// the VMs' console logs.
std::string difference(const Tree& got, const Tree& want) {
    auto secret = [](const std::string& path) {
        return path.find("/state/target/") != std::string::npos ||
               path.find("/state/node/") != std::string::npos ||
               path.find("/etc/iscsi/nodes/") != std::string::npos ||
               path.find("/etc/tgt/") != std::string::npos ||
               // what a guest printed on its console: a boot cut short by a
               // kill and done again prints twice, as a real guest would
               path.find("/var/log/vcluster/console/") != std::string::npos;
    };
    std::string s;
    for (const auto& [k, v] : got) {
        auto it = want.find(k);
        if (it == want.end()) {
            s += "  extra " + k + "\n";
        } else if (it->second != v && !secret(k)) {
            s += "  differs " + k + "\n";
        }
    }
    for (const auto& [k, v] : want) {
        // A kill inside the fake udev can leave some of the by-path links of
        // a session unmade (real udev makes them all); extra links still count.
        if (got.count(k) == 0 && k.find("/dev/disk/by-path/") == std::string::npos) {
            s += "  missing " + k + "\n";
        }
    }
    return s;
}

std::string describe(const Tree& t) {
    std::string s;
    for (const auto& [k, v] : t) {
        s += "  " + k + "\n";
    }
    return s;
}

std::map<std::string, std::int64_t> counts(const fs::path& db) {
    db::SqliteDatabase d(db.string());
    std::map<std::string, std::int64_t> out;
    for (const char* table : kCounted) {
        out[table] = d.queryOne(std::string("SELECT COUNT(*) FROM ") + table)->integer(0);
    }
    return out;
}

// State, attempts and failure reason of the one reservation.
std::string state(const fs::path& db) {
    db::SqliteDatabase d(db.string());
    auto row = d.queryOne(
        "SELECT State, Attempts, COALESCE(FailureReason, '') FROM vcluster_reservations");
    if (!row) {
        return "";
    }
    std::string s = row->text(0);
    if (row->integer(1) != 0 || !row->text(2).empty()) {
        s += " (attempts " + std::to_string(row->integer(1)) + ": " + row->text(2) + ")";
    }
    return s;
}

// Journal rows that break the contract: a step left 'started' (or failed)
// with no later 'done' of the same step, or a step done twice.
std::vector<std::string> journalProblems(const fs::path& db) {
    db::SqliteDatabase d(db.string());
    std::vector<std::string> out;
    for (const auto& row : d.query(
             "SELECT Transition || ' ' || Host || ' ' || Step || ' left ' || State FROM "
             "vcluster_journal j WHERE State <> 'done' AND NOT EXISTS (SELECT 1 FROM "
             "vcluster_journal k WHERE k.Cluster = j.Cluster AND k.Transition = j.Transition AND "
             "k.Host = j.Host AND k.Step = j.Step AND k.ID > j.ID AND k.State = 'done')")) {
        out.push_back(row.text(0));
    }
    for (const auto& row :
         d.query("SELECT Transition || ' ' || Host || ' ' || Step || ' done twice' FROM "
                 "vcluster_journal WHERE State = 'done' GROUP BY Cluster, Transition, Host, Step "
                 "HAVING COUNT(*) > 1")) {
        out.push_back(row.text(0));
    }
    return out;
}

std::vector<std::string> syncArgs(const std::string& now, const fs::path& hosts) {
    return {"sync",
            "vcluster",
            now,
            "executor=local",
            "host-root=" + hosts.string(),
            "tool-path=" + kFakeHostTools};
}

std::map<std::string, std::string> childEnv(const fs::path& tmp) {
    return {{"TMPDIR", tmp.string()}};
}

// Starts `rocks <args>` in a process group of its own (no shell), output
// discarded; the group is what a crash takes down: rocks and its step scripts.
pid_t spawnRocks(const fs::path& db, const std::vector<std::string>& args, const fs::path& tmp) {
    std::vector<std::string> argv{VCLUSTER_ROCKS_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<std::string> env{"ROCKS_DB=" + db.string(),
                                 std::string("ROCKS_PLUGIN_PATH=") + VCLUSTER_PLUGIN_DIR,
                                 "TMPDIR=" + tmp.string()};
    for (char** e = environ; *e != nullptr; ++e) {
        std::string kv(*e);
        if (kv.rfind("ROCKS_DB=", 0) != 0 && kv.rfind("ROCKS_PLUGIN_PATH=", 0) != 0 &&
            kv.rfind("TMPDIR=", 0) != 0) {
            env.push_back(kv);
        }
    }
    std::vector<char*> cargv;
    for (auto& a : argv) {
        cargv.push_back(a.data());
    }
    cargv.push_back(nullptr);
    std::vector<char*> cenv;
    for (auto& e : env) {
        cenv.push_back(e.data());
    }
    cenv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    pid_t pid = -1;
    int rc = posix_spawn(&pid, cargv[0], &actions, &attr, cargv.data(), cenv.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    return rc == 0 ? pid : -1;
}

void copyTree(const fs::path& from, const fs::path& to) {
    fs::create_directories(to);
    if (fs::exists(from)) {
        fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
    }
}

class Crash : public ::testing::Test {
  protected:
    void SetUp() override {
        auto r = Rocks(initial_).loadSampleCluster();
        ASSERT_EQ(r.exitCode, 0) << r.err;
        baseline_ = counts(initial_);
        writeFile(dir_ / "tenant.pub", sshKeyLine("ssh-ed25519", "tenant@example.org") + "\n");
        Rocks rocks(initial_);
        // A small cluster keeps each kill point short: storage, network on
        // the gateway and one VM server, frontend, one compute.
        rocks.ok({"add", "vcluster", "c1", "start=2026-12-07T09:00:00Z", "end=2026-12-31T00:00:00Z",
                  "nodes=1", "memory=2GiB", "disk=20GiB",
                  "sshkey=" + (dir_ / "tenant.pub").string(), "fqdn=c1.example.org"});
        fs::create_directories(dir_ / "tmp");
    }

    TempDir dir_;
    fs::path initial_ = dir_ / "initial.db";
    std::map<std::string, std::int64_t> baseline_;
};

}  // namespace

TEST_F(Crash, KilledSyncsConvergeToTheUninterruptedRun) {
    // The reference: one uninterrupted start, then one uninterrupted end.
    const fs::path refDb = dir_ / "ref.db";
    const fs::path refHosts = dir_ / "ref-hosts";
    fs::copy_file(initial_, refDb);
    Rocks ref(refDb);
    auto t0 = Clock::now();
    ref.ok(syncArgs(kStart, refHosts));
    auto startTime = Clock::now() - t0;
    ASSERT_EQ(state(refDb), "active");
    const Tree afterStart = snapshot(refHosts);
    const auto activeCounts = counts(refDb);
    const fs::path activeDb = dir_ / "active.db";
    const fs::path activeHosts = dir_ / "active-hosts";
    fs::copy_file(refDb, activeDb);
    copyTree(refHosts, activeHosts);
    // Every kind of object was made: LVs, the target, sessions, links, domains.
    for (const char* kind :
         {"/state/lv/", "/state/target/", "/state/session/", "/state/link/", "/state/domain/"}) {
        EXPECT_TRUE(
            std::any_of(afterStart.begin(), afterStart.end(),
                        [&](const auto& e) { return e.first.find(kind) != std::string::npos; }))
            << kind << " missing after the start:\n"
            << describe(afterStart);
    }
    t0 = Clock::now();
    ref.ok(syncArgs(kEnd, refHosts));
    auto endTime = Clock::now() - t0;
    ASSERT_EQ(state(refDb), "released");
    const Tree afterEnd = snapshot(refHosts);
    std::vector<std::string> left;  // Tree is ordered: sorted paths
    for (const auto& e : afterEnd) {
        left.push_back(e.first);
    }
    EXPECT_EQ(left, keptPublicBridge()) << "left after the end:\n" << describe(afterEnd);
    EXPECT_EQ(counts(refDb), baseline_);
    EXPECT_TRUE(journalProblems(refDb).empty());
    auto ms = [](auto d) {
        return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
    };
    std::cout << "uninterrupted start " << ms(startTime) << " ms, end " << ms(endTime) << " ms\n";

    // The kill points: half in starts, half in ends, their delays spread
    // evenly over the duration of the uninterrupted sync.
    constexpr int kPerPhase = 25;
    struct Outcome {
        bool interrupted = false;
        std::vector<std::string> problems;
    };
    std::vector<Outcome> outcomes(2 * kPerPhase);
    std::atomic<int> next{0};
    auto point = [&](int i) {
        bool end = i % 2 == 1;
        int k = i / 2;
        auto total = end ? endTime : startTime;
        auto delay = total * (k + 1) / (kPerPhase + 1);
        fs::path d = dir_ / ("point-" + std::to_string(i));
        fs::path db = d / "cluster.db";
        fs::path hosts = d / "hosts";
        fs::path tmp = d / "tmp";
        fs::create_directories(tmp);
        fs::copy_file(end ? activeDb : initial_, db);
        if (end) {
            copyTree(activeHosts, hosts);
        }
        Outcome& o = outcomes[static_cast<std::size_t>(i)];
        auto problem = [&](const std::string& p) {
            o.problems.push_back(std::string(end ? "end" : "start") + " point " +
                                 std::to_string(k) + " (" + std::to_string(ms(delay)) +
                                 " ms): " + p);
        };
        const std::string done = end ? "released" : "active";
        auto args = syncArgs(end ? kEnd : kStart, hosts);
        pid_t pid = spawnRocks(db, args, tmp);
        if (pid < 0) {
            problem("cannot spawn rocks");
            return;
        }
        std::this_thread::sleep_for(delay);
        kill(-pid, SIGKILL);
        int status = 0;
        waitpid(pid, &status, 0);
        o.interrupted = state(db) != done;
        // Run again until done (once should do; a bounded number of times).
        Rocks rocks(db);
        for (int run = 0; run < 3 && state(db) != done; ++run) {
            auto r = rocks(args, childEnv(tmp));
            if (r.exitCode != 0 || r.out.find("FAILED") != std::string::npos) {
                problem("rerun " + std::to_string(run) + " exit " + std::to_string(r.exitCode) +
                        ":\n" + r.out + r.err);
            }
        }
        if (state(db) != done) {
            problem("state " + state(db) + ", not " + done);
        }
        std::string diff = difference(snapshot(hosts), end ? afterEnd : afterStart);
        if (!diff.empty()) {
            problem("hosts differ from the uninterrupted run:\n" + diff);
        }
        if (counts(db) != (end ? baseline_ : activeCounts)) {
            problem("row counts differ from the uninterrupted run");
        }
        for (const auto& p : journalProblems(db)) {
            problem("journal: " + p);
        }
    };
    auto worker = [&] {
        for (int i = next++; i < 2 * kPerPhase; i = next++) {
            point(i);
        }
    };
    std::thread a(worker);
    std::thread b(worker);
    a.join();
    b.join();

    int interrupted[2] = {0, 0};
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
        interrupted[i % 2] += outcomes[i].interrupted ? 1 : 0;
        for (const auto& p : outcomes[i].problems) {
            ADD_FAILURE() << p;
        }
    }
    std::cout << 2 * kPerPhase << " kill points: " << interrupted[0] << " of " << kPerPhase
              << " starts and " << interrupted[1] << " of " << kPerPhase
              << " ends interrupted before they were complete\n";
    EXPECT_GE(interrupted[0] + interrupted[1], 20);
}
