#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <sstream>
#include <thread>

#include "execute/Executor.h"
#include "execute/StageRunner.h"
#include "support/Process.h"
#include "util/Error.h"

using namespace vcluster;
using namespace vcluster::execute;
using vcluster::test::readFile;
using vcluster::test::TempDir;

TEST(RunCommand, CapturesStdoutStderrAndExitCode) {
    StepResult r = runCommand({"bash", "-c", "echo out; echo err >&2; exit 3"}, "");
    EXPECT_EQ(r.exitCode, 3);
    EXPECT_EQ(r.output, "out\n");
    EXPECT_EQ(r.error, "err\n");
}

TEST(RunCommand, LargeInputAndOutputDoNotDeadlock) {
    std::string input(4 << 20, 'x');  // more than any pipe buffer, both ways
    StepResult r = runCommand({"bash", "-c", "cat; head -c 3000000 /dev/zero >&2"}, input);
    EXPECT_EQ(r.exitCode, 0);
    EXPECT_EQ(r.output.size(), input.size());
    EXPECT_EQ(r.error.size(), 3000000U);
}

TEST(RunCommand, ChildThatIgnoresItsInputDoesNotKillUs) {
    StepResult r = runCommand({"bash", "-c", "exit 7"}, std::string(1 << 20, 'y'));
    EXPECT_EQ(r.exitCode, 7);
}

TEST(RunCommand, MissingProgramIsAnError) {
    EXPECT_THROW(runCommand({"/nonexistent/program"}, ""), Error);
}

TEST(Executors, LocalGivesEachHostItsRootAndPath) {
    TempDir dir;
    test::writeFile(dir / "bin/hello-tool", "#!/bin/sh\necho tool-ran\n");
    std::filesystem::permissions(dir / "bin/hello-tool", std::filesystem::perms::owner_all);
    LocalExecutor local(dir / "hosts", (dir / "bin").string());
    StepResult r = local.run({"vm-server-0-1", "network",
                              "hello-tool; touch \"$VCLUSTER_HOST_ROOT/applied\"; "
                              "echo \"$VCLUSTER_HOST\""});
    EXPECT_EQ(r.exitCode, 0) << r.error;
    EXPECT_EQ(r.output, "tool-ran\nvm-server-0-1\n");
    EXPECT_TRUE(std::filesystem::exists(dir / "hosts/vm-server-0-1/applied"));
}

TEST(Executors, DryRunPrintsAndRunsNothing) {
    TempDir dir;
    std::ostringstream out;
    auto dry = makeExecutor("dry-run", out);
    std::string script = "touch '" + (dir / "should-not-exist").string() + "'\n";
    EXPECT_EQ(dry->run({"storage-2-0", "storage", script}).exitCode, 0);
    EXPECT_FALSE(std::filesystem::exists(dir / "should-not-exist"));
    EXPECT_EQ(out.str(), "--- storage-2-0: storage (dry-run, not executed)\n" + script);
    EXPECT_THROW(makeExecutor("telnet", out), Error);
}

TEST(Executors, SshSendsTheScriptOnStdinToTheHost) {
    // A stand-in for ssh that records its arguments and runs stdin locally:
    // checks the command line shape (BatchMode, host, bash -s) only.
    TempDir dir;
    test::writeFile(dir / "fake-ssh", "#!/bin/bash\nprintf '%s\\n' \"$@\" > \"" +
                                          (dir / "args").string() + "\"\nexec bash -s\n");
    std::filesystem::permissions(dir / "fake-ssh", std::filesystem::perms::owner_all);
    SshExecutor ssh((dir / "fake-ssh").string());
    StepResult r = ssh.run({"gateway-0-0", "network", "echo remote"});
    EXPECT_EQ(r.output, "remote\n");
    EXPECT_EQ(readFile(dir / "args"),
              "-o\nBatchMode=yes\n-o\nConnectTimeout=10\ngateway-0-0\nbash\n-s\n");

    SshExecutor withConfig((dir / "fake-ssh").string(), "/etc/vcluster/ssh_config");
    EXPECT_EQ(withConfig.run({"gateway-0-0", "network", "true"}).exitCode, 0);
    EXPECT_EQ(readFile(dir / "args"),
              "-F\n/etc/vcluster/ssh_config\n-o\nBatchMode=yes\n-o\n"
              "ConnectTimeout=10\ngateway-0-0\nbash\n-s\n");
}

namespace {

// An in-memory journal, for testing the runner alone.
class MemoryJournal : public StepJournal {
  public:
    bool isDone(const std::string& t, const Step& s) override {
        return done.count(t + "/" + s.host + "/" + s.name);
    }
    void started(const std::string& t, const Step& s) override {
        log.push_back("start " + s.host + "/" + s.name);
    }
    void finished(const std::string& t, const Step& s, const StepResult& r) override {
        log.push_back((r.exitCode == 0 ? "done " : "fail ") + s.host + "/" + s.name);
        if (r.exitCode == 0) {
            done.insert(t + "/" + s.host + "/" + s.name);
        }
    }
    std::set<std::string> done;
    std::vector<std::string> log;
};

// Each step appends "<start> <end>" (ns) to a per-step file.
std::string timedStep(const TempDir& dir, const std::string& id, double seconds) {
    std::string file = (dir / ("t-" + id)).string();
    return "s=$(date +%s%N); sleep " + std::to_string(seconds) +
           "; e=$(date +%s%N); echo \"$s $e\" > '" + file + "'\n";
}

std::pair<long long, long long> span(const TempDir& dir, const std::string& id) {
    std::istringstream in(readFile(dir / ("t-" + id)));
    long long s = 0;
    long long e = 0;
    in >> s >> e;
    return {s, e};
}

}  // namespace

