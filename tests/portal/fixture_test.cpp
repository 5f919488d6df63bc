// The portal fixture: a real daemon process and a libcurl client.
#include <curl/curl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstring>
#include <memory>
#include <sstream>

#include "cli/Dispatcher.h"
#include "portal/PortalFixture.h"
#include "support/Keys.h"

namespace vcluster::test {

namespace {

std::size_t collectBody(char* data, std::size_t size, std::size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
}

std::size_t collectHeader(char* data, std::size_t size, std::size_t count, void* user) {
    auto* answer = static_cast<HttpAnswer*>(user);
    std::string line(data, size * count);
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) {
        line.pop_back();
    }
    auto colon = line.find(':');
    if (colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        for (char& c : name) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        std::string value = line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(' '));
        if (name == "set-cookie") {
            answer->setCookies.push_back(value);
        } else if (name == "location") {
            answer->location = value;
        } else if (name == "allow") {
            answer->allow = value;
        }
    }
    return size * count;
}

}  // namespace

std::string errorOf(const HttpAnswer& a) {
    const std::string e = nlohmann::json::parse(a.body).at("error").get<std::string>();
    EXPECT_EQ(e.find('\n'), std::string::npos);
    return e;
}

HttpAnswer http(const HttpRequest& request, const HttpOptions& options) {
    HttpAnswer answer;
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
    curl_slist* headers = nullptr;
    for (const auto& h : request.headers) {
        headers = curl_slist_append(headers, h.c_str());
    }
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> list(headers, curl_slist_free_all);
    CURL* h = curl.get();
    curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, list.get());
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collectBody);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &answer.body);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, collectHeader);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &answer);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, options.timeoutSeconds);
    if (!options.fromAddress.empty()) {
        curl_easy_setopt(h, CURLOPT_INTERFACE, ("host!" + options.fromAddress).c_str());
    }
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    if (!request.cacert.empty()) {
        curl_easy_setopt(h, CURLOPT_CAINFO, request.cacert.c_str());
    }
    if (!request.body.empty() || request.method == "POST" || request.method == "PATCH") {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(request.body.size()));
    }
    CURLcode rc = curl_easy_perform(h);
    if (rc != CURLE_OK) {
        answer.error = curl_easy_strerror(rc);
        return answer;
    }
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &answer.status);
    return answer;
}

PortalProcess::PortalProcess(const std::string& db, const std::vector<std::string>& extraArgs) {
    std::vector<std::string> args = {
        VCLUSTER_ROCKS_BINARY, "--db", db, "start", "vcluster", "portal", "listen=127.0.0.1:0"};
    args.insert(args.end(), extraArgs.begin(), extraArgs.end());
    int out[2];
    if (pipe(out) != 0) {
        throw std::runtime_error("pipe failed");
    }
    pid_ = fork();
    if (pid_ == 0) {
        dup2(out[1], STDOUT_FILENO);
        close(out[0]);
        close(out[1]);
        std::vector<char*> argv;
        for (auto& a : args) {
            argv.push_back(a.data());
        }
        argv.push_back(nullptr);
        setenv("ROCKS_PLUGIN_PATH", VCLUSTER_PLUGIN_DIR, 1);
        execv(argv[0], argv.data());
        _exit(127);
    }
    close(out[1]);
    // The first line says where it listens: it is ready then.
    std::string line;
    char c = 0;
    while (read(out[0], &c, 1) == 1 && c != '\n') {
        line += c;
    }
    close(out[0]);
    auto at = line.find("http");
    if (at == std::string::npos) {
        throw std::runtime_error("the portal did not start: '" + line + "'");
    }
    url_ = line.substr(at);
}

int PortalProcess::port() const { return std::stoi(url_.substr(url_.rfind(':') + 1)); }

PortalProcess::~PortalProcess() {
    if (pid_ <= 0) {
        return;
    }
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << "the portal must stop cleanly on SIGTERM (status " << status << ")";
}

