#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <regex>
#include <semaphore>
#include <string>
#include <vector>

#include "NodeWorker.h"
#include "db/Database.h"
#include "execute/Executor.h"
#include "portal/Accounts.h"
#include "portal/LoginThrottle.h"
#include "reservation/ReservationBook.h"
#include "reservation/ReservationPool.h"
#include "reservation/ReservationTables.h"
#include "reservation/Site.h"
#include "util/Error.h"
#include "util/TurnQueue.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace vcluster::portal {

class HttpFront;
class PortalServer;

// The browser session's cookie (set at login by the pages, read by every
// authenticated call).
constexpr const char* kSessionCookie = "vcluster_session";

struct PortalOptions {
    std::string databasePath;
    std::string host = "127.0.0.1";
    int port = 8443;
    std::string certFile;  // both set: https
    std::string keyFile;
    int threads = 32;
    std::size_t maxBody = std::size_t{64} * 1024;
    std::size_t maxHeadBytes = std::size_t{16} * 1024;  // request line and header fields
    std::size_t maxHeaders = 64;
    std::int64_t requestTimeoutSeconds = 10;  // for a request's head, and again for its body
    int perAddress = 32;  // open connections from one address (a trusted proxy: no cap)
    int maxConnections = 1024;
    std::int64_t sessionSeconds = std::int64_t{8} * 3600;
    int loginAttempts = 5;  // free failed web logins per (user name, address)
    std::int64_t loginWindowSeconds = std::int64_t{15} * 60;  // the longest back-off
    int passwordChecks = 4;  // argon2id checks at once (64 MiB each)
    // Reverse proxies whose X-Forwarded-For names the client (their own
    // addresses, as the portal sees them); from anyone else it is ignored.
    std::vector<std::string> trustedProxies;
    // The tenants' node actions: carried out at once with this executor
    // (pretend, local, ssh: as `rocks sync vcluster executor=`), and every
    // actIntervalSeconds those asked by other means; none: by the next sync.
    std::string executor = "none";
    execute::ExecutorOptions executorOptions;
    std::int64_t actIntervalSeconds = 15;
};

// Who sent a request: a token's or a session's user. `csrf` is set for a
// session (its forms and unsafe API calls must carry it), empty for a token.
struct Caller {
    User user;
    std::string csrf;
    std::string sessionCookie;
    // A cluster-scoped token (a virtual frontend's kit) is never an admin's.
    bool admin() const { return user.role == Role::Admin && user.tokenCluster.empty(); }
    bool scoped() const { return !user.tokenCluster.empty(); }
};

// An HTTP status with a one-line message (401, 403, 404, 413, 415...).
class HttpError : public Error {
  public:
    HttpError(int status, const std::string& message) : Error(message), status_(status) {}
    int status() const { return status_; }

  private:
    int status_;
};

// The reservation portal: the REST API under /api/v1 and the web pages, both
// over the same database and the same reservation code as `rocks add/list/
// set/remove vcluster`.
class Portal {
  public:
    explicit Portal(PortalOptions options);
    ~Portal();
    Portal(const Portal&) = delete;
    Portal& operator=(const Portal&) = delete;

    // Binds the listening socket; returns the port (useful with port 0).
    int bind();
    // Serves until stop(); returns false when the server failed.
    bool serve();
    void stop();
    bool tls() const { return !options_.certFile.empty(); }
    const PortalOptions& options() const { return options_; }

  private:
    void routes();
    void nodeRoutes();
    // Registers an API route and records it (for 405's Allow and openapi.json).
    void route(const std::string& method, const std::string& pattern, const std::string& path,
               const std::string& summary,
               const std::function<void(const httplib::Request&, httplib::Response&)>& handler);
    std::vector<std::string> allowedMethods(const std::string& path) const;
    std::string openApi() const;
    void webRoutes();
    db::Database& db();
    std::optional<Caller> authenticate(const httplib::Request& req);
    std::optional<Caller> authenticateOnce(const httplib::Request& req);
    // Names the user of the request being answered, for its audit line.
    static void noteUser(const std::string& name);
    // Any caller but a cluster-scoped token (403 for one).
    Caller requireApiCaller(const httplib::Request& req);
    // The owner of vcluster `name` (or an admin), or a token scoped to it;
    // anyone else gets 404, as if it did not exist.
    std::pair<Caller, reservation::StoredReservation> requireNodeCaller(const httplib::Request& req,
                                                                        const std::string& name);
    Caller authenticatedCaller(const httplib::Request& req);
    void requireCsrf(const Caller& caller, const std::string& given) const;
    // The client's address: the peer's, or the one a trusted proxy forwarded.
    std::string clientAddress(const httplib::Request& req) const;

    // The reservation desk, shared by the API and the forms. Several rows
    // for a count= group.
    std::vector<reservation::StoredReservation> book(const Caller& caller,
                                                     std::map<std::string, std::string> params);
    reservation::StoredReservation change(const Caller& caller, const std::string& name,
                                          const std::map<std::string, std::string>& params);
    void cancel(const Caller& caller, const std::string& name);
    std::vector<reservation::StoredReservation> visibleReservations(
        const Caller& caller, reservation::ReservationPool::ListFilter filter = {});
    // The listing's table (what GET /api/v1/reservations answers).
    cli::Table visibleListing(const Caller& caller,
                              reservation::ReservationPool::ListFilter filter);
    std::optional<reservation::StoredReservation> visibleReservation(const Caller& caller,
                                                                     const std::string& name);
    std::string calendarSvg(const Caller& caller, const std::string& from, const std::string& to);

    // Web pages.
    void loginPage(const httplib::Request& req, httplib::Response& res, int status,
                   const std::string& error);
    // What the booking form and /api/v1/catalog offer: the enabled rolls (and
    // the site's default ones), the node appliances.
    struct Catalog {
        std::vector<std::string> rolls;
        std::vector<std::string> appliances;
    };
    Catalog catalog(const reservation::Site& site);
    void homePage(const Caller& caller, httplib::Response& res, int status,
                  const std::string& message, const std::string& error,
                  const std::map<std::string, std::string>& form);
    std::string sessionCookie(const std::string& name, const std::string& value,
                              std::int64_t maxAge) const;

    PortalOptions options_;
    LoginThrottle throttle_;
    std::counting_semaphore<1024> passwordChecks_;
    std::unique_ptr<PortalServer> server_;
    std::unique_ptr<HttpFront> front_;
    TurnQueue writers_;  // one booking, change or cancellation at a time, in turn
    // Under writers_: bookings are made on one connection of their own, so
    // that the calendar they decide on can be kept between them and read
    // again only when another connection has written (SiteCalendarCache).
    db::Database& bookingDb();
    std::unique_ptr<db::Database> bookingDb_;
    reservation::SiteCalendarCache calendar_;
    // Whether the last booking's frontend logs root in by key only: a hint
    // to skip making a root password outside the turn (see book()).
    std::atomic<bool> keyOnlyRoot_{false};
    struct ApiRoute {
        std::string method;
        std::regex pattern;
        std::string path;  // as OpenAPI writes it: /api/v1/reservations/{name}
        std::string summary;
    };
    std::vector<ApiRoute> apiRoutes_;
    std::unique_ptr<NodeWorker> worker_;  // last: stopped before the rest goes
};

// The value of cookie `name` in the request ("" when absent).
std::string cookieOf(const httplib::Request& req, const std::string& name);

// HTML text and attribute escaping (& < > " ').
std::string htmlEscape(const std::string& text);

}  // namespace vcluster::portal
