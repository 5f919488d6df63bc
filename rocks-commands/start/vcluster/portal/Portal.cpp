#include "Portal.h"

#include <nlohmann/json.hpp>
#include "PortalServer.h"
#include "portal/JsonFields.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <limits>
#include <regex>
#include <set>
#include <sstream>

#include "cluster/Appliances.h"
#include "db/DatabaseUrl.h"
#include "db/Schema.h"
#include "lifecycle/NodeActions.h"
#include "reservation/CalendarChart.h"
#include "reservation/ReservationBook.h"
#include "reservation/ReservationTables.h"
#include "reservation/Site.h"
#include "reservation/SshPublicKey.h"
#include "util/AuditLog.h"
#include "util/Strings.h"

namespace vcluster::portal {

using nlohmann::json;
using reservation::StoredReservation;

namespace {

// The request a worker thread is answering, for its audit line: when it
// began and who turned out to send it (set by authentication and login).
thread_local std::chrono::steady_clock::time_point requestStart;
thread_local std::string requestUser;

// What `rocks add vcluster` takes, as JSON fields or form fields, is
// groupBookingFields() (shared with rocks load vcluster); what `rocks set
// vcluster` takes:
const std::set<std::string> kChangeFields = {"end", "nodes", "memory"};

// A message is one line whatever a client put into it.
std::string oneLine(std::string text) {
    for (char& c : text) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
            c = ' ';
        }
    }
    if (text.size() > 300) {
        text = text.substr(0, 300) + "...";
    }
    return text;
}

void sendJson(httplib::Response& res, int status, const std::string& body) {
    res.status = status;
    res.set_header("Cache-Control", "no-store");
    res.set_content(body, "application/json");
}

void sendError(httplib::Response& res, int status, const std::string& message) {
    sendJson(res, status, json{{"error", oneLine(message)}}.dump() + "\n");
}

std::string tableJson(const cli::Table& table) {
    std::ostringstream out;
    table.render(out, cli::OutputFormat::Json);
    return out.str();
}

// The JSON body of an API call: an object, or a 400/415.
json parseJsonBody(const httplib::Request& req) {
    std::string type = req.get_header_value("Content-Type");
    if (type.rfind("application/json", 0) != 0) {
        throw HttpError(415, "Content-Type must be application/json");
    }
    return parseJsonObject(req.body);
}

// The listing's query parameters: state=, owner=, from=, to= as `rocks list
// vcluster` takes them, and a page: limit= rows (at most 10,000) from offset=.
reservation::ReservationPool::ListFilter listFilter(const httplib::Request& req) {
    reservation::ReservationPool::ListFilter f;
    auto value = [&](const char* key) -> std::optional<std::string> {
        if (!req.has_param(key)) {
            return std::nullopt;
        }
        return req.get_param_value(key);
    };
    for (const auto& [key, v] : req.params) {
        static const std::set<std::string> kKnown = {"state", "owner", "from",
                                                     "to",    "limit", "offset"};
        if (kKnown.count(key) == 0) {
            throw HttpError(400, "unknown query parameter '" + key + "'");
        }
    }
    f.state = value("state");
    f.owner = value("owner");
    if (auto v = value("from")) {
        f.from = reservation::parseTime(*v, "from");
    }
    if (auto v = value("to")) {
        f.to = reservation::parseTime(*v, "to");
    }
    if (auto v = value("limit")) {
        f.limit = reservation::parseCount(*v, "limit", 1, 10000);
    }
    if (auto v = value("offset")) {
        f.offset = reservation::parseCount(*v, "offset", 0, std::numeric_limits<int>::max());
    }
    return f;
}

// Every API handler answers errors as one line of JSON.
template <class Handler>
auto apiHandler(Handler handler) {
    return [handler](const httplib::Request& req, httplib::Response& res) {
        try {
            handler(req, res);
        } catch (const HttpError& e) {
            sendError(res, e.status(), e.what());
        } catch (const UnknownName& e) {
            sendError(res, 404, e.what());
        } catch (const Refusal& e) {
            sendError(res, 409, e.what());
        } catch (const Error& e) {
            sendError(res, 400, e.what());
        } catch (const std::exception& e) {
            std::cerr << "portal: " << req.method << ' ' << req.path << ": " << e.what()
                      << std::endl;
            sendError(res, 500, "internal error");
        }
    };
}

