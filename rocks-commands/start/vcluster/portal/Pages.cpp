// The portal's web pages: server-rendered HTML, every value escaped, every
// form carrying the session's CSRF token.
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <set>
#include <sstream>

#include "Portal.h"
#include "PortalServer.h"
#include "lifecycle/NodeActions.h"
#include "reservation/ReservationBook.h"
#include "reservation/Site.h"

namespace vcluster::portal {

using reservation::StoredReservation;

namespace {

constexpr const char* kLoginCookie = "vcluster_login";

const std::set<std::string> kFormBookingFields = {
    "name",  "start",      "end",    "duration", "nodes",  "cpus", "memory", "disk",
    "rolls", "appliances", "sshkey", "owner",    "repeat", "tz",   "skip",   "count"};

constexpr const char* kStyle =
    "body{font-family:sans-serif;margin:1.5em;max-width:1200px;color:#222}"
    "header{display:flex;gap:1em;align-items:center;border-bottom:1px solid #ccc}"
    "h1{font-size:1.4em;margin-right:auto}table{border-collapse:collapse;width:100%}"
    "th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left;font-size:.9em}"
    "th{background:#eee}.error{color:#a00;background:#fee;padding:.5em;border:1px solid #a00}"
    ".message{color:#060;background:#efe;padding:.5em}"
    "form.book{display:grid;grid-template-columns:10em 1fr;gap:.4em;max-width:50em}"
    "textarea{width:100%}img{max-width:100%;border:1px solid #ccc}"
    "td form{display:inline}";

void sendHtml(httplib::Response& res, int status, const std::string& title,
              const std::string& body) {
    res.status = status;
    res.set_header("Cache-Control", "no-store");
    res.set_header("Content-Security-Policy",
                   "default-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'; "
                   "form-action 'self'");
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_content("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" +
                        htmlEscape(title) + "</title><style>" + kStyle + "</style></head><body>" +
                        body + "</body></html>\n",
                    "text/html; charset=utf-8");
}

void redirect(httplib::Response& res, const std::string& where) {
    res.status = 303;
    res.set_header("Location", where);
}

// Form fields as parameters; repeated fields (checkboxes) are joined by
// commas, empty ones are left out, `csrf` is the caller's.
std::map<std::string, std::string> formToParams(const httplib::Request& req,
                                                const std::set<std::string>& allowed) {
    std::map<std::string, std::string> params;
    for (const auto& [key, value] : req.params) {
        if (key == "csrf") {
            continue;
        }
        if (allowed.count(key) == 0) {
            throw HttpError(400, "unknown field '" + key + "'");
        }
        if (value.empty()) {
            continue;
        }
        auto& slot = params[key];
        slot += (slot.empty() ? "" : ",") + value;
    }
    return params;
}

std::string hidden(const std::string& csrf) {
    return "<input type=\"hidden\" name=\"csrf\" value=\"" + htmlEscape(csrf) + "\">";
}

std::string field(const std::map<std::string, std::string>& form, const std::string& key) {
    auto it = form.find(key);
    return it == form.end() ? "" : it->second;
}

std::string input(const std::string& name, const std::string& label,
                  const std::map<std::string, std::string>& form, const std::string& placeholder,
                  bool required = false) {
    return "<label for=\"" + name + "\">" + htmlEscape(label) + "</label><input id=\"" + name +
           "\" name=\"" + name + "\" value=\"" + htmlEscape(field(form, name)) +
           "\" placeholder=\"" + htmlEscape(placeholder) + "\"" + (required ? " required" : "") +
           ">";
}

std::string checkboxes(const std::string& name, const std::vector<std::string>& options,
                       const std::vector<std::string>& checked) {
    std::string out;
    for (const auto& o : options) {
        bool on = std::find(checked.begin(), checked.end(), o) != checked.end();
        out += "<label><input type=\"checkbox\" name=\"" + name + "\" value=\"" + htmlEscape(o) +
               "\"" + (on ? " checked" : "") + "> " + htmlEscape(o) + "</label> ";
    }
    return out;
}

std::vector<std::string> splitCommas(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream in(text);
    for (std::string item; std::getline(in, item, ',');) {
        if (!item.empty()) {
            out.push_back(item);
        }
    }
    return out;
}

}  // namespace

std::string cookieOf(const httplib::Request& req, const std::string& name) {
    std::string header = req.get_header_value("Cookie");
    std::string key = name + "=";
    for (std::size_t pos = 0; pos < header.size();) {
        std::size_t end = header.find(';', pos);
        end = end == std::string::npos ? header.size() : end;
        std::size_t start = header.find_first_not_of(' ', pos);
        if (start < end && header.compare(start, key.size(), key) == 0) {
            return header.substr(start + key.size(), end - start - key.size());
        }
        pos = end + 1;
    }
    return "";
}

std::string htmlEscape(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

void Portal::loginPage(const httplib::Request& req, httplib::Response& res, int status,
                       const std::string& error) {
    // Login CSRF: the form's token must equal this cookie (double submit).
    std::string token = cookieOf(req, kLoginCookie);
    if (token.size() != 64) {
        token = randomHex(32);
        res.set_header("Set-Cookie", sessionCookie(kLoginCookie, token, 3600));
    }
    std::string body = "<header><h1>vcluster portal</h1></header><main><h2>Log in</h2>";
    if (!error.empty()) {
        body += "<p class=\"error\" role=\"alert\">" + htmlEscape(error) + "</p>";
    }
    body += "<form method=\"post\" action=\"/login\" class=\"book\">" + hidden(token) +
            "<label for=\"user\">User</label><input id=\"user\" name=\"user\" "
            "autocomplete=\"username\" required>"
            "<label for=\"password\">Password</label><input id=\"password\" name=\"password\" "
            "type=\"password\" autocomplete=\"current-password\" required>"
            "<span></span><button type=\"submit\">Log in</button></form></main>";
    sendHtml(res, status, "vcluster portal: log in", body);
}

void Portal::homePage(const Caller& caller, httplib::Response& res, int status,
                      const std::string& message, const std::string& error,
                      const std::map<std::string, std::string>& form) {
    const std::string& csrf = caller.csrf;
    std::string b = "<header><h1>vcluster portal</h1><span>Signed in as <b id=\"who\">" +
                    htmlEscape(caller.user.name) + "</b> (" + roleName(caller.user.role) +
                    ")</span><form method=\"post\" action=\"/logout\">" + hidden(csrf) +
                    "<button type=\"submit\">Log out</button></form></header><main>";
    if (!message.empty()) {
        b += "<p class=\"message\" role=\"status\">" + htmlEscape(message) + "</p>";
    }
    if (!error.empty()) {
        b += "<p class=\"error\" role=\"alert\">" + htmlEscape(error) + "</p>";
    }
    b += std::string("<section><h2>") + (caller.admin() ? "All reservations" : "My reservations") +
         "</h2><table id=\"reservations\"><tr><th>Name</th><th>Owner</th><th>State</th>"
         "<th>Start (UTC)</th><th>End (UTC)</th><th>Nodes</th><th>Memory</th><th>Disk</th>"
         "<th>Log in to</th><th>Actions</th></tr>";
    auto rows = visibleReservations(caller);
    for (const auto& r : rows) {
        const auto& q = r.request;
        std::string name = htmlEscape(q.name);
        std::string login =
            r.state == "active" ? "root@" + q.fqdn + " (" + r.publicIp + ")" : std::string();
        auto cell = [&b](const std::string& text, const char* cls = nullptr) {
            b += cls != nullptr ? std::string("<td class=\"") + cls + "\">" : std::string("<td>");
            b += htmlEscape(text);
            b += "</td>";
        };
        b += "<tr data-name=\"" + name + "\">";
        cell(q.name);
        cell(q.owner);
        cell(r.state, "state");
        cell(reservation::formatTime(q.start));
        cell(reservation::formatTime(q.end));
        cell(std::to_string(q.nodes));
        cell(reservation::formatSizeMiB(q.memoryMiB));
        cell(reservation::formatSizeMiB(q.diskMiB));
        cell(login, "login");
        b += "<td><form method=\"post\" action=\"/reservations/" + name + "/extend\">";
        b += hidden(csrf);
        b += "<input name=\"end\" placeholder=\"new end\" aria-label=\"new end of " + name;
        b += "\" required><button type=\"submit\">Extend</button></form> ";
        b += "<form method=\"post\" action=\"/reservations/" + name + "/cancel\">";
        b += hidden(csrf);
        b += "<button type=\"submit\">Cancel</button></form></td></tr>";
    }
    if (rows.empty()) {
        b += "<tr><td colspan=\"10\">No reservations.</td></tr>";
    }
    b += "</table></section>";

    // The nodes of each active cluster, with a button per action (carried
    // out by the portal's worker or the next sync; the state column says
    // when it is done).
    for (const auto& listed : rows) {
        if (listed.state != "active") {
            continue;
        }
        auto r = reservation::ReservationPool(db()).findLive(listed.request.name);
        if (!r) {
            continue;
        }
        const std::string name = htmlEscape(r->request.name);
        b.append("<section><h2>Nodes of ").append(name);
        b.append("</h2><table class=\"nodes\" data-name=\"").append(name);
        b += "\"><tr><th>Node</th><th>Host</th><th>Power</th><th>Last action</th>"
             "<th>Actions</th></tr>";
        for (const auto& n : lifecycle::nodeViews(db(), *r, reservation::currentTime())) {
            const std::string node = htmlEscape(n.node);
            std::string last;
            if (n.last) {
                last.append(n.last->action).append(" ").append(n.last->state);
                // A console capture is read through its link, not here.
                if (!n.last->detail.empty() && n.last->action != "console") {
                    last.append(": ").append(n.last->detail);
                }
            }
            b.append("<tr data-node=\"").append(node).append("\"><td>").append(node);
            b.append("</td><td>").append(htmlEscape(n.host));
            b.append("</td><td class=\"power\">").append(htmlEscape(n.power));
            b.append("</td><td class=\"last\">").append(htmlEscape(last)).append("</td><td>");
            for (const char* action : {"on", "off", "reset", "reinstall", "console"}) {
                b.append("<form method=\"post\" action=\"/reservations/").append(name);
                b.append("/nodes/").append(node).append("/actions\">").append(hidden(csrf));
                b.append("<input type=\"hidden\" name=\"action\" value=\"").append(action);
                b.append("\"><button type=\"submit\" aria-label=\"").append(action);
                b.append(" ").append(node).append("\">").append(action).append("</button></form> ");
            }
            b.append("<a href=\"/api/v1/reservations/").append(name).append("/nodes/");
            b.append(node).append("/console\">last console</a></td></tr>");
        }
        b += "</table></section>";
    }

    // The form offers what is installed: enabled rolls and node appliances.
    reservation::Site site = reservation::loadSite(db());
    const Catalog offered = catalog(site);
    const std::vector<std::string>& rolls = offered.rolls;
    const std::vector<std::string>& appliances = offered.appliances;
    auto checkedRolls =
        form.count("rolls") ? splitCommas(field(form, "rolls")) : site.defaults.rolls;
    auto checkedAppliances = form.count("appliances") ? splitCommas(field(form, "appliances"))
                                                      : std::vector<std::string>{"compute"};
    b += "<section><h2>Book a virtual cluster</h2><form method=\"post\" action=\"/reservations\" "
         "class=\"book\" id=\"book\">" +
         hidden(csrf) + input("name", "Name", form, "dc1", true) +
         input("start", "Start", form, "2027-01-04T09:00:00Z or earliest", true) +
         input("end", "End", form, "2027-01-31T18:00:00Z") +
         input("duration", "or duration", form, "14d") +
         input("nodes", "Compute nodes", form, "1") +
         input("cpus", "CPUs per node", form, std::to_string(site.defaults.cpus)) +
         input("memory", "Memory per node", form,
               reservation::formatSizeMiB(site.defaults.memoryMiB)) +
         input("disk", "Disk per node", form, reservation::formatSizeMiB(site.defaults.diskMiB)) +
         input("repeat", "Weekly windows", form, "tue,thu@13:00-16:00") +
         input("tz", "Time zone", form, site.defaults.timeZone) +
         input("skip", "Skipped days", form, "2027-04-13..2027-04-20") +
         input("count", "Clusters (one per student)", form, "1") +
         "<span>Rolls</span><div id=\"rolls\">" + checkboxes("rolls", rolls, checkedRolls) +
         "</div><span>Appliances</span><div id=\"appliances\">" +
         checkboxes("appliances", appliances, checkedAppliances) + "</div>";
    if (caller.admin()) {
        b += input("owner", "Owner", form, caller.user.name);
    }
    b += "<label for=\"sshkey\">SSH public key</label><textarea id=\"sshkey\" name=\"sshkey\" "
         "rows=\"3\" required placeholder=\"ssh-ed25519 AAAA... you@example.org\">" +
         htmlEscape(field(form, "sshkey")) +
         "</textarea><span></span><button type=\"submit\">Book</button></form></section>";
    // The picture spans the next 30 days, or up to the last visible reservation's end.
    reservation::Time from = reservation::currentTime();
    reservation::Time to = from + reservation::Time{30} * 86400;
    for (const auto& r : rows) {
        to = std::max(to, std::min(r.request.end, from + reservation::Time{400} * 86400));
    }
    std::string src = "/api/v1/calendar.svg?from=" + reservation::formatTime(from) +
                      "&to=" + reservation::formatTime(to);
    b += "<section><h2>Capacity calendar, " + htmlEscape(reservation::formatTime(from)) + " to " +
         htmlEscape(reservation::formatTime(to)) + "</h2><img id=\"calendar\" src=\"" +
         htmlEscape(src) + "\" alt=\"capacity calendar\"></section></main>";
    sendHtml(res, status, "vcluster portal", b);
}

void Portal::webRoutes() {
    auto& s = *server_;
    // A page handler: no session -> the login page; errors -> the home page
    // with the one-line message and the submitted values kept.
    auto page = [this](auto handler) {
        return [this, handler](const httplib::Request& req, httplib::Response& res) {
            std::optional<Caller> caller;
            std::map<std::string, std::string> form;
            try {
                caller = authenticate(req);
                if (!caller || caller->csrf.empty()) {
                    redirect(res, "/login");
                    return;
                }
                if (req.method == "POST") {
                    requireCsrf(*caller, req.get_param_value("csrf"));
                }
                handler(req, res, *caller, form);
            } catch (const Error& e) {
                const auto* http = dynamic_cast<const HttpError*>(&e);
                int status = http != nullptr
                                 ? http->status()
                                 : (dynamic_cast<const Refusal*>(&e) != nullptr ? 409 : 400);
                if (http != nullptr || !caller) {
                    // No page to show it on (or not the caller's to see): a bare message.
                    sendHtml(res, status, "vcluster portal",
                             "<p class=\"error\" role=\"alert\">" + htmlEscape(e.what()) +
                                 "</p><p><a href=\"/\">Back</a></p>");
                } else {
                    homePage(*caller, res, status, "", e.what(), form);
                }
            }
        };
    };
    s.Get("/", page([this](const httplib::Request& req, httplib::Response& res, const Caller& c,
                           std::map<std::string, std::string>&) {
              homePage(c, res, 200, req.get_param_value("msg"), "", {});
          }));
    s.Post("/reservations", page([this](const httplib::Request& req, httplib::Response& res,
                                        const Caller& c, std::map<std::string, std::string>& form) {
               form = formToParams(req, kFormBookingFields);
               auto booked = book(c, form);
               // Answered here, not redirected: the frontends' root passwords
               // are shown this once and must not travel in a URL.
               const StoredReservation& first = booked.front();
               std::string msg = "booked " + first.request.name +
                                 (booked.size() > 1 ? " and " + std::to_string(booked.size() - 1) +
                                                          " more of " + first.request.group
                                                    : std::string()) +
                                 " from " + reservation::formatTime(first.request.start);
               if (first.rootPassword == reservation::kKeyOnlyRoot) {
                   msg += "; root logs in to its frontend with your ssh key only";
               } else if (booked.size() == 1) {
                   msg += "; root password of its frontend (shown once, kept nowhere): " +
                          first.rootPassword;
               } else {
                   msg += "; root passwords of their frontends (shown once, kept nowhere):";
                   for (const auto& r : booked) {
                       msg += " " + r.request.name + " " + r.rootPassword;
                   }
               }
               res.set_header("Cache-Control", "no-store");
               homePage(c, res, 200, msg, "", {});
           }));
    s.Post(R"(/reservations/([^/]+)/cancel)",
           page([this](const httplib::Request& req, httplib::Response& res, const Caller& c,
                       std::map<std::string, std::string>&) {
               std::string name = req.matches[1];
               cancel(c, name);
               redirect(res, "/?msg=" + httplib::detail::encode_query_param("cancelled " + name));
           }));
    s.Post(R"(/reservations/([^/]+)/extend)",
           page([this](const httplib::Request& req, httplib::Response& res, const Caller& c,
                       std::map<std::string, std::string>&) {
               std::string name = req.matches[1];
               StoredReservation r = change(c, name, {{"end", req.get_param_value("end")}});
               redirect(res, "/?msg=" +
                                 httplib::detail::encode_query_param(
                                     name + " now ends " + reservation::formatTime(r.request.end)));
           }));
    s.Post(R"(/reservations/([^/]+)/nodes/([^/]+)/actions)",
           page([this](const httplib::Request& req, httplib::Response& res, const Caller& c,
                       std::map<std::string, std::string>&) {
               std::string name = req.matches[1];
               auto fields = formToParams(req, {"action", "label"});
               if (!visibleReservation(c, name)) {
                   throw HttpError(404, "unknown vcluster '" + name + "'");
               }
               std::lock_guard<TurnQueue> turn(writers_);
               auto a = lifecycle::requestNodeAction(db(), name, req.matches[2], fields["action"],
                                                     fields["label"], c.user.name,
                                                     reservation::currentTime());
               if (worker_) {
                   worker_->wake();
               }
               redirect(res,
                        "/?msg=" + httplib::detail::encode_query_param(
                                       name + " " + a.node + ": " + a.action +
                                       (worker_ ? " requested; the portal carries it out now"
                                                : " requested; the next sync carries it out")));
           }));
    s.Post("/logout", page([this](const httplib::Request&, httplib::Response& res, const Caller& c,
                                  std::map<std::string, std::string>&) {
               {
                   db::Transaction tx(db());
                   Accounts(db()).endSession(c.sessionCookie);
                   tx.commit();
               }
               res.set_header("Set-Cookie", sessionCookie(kSessionCookie, "", 0));
               redirect(res, "/login");
           }));
    s.Get("/login", [this](const httplib::Request& req, httplib::Response& res) {
        loginPage(req, res, 200, "");
    });
    s.Post("/login", [this](const httplib::Request& req, httplib::Response& res) {
        std::string expected = cookieOf(req, kLoginCookie);
        std::string given = req.get_param_value("csrf");
        if (expected.empty() || given.empty() || !constantTimeEquals(expected, given)) {
            loginPage(req, res, 403, "CSRF token missing or wrong: reload the page");
            return;
        }
        // Counted before the password is checked, and checked by at most a
        // few threads at once (each argon2id check takes 64 MiB).
        const std::string name = req.get_param_value("user");
        const std::string from = clientAddress(req);
        const auto now = LoginThrottle::Clock::now();
        if (std::int64_t wait = throttle_.admit(name, from, now); wait > 0) {
            res.set_header("Retry-After", std::to_string(wait));
            loginPage(req, res, 429,
                      "too many failed logins: try again in " + std::to_string(wait) + " s");
            return;
        }
        std::optional<User> user;
        {
            if (!passwordChecks_.try_acquire_for(std::chrono::seconds(10))) {
                res.set_header("Retry-After", "5");
                loginPage(req, res, 503, "the portal is busy: try again in a few seconds");
                return;
            }
            Accounts accounts(db());
            try {
                user = accounts.checkPassword(name, req.get_param_value("password"));
            } catch (...) {
                passwordChecks_.release();
                throw;
            }
            passwordChecks_.release();
        }
        if (!user) {
            loginPage(req, res, 401, "wrong user name or password");
            return;
        }
        throttle_.succeeded(name, from, now);
        noteUser(user->name);
        Accounts accounts(db());
        NewSession session;
        {
            db::Transaction tx(db());
            session =
                accounts.createSession(*user, reservation::currentTime(), options_.sessionSeconds);
            tx.commit();
        }
        res.set_header("Set-Cookie",
                       sessionCookie(kSessionCookie, session.cookie, options_.sessionSeconds));
        redirect(res, "/");
    });
}

}  // namespace vcluster::portal
