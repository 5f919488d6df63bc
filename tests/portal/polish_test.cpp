// The API as a new user meets it (issue 18, item 5): a wrong method is 405
// with Allow, a JSON key given twice is refused as a CLI parameter given
// twice is, `rocks set vcluster` works through a portal, and
// /api/v1/openapi.json describes exactly the routes the daemon has.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

#include "portal/PortalFixture.h"

namespace vcluster::test {

namespace {

using nlohmann::json;

}  // namespace

TEST_F(PortalTest, AWrongMethodIs405WithAllow) {
    const std::string t = tokens_["alice"];
    for (const auto& [method, path, allow] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"PUT", "/api/v1/reservations", "GET, POST"},
             {"DELETE", "/api/v1/reservations", "GET, POST"},
             {"POST", "/api/v1/reservations/x1", "GET, PATCH, DELETE"},
             {"DELETE", "/api/v1/catalog", "GET"},
             {"POST", "/api/v1/reservations/x1/nodes", "GET"},
             {"DELETE", "/api/v1/reservations/x1/nodes/compute-0-0/actions", "GET, POST"},
             {"GET", "/api/v1/tokens/12", "DELETE"}}) {
        auto a = api(t, method, path, method == "DELETE" || method == "GET" ? "" : "{}");
        EXPECT_EQ(a.status, 405) << method << " " << path << ": " << a.body;
        std::string expected = "method ";
        expected.append(method).append(" not allowed on ").append(path);
        expected.append(" (Allow: ").append(allow).append(")");
        EXPECT_EQ(errorOf(a), expected);
        EXPECT_EQ(a.allow, allow) << method << " " << path;
    }
    // A path the API does not have stays 404.
    auto none = api(t, "GET", "/api/v1/nothing-here");
    EXPECT_EQ(none.status, 404);
    EXPECT_EQ(none.allow, "");
}

TEST_F(PortalTest, AJsonKeyGivenTwiceIsRefusedAndBooksNothing) {
    std::string body = booking("x1", kStart, kEnd);
    body.insert(1, R"("name":"x0",)");
    auto a = api(tokens_["alice"], "POST", "/api/v1/reservations", body);
    EXPECT_EQ(a.status, 400);
    EXPECT_EQ(errorOf(a), "field 'name' given twice");
    // Nested objects are checked too (and are no valid field either way).
    a = api(tokens_["alice"], "POST", "/api/v1/reservations", R"({"x":{"a":1,"a":2}})");
    EXPECT_EQ(a.status, 400);
    EXPECT_EQ(errorOf(a), "field 'a' given twice");
    // The same key in two objects is not a duplicate.
    EXPECT_EQ(api(tokens_["root"], "GET", "/api/v1/reservations").body, "[]\n");
    // As the command line refuses a parameter given twice.
    auto cli = rocks({"list", "vcluster", "state=all", "state=active"});
    EXPECT_EQ(cli.exitCode, 1);
    EXPECT_EQ(cli.err, "error - parameter 'state' given twice\n");
}

