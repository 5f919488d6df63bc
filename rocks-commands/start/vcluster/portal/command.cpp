// rocks start vcluster portal [listen=] [cert=] [key=]: the reservation portal daemon.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>

#include <atomic>
#include <csignal>
#include <ctime>
#include <thread>

#include "Portal.h"
#include "cli/Plugin.h"
#include "execute/ExecutorParams.h"
#include "reservation/ReservationRequest.h"
#include "util/Strings.h"

namespace {

using namespace vcluster;
using namespace vcluster::cli;
using namespace vcluster::portal;

// "host:port", "[v6]:port" or ":port"; port 0 picks a free one.
std::pair<std::string, int> parseListen(const std::string& text) {
    auto colon = text.rfind(':');
    if (colon == std::string::npos) {
        throw Error("listen must be host:port, not '" + text + "'");
    }
    std::string host = text.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    if (host.empty()) {
        host = "0.0.0.0";
    }
    int port = reservation::parseCount(text.substr(colon + 1), "listen port", 0, 65535);
    return {host, port};
}

class StartVclusterPortal : public Command {
  public:
    std::vector<std::string> words() const override { return {"start", "vcluster", "portal"}; }
    CommandHelp help() const override {
        CommandHelp help{
            "Run the reservation portal (web pages and REST API)",
            "Serves, until SIGTERM or SIGINT, the web pages where providers log in, book, "
            "extend and cancel virtual clusters and see the capacity calendar, and the JSON "
            "API under /api/v1 (bearer tokens from `rocks add vcluster user token`) that "
            "`rocks add/list/remove vcluster portal=` use. Requests are validated and "
            "admitted by the same code as the rocks commands, on the same database. With "
            "cert= and key= it serves https. It prints the address it listens on once ready. "
            "The roll runs it as vcluster-portal.service, reading its parameters from "
            "/etc/vcluster/portal.conf (PORTAL_ARGS).",
            {},
            {{"listen", "address and port (port 0 picks a free one)", "127.0.0.1:8443"},
             {"cert", "PEM certificate (chain) for https", ""},
             {"key", "PEM private key for https", ""},
             {"threads", "worker threads", "32"},
             {"max-body", "largest request body accepted, in bytes (chunked too: 413)", "65536"},
             {"max-header-bytes", "largest request line and header fields together, in bytes (431)",
              "16384"},
             {"max-headers", "most header fields in a request (431)", "64"},
             {"request-timeout",
              "time a client has to send a request's head, and again its body (408)", "10s"},
             {"per-address",
              "open connections from one client address, trusted proxies aside (more: 503)", "32"},
             {"max-connections", "open connections in all (more: 503)", "1024"},
             {"session-hours", "web session lifetime", "8"},
             {"login-attempts",
              "failed web logins for one user name from one address (4x: for all names "
              "from one address) before each further try waits twice as long as the last, "
              "from 1 s",
              "5"},
             {"login-window", "the longest such wait (90s, 15m, 1h)", "15m"},
             {"password-checks", "password checks at once (64 MiB of memory each)", "4"},
             {"executor",
              "carries out the tenants' node actions (power, reset, reinstall, roll-back, "
              "console) as soon as they are asked, with this executor (pretend, local or ssh, "
              "as rocks sync vcluster executor=), taking turns with the syncs; none: the next "
              "rocks sync vcluster carries them out",
              "none"},
             {"act-interval",
              "with an executor: how often the node actions asked otherwise (rocks set vcluster "
              "node power, a clean power-off waiting for its guest) are looked for",
              "15s"}},
            {{"rocks start vcluster portal listen=0.0.0.0:8443 "
              "cert=/etc/pki/tls/certs/portal.pem key=/etc/pki/tls/private/portal.key",
              "https on every address of the manager"},
             {"rocks start vcluster portal listen=127.0.0.1:8080",
              "plain http on loopback, behind a local reverse proxy"}}};
        auto reach = execute::executorOptionParams();
        help.params.insert(help.params.end(), reach.begin(), reach.end());
        help.params.push_back({"trusted-proxy",
                               "addresses of reverse proxies whose X-Forwarded-For names the "
                               "client (comma-separated)",
                               ""});
        return help;
    }
    void run(Context& ctx) override {
        PortalOptions o;
        o.databasePath = ctx.databasePath();
        std::tie(o.host, o.port) = parseListen(ctx.param("listen", "127.0.0.1:8443"));
        o.certFile = ctx.param("cert", "");
        o.keyFile = ctx.param("key", "");
        o.threads = reservation::parseCount(ctx.param("threads", "32"), "threads", 1, 1024);
        o.maxBody = static_cast<std::size_t>(
            reservation::parseCount(ctx.param("max-body", "65536"), "max-body", 1024, 64 << 20));
        o.maxHeadBytes = static_cast<std::size_t>(reservation::parseCount(
            ctx.param("max-header-bytes", "16384"), "max-header-bytes", 1024, 1 << 20));
        o.maxHeaders = static_cast<std::size_t>(
            reservation::parseCount(ctx.param("max-headers", "64"), "max-headers", 8, 1000));
        o.requestTimeoutSeconds =
            reservation::parseDuration(ctx.param("request-timeout", "10s"), "request-timeout");
        if (o.requestTimeoutSeconds < 1 || o.requestTimeoutSeconds > 3600) {
            throw Error("request-timeout must be between 1s and 1h");
        }
        o.perAddress =
            reservation::parseCount(ctx.param("per-address", "32"), "per-address", 1, 100000);
        o.maxConnections = reservation::parseCount(ctx.param("max-connections", "1024"),
                                                   "max-connections", 1, 100000);
        o.sessionSeconds =
            std::int64_t{3600} *
            reservation::parseCount(ctx.param("session-hours", "8"), "session-hours", 1, 720);
        o.loginAttempts =
            reservation::parseCount(ctx.param("login-attempts", "5"), "login-attempts", 1, 1000);
        o.loginWindowSeconds =
            reservation::parseDuration(ctx.param("login-window", "15m"), "login-window");
        o.passwordChecks =
            reservation::parseCount(ctx.param("password-checks", "4"), "password-checks", 1, 64);
        for (const auto& proxy : split(ctx.param("trusted-proxy", ""), ',')) {
            if (proxy.empty()) {
                continue;
            }
            unsigned char buffer[sizeof(in6_addr)];
            if (inet_pton(AF_INET, proxy.c_str(), buffer) != 1 &&
                inet_pton(AF_INET6, proxy.c_str(), buffer) != 1) {
                throw Error("trusted-proxy must list IP addresses, not '" + proxy + "'");
            }
            o.trustedProxies.push_back(proxy);
        }

        o.executor = ctx.param("executor", "none");
        if (o.executor != "none" && o.executor != "pretend" && o.executor != "local" &&
            o.executor != "ssh") {
            throw Error("executor must be none, pretend, local or ssh, not '" + o.executor + "'");
        }
        o.actIntervalSeconds =
            reservation::parseDuration(ctx.param("act-interval", "15s"), "act-interval");
        o.executorOptions = execute::executorOptionsFrom(ctx);

        // The worker threads inherit a mask without SIGTERM/SIGINT; one thread
        // waits for them and stops the server, so it ends cleanly.
        sigset_t stopSignals;
        sigemptyset(&stopSignals);
        sigaddset(&stopSignals, SIGTERM);
        sigaddset(&stopSignals, SIGINT);
        pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

        Portal portal(o);
        int port = portal.bind();
        std::string host = o.host.find(':') != std::string::npos ? "[" + o.host + "]" : o.host;
        ctx.out() << "vcluster portal listening on " << (portal.tls() ? "https" : "http") << "://"
                  << host << ':' << port << std::endl;

        std::atomic<bool> done{false};
        std::thread waiter([&] {
            timespec tick{0, 200L * 1000 * 1000};
            while (!done) {
                if (sigtimedwait(&stopSignals, nullptr, &tick) > 0) {
                    portal.stop();
                    return;
                }
            }
        });
        bool ok = portal.serve();
        done = true;
        waiter.join();
        if (!ok) {
            throw Error("the portal stopped serving on " + host + ":" + std::to_string(port));
        }
    }
};

}  // namespace

ROCKS_COMMAND(StartVclusterPortal)