void PortalTest::SetUp() {
    setenv("VCLUSTER_NOW", kNow, 1);
    key_ = sshKeyLine("ssh-ed25519", "tenant@example.org");
    // The set-up runs the commands in this process (the same plugins as the
    // rocks binary loads), which is quicker than a process per command.
    cli::GlobalOptions global;
    global.pluginDir = VCLUSTER_PLUGIN_DIR;
    global.database = db();
    auto inProcess = [&](const std::vector<std::string>& args, std::string* out = nullptr) {
        std::ostringstream o;
        std::ostringstream e;
        int rc = cli::dispatch(args, global, o, e);
        EXPECT_EQ(rc, 0) << e.str();
        if (out != nullptr) {
            *out = o.str();
        }
    };
    auto ok = [&](const std::vector<std::string>& args) { inProcess(args); };
    ok({"create", "vcluster", "database"});
    ok({"add", "host", "gateway-0-0", "membership=Gateway"});
    // The roll server's rolls and the site's answers a frontend install needs.
    for (const char* roll : {"base", "kernel", "os", "hpc"}) {
        ok({"add", "vcluster", "roll", roll, "version=7.0"});
    }
    ok({"set", "attr", "Kickstart_PublicHostname", "manager.example.org"});
    ok({"set", "attr", "Kickstart_PublicGateway", "192.0.2.1"});
    ok({"set", "host", "attr", "gateway-0-0", "vc_cpus", "16"});
    ok({"set", "host", "attr", "gateway-0-0", "vc_memory", "65536"});
    ok({"set", "host", "attr", "gateway-0-0", "vc_public_ips", "192.0.2.100"});
    ok({"add", "host", "storage-2-0", "membership=Storage"});
    ok({"set", "host", "attr", "storage-2-0", "vc_pool_size", "1TiB"});
    ok({"add", "host", "vm-server-1-0", "membership=VM Server"});
    ok({"set", "host", "attr", "vm-server-1-0", "vc_cpus", "8"});
    ok({"set", "host", "attr", "vm-server-1-0", "vc_memory", "16384"});
    for (const auto& [user, role] : std::vector<std::pair<std::string, std::string>>{
             {"alice", "provider"}, {"bob", "provider"}, {"root", "admin"}}) {
        writeFile(dir_ / (user + ".pw"), user + "-secret-pw\n");
        ok({"add", "vcluster", "user", user, "role=" + role,
            "password-file=" + (dir_ / (user + ".pw")).string()});
        std::string token;
        inProcess({"add", "vcluster", "user", "token", user}, &token);
        tokens_[user] = token.substr(0, token.find('\n'));
    }
    portal_ = std::make_unique<PortalProcess>(db());
}

void PortalTest::TearDown() { portal_.reset(); }

ProcessResult PortalTest::rocks(std::vector<std::string> args,
                                std::map<std::string, std::string> env) const {
    args.insert(args.begin(), {VCLUSTER_ROCKS_BINARY, "--db", db()});
    env.emplace("ROCKS_PLUGIN_PATH", VCLUSTER_PLUGIN_DIR);
    env.emplace("VCLUSTER_NOW", kNow);
    return runProcess(args, env);
}

HttpAnswer PortalTest::api(const std::string& token, const std::string& method,
                           const std::string& path, const std::string& body) {
    HttpRequest r;
    r.method = method;
    r.url = portal_->url() + path;
    r.body = body;
    r.headers = {"Authorization: Bearer " + token, "Content-Type: application/json"};
    return http(r);
}

std::string PortalTest::booking(const std::string& name, const std::string& start,
                                const std::string& end) const {
    return R"({"name":")" + name + R"(","start":")" + start + R"(","end":")" + end +
           R"(","nodes":1,"cpus":2,"memory":"2GiB","sshkey":")" + key_ + R"("})";
}

}  // namespace vcluster::test