TEST_F(PortalTest, SetVclusterWorksThroughAPortal) {
    ASSERT_EQ(
        api(tokens_["alice"], "POST", "/api/v1/reservations", booking("x1", kStart, kEnd)).status,
        201);
    writeFile(dir_ / "alice.token", tokens_["alice"] + "\n");
    writeFile(dir_ / "bob.token", tokens_["bob"] + "\n");
    auto via = [&](const std::string& user, std::vector<std::string> args) {
        args.push_back("portal=" + portal_->url());
        args.push_back("token-file=" + (dir_ / (user + ".token")).string());
        return rocks(args);
    };
    auto r = via("alice", {"set", "vcluster", "x1", "end=2027-01-12T00:00:00Z"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(json::parse(api(tokens_["alice"], "GET", "/api/v1/reservations/x1").body).at("end"),
              "2027-01-12T00:00:00Z");
    // Another tenant's: unknown, nothing changed.
    r = via("bob", {"set", "vcluster", "x1", "end=2027-01-20T00:00:00Z"});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_EQ(r.err, "error - unknown vcluster 'x1'\n");
    // What the portal does not take is refused before anything is sent.
    r = via("alice", {"set", "vcluster", "x1", "cycle=yes"});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_EQ(r.err, "error - cycle= is not taken through a portal (end=, nodes=, memory= are)\n");
    r = via("alice", {"set", "vcluster", "x1"});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_EQ(r.err, "error - nothing to change: give end=, nodes= or memory=\n");
    EXPECT_EQ(json::parse(api(tokens_["alice"], "GET", "/api/v1/reservations/x1").body).at("end"),
              "2027-01-12T00:00:00Z");
}

TEST_F(PortalTest, OpenApiDescribesExactlyTheRealRoutes) {
    // Served without credentials.
    auto doc = http({"GET", portal_->url() + "/api/v1/openapi.json", "", {}, ""});
    ASSERT_EQ(doc.status, 200) << doc.body;
    json spec = json::parse(doc.body);
    EXPECT_EQ(spec.at("openapi"), "3.0.3");
    const json& paths = spec.at("paths");
    std::set<std::string> documented;
    const std::string readme = readFile(std::string(VCLUSTER_SOURCE_DIR) + "/README");
    for (const auto& [path, ops] : paths.items()) {
        // Every documented route answers (with its own error at worst, never
        // "no such resource" or 405) ...
        std::string concrete = path;
        for (const auto& [param, value] : std::vector<std::pair<std::string, std::string>>{
                 {"{name}", "zz-none"}, {"{node}", "compute-0-0"}, {"{id}", "999999"}}) {
            if (auto at = concrete.find(param); at != std::string::npos) {
                concrete.replace(at, param.size(), value);
            }
        }
        std::set<std::string> listed;
        for (const auto& [method, op] : ops.items()) {
            std::string m = method;
            std::transform(m.begin(), m.end(), m.begin(), ::toupper);
            listed.insert(m);
            documented.insert(std::string(m).append(" ").append(path));
            EXPECT_FALSE(op.at("summary").get<std::string>().empty()) << m << " " << path;
            auto a = api(tokens_["alice"], m, concrete, m == "GET" || m == "DELETE" ? "" : "{}");
            EXPECT_NE(a.status, 405) << m << " " << concrete << ": " << a.body;
            EXPECT_EQ(a.body.find("no such resource"), std::string::npos)
                << m << " " << concrete << ": " << a.body;
        }
        // ... and every other method is 405 with exactly the documented ones.
        for (const std::string m : {"GET", "POST", "PATCH", "DELETE", "PUT"}) {
            if (listed.count(m) != 0U) {
                continue;
            }
            auto a = api(tokens_["alice"], m, concrete, m == "GET" || m == "DELETE" ? "" : "{}");
            EXPECT_EQ(a.status, 405) << m << " " << concrete;
            std::set<std::string> allowed;
            std::string allow = a.allow;
            for (std::size_t at = 0; at <= allow.size();) {
                std::size_t comma = std::min(allow.find(", ", at), allow.size());
                allowed.insert(allow.substr(at, comma - at));
                at = comma + 2;
            }
            EXPECT_EQ(allowed, listed) << m << " " << concrete << ": " << a.allow;
        }
        // The README's API table names each path.
        std::string inReadme = path;
        for (const auto& [param, word] : std::vector<std::pair<std::string, std::string>>{
                 {"{name}", "NAME"}, {"{node}", "NODE"}, {"{id}", "ID"}}) {
            if (auto at = inReadme.find(param); at != std::string::npos) {
                inReadme.replace(at, param.size(), word);
            }
        }
        EXPECT_NE(readme.find(inReadme), std::string::npos) << inReadme << " not in the README";
    }
    for (const char* route :
         {"GET /api/v1/reservations", "POST /api/v1/reservations",
          "GET /api/v1/reservations/{name}/nodes",
          "POST /api/v1/reservations/{name}/nodes/{node}/actions", "GET /api/v1/openapi.json"}) {
        EXPECT_EQ(documented.count(route), 1U) << route;
    }
}

}  // namespace vcluster::test
