// The portal's web pages: login, sessions, CSRF and escaping, over loopback.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <regex>
#include <thread>

#include "db/SqliteDatabase.h"

#include "portal/PortalFixture.h"

namespace vcluster::test {

namespace {

std::string cookiePair(const HttpAnswer& a, const std::string& name) {
    for (const auto& c : a.setCookies) {
        if (c.rfind(name + "=", 0) == 0) {
            return c.substr(0, c.find(';'));
        }
    }
    return "";
}

std::string csrfIn(const std::string& html) {
    std::smatch m;
    static const std::regex re(R"re(name="csrf" value="([0-9a-f]{64})")re");
    return std::regex_search(html, m, re) ? m[1].str() : "";
}

std::string urlEncode(const std::string& text) {
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
            out += static_cast<char>(c);
        } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        }
    }
    return out;
}

class PortalWebTest : public PortalTest {
  protected:
    // Logs in through the form; returns the session cookie ("name=value").
    std::string login(const std::string& user, const std::string& password) {
        HttpAnswer page = http({"GET", portal_->url() + "/login", "", {}, ""});
        EXPECT_EQ(page.status, 200);
        std::string pre = cookiePair(page, "vcluster_login");
        std::string token = csrfIn(page.body);
        EXPECT_EQ(pre, "vcluster_login=" + token);
        last_ =
            http({"POST",
                  portal_->url() + "/login",
                  "user=" + urlEncode(user) + "&password=" + urlEncode(password) + "&csrf=" + token,
                  {kForm, "Cookie: " + pre},
                  ""});
        return cookiePair(last_, "vcluster_session");
    }
    HttpAnswer get(const std::string& cookie, const std::string& path) {
        return http({"GET", portal_->url() + path, "", {"Cookie: " + cookie}, ""});
    }
    HttpAnswer post(const std::string& cookie, const std::string& path, const std::string& body) {
        return http({"POST", portal_->url() + path, body, {kForm, "Cookie: " + cookie}, ""});
    }
    std::string bookingForm(const std::string& name, const std::string& csrf) {
        return "name=" + name +
               "&start=2027-01-04T09%3A00%3A00Z&end=2027-01-10T00%3A00%3A00Z&nodes=1&cpus=2"
               "&rolls=base&rolls=os&appliances=compute&sshkey=" +
               urlEncode(key_) + (csrf.empty() ? "" : "&csrf=" + csrf);
    }
    HttpAnswer last_;
};

TEST_F(PortalWebTest, LoginSetsAStrictHttpOnlySessionAndRefusesBadPasswords) {
    EXPECT_EQ(login("alice", "wrong-password"), "");
    EXPECT_EQ(last_.status, 401);
    EXPECT_NE(last_.body.find("wrong user name or password"), std::string::npos);
    EXPECT_EQ(login("nobody", "alice-secret-pw"), "");
    EXPECT_EQ(last_.status, 401);
    // A login post without the login form's token is refused.
    HttpAnswer forged = http(
        {"POST", portal_->url() + "/login", "user=alice&password=alice-secret-pw", {kForm}, ""});
    EXPECT_EQ(forged.status, 403);
    EXPECT_EQ(cookiePair(forged, "vcluster_session"), "");

    std::string session = login("alice", "alice-secret-pw");
    ASSERT_NE(session, "");
    EXPECT_EQ(last_.status, 303);
    EXPECT_EQ(last_.location, "/");
    std::string full = last_.setCookies.front();
    EXPECT_NE(full.find("HttpOnly"), std::string::npos) << full;
    EXPECT_NE(full.find("SameSite=Strict"), std::string::npos) << full;
    HttpAnswer home = get(session, "/");
    EXPECT_EQ(home.status, 200);
    EXPECT_NE(home.body.find("Signed in as <b id=\"who\">alice</b>"), std::string::npos);
    // Without a session the pages send the browser to the login page.
    HttpAnswer anon = http({"GET", portal_->url() + "/", "", {}, ""});
    EXPECT_EQ(anon.status, 303);
    EXPECT_EQ(anon.location, "/login");
    // Logging out ends the session on the server.
    EXPECT_EQ(post(session, "/logout", "csrf=" + csrfIn(home.body)).status, 303);
    EXPECT_EQ(get(session, "/").status, 303);
}

