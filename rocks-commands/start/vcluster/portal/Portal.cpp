#include "Portal.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>
#include <limits>
#include <set>
#include <sstream>

#include "db/Schema.h"
#include "db/SqliteDatabase.h"
#include "reservation/CalendarChart.h"
#include "reservation/ReservationBook.h"
#include "reservation/ReservationTables.h"
#include "reservation/Site.h"
#include "reservation/SshPublicKey.h"
#include "util/Strings.h"

namespace vcluster::portal {

using nlohmann::json;
using reservation::StoredReservation;

namespace {

constexpr const char* kSessionCookie = "vcluster_session";

// What `rocks add vcluster` takes, as JSON fields or form fields.
const std::set<std::string> kBookingFields = {
    "name",  "start",   "end",        "duration", "nodes", "cpus",       "memory",
    "disk",  "fe-cpus", "fe-memory",  "fe-disk",  "rolls", "appliances", "sshkey",
    "owner", "fqdn",    "hypervisor", "network",  "repeat"};
// What `rocks set vcluster` takes.
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
    json body;
    try {
        body = json::parse(req.body);
    } catch (const json::parse_error& e) {
        throw HttpError(400, "malformed JSON at byte " + std::to_string(e.byte));
    }
    if (!body.is_object()) {
        throw HttpError(400, "the request body must be a JSON object");
    }
    return body;
}

// JSON fields as `rocks` key=value parameters: strings, integers, or arrays of
// strings (joined by commas); anything else and any unknown field is refused.
std::map<std::string, std::string> fieldsToParams(const json& body,
                                                  const std::set<std::string>& allowed) {
    std::map<std::string, std::string> params;
    for (const auto& [key, value] : body.items()) {
        if (allowed.count(key) == 0) {
            throw HttpError(400, "unknown field '" + key + "'");
        }
        if (value.is_string()) {
            params[key] = value.get<std::string>();
        } else if (value.is_number_integer()) {
            params[key] = value.dump();
        } else if (value.is_array()) {
            std::string joined;
            for (const auto& item : value) {
                if (!item.is_string()) {
                    throw HttpError(400, "field '" + key + "' must be a list of strings");
                }
                joined += (joined.empty() ? "" : ",") + item.get<std::string>();
            }
            params[key] = joined;
        } else {
            throw HttpError(400, "field '" + key + "' must be a string or an integer");
        }
    }
    return params;
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
      throttle_(options_.loginAttempts, std::chrono::seconds(options_.loginWindowSeconds)) {
    if (options_.certFile.empty() != options_.keyFile.empty()) {
        throw Error("give both cert= and key= for https, or neither");
    }
    {
        db::SqliteDatabase first(options_.databasePath);
        db::migrate(first);
    }
    if (tls()) {
        auto ssl = std::make_unique<httplib::SSLServer>(options_.certFile.c_str(),
                                                        options_.keyFile.c_str());
        if (!ssl->is_valid()) {
            throw Error("cannot use the certificate '" + options_.certFile + "' and key '" +
                        options_.keyFile + "'");
        }
        server_ = std::move(ssl);
    } else {
        server_ = std::make_unique<httplib::Server>();
    }
    int threads = options_.threads;
    server_->new_task_queue = [threads] {
        return new httplib::ThreadPool(static_cast<std::size_t>(threads));
    };
    server_->set_payload_max_length(options_.maxBody);
    server_->set_keep_alive_max_count(1000);
    routes();
}

Portal::~Portal() = default;

int Portal::bind() {
    if (options_.port == 0) {
        int port = server_->bind_to_any_port(options_.host);
        if (port < 0) {
            throw Error("cannot listen on " + options_.host);
        }
        return port;
    }
    if (!server_->bind_to_port(options_.host, options_.port)) {
        throw Error("cannot listen on " + options_.host + ":" + std::to_string(options_.port));
    }
    return options_.port;
}

bool Portal::serve() { return server_->listen_after_bind(); }

void Portal::stop() { server_->stop(); }

db::Database& Portal::db() {
    // One connection per server thread: SQLite's own locking (WAL, BEGIN
    // IMMEDIATE, the busy timeout) orders them as it orders rocks processes.
    thread_local std::unique_ptr<db::SqliteDatabase> conn;
    thread_local std::string connPath;
    if (!conn || connPath != options_.databasePath) {
        conn = std::make_unique<db::SqliteDatabase>(options_.databasePath);
        connPath = options_.databasePath;
    }
    return *conn;
}

std::optional<Caller> Portal::authenticate(const httplib::Request& req) {
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

Caller Portal::requireApiCaller(const httplib::Request& req) {
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

StoredReservation Portal::book(const Caller& caller, std::map<std::string, std::string> params) {
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
    // The daemon's writers take turns here rather than in SQLite's busy
    // handler, whose back-off sleeps made the tail latency.
    std::lock_guard<std::mutex> turn(writers_);
    db::Transaction tx(db());
    reservation::Site site = reservation::loadSite(db());
    reservation::ReservationRequest request =
        reservation::parseReservationRequest(name, params, site.defaults, now);
    StoredReservation r =
        reservation::ReservationBook(db(), std::move(site)).add(std::move(request), now);
    tx.commit();
    return r;
}

StoredReservation Portal::change(const Caller& caller, const std::string& name,
                                 const std::map<std::string, std::string>& params) {
    reservation::ReservationChange what = reservation::parseReservationChange(params);
    reservation::Time now = reservation::currentTime();
    std::lock_guard<std::mutex> turn(writers_);
    db::Transaction tx(db());
    if (!visibleReservation(caller, name)) {
        throw HttpError(404, "unknown vcluster '" + name + "'");
    }
    StoredReservation r = reservation::ReservationBook(db()).change(name, what, now);
    tx.commit();
    return r;
}

void Portal::cancel(const Caller& caller, const std::string& name) {
    reservation::Time now = reservation::currentTime();
    std::lock_guard<std::mutex> turn(writers_);
    db::Transaction tx(db());
    if (!visibleReservation(caller, name)) {
        throw HttpError(404, "unknown vcluster '" + name + "'");
    }
    reservation::ReservationBook(db()).cancel(name, now);
    tx.commit();
}

std::vector<StoredReservation> Portal::visibleReservations(
    const Caller& caller, reservation::ReservationPool::ListFilter filter) {
    if (!caller.admin()) {
        filter.owner = caller.user.name;  // a provider sees only its own
    }
    return reservation::ReservationPool(db()).list(filter);
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

void Portal::routes() {
    auto& s = *server_;
    // Every handler answers errors as one line: JSON for the API.
    auto api = [this](auto handler) {
        return [this, handler](const httplib::Request& req, httplib::Response& res) {
            try {
                handler(req, res);
            } catch (const HttpError& e) {
                sendError(res, e.status(), e.what());
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
    };

    s.Get("/api/v1/reservations", api([this](const httplib::Request& req, httplib::Response& res) {
              Caller c = requireApiCaller(req);
              sendJson(res, 200,
                       tableJson(reservation::listTable(visibleReservations(c, listFilter(req)))));
          }));
    s.Post("/api/v1/reservations", api([this](const httplib::Request& req, httplib::Response& res) {
               Caller c = requireApiCaller(req);
               StoredReservation r = book(c, fieldsToParams(parseJsonBody(req), kBookingFields));
               sendJson(res, 201, tableJson(reservation::bookedTable(r)));
           }));
    const std::string one = R"(/api/v1/reservations/([^/]+))";
    s.Get(one, api([this](const httplib::Request& req, httplib::Response& res) {
              Caller c = requireApiCaller(req);
              std::string name = req.matches[1];
              auto r = visibleReservation(c, name);
              if (!r) {
                  throw HttpError(404, "unknown vcluster '" + name + "'");
              }
              sendJson(res, 200, reservationJson(*r).dump() + "\n");
          }));
    s.Patch(one, api([this](const httplib::Request& req, httplib::Response& res) {
                Caller c = requireApiCaller(req);
                std::string name = req.matches[1];
                StoredReservation r =
                    change(c, name, fieldsToParams(parseJsonBody(req), kChangeFields));
                sendJson(res, 200, reservationJson(r).dump() + "\n");
            }));
    s.Delete(one, api([this](const httplib::Request& req, httplib::Response& res) {
                 Caller c = requireApiCaller(req);
                 std::string name = req.matches[1];
                 cancel(c, name);
                 sendJson(res, 200, json{{"cancelled", name}}.dump() + "\n");
             }));
    s.Get("/api/v1/catalog", api([this](const httplib::Request& req, httplib::Response& res) {
              requireApiCaller(req);
              json catalog = json::object();
              std::vector<std::string> rolls;
              for (const auto& row : db().query(
                       "SELECT DISTINCT Name FROM rolls WHERE Enabled = 'yes' ORDER BY Name")) {
                  rolls.push_back(row.text(0));
              }
              reservation::Site site = reservation::loadSite(db());
              for (const auto& r : site.defaults.rolls) {
                  if (std::find(rolls.begin(), rolls.end(), r) == rolls.end()) {
                      rolls.push_back(r);
                  }
              }
              std::vector<std::string> appliances;
              for (const auto& row :
                   db().query("SELECT Name FROM appliances WHERE Name NOT IN "
                              "('frontend', 'gateway', 'vm-server', 'storage') ORDER BY Name")) {
                  appliances.push_back(row.text(0));
              }
              catalog["rolls"] = rolls;
              catalog["default_rolls"] = site.defaults.rolls;
              catalog["appliances"] = appliances;
              sendJson(res, 200, catalog.dump() + "\n");
          }));
    s.Get("/api/v1/calendar.svg", api([this](const httplib::Request& req, httplib::Response& res) {
              Caller c = requireApiCaller(req);
              std::string svg =
                  calendarSvg(c, req.get_param_value("from"), req.get_param_value("to"));
              res.set_header("Cache-Control", "no-store");
              res.set_content(svg, "image/svg+xml");
          }));

    // An answer with no body (413 from the size limit, 404 of an unknown
    // path) still gets its one-line JSON error.
    s.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) {
            return;
        }
        std::string message = res.status == 413
                                  ? "request body too large"
                                  : (res.status == 404 ? "no such resource: " + req.path
                                                       : "HTTP " + std::to_string(res.status));
        sendError(res, res.status, message);
    });

    webRoutes();
}

}  // namespace vcluster::portal
