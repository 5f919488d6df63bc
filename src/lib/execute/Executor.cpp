#include "execute/Executor.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <syncstream>

#include "util/Error.h"

extern char** environ;

namespace vcluster::execute {

namespace {

struct Pipe {
    std::array<int, 2> fd{-1, -1};
    Pipe() {
        if (pipe2(fd.data(), O_CLOEXEC) != 0) {
            throw Error(std::string("pipe: ") + std::strerror(errno));
        }
    }
    ~Pipe() {
        closeRead();
        closeWrite();
    }
    Pipe(const Pipe&) = delete;
    Pipe& operator=(const Pipe&) = delete;
    void closeRead() {
        if (fd[0] >= 0) {
            close(fd[0]);
            fd[0] = -1;
        }
    }
    void closeWrite() {
        if (fd[1] >= 0) {
            close(fd[1]);
            fd[1] = -1;
        }
    }
};

std::vector<std::string> environment(const std::map<std::string, std::string>& extra) {
    std::map<std::string, std::string> merged;
    for (char** e = environ; *e != nullptr; ++e) {
        std::string kv(*e);
        auto eq = kv.find('=');
        if (eq != std::string::npos) {
            merged[kv.substr(0, eq)] = kv.substr(eq + 1);
        }
    }
    for (const auto& [k, v] : extra) {
        merged[k] = v;
    }
    std::vector<std::string> out;
    out.reserve(merged.size());
    for (const auto& [k, v] : merged) {
        std::string entry = k;
        entry += '=';
        entry += v;
        out.push_back(std::move(entry));
    }
    return out;
}

}  // namespace

StepResult runCommand(const std::vector<std::string>& argv, const std::string& input,
                      const std::map<std::string, std::string>& extraEnv) {
    // A child that exits without reading all its input must not kill us.
    static const bool sigpipeIgnored = [] {
        std::signal(SIGPIPE, SIG_IGN);
        return true;
    }();
    (void)sigpipeIgnored;
    Pipe in;
    Pipe out;
    Pipe err;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in.fd[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out.fd[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err.fd[1], 2);

    std::vector<std::string> envStrings = environment(extraEnv);
    std::vector<char*> envp;
    envp.reserve(envStrings.size() + 1);
    for (auto& s : envStrings) {
        envp.push_back(s.data());
    }
    envp.push_back(nullptr);
    std::vector<std::string> args = argv;
    std::vector<char*> cargv;
    cargv.reserve(args.size() + 1);
    for (auto& a : args) {
        cargv.push_back(a.data());
    }
    cargv.push_back(nullptr);

    pid_t pid = 0;
    int rc = posix_spawnp(&pid, cargv[0], &actions, nullptr, cargv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    in.closeRead();
    out.closeWrite();
    err.closeWrite();
    if (rc != 0) {
        throw Error("cannot run " + argv.at(0) + ": " + std::strerror(rc));
    }

    StepResult result;
    std::size_t written = 0;
    if (input.empty()) {
        in.closeWrite();
    } else {
        // Non-blocking, so a large input never blocks while the child waits
        // for us to drain its output.
        fcntl(in.fd[1], F_SETFL, fcntl(in.fd[1], F_GETFL) | O_NONBLOCK);
    }
    std::array<char, 65536> buf{};
    while (out.fd[0] >= 0 || err.fd[0] >= 0) {
        std::array<pollfd, 3> fds{
            {{out.fd[0], POLLIN, 0}, {err.fd[0], POLLIN, 0}, {in.fd[1], POLLOUT, 0}}};
        if (poll(fds.data(), fds.size(), -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            break;
        }
        if (in.fd[1] >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP)) != 0) {
            ssize_t n = write(in.fd[1], input.data() + written, input.size() - written);
            if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
                // try again at the next POLLOUT
            } else if (n <= 0) {
                in.closeWrite();
            } else {
                written += static_cast<std::size_t>(n);
                if (written == input.size()) {
                    in.closeWrite();
                }
            }
        }
        for (int i = 0; i < 2; ++i) {
            Pipe& p = i == 0 ? out : err;
            if (p.fd[0] >= 0 &&
                (fds[static_cast<std::size_t>(i)].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
                ssize_t n = read(p.fd[0], buf.data(), buf.size());
                if (n <= 0) {
                    p.closeRead();
                } else {
                    (i == 0 ? result.output : result.error)
                        .append(buf.data(), static_cast<std::size_t>(n));
                }
            }
        }
    }
    in.closeWrite();
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

StepResult DryRunExecutor::run(const Step& step) {
    // One synchronised write: the stage runner's progress lines go to the
    // same stream from other threads (see Progress).
    std::osyncstream out(out_);
    const std::string& text = step.summary.empty() ? step.script : step.summary;
    out << "--- " << step.host << ": " << step.name << " (" << kind_ << ", not executed)\n" << text;
    if (!text.empty() && text.back() != '\n') {
        out << '\n';
    }
    return {};
}

StepResult LocalExecutor::run(const Step& step) {
    std::map<std::string, std::string> env{{"VCLUSTER_HOST", step.host}};
    if (!hostRoot_.empty()) {
        auto root = hostRoot_ / step.host;
        std::filesystem::create_directories(root);
        env["VCLUSTER_HOST_ROOT"] = root.string();
        env["VCLUSTER_ROOT"] = root.string();  // generated scripts install their files under it
    }
    if (!extraPath_.empty()) {
        const char* path = std::getenv("PATH");
        env["PATH"] = extraPath_ + ":" + (path != nullptr ? path : "/usr/sbin:/usr/bin:/sbin:/bin");
        // Generated scripts put the system directories first on PATH; this
        // puts the tool path back in front of them (fake hosts in tests).
        env["VCLUSTER_TOOL_PATH"] = extraPath_;
    }
    return runCommand({"bash", "-s"}, step.script, env);
}

StepResult SshExecutor::run(const Step& step) {
    // The host name is a validated Rocks host name; the script travels on
    // stdin, so nothing of it is parsed by a remote shell's command line.
    std::vector<std::string> argv{ssh_};
    if (!config_.empty()) {
        argv.insert(argv.end(), {"-F", config_});
    }
    argv.insert(argv.end(),
                {"-o", "BatchMode=yes", "-o", "ConnectTimeout=10", step.host, "bash", "-s"});
    return runCommand(argv, step.script);
}

std::unique_ptr<Executor> makeExecutor(const std::string& kind, std::ostream& out,
                                       const ExecutorOptions& options) {
    if (kind == "dry-run" || kind == "pretend") {
        return std::make_unique<DryRunExecutor>(out, kind);
    }
    if (kind == "local") {
        return std::make_unique<LocalExecutor>(options.hostRoot, options.extraPath);
    }
    if (kind == "ssh") {
        return std::make_unique<SshExecutor>("ssh", options.sshConfig);
    }
    throw Error("executor must be dry-run, pretend, local or ssh, not '" + kind + "'");
}

}  // namespace vcluster::execute