json actionJson(const std::string& cluster, const lifecycle::NodeAction& a) {
    return {{"id", a.id},
            {"vcluster", cluster},
            {"node", a.node},
            {"action", a.action},
            {"label", a.label},
            {"state", a.state},
            {"requested_by", a.requestedBy},
            {"requested", a.requested},
            {"started", a.started},
            {"finished", a.finished},
            // A console capture is read at .../console, not in every listing.
            {"detail", a.action == "console" && a.state == "done"
                           ? std::to_string(a.detail.size()) + " bytes captured"
                           : a.detail}};
}

json nodeJson(const StoredReservation& r, const lifecycle::NodeView& n) {
    return {{"node", n.node},
            {"name", r.request.name + "-" + n.node},
            {"role", n.role},
            {"host", n.host},
            {"power", n.power},
            {"last_action", n.last ? actionJson(r.request.name, *n.last) : json(nullptr)}};
}

json reservationJson(const StoredReservation& r) {
    json row = json::parse(tableJson(reservation::listTable({r})))[0];
    bool active = r.state == "active";
    row["frontend_fqdn"] = active ? r.request.fqdn : "";
    row["frontend_ip"] = active ? r.publicIp : "";
    return row;
}

}  // namespace

Portal::Portal(PortalOptions options)
    : options_(std::move(options)),
      throttle_(options_.loginAttempts, std::chrono::seconds(options_.loginWindowSeconds)),
      passwordChecks_(std::clamp(options_.passwordChecks, 1, 1024)) {
    if (options_.certFile.empty() != options_.keyFile.empty()) {
        throw Error("give both cert= and key= for https, or neither");
    }
    db::openDatabase(options_.databasePath, db::Access::Write);  // migrated (and checked) once
    server_ = std::make_unique<PortalServer>();
    server_->set_payload_max_length(options_.maxBody);
    FrontOptions front;
    front.limits.maxBody = options_.maxBody;
    front.limits.maxHeadBytes = options_.maxHeadBytes;
    front.limits.maxHeaders = options_.maxHeaders;
    front.headTimeout = std::chrono::seconds(options_.requestTimeoutSeconds);
    front.bodyTimeout = std::chrono::seconds(options_.requestTimeoutSeconds);
    front.perAddress = options_.perAddress;
    front.uncapped = options_.trustedProxies;
    front.maxConnections = options_.maxConnections;
    front.workers = options_.threads;
    front.keepAliveMax = 1000;
    front.certFile = options_.certFile;
    front.keyFile = options_.keyFile;
    front_ = std::make_unique<HttpFront>(front, [this](Exchange& x) { return server_->answer(x); });
    routes();
    if (!options_.executor.empty() && options_.executor != "none") {
        worker_ = std::make_unique<NodeWorker>(options_.databasePath, options_.executor,
                                               options_.executorOptions,
                                               std::chrono::seconds(options_.actIntervalSeconds));
    }
}

Portal::~Portal() = default;

int Portal::bind() { return front_->bind(options_.host, options_.port); }

bool Portal::serve() { return front_->serve(); }

void Portal::stop() { front_->stop(); }

db::Database& Portal::db() {
    // One connection per server thread, opened as every rocks command opens
    // it (an SQLite file, or Rocks' MariaDB on a frontend): the database's
    // own locking orders them as it orders rocks processes.
    thread_local std::unique_ptr<db::Database> conn;
    thread_local std::string connPath;
    if (!conn || connPath != options_.databasePath) {
        conn = db::openDatabase(options_.databasePath, db::Access::Write);
        connPath = options_.databasePath;
    }
    return *conn;
}

void Portal::noteUser(const std::string& name) { requestUser = name; }

std::optional<Caller> Portal::authenticate(const httplib::Request& req) {
    std::optional<Caller> caller = authenticateOnce(req);
    if (caller) {
        noteUser(caller->user.name);
    }
    return caller;
}

std::optional<Caller> Portal::authenticateOnce(const httplib::Request& req) {
    Accounts accounts(db());
    std::string auth = req.get_header_value("Authorization");
    if (!auth.empty()) {
        if (auth.rfind("Bearer ", 0) != 0) {
            return std::nullopt;
        }
        auto user = accounts.checkToken(auth.substr(7));
        if (!user) {
            return std::nullopt;
        }
        return Caller{*user, "", ""};
    }
    std::string cookie = cookieOf(req, kSessionCookie);
    if (cookie.empty()) {
        return std::nullopt;
    }
    auto session = accounts.checkSession(cookie, reservation::currentTime());
    if (!session) {
        return std::nullopt;
    }
    return Caller{session->user, session->csrf, cookie};
}

