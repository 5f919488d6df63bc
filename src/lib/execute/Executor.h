#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <ostream>
#include <string>

#include "execute/Step.h"

namespace vcluster::execute {

// The only code that touches a host (OpenNebula's "driver" idea): runs one
// step's script there and reports how it went.
class Executor {
  public:
    virtual ~Executor() = default;
    virtual StepResult run(const Step& step) = 0;
    virtual std::string name() const = 0;
    // Runs nothing on any host: each step is printed and taken as done.
    virtual bool simulated() const { return false; }
};

// Prints what would run, runs nothing, and takes every step as done. As
// "dry-run" the caller changes nothing in the database either (`rocks sync
// vcluster executor=dry-run` rolls its whole transaction back); as "pretend"
// the states move on as if the steps had run (the demo, rehearsals).
class DryRunExecutor : public Executor {
  public:
    explicit DryRunExecutor(std::ostream& out, std::string kind = "dry-run")
        : out_(out), kind_(std::move(kind)) {}
    StepResult run(const Step& step) override;
    std::string name() const override { return kind_; }
    bool simulated() const override { return true; }

  private:
    std::ostream& out_;
    std::string kind_;
};

// Runs the script here with bash. `hostRoot`, when set, gives each host a
// directory of its own (exported as VCLUSTER_HOST_ROOT=<hostRoot>/<host>),
// and `extraPath` is put first on PATH: tests use both to run many "hosts"
// on one machine; a single-host site uses neither.
class LocalExecutor : public Executor {
  public:
    LocalExecutor(std::filesystem::path hostRoot = {}, std::string extraPath = {})
        : hostRoot_(std::move(hostRoot)), extraPath_(std::move(extraPath)) {}
    StepResult run(const Step& step) override;
    std::string name() const override { return "local"; }

  private:
    std::filesystem::path hostRoot_;
    std::string extraPath_;
};

// Runs the script on the host over ssh (`ssh -o BatchMode=yes <host> bash -s`),
// the standard way on a Rocks cluster, where the manager has root keys on
// every node. `sshCommand` replaces "ssh" (e.g. a wrapper with options);
// a non-empty `configFile` is passed as `ssh -F <file>` (host aliases,
// ports, keys: how a test or a lab points host names at its own sshd).
class SshExecutor : public Executor {
  public:
    explicit SshExecutor(std::string sshCommand = "ssh", std::string configFile = {})
        : ssh_(std::move(sshCommand)), config_(std::move(configFile)) {}
    StepResult run(const Step& step) override;
    std::string name() const override { return "ssh"; }

  private:
    std::string ssh_;
    std::string config_;
};

// What the executors need besides their kind; each uses only its own part.
struct ExecutorOptions {
    std::filesystem::path hostRoot;  // local: a directory per host under it
    std::string extraPath;           // local: put first on PATH
    std::string sshConfig;           // ssh: `ssh -F` file
};

// "dry-run", "pretend", "local" or "ssh"; throws Error for anything else.
std::unique_ptr<Executor> makeExecutor(const std::string& kind, std::ostream& out,
                                       const ExecutorOptions& options = {});

// Runs argv (no shell) with `input` on stdin; used by the executors.
StepResult runCommand(const std::vector<std::string>& argv, const std::string& input,
                      const std::map<std::string, std::string>& extraEnv = {});

}  // namespace vcluster::execute