TEST_F(PortalWebTest, FormsAndSessionApiCallsNeedTheCsrfToken) {
    std::string session = login("alice", "alice-secret-pw");
    ASSERT_NE(session, "");
    std::string csrf = csrfIn(get(session, "/").body);
    ASSERT_EQ(csrf.size(), 64U);

    HttpAnswer missing = post(session, "/reservations", bookingForm("web1", ""));
    EXPECT_EQ(missing.status, 403);
    EXPECT_NE(missing.body.find("CSRF token missing or wrong"), std::string::npos);
    HttpAnswer wrong = post(session, "/reservations", bookingForm("web1", std::string(64, 'f')));
    EXPECT_EQ(wrong.status, 403);
    // bob's token is no good in alice's session.
    std::string bobSession = login("bob", "bob-secret-pw");
    std::string bobCsrf = csrfIn(get(bobSession, "/").body);
    EXPECT_EQ(post(session, "/reservations", bookingForm("web1", bobCsrf)).status, 403);
    // A session-authenticated API call needs X-CSRF-Token as well.
    HttpAnswer apiNoToken = http({"POST",
                                  portal_->url() + "/api/v1/reservations",
                                  booking("web2", "2027-02-01T00:00:00Z", "2027-02-02T00:00:00Z"),
                                  {"Content-Type: application/json", "Cookie: " + session},
                                  ""});
    EXPECT_EQ(apiNoToken.status, 403);
    EXPECT_EQ(rocks({"list", "vcluster"}).out.find("web"), std::string::npos)
        << "nothing was booked by the refused requests";

    // Answered, not redirected: the frontend's root password is shown once
    // and never travels in a URL.
    HttpAnswer ok = post(session, "/reservations", bookingForm("web1", csrf));
    EXPECT_EQ(ok.status, 200) << ok.body;
    EXPECT_NE(ok.body.find("root password of its frontend (shown once, kept nowhere): "),
              std::string::npos)
        << ok.body;
    HttpAnswer apiOk =
        http({"POST",
              portal_->url() + "/api/v1/reservations",
              booking("web2", "2027-02-01T00:00:00Z", "2027-02-02T00:00:00Z"),
              {"Content-Type: application/json", "Cookie: " + session, "X-CSRF-Token: " + csrf},
              ""});
    EXPECT_EQ(apiOk.status, 201) << apiOk.body;
    std::string list = rocks({"list", "vcluster"}).out;
    EXPECT_NE(list.find("web1: alice"), std::string::npos) << list;
    EXPECT_NE(list.find("web2: alice"), std::string::npos) << list;
    // bob cannot cancel alice's cluster through his own forms.
    HttpAnswer cross = post(bobSession, "/reservations/web1/cancel", "csrf=" + bobCsrf);
    EXPECT_EQ(cross.status, 404);
    EXPECT_NE(rocks({"list", "vcluster"}).out.find("web1"), std::string::npos);
    EXPECT_EQ(post(session, "/reservations/web1/cancel", "csrf=" + csrf).status, 303);
    EXPECT_EQ(rocks({"list", "vcluster"}).out.find("web1"), std::string::npos);
}

TEST_F(PortalWebTest, PagesEscapeWhatUsersTyped) {
    std::string session = login("alice", "alice-secret-pw");
    std::string csrf = csrfIn(get(session, "/").body);
    HttpAnswer bad =
        post(session, "/reservations",
             "name=x1&start=" + urlEncode("<script>alert(1)</script>") +
                 "&end=2027-01-10T00%3A00%3A00Z&sshkey=" + urlEncode(key_) + "&csrf=" + csrf);
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(bad.body.find("<script>"), std::string::npos);
    EXPECT_NE(bad.body.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
    EXPECT_NE(bad.body.find("role=\"alert\""), std::string::npos);
}

TEST_F(PortalWebTest, ActiveClustersShowWhereToLogIn) {
    ASSERT_EQ(api(tokens_["alice"], "POST", "/api/v1/reservations",
                  booking("live1", "2027-01-04T09:00:00Z", "2027-01-10T00:00:00Z"))
                  .status,
              201);
    auto before =
        nlohmann::json::parse(api(tokens_["alice"], "GET", "/api/v1/reservations/live1").body);
    EXPECT_EQ(before["frontend_ip"], "");
    {
        // What the lifecycle engine records once the cluster is built.
        db::SqliteDatabase conn(db());
        conn.execute("UPDATE vcluster_reservations SET State = 'active' WHERE Name = 'live1'");
    }
    auto after =
        nlohmann::json::parse(api(tokens_["alice"], "GET", "/api/v1/reservations/live1").body);
    EXPECT_EQ(after["state"], "active");
    EXPECT_EQ(after["frontend_ip"], "192.0.2.100");
    EXPECT_EQ(after["frontend_fqdn"], "live1.example.org");
    std::string session = login("alice", "alice-secret-pw");
    std::string home = get(session, "/").body;
    EXPECT_NE(home.find("<td class=\"login\">root@live1.example.org (192.0.2.100)</td>"),
              std::string::npos)
        << home;
}

// A login through the form of the portal at `url`, from loopback address
// `from` ("": the default), with extra request headers.
HttpAnswer loginAt(const std::string& url, const std::string& user, const std::string& password,
                   const std::string& from = "", const std::vector<std::string>& extra = {}) {
    HttpAnswer page = http({"GET", url + "/login", "", extra, ""}, {60, from});
    std::string token = csrfIn(page.body);
    std::vector<std::string> headers = {kForm, "Cookie: " + cookiePair(page, "vcluster_login")};
    headers.insert(headers.end(), extra.begin(), extra.end());
    HttpRequest post{
        "POST", url + "/login",
        "user=" + urlEncode(user) + "&password=" + urlEncode(password) + "&csrf=" + token, headers,
        ""};
    return http(post, {60, from});
}

TEST_F(PortalWebTest, RepeatedFailedLoginsBackOffPerUserNameAndAddress) {
    // A second daemon on the same database, with 3 free attempts.
    PortalProcess strict(db(), {"login-attempts=3", "login-window=1h"});
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(loginAt(strict.url(), "alice", "guess-" + std::to_string(i)).status, 401);
    }
    // The right password from there now gets the same refusal, without a session.
    HttpAnswer refused = loginAt(strict.url(), "alice", "alice-secret-pw");
    EXPECT_EQ(refused.status, 429);
    EXPECT_NE(refused.body.find("too many failed logins: try again in "), std::string::npos)
        << refused.body;
    EXPECT_EQ(cookiePair(refused, "vcluster_session"), "");
    // Alice from her own address is not locked out by the guesser, nor is
    // another user.
    EXPECT_EQ(loginAt(strict.url(), "alice", "alice-secret-pw", "127.0.0.41").status, 303);
    EXPECT_EQ(loginAt(strict.url(), "bob", "bob-secret-pw").status, 303);
    // A bad parameter is refused at start.
    auto r = rocks({"start", "vcluster", "portal", "listen=127.0.0.1:0", "login-window=0s"});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_EQ(r.err, "error - login-window must be between 1s and 10 years\n");
}