std::string Portal::clientAddress(const httplib::Request& req) const {
    const auto& proxies = options_.trustedProxies;
    if (std::find(proxies.begin(), proxies.end(), req.remote_addr) == proxies.end()) {
        return req.remote_addr;
    }
    // The proxy appends the address it saw last; what comes before it is
    // the client's own word.
    std::string forwarded = req.get_header_value("X-Forwarded-For");
    std::string last = forwarded.substr(forwarded.rfind(',') + 1);
    last.erase(0, last.find_first_not_of(" \t"));
    last.erase(last.find_last_not_of(" \t") + 1);
    unsigned char buffer[sizeof(in6_addr)];
    if (inet_pton(AF_INET, last.c_str(), buffer) == 1 ||
        inet_pton(AF_INET6, last.c_str(), buffer) == 1) {
        return last;
    }
    return req.remote_addr;
}

Caller Portal::requireApiCaller(const httplib::Request& req) {
    Caller caller = authenticatedCaller(req);
    if (caller.scoped()) {
        throw HttpError(
            403, "this token is for the nodes of vcluster '" + caller.user.tokenCluster + "' only");
    }
    return caller;
}

std::pair<Caller, StoredReservation> Portal::requireNodeCaller(const httplib::Request& req,
                                                               const std::string& name) {
    Caller caller = authenticatedCaller(req);
    std::optional<StoredReservation> r;
    if ((!caller.scoped() || caller.user.tokenCluster == name) &&
        visibleReservation(caller, name)) {
        r = reservation::ReservationPool(db()).findLive(name);  // with its nodes' hosts
    }
    if (!r) {
        throw HttpError(404, "unknown vcluster '" + name + "'");
    }
    return {caller, *r};
}

Caller Portal::authenticatedCaller(const httplib::Request& req) {
    auto caller = authenticate(req);
    if (!caller) {
        throw HttpError(401, "authentication required: a valid bearer token or session");
    }
    // A browser session's unsafe calls must prove they come from our pages.
    if (!caller->csrf.empty() && req.method != "GET" && req.method != "HEAD") {
        requireCsrf(*caller, req.get_header_value("X-CSRF-Token"));
    }
    return *caller;
}

void Portal::requireCsrf(const Caller& caller, const std::string& given) const {
    if (given.empty() || !constantTimeEquals(given, caller.csrf)) {
        throw HttpError(403, "CSRF token missing or wrong");
    }
}

std::vector<StoredReservation> Portal::book(const Caller& caller,
                                            std::map<std::string, std::string> params) {
    auto nameIt = params.find("name");
    if (nameIt == params.end() || nameIt->second.empty()) {
        throw Error("missing required parameter name=");
    }
    std::string name = nameIt->second;
    params.erase(nameIt);
    auto owner = params.find("owner");
    if (!caller.admin()) {
        if (owner != params.end() && owner->second != caller.user.name) {
            throw HttpError(
                403, "a provider books only for itself: owner must be '" + caller.user.name + "'");
        }
        params["owner"] = caller.user.name;
    } else if (owner == params.end() || owner->second.empty()) {
        params["owner"] = caller.user.name;
    }
    // The portal takes the key itself, never the name of a file on this host.
    if (auto key = params.find("sshkey"); key != params.end() && !key->second.empty()) {
        key->second = reservation::parseSshPublicKey(key->second).line();
    }
    reservation::Time now = reservation::currentTime();
    // The root password is made outside the turn, unless the last booking
    // found the site key-only: then most likely none is wanted (its crypt is
    // half of a booking's CPU), and if the site has changed since, record()
    // makes one in the turn.
    std::optional<reservation::RootPassword> password;
    if (!keyOnlyRoot_.load(std::memory_order_relaxed)) {
        password = reservation::makeRootPassword();
    }
    // The daemon's writers take turns here rather than in SQLite's busy
    // handler, whose back-off sleeps made the tail latency.
    std::lock_guard<TurnQueue> turn(writers_);
    db::Database& db = bookingDb();
    db::Transaction tx(db);
    std::vector<StoredReservation> booked;
    try {
        reservation::SiteCalendar& sc = calendar_.at(db, {now, now}, now);
        const reservation::ReservationDefaults& defaults = sc.site.defaults;
        // count= and sshkeys= as `rocks add vcluster` takes them; sshkeys= is
        // the keys' text here, never a file of this host.
        reservation::GroupParams group = reservation::parseGroupParams(params, defaults, false);
        if (!group.keys.empty() && params.count("sshkey") == 0) {
            params["sshkey"] = group.keys.front();
        }
        reservation::ReservationRequest request =
            reservation::parseReservationRequest(name, params, defaults, now);
        if (!caller.admin()) {
            reservation::checkProviderLimits(request, defaults);
        }
        if (group.count > 0) {
            calendar_.drop();  // decided on a calendar of its own
            booked =
                reservation::ReservationBook(db).addGroup(request, group.count, group.keys, now);
        } else {
            reservation::ReservationBook desk(db);
            if (password) {
                desk.withRootPassword(std::move(*password));
            }
            booked.push_back(desk.add(std::move(request), now, sc));
            keyOnlyRoot_.store(booked.back().rootPassword == reservation::kKeyOnlyRoot,
                               std::memory_order_relaxed);
        }
        tx.commit();
    } catch (const Refusal&) {
        throw;  // decided before anything was written: the calendar holds
    } catch (...) {
        calendar_.drop();
        throw;
    }
    calendar_.keep(booked);
    return booked;
}