TEST(StageRunner, StagesInOrderHostsInParallelWithinTheWidth) {
    TempDir dir;
    LocalExecutor local;
    MemoryJournal journal;
    std::ostringstream log;
    Progress progress(log, false);
    std::vector<Stage> stages{{"storage", {{"storage-0", "storage", timedStep(dir, "s", 0.2)}}},
                              {"network", {}}};
    for (int h = 0; h < 6; ++h) {
        std::string host = "vm-" + std::to_string(h);
        stages[1].steps.push_back({host, "network", timedStep(dir, host, 0.3)});
    }
    StageRunner runner(local, journal, progress, 3);
    EXPECT_FALSE(runner.run("start", stages).has_value()) << log.str();

    auto storage = span(dir, "s");
    std::vector<std::pair<long long, long long>> net;
    for (int h = 0; h < 6; ++h) {
        net.push_back(span(dir, "vm-" + std::to_string(h)));
        EXPECT_GE(net.back().first, storage.second) << "network before storage finished";
    }
    // At no instant more than 3 steps ran, and at some instant more than 1 did.
    std::size_t maxConcurrent = 0;
    for (const auto& a : net) {
        std::size_t n = 0;
        for (const auto& b : net) {
            n += (b.first <= a.first && a.first < b.second) ? 1 : 0;
        }
        maxConcurrent = std::max(maxConcurrent, n);
    }
    EXPECT_LE(maxConcurrent, 3U);
    EXPECT_GE(maxConcurrent, 2U);
    EXPECT_NE(log.str().find(": network done [7/7]\n"), std::string::npos) << log.str();
    EXPECT_NE(log.str().find("start: finished 7/7"), std::string::npos);
}

TEST(StageRunner, JournalledStepsAreSkippedAndFailuresStopLaterStages) {
    TempDir dir;
    LocalExecutor local;
    MemoryJournal journal;
    journal.done.insert("start/a/one");
    std::ostringstream log;
    Progress progress(log, false);
    std::string marker = (dir / "ran").string();
    std::vector<Stage> stages{{"first",
                               {{"a", "one", "echo x >> '" + marker + "-one'"},
                                {"b", "two", "echo 'vgcreate: no such device' >&2; exit 5"}}},
                              {"second", {{"c", "three", "echo x >> '" + marker + "-three'"}}}};
    StageRunner runner(local, journal, progress, 4);
    auto failure = runner.run("start", stages);
    ASSERT_TRUE(failure.has_value());
    EXPECT_EQ(failure->step.host, "b");
    EXPECT_EQ(failure->result.exitCode, 5);
    EXPECT_EQ(failure->result.error, "vgcreate: no such device\n");
    EXPECT_FALSE(std::filesystem::exists(marker + "-one")) << "already done: must not run again";
    EXPECT_FALSE(std::filesystem::exists(marker + "-three")) << "a later stage ran after a failure";
    EXPECT_NE(log.str().find("b: two FAILED (exit 5: vgcreate: no such device)"), std::string::npos)
        << log.str();
    EXPECT_NE(log.str().find("a: one already done"), std::string::npos);
}

TEST(Progress, TerminalShowsALinePerHostAndABar) {
    std::ostringstream out;
    Progress p(out, true);
    p.begin("start", 2);
    Step a{"vm-0", "network", ""};
    Step b{"vm-1", "network", ""};
    p.stepStarted(a);
    p.stepStarted(b);
    p.stepFinished(a, {}, false);
    p.stepFinished(b, {1, "", "boom"}, false);
    p.end();
    std::string s = out.str();
    EXPECT_NE(s.find("vm-0: network done"), std::string::npos);
    EXPECT_NE(s.find("vm-1: network FAILED"), std::string::npos);
    EXPECT_NE(s.find("start [########################################] 2/2"), std::string::npos)
        << s;
}

TEST(StageRunner, DryRunBlocksAndProgressLinesNeverInterleave) {
    // The dry-run executor prints from the runner's worker threads to the
    // stream the progress lines go to: each block and each line must come
    // out whole (a CI run once lost whole blocks to this race).
    // A race shows only now and then: a few rounds make it show.
    for (int round = 0; round < 5; ++round) {
        std::ostringstream out;
        auto dry = makeExecutor("dry-run", out);
        MemoryJournal journal;
        Progress progress(out, false);
        const int hosts = 48;
        const int steps = 4;
        Stage stage{"network", {}};
        for (int h = 0; h < hosts; ++h) {
            for (int s = 0; s < steps; ++s) {
                std::string id = "h" + std::to_string(h) + "-s" + std::to_string(s);
                std::string script;
                for (int line = 0; line < 20; ++line) {
                    script += "echo " + id + " line " + std::to_string(line) + "\n";
                }
                stage.steps.push_back(
                    {"host-" + std::to_string(h), "step-" + std::to_string(s), script});
            }
        }
        StageRunner runner(*dry, journal, progress, 16);
        ASSERT_FALSE(runner.run("start", {stage}).has_value());
        const std::string text = out.str();
        for (const auto& step : stage.steps) {
            std::string block =
                "--- " + step.host + ": " + step.name + " (dry-run, not executed)\n" + step.script;
            EXPECT_NE(text.find(block), std::string::npos)
                << "block of " << step.host << " " << step.name << " not found whole";
            EXPECT_NE(text.find("start: " + step.host + ": " + step.name + " started\n"),
                      std::string::npos);
        }
        // Nothing else: every line is a progress line or a line of a block.
        std::istringstream in(text);
        std::size_t lines = 0;
        for (std::string line; std::getline(in, line);) {
            ++lines;
        }
        const std::size_t expected = 2 + hosts * steps * (2 + 1 + 20);  // begin/end; per step
        EXPECT_EQ(lines, expected);
    }
}