TEST_F(PortalWebTest, EveryRequestLeavesAnAuditLineWithoutSecrets) {
    const std::string log = (dir_ / "portal-audit.log").string();
    setenv("VCLUSTER_AUDIT_LOG", log.c_str(), 1);
    PortalProcess audited(db());
    unsetenv("VCLUSTER_AUDIT_LOG");
    EXPECT_EQ(loginAt(audited.url(), "alice", "alice-secret-pw", "127.0.0.61").status, 303);
    EXPECT_EQ(loginAt(audited.url(), "alice", "wrong-password-x", "127.0.0.61").status, 401);
    HttpRequest listing{"GET",
                        audited.url() + "/api/v1/reservations?owner=zzz",
                        "",
                        {"Authorization: Bearer " + tokens_["bob"]},
                        ""};
    EXPECT_EQ(http(listing).status, 200);
    // A line is written once its answer is sent: the last may come a moment later.
    std::string text;
    for (int i = 0; i < 50 && countLines(text = readFile(log)) < 5; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_NE(text.find("source=portal who=alice from=127.0.0.61 what=\"POST /login\" "
                        "outcome=\"status=303 ms="),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("source=portal who=- from=127.0.0.61 what=\"POST /login\" "
                        "outcome=\"status=401 ms="),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("source=portal who=bob from=127.0.0.1 what=\"GET /api/v1/reservations\" "
                        "outcome=\"status=200 ms="),
              std::string::npos)
        << text;
    for (const std::string& secret :
         std::vector<std::string>{"alice-secret-pw", "wrong-password-x", "zzz",
                                  tokens_["bob"].substr(tokens_["bob"].find('.') + 1)}) {
        EXPECT_EQ(text.find(secret), std::string::npos) << secret;
    }
}

TEST_F(PortalWebTest, ParallelGuessesGetNoMorePasswordChecksThanTheAttempts) {
    PortalProcess strict(db(), {"login-attempts=5", "login-window=1h", "per-address=100"});
    std::vector<std::thread> guessers;
    std::vector<long> statuses(40);
    for (int i = 0; i < 40; ++i) {
        guessers.emplace_back([&, i] {
            statuses[i] = loginAt(strict.url(), "alice", "guess-" + std::to_string(i)).status;
        });
    }
    for (auto& g : guessers) {
        g.join();
    }
    EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 401L), 5) << "real password checks";
    EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 429L), 35);
}

TEST_F(PortalWebTest, AForwardedAddressCountsOnlyFromATrustedProxy) {
    PortalProcess proxied(db(),
                          {"login-attempts=2", "login-window=1h", "trusted-proxy=127.0.0.50"});
    // Through the proxy, each client is its own address.
    for (int i = 0; i < 2; ++i) {
        EXPECT_EQ(
            loginAt(proxied.url(), "alice", "guess", "127.0.0.50", {"X-Forwarded-For: 192.0.2.66"})
                .status,
            401);
    }
    EXPECT_EQ(loginAt(proxied.url(), "alice", "alice-secret-pw", "127.0.0.50",
                      {"X-Forwarded-For: 192.0.2.66"})
                  .status,
              429);
    EXPECT_EQ(loginAt(proxied.url(), "alice", "alice-secret-pw", "127.0.0.50",
                      {"X-Forwarded-For: 192.0.2.66, 192.0.2.10"})
                  .status,
              303)
        << "the proxy's last entry is the client";
    // Anyone else's X-Forwarded-For is ignored: a guesser cannot pose as many.
    for (int i = 0; i < 2; ++i) {
        EXPECT_EQ(loginAt(proxied.url(), "bob", "guess", "127.0.0.51",
                          {"X-Forwarded-For: 198.51.100." + std::to_string(i)})
                      .status,
                  401);
    }
    EXPECT_EQ(
        loginAt(proxied.url(), "bob", "guess", "127.0.0.51", {"X-Forwarded-For: 198.51.100.99"})
            .status,
        429);
}

}  // namespace

}  // namespace vcluster::test