db::Database& Portal::bookingDb() {
    if (!bookingDb_) {
        bookingDb_ = db::openDatabase(options_.databasePath, db::Access::Write);
    }
    return *bookingDb_;
}

StoredReservation Portal::change(const Caller& caller, const std::string& name,
                                 const std::map<std::string, std::string>& params) {
    reservation::ReservationChange what = reservation::parseReservationChange(params);
    reservation::Time now = reservation::currentTime();
    std::lock_guard<TurnQueue> turn(writers_);
    db::Transaction tx(db());
    if (!visibleReservation(caller, name)) {
        throw HttpError(404, "unknown vcluster '" + name + "'");
    }
    StoredReservation r = reservation::ReservationBook(db()).change(name, what, now);
    if (!caller.admin()) {
        // Checked on the changed reservation; a refusal rolls the change back.
        reservation::checkProviderLimits(r.request, reservation::loadSite(db()).defaults);
    }
    tx.commit();
    return r;
}

void Portal::cancel(const Caller& caller, const std::string& name) {
    reservation::Time now = reservation::currentTime();
    std::lock_guard<TurnQueue> turn(writers_);
    db::Transaction tx(db());
    if (!visibleReservation(caller, name)) {
        throw HttpError(404, "unknown vcluster '" + name + "'");
    }
    reservation::ReservationBook(db()).cancel(name, now, caller.user.name);
    tx.commit();
}

Portal::Catalog Portal::catalog(const reservation::Site& site) {
    AppliancePool pool(db());
    Catalog c{pool.enabledRolls(), pool.nodeAppliances()};
    for (const auto& r : site.defaults.rolls) {
        if (std::find(c.rolls.begin(), c.rolls.end(), r) == c.rolls.end()) {
            c.rolls.push_back(r);
        }
    }
    return c;
}

namespace {

// What a caller may see of a listing: a provider only its own.
reservation::ReservationPool::ListFilter visibleTo(
    const Caller& caller, reservation::ReservationPool::ListFilter filter) {
    if (!caller.admin()) {
        filter.owner = caller.user.name;
    }
    return filter;
}

}  // namespace

std::vector<StoredReservation> Portal::visibleReservations(
    const Caller& caller, reservation::ReservationPool::ListFilter filter) {
    return reservation::ReservationPool(db()).list(visibleTo(caller, std::move(filter)));
}

cli::Table Portal::visibleListing(const Caller& caller,
                                  reservation::ReservationPool::ListFilter filter) {
    // Row by row into the table's cells, as `rocks list vcluster` does: the
    // whole reservations held first (their keys, rolls, joins and snapshot
    // counts, 824 bytes each moved as the vector grew) were most of a
    // listing's time, and 64 of them at once its memory.
    return reservation::ListingTable::listed(reservation::ReservationPool(db()),
                                             visibleTo(caller, std::move(filter)));
}

std::optional<StoredReservation> Portal::visibleReservation(const Caller& caller,
                                                            const std::string& name) {
    reservation::ReservationPool::ListFilter filter;
    filter.name = name;
    for (auto& r : visibleReservations(caller, filter)) {
        if (r.request.name == name) {
            return r;
        }
    }
    return std::nullopt;
}

std::string Portal::calendarSvg(const Caller& caller, const std::string& from,
                                const std::string& to) {
    reservation::Time now = reservation::currentTime();
    reservation::Interval span;
    span.start = from.empty() ? now : reservation::parseTime(from, "from");
    span.end =
        to.empty() ? span.start + reservation::Time{30} * 86400 : reservation::parseTime(to, "to");
    if (span.end <= span.start) {
        throw Error("to must be after from");
    }
    db::Transaction tx(db(), db::Transaction::Mode::Deferred);
    reservation::SiteCalendar sc = reservation::loadSiteCalendar(db());
    tx.commit();
    std::optional<std::string> viewer;
    if (!caller.admin()) {
        viewer = caller.user.name;
    }
    return reservation::renderSvg(reservation::calendarChart(sc, span, std::nullopt, viewer));
}

std::string Portal::sessionCookie(const std::string& name, const std::string& value,
                                  std::int64_t maxAge) const {
    return name + "=" + value + "; Path=/; Max-Age=" + std::to_string(maxAge) +
           "; HttpOnly; SameSite=Strict" + (tls() ? "; Secure" : "");
}

// A tenant's nodes: their power state and last action, and the actions the
// portal's worker (executor=) or else the next `rocks sync vcluster` carries
// out. The owner, an admin, or a token
// scoped to the cluster; anyone else gets 404.
void Portal::nodeRoutes() {
    route("GET", R"(/api/v1/reservations/([^/]+)/nodes)", "/api/v1/reservations/{name}/nodes",
          "the cluster's nodes: power state, host, last action",
          [this](const httplib::Request& req, httplib::Response& res) {
              auto [c, r] = requireNodeCaller(req, req.matches[1]);
              json nodes = json::array();
              for (const auto& n : lifecycle::nodeViews(db(), r, reservation::currentTime())) {
                  nodes.push_back(nodeJson(r, n));
              }
              sendJson(res, 200, nodes.dump() + "\n");
          });
    const std::string actions = R"(/api/v1/reservations/([^/]+)/nodes/([^/]+)/actions)";
    route("GET", actions, "/api/v1/reservations/{name}/nodes/{node}/actions",
          "the node's last 50 actions, newest first",
          [this](const httplib::Request& req, httplib::Response& res) {
              auto [c, r] = requireNodeCaller(req, req.matches[1]);
              const std::string node = lifecycle::clusterNodeName(r, req.matches[2]);
              json out = json::array();
              for (const auto& a : lifecycle::NodeActionPool(db()).history(r.id, 1000)) {
                  if (a.node == node && out.size() < 50) {
                      out.push_back(actionJson(r.request.name, a));
                  }
              }
              sendJson(res, 200, out.dump() + "\n");
          });
    route("GET", R"(/api/v1/reservations/([^/]+)/nodes/([^/]+)/console)",
          "/api/v1/reservations/{name}/nodes/{node}/console",
          "the node's last console capture (text/plain; POST action console asks a new one)",
          [this](const httplib::Request& req, httplib::Response& res) {
              auto [c, r] = requireNodeCaller(req, req.matches[1]);
              const std::string node = lifecycle::clusterNodeName(r, req.matches[2]);
              auto captured = lifecycle::NodeActionPool(db()).lastConsole(r.id, node);
              if (!captured) {
                  throw HttpError(404, "no console of " + r.request.name + " " + node +
                                           " captured yet: POST {\"action\": \"console\"} "
                                           "to its actions first");
              }
              res.status = 200;
              res.set_header("Cache-Control", "no-store");
              res.set_header("X-Captured-At", captured->finished);
              res.set_header("X-Content-Type-Options", "nosniff");
              res.set_content(captured->detail, "text/plain; charset=utf-8");
          });
    route("POST", actions, "/api/v1/reservations/{name}/nodes/{node}/actions",
          "asks an action of the node (202): {action: on|off|reset|reinstall|rollback|console, "
          "label}",
          [this](const httplib::Request& req, httplib::Response& res) {
              auto [c, r] = requireNodeCaller(req, req.matches[1]);
              auto fields = fieldsToParams(parseJsonBody(req), {"action", "label"});
              if (fields.count("action") == 0) {
                  throw Error("missing required field action");
              }
              std::lock_guard<TurnQueue> turn(writers_);
              auto a = lifecycle::requestNodeAction(db(), r.request.name, req.matches[2],
                                                    fields["action"], fields["label"], c.user.name,
                                                    reservation::currentTime());
              if (worker_) {
                  worker_->wake();
              }
              res.set_header("Location", "/api/v1/reservations/" + r.request.name + "/nodes/" +
                                             a.node + "/actions");
              sendJson(res, 202, actionJson(r.request.name, a).dump() + "\n");
          });
}

void Portal::route(const std::string& method, const std::string& pattern, const std::string& path,
                   const std::string& summary, const httplib::Server::Handler& handler) {
    apiRoutes_.push_back({method, std::regex(pattern), path, summary});
    auto& s = *server_;
    auto answer = apiHandler(handler);
    if (method == "GET") {
        s.Get(pattern, answer);
    } else if (method == "POST") {
        s.Post(pattern, answer);
    } else if (method == "PATCH") {
        s.Patch(pattern, answer);
    } else if (method == "DELETE") {
        s.Delete(pattern, answer);
    } else {
        throw Error("internal: no route method " + method);
    }
}

std::vector<std::string> Portal::allowedMethods(const std::string& path) const {
    std::vector<std::string> out;
    for (const auto& r : apiRoutes_) {
        if (std::regex_match(path, r.pattern) &&
            std::find(out.begin(), out.end(), r.method) == out.end()) {
            out.push_back(r.method);
        }
    }
    return out;
}

// The OpenAPI 3 description of the routes as registered (route()), so it
// cannot name a route the daemon does not have, or miss one.
std::string Portal::openApi() const {
    json paths = json::object();
    for (const auto& r : apiRoutes_) {
        json op = {
            {"summary", r.summary},
            {"responses",
             {{"default", {{"description", "JSON; errors are {\"error\": \"<one line>\"}"}}}}}};
        json parameters = json::array();
        static const std::regex kParam(R"(\{([a-z]+)\})");
        for (std::sregex_iterator it(r.path.begin(), r.path.end(), kParam), end; it != end; ++it) {
            parameters.push_back({{"name", (*it)[1].str()},
                                  {"in", "path"},
                                  {"required", true},
                                  {"schema", {{"type", "string"}}}});
        }
        if (!parameters.empty()) {
            op["parameters"] = parameters;
        }
        if (r.path == "/api/v1/openapi.json") {
            op["security"] = json::array();
        }
        paths[r.path][toLower(r.method)] = op;
    }
    json doc = {{"openapi", "3.0.3"},
                {"info", {{"title", "vcluster reservation portal"}, {"version", "1"}}},
                {"components",
                 {{"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}}}},
                {"security", json::array({{{"bearer", json::array()}}})},
                {"paths", paths}};
    return doc.dump(1) + "\n";
}

void Portal::routes() {
    auto& s = *server_;
    route(
        "GET", "/api/v1/openapi.json", "/api/v1/openapi.json",
        "this description of the API (no credentials needed)",
        [this](const httplib::Request&, httplib::Response& res) { sendJson(res, 200, openApi()); });

    route("GET", "/api/v1/reservations", "/api/v1/reservations",
          "the listing (state=, owner=, from=, to=, limit=, offset=)",
          [this](const httplib::Request& req, httplib::Response& res) {
              Caller c = requireApiCaller(req);
              sendJson(res, 200, tableJson(visibleListing(c, listFilter(req))));
          });
    route("POST", "/api/v1/reservations", "/api/v1/reservations",
          "books (201): rocks add vcluster's parameters plus name",
          [this](const httplib::Request& req, httplib::Response& res) {
              Caller c = requireApiCaller(req);
              auto fields = fieldsToParams(parseJsonBody(req), groupBookingFields());
              const bool group = fields.count("count") != 0;
              auto booked = book(c, fields);
              // One object for one cluster; a count= group is one object
              // too, its clusters' rows inside.
              json rows = json::parse(tableJson(reservation::bookedTable(booked)));
              json answer = rows.at(0);
              if (group) {
                  answer = {{"group", booked.front().request.group}, {"clusters", rows}};
              }
              sendJson(res, 201, answer.dump() + "\n");
          });
    const std::string one = R"(/api/v1/reservations/([^/]+))";
    route("GET", one, "/api/v1/reservations/{name}", "one reservation",
          [this](const httplib::Request& req, httplib::Response& res) {
              Caller c = requireApiCaller(req);
              std::string name = req.matches[1];
              auto r = visibleReservation(c, name);
              if (!r) {
                  throw HttpError(404, "unknown vcluster '" + name + "'");
              }
              sendJson(res, 200, reservationJson(*r).dump() + "\n");
          });
    route("PATCH", one, "/api/v1/reservations/{name}", "rocks set vcluster: end, nodes, memory",
          [this](const httplib::Request& req, httplib::Response& res) {
              Caller c = requireApiCaller(req);
              std::string name = req.matches[1];
              StoredReservation r =
                  change(c, name, fieldsToParams(parseJsonBody(req), kChangeFields));
              sendJson(res, 200, reservationJson(r).dump() + "\n");
          });
    route("DELETE", one, "/api/v1/reservations/{name}", "rocks remove vcluster",
          [this](const httplib::Request& req, httplib::Response& res) {
              Caller c = requireApiCaller(req);
              std::string name = req.matches[1];
              cancel(c, name);
              sendJson(res, 200, json{{"cancelled", name}}.dump() + "\n");
          });
    route("GET", "/api/v1/catalog", "/api/v1/catalog", "rolls and appliances offered",
          [this](const httplib::Request& req, httplib::Response& res) {
              requireApiCaller(req);
              json catalog = json::object();
              reservation::Site site = reservation::loadSite(db());
              const Catalog offered = this->catalog(site);
              catalog["rolls"] = offered.rolls;
              catalog["default_rolls"] = site.defaults.rolls;
              catalog["appliances"] = offered.appliances;
              sendJson(res, 200, catalog.dump() + "\n");
          });
    // A caller revokes its own tokens (an admin anyone's): the id is the part
    // of a token before its '.'. Another user's token is "unknown" to a provider.
    route("DELETE", R"(/api/v1/tokens/([0-9]{1,18}))", "/api/v1/tokens/{id}",
          "revokes the caller's token ID (an admin's: anyone's)",
          [this](const httplib::Request& req, httplib::Response& res) {
              Caller c = requireApiCaller(req);
              std::int64_t id = std::stoll(req.matches[1]);
              db::Transaction tx(db());
              Accounts accounts(db());
              auto holder = accounts.tokenUser(id);
              if (!holder || (!c.admin() && *holder != c.user.name)) {
                  throw HttpError(404, "unknown token " + std::to_string(id));
              }
              accounts.removeTokens(*holder, id, std::nullopt);
              tx.commit();
              sendJson(res, 200, json{{"revoked", id}}.dump() + "\n");
          });
    route("GET", "/api/v1/calendar.svg", "/api/v1/calendar.svg",
          "the Gantt chart of rocks report vcluster calendar (from=, to=)",
          [this](const httplib::Request& req, httplib::Response& res) {
              Caller c = requireApiCaller(req);
              std::string svg =
                  calendarSvg(c, req.get_param_value("from"), req.get_param_value("to"));
              res.set_header("Cache-Control", "no-store");
              res.set_content(svg, "image/svg+xml");
          });

    // An answer with no body (413 from the size limit, 404 of an unknown
    // path) still gets its one-line JSON error.
    s.set_error_handler([this](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) {
            return;
        }
        // A path of the API asked with a method it does not take.
        if (res.status == 404) {
            auto allowed = allowedMethods(req.path);
            if (!allowed.empty()) {
                res.status = 405;
                res.set_header("Allow", join(allowed, ", "));
                sendError(res, 405,
                          "method " + req.method + " not allowed on " + req.path +
                              " (Allow: " + join(allowed, ", ") + ")");
                return;
            }
        }
        std::string message = res.status == 413
                                  ? "request body too large"
                                  : (res.status == 404 ? "no such resource: " + req.path
                                                       : "HTTP " + std::to_string(res.status));
        sendError(res, res.status, message);
    });

    // Every request leaves one audit line: method, path (never the query or
    // a body: no secrets), status, user, client address and time taken.
    s.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
        requestStart = std::chrono::steady_clock::now();
        requestUser.clear();
        return httplib::Server::HandlerResponse::Unhandled;
    });
    s.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - requestStart)
                      .count();
        audit({"portal", requestUser, clientAddress(req), req.method + " " + req.path,
               "status=" + std::to_string(res.status) + " ms=" + std::to_string(ms)});
    });

    nodeRoutes();
    webRoutes();
}

}  // namespace vcluster::portal
