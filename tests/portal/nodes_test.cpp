// Tenants' nodes through the portal (issue 18): GET .../nodes and POST
// .../nodes/NODE/actions against the real daemon on loopback, every action
// carried out by a real `rocks sync vcluster` with the local executor on the
// fake hosts, whose state is checked after each; every refusal (not the
// owner, not built, unknown node, an action in progress, bad bodies)
// changes nothing.
#include <nlohmann/json.hpp>

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "portal/PortalFixture.h"
#include "support/FakeHosts.h"
#include "support/Keys.h"
#include "support/TestDatabase.h"

namespace vcluster::test {

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

class PortalNodes : public PortalTest {
  protected:
    // The site's hosts get the interfaces and attributes a build needs (the
    // fixture's site only books).
    void SetUp() override {
        PortalTest::SetUp();
        for (const auto& args : std::vector<std::vector<std::string>>{
                 {"add", "host", "interface", "gateway-0-0", "eth0", "subnet=private",
                  "ip=10.1.255.250", "mac=52:54:00:20:00:00"},
                 {"add", "host", "interface", "gateway-0-0", "eth1", "subnet=public",
                  "ip=192.0.2.10", "mac=52:54:00:21:00:00"},
                 {"set", "host", "attr", "gateway-0-0", "vc_trunk_interface", "eth0"},
                 {"set", "host", "attr", "gateway-0-0", "vc_public_interface", "eth1"},
                 {"add", "host", "interface", "vm-server-1-0", "eth0", "subnet=private",
                  "ip=10.1.254.1", "mac=52:54:00:30:00:00"},
                 {"set", "host", "attr", "vm-server-1-0", "vc_trunk_interface", "eth0"},
                 {"add", "host", "interface", "storage-2-0", "eth0", "subnet=private",
                  "ip=10.1.253.1", "mac=52:54:00:40:00:00"},
                 {"set", "host", "attr", "storage-2-0", "vc_volume_group", "vg_vcluster"}}) {
            auto r = rocks(args);
            ASSERT_EQ(r.exitCode, 0) << r.err;
        }
    }

    // alice's c1 (2 computes), built and active.
    void build() {
        std::string body = booking("c1", "2026-12-02T00:00:00Z", "2026-12-20T00:00:00Z");
        body.replace(body.find(R"("nodes":1)"), 9, R"("nodes":2)");
        auto a = api(tokens_["alice"], "POST", "/api/v1/reservations", body);
        ASSERT_EQ(a.status, 201) << a.body;
        sync("2026-12-02T00:00:30Z");
        auto r = api(tokens_["alice"], "GET", "/api/v1/reservations/c1");
        ASSERT_EQ(json::parse(r.body).at("state"), "active") << r.body;
    }

    void sync(const std::string& now) {
        auto r = rocks({"sync", "vcluster", "now=" + now, "executor=local",
                        "host-root=" + hosts_.string(), "tool-path=" + kFakeHostTools});
        ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
    }

    HttpAnswer act(const std::string& user, const std::string& node, const std::string& body) {
        return api(tokens_[user], "POST", "/api/v1/reservations/c1/nodes/" + node + "/actions",
                   body);
    }

    std::string error(const HttpAnswer& a) {
        return json::parse(a.body).at("error").get<std::string>();
    }

    json nodes(const std::string& user = "alice") {
        auto a = api(tokens_[user], "GET", "/api/v1/reservations/c1/nodes");
        EXPECT_EQ(a.status, 200) << a.body;
        return json::parse(a.body);
    }

    json node(const std::string& name) {
        for (const auto& n : nodes()) {
            if (n.at("node") == name) {
                return n;
            }
        }
        return nullptr;
    }

    std::string domain(const std::string& host, const std::string& vm) {
        fs::path f = hosts_ / host / "state/domain" / vm;
        if (!fs::exists(f)) {
            return "";
        }
        std::string s = readFile(f);
        return s.substr(0, s.find('\n'));
    }

    std::string resets(const std::string& vm) {
        fs::path f = hosts_ / "vm-server-1-0/state/reset" / vm;
        return fs::exists(f) ? readFile(f) : "0\n";
    }

    int actionRows() {
        auto r = rocks({"list", "vcluster", "node", "c1", "output-format=json"});
        int n = 0;
        for (const auto& row : json::parse(r.out)) {
            n += row.at("action").get<std::string>().empty() ? 0 : 1;
        }
        return n;
    }

    fs::path hosts_ = dir_ / "hosts";
};

}  // namespace

TEST_F(PortalNodes, TheOwnerSeesItsNodesAndEveryActionIsCarriedOutByTheNextSync) {
    build();
    json all = nodes();
    ASSERT_EQ(all.size(), 3U) << all;
    EXPECT_EQ(all[0].at("node"), "frontend");
    EXPECT_EQ(all[0].at("host"), "gateway-0-0");
    EXPECT_EQ(all[1].at("node"), "compute-0-0");
    EXPECT_EQ(all[1].at("name"), "c1-compute-0-0");
    EXPECT_EQ(all[1].at("host"), "vm-server-1-0");
    for (const auto& n : all) {
        EXPECT_EQ(n.at("power"), "on") << n;
        EXPECT_TRUE(n.at("last_action").is_null()) << n;
    }

    auto a = act("alice", "compute-0-1", R"({"action":"reset"})");
    ASSERT_EQ(a.status, 202) << a.body;
    json asked = json::parse(a.body);
    EXPECT_TRUE(asked.is_object());
    EXPECT_EQ(asked.at("state"), "requested");
    EXPECT_EQ(asked.at("action"), "reset");
    EXPECT_EQ(asked.at("requested_by"), "alice");
    EXPECT_EQ(node("compute-0-1").at("last_action").at("state"), "requested");
    EXPECT_EQ(resets("c1-compute-0-1"), "0\n");
    sync("2026-12-02T01:00:00Z");
    EXPECT_EQ(resets("c1-compute-0-1"), "1\n");
    EXPECT_EQ(resets("c1-compute-0-0"), "0\n");
    EXPECT_EQ(node("compute-0-1").at("last_action").at("state"), "done");
    EXPECT_EQ(node("compute-0-1").at("last_action").at("detail"), "reset");

    ASSERT_EQ(act("alice", "compute-0-0", R"({"action":"off"})").status, 202);
    sync("2026-12-02T01:01:00Z");
    EXPECT_EQ(domain("vm-server-1-0", "c1-compute-0-0"), "shut off");
    EXPECT_EQ(domain("vm-server-1-0", "c1-compute-0-1"), "running");
    EXPECT_EQ(domain("gateway-0-0", "c1-frontend"), "running");
    EXPECT_EQ(node("compute-0-0").at("power"), "off");

    // An admin acts on anyone's node.
    ASSERT_EQ(act("root", "compute-0-0", R"({"action":"on"})").status, 202);
    sync("2026-12-02T01:02:00Z");
    EXPECT_EQ(domain("vm-server-1-0", "c1-compute-0-0"), "running");
    EXPECT_EQ(node("compute-0-0").at("power"), "on");
    EXPECT_EQ(node("compute-0-0").at("last_action").at("requested_by"), "root");

    ASSERT_EQ(act("alice", "frontend", R"({"action":"reset"})").status, 202);
    sync("2026-12-02T01:03:00Z");
    EXPECT_EQ(readFile(hosts_ / "gateway-0-0/state/reset/c1-frontend"), "1\n");

    auto history =
        api(tokens_["alice"], "GET", "/api/v1/reservations/c1/nodes/compute-0-0/actions");
    ASSERT_EQ(history.status, 200);
    json h = json::parse(history.body);
    ASSERT_EQ(h.size(), 2U) << h;
    EXPECT_EQ(h[0].at("action"), "on");
    EXPECT_EQ(h[1].at("action"), "off");
}

TEST_F(PortalNodes, RefusalsAreAnsweredAndChangeNothing) {
    // Not built yet.
    auto booked = api(tokens_["alice"], "POST", "/api/v1/reservations",
                      booking("c1", "2026-12-02T00:00:00Z", "2026-12-20T00:00:00Z"));
    ASSERT_EQ(booked.status, 201) << booked.body;
    auto a = act("alice", "compute-0-0", R"({"action":"reset"})");
    EXPECT_EQ(a.status, 409);
    EXPECT_EQ(error(a),
              "vcluster 'c1' is scheduled, not active: its nodes take actions once it is built "
              "and running");
    EXPECT_EQ(nodes().at(1).at("power"), "not built");
    sync("2026-12-02T00:00:30Z");

    // Another tenant: as if it did not exist.
    a = act("bob", "compute-0-0", R"({"action":"reset"})");
    EXPECT_EQ(a.status, 404);
    EXPECT_EQ(error(a), "unknown vcluster 'c1'");
    EXPECT_EQ(api(tokens_["bob"], "GET", "/api/v1/reservations/c1/nodes").status, 404);
    EXPECT_EQ(
        api(tokens_["bob"], "GET", "/api/v1/reservations/c1/nodes/compute-0-0/actions").status,
        404);
    // Unknown cluster and node.
    a = api(tokens_["alice"], "POST", "/api/v1/reservations/nope/nodes/compute-0-0/actions",
            R"({"action":"reset"})");
    EXPECT_EQ(a.status, 404);
    a = act("alice", "compute-0-9", R"({"action":"reset"})");
    EXPECT_EQ(a.status, 404);
    EXPECT_EQ(error(a), "vcluster 'c1' has no node 'compute-0-9'");
    // Bad bodies.
    for (const auto& [body, message] : std::vector<std::pair<std::string, std::string>>{
             {R"({"action":"explode"})",
              "action must be on, off, reset, reinstall, rollback or console, not 'explode'"},
             {R"({})", "missing required field action"},
             {R"({"action":"reset","force":true})", "unknown field 'force'"},
             {R"({"action":"off","action":"on"})", "field 'action' given twice"},
             {R"({"action":"reset","label":"x"})", "label= is for action=rollback only"},
             {R"({"action":"rollback","label":"none"})", "vcluster 'c1' has no snapshot 'none'"},
             {R"([{"action":"reset"}])", "the request body must be a JSON object"}}) {
        a = act("alice", "compute-0-0", body);
        EXPECT_EQ(a.status, 400) << body;
        EXPECT_EQ(error(a), message) << body;
    }
    EXPECT_EQ(actionRows(), 0);
    // One action per node at a time.
    ASSERT_EQ(act("alice", "compute-0-0", R"({"action":"reset"})").status, 202);
    a = act("alice", "compute-0-0", R"({"action":"off"})");
    EXPECT_EQ(a.status, 409);
    EXPECT_EQ(
        error(a).rfind("an action of c1 compute-0-0 is in progress: reset #1 asked by alice", 0),
        0U)
        << error(a);
    EXPECT_EQ(actionRows(), 1);
    // Without credentials.
    HttpAnswer none = http({"GET", portal_->url() + "/api/v1/reservations/c1/nodes", "", {}, ""});
    EXPECT_EQ(none.status, 401);
}

}  // namespace vcluster::test

namespace vcluster::test {

// The credential of the frontend's kit and its vc-power client, as the
// virtual frontend runs them: the script and its conf taken from the kit
// the sync installed on the (fake) gateway, run against the daemon.
TEST_F(PortalNodes, TheKitsCredentialActsOnlyOnItsClustersNodesAndIsRevocable) {
    ASSERT_EQ(rocks({"set", "attr", "vc_portal_url", portal_->url()}).exitCode, 0);
    build();
    const fs::path kit = hosts_ / "gateway-0-0/export/vcluster/c1/kit";
    ASSERT_TRUE(fs::exists(kit / "vc-power")) << "vc-power in the kit";
    const std::string conf = readFile(kit / "vc-power.conf");
    EXPECT_EQ(conf.rfind("portal=" + portal_->url() + "\ncluster=c1\ntoken=", 0), 0U) << conf;
    EXPECT_EQ(fs::status(kit / "vc-power.conf").permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::owner_write);
    const std::string token =
        conf.substr(conf.find("token=") + 6, conf.size() - conf.find("token=") - 7);
    auto vcPower = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {"/bin/bash", (kit / "vc-power").string()});
        return runProcess(
            args, {{"VC_POWER_CONF", (kit / "vc-power.conf").string()}, {"PATH", "/usr/bin:/bin"}});
    };
    auto r = vcPower({"compute-0-0", "reset"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(json::parse(r.out).at("state"), "requested") << r.out;
    EXPECT_EQ(json::parse(r.out).at("requested_by"), "alice");
    sync("2026-12-02T01:00:00Z");
    EXPECT_EQ(resets("c1-compute-0-0"), "1\n");
    EXPECT_EQ(resets("c1-compute-0-1"), "0\n");
    r = vcPower({"list"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(json::parse(r.out).size(), 3U) << r.out;
    r = vcPower({"compute-0-9", "reset"});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_EQ(r.err, "error - vcluster 'c1' has no node 'compute-0-9'\n");
    r = vcPower({"compute-0-0", "explode"});
    EXPECT_EQ(r.exitCode, 1);

    // Nothing but this cluster's nodes: no listing, no booking, no reading
    // of the reservation, another cluster of the same owner unknown.
    std::string other = booking("c2", "2027-02-01T00:00:00Z", "2027-02-02T00:00:00Z");
    ASSERT_EQ(api(tokens_["alice"], "POST", "/api/v1/reservations", other).status, 201);
    for (const auto& [method, path, body] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"GET", "/api/v1/reservations", ""},
             {"POST", "/api/v1/reservations",
              booking("c3", "2027-03-01T00:00:00Z", "2027-03-02T00:00:00Z")},
             {"GET", "/api/v1/reservations/c1", ""},
             {"PATCH", "/api/v1/reservations/c1", R"({"end":"2026-12-25T00:00:00Z"})"},
             {"DELETE", "/api/v1/reservations/c1", ""},
             {"GET", "/api/v1/catalog", ""}}) {
        auto a = api(token, method, path, body);
        EXPECT_EQ(a.status, 403) << method << " " << path << ": " << a.body;
        EXPECT_EQ(error(a), "this token is for the nodes of vcluster 'c1' only");
    }
    auto a = api(token, "GET", "/api/v1/reservations/c2/nodes");
    EXPECT_EQ(a.status, 404);
    EXPECT_EQ(error(a), "unknown vcluster 'c2'");
    EXPECT_EQ(api(token, "POST", "/api/v1/reservations/c2/nodes/compute-0-0/actions",
                  R"({"action":"reset"})")
                  .status,
              404);
    EXPECT_EQ(api(tokens_["alice"], "GET", "/api/v1/reservations/c3").status, 404)
        << "nothing booked";

    // Listed with alice's tokens, its scope shown (never its secret).
    const std::string id = token.substr(0, token.find('.'));
    auto listed = rocks({"list", "vcluster", "user", "token", "alice", "output-format=json"});
    ASSERT_EQ(listed.exitCode, 0) << listed.err;
    bool found = false;
    for (const auto& row : json::parse(listed.out)) {
        if (std::to_string(row.at("id").get<long long>()) == id) {
            found = true;
            EXPECT_EQ(row.at("vcluster"), "c1");
            EXPECT_EQ(row.at("label"), "kit");
        }
    }
    EXPECT_TRUE(found) << listed.out;
    EXPECT_EQ(listed.out.find(token.substr(token.find('.') + 1)), std::string::npos);
    // Revoked by the admin like any of alice's tokens: vc-power stops working.
    auto revoked = rocks({"remove", "vcluster", "user", "token", "alice", "id=" + id});
    ASSERT_EQ(revoked.exitCode, 0) << revoked.err;
    r = vcPower({"compute-0-0", "on"});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_EQ(r.err, "error - authentication required: a valid bearer token or session\n");
    // The owner's own token still works.
    EXPECT_EQ(api(tokens_["alice"], "GET", "/api/v1/reservations/c1/nodes").status, 200);
}

}  // namespace vcluster::test

namespace vcluster::test {

namespace {

std::string cookieOf(const HttpAnswer& a, const std::string& name) {
    for (const auto& c : a.setCookies) {
        if (c.rfind(name + "=", 0) == 0) {
            return c.substr(0, c.find(';'));
        }
    }
    return "";
}

std::string csrfOf(const std::string& html) {
    const std::string mark = "name=\"csrf\" value=\"";
    auto at = html.find(mark);
    return at == std::string::npos ? "" : html.substr(at + mark.size(), 64);
}

}  // namespace

TEST_F(PortalNodes, ThePageHasAButtonPerNodeAndActionThatTheNextSyncCarriesOut) {
    build();
    auto session = [&](const std::string& user) {
        HttpAnswer page = http({"GET", portal_->url() + "/login", "", {}, ""});
        const std::string pre = cookieOf(page, "vcluster_login");
        HttpAnswer in =
            http({"POST",
                  portal_->url() + "/login",
                  "user=" + user + "&password=" + user + "-secret-pw&csrf=" + csrfOf(page.body),
                  {kForm, "Cookie: " + pre},
                  ""});
        return cookieOf(in, "vcluster_session");
    };
    const std::string alice = session("alice");
    ASSERT_FALSE(alice.empty());
    HttpAnswer home = http({"GET", portal_->url() + "/", "", {"Cookie: " + alice}, ""});
    ASSERT_EQ(home.status, 200);
    EXPECT_NE(home.body.find("<h2>Nodes of c1</h2>"), std::string::npos) << home.body;
    const std::string action = "action=\"/reservations/c1/nodes/compute-0-1/actions\"";
    EXPECT_NE(home.body.find(action), std::string::npos);
    for (const char* a : {"on", "off", "reset", "reinstall"}) {
        EXPECT_NE(home.body.find("aria-label=\"" + std::string(a) + " compute-0-1\""),
                  std::string::npos)
            << a;
    }
    const std::string csrf = csrfOf(home.body);
    // Without the form's CSRF token: refused, nothing asked.
    HttpAnswer forged = http({"POST",
                              portal_->url() + "/reservations/c1/nodes/compute-0-1/actions",
                              "action=reset",
                              {kForm, "Cookie: " + alice},
                              ""});
    EXPECT_EQ(forged.status, 403);
    // Another tenant's session: as if it did not exist.
    const std::string bob = session("bob");
    HttpAnswer other =
        http({"POST",
              portal_->url() + "/reservations/c1/nodes/compute-0-1/actions",
              "action=reset&csrf=" +
                  csrfOf(http({"GET", portal_->url() + "/", "", {"Cookie: " + bob}, ""}).body),
              {kForm, "Cookie: " + bob},
              ""});
    EXPECT_EQ(other.status, 404);
    EXPECT_EQ(actionRows(), 0);
    HttpAnswer pressed = http({"POST",
                               portal_->url() + "/reservations/c1/nodes/compute-0-1/actions",
                               "action=reset&csrf=" + csrf,
                               {kForm, "Cookie: " + alice},
                               ""});
    EXPECT_EQ(pressed.status, 303) << pressed.body;
    EXPECT_EQ(pressed.location.rfind("/?msg=", 0), 0U) << pressed.location;
    sync("2026-12-02T01:00:00Z");
    EXPECT_EQ(resets("c1-compute-0-1"), "1\n");
    EXPECT_EQ(resets("c1-compute-0-0"), "0\n");
    home = http({"GET", portal_->url() + "/", "", {"Cookie: " + alice}, ""});
    EXPECT_NE(home.body.find("<td class=\"last\">reset done: reset</td>"), std::string::npos)
        << home.body;
}

}  // namespace vcluster::test

namespace vcluster::test {

// The serial console: the domain keeps its output in a log on its host
// (<log file=...> in the definition); the console action has the next sync
// capture its tail, which the owner reads as text.
TEST_F(PortalNodes, TheOwnerReadsTheTailOfANodesConsole) {
    build();
    const fs::path xml = hosts_ / "vm-server-1-0/state/domain-xml/c1-compute-0-0";
    EXPECT_NE(readFile(xml).find(
                  "<log file=\"/var/log/vcluster/console/c1-compute-0-0.log\" append=\"on\"/>"),
              std::string::npos);
    auto none = api(tokens_["alice"], "GET", "/api/v1/reservations/c1/nodes/compute-0-0/console");
    EXPECT_EQ(none.status, 404);
    EXPECT_EQ(error(none),
              "no console of c1 compute-0-0 captured yet: POST {\"action\": \"console\"} to its "
              "actions first");
    ASSERT_EQ(act("alice", "compute-0-0", R"({"action":"reset"})").status, 202);
    sync("2026-12-02T01:00:00Z");
    ASSERT_EQ(act("alice", "compute-0-0", R"({"action":"console"})").status, 202);
    sync("2026-12-02T01:01:00Z");
    auto tail = api(tokens_["alice"], "GET", "/api/v1/reservations/c1/nodes/compute-0-0/console");
    ASSERT_EQ(tail.status, 200) << tail.body;
    EXPECT_EQ(tail.body, "console of c1-compute-0-0: started\nconsole of c1-compute-0-0: reset\n");
    // Its power state is not a console capture's.
    EXPECT_EQ(node("compute-0-0").at("power"), "on");
    EXPECT_EQ(node("compute-0-0").at("last_action").at("action"), "console");
    EXPECT_EQ(node("compute-0-0").at("last_action").at("detail"),
              std::to_string(tail.body.size()) + " bytes captured");
    // Another tenant reads nothing.
    EXPECT_EQ(
        api(tokens_["bob"], "GET", "/api/v1/reservations/c1/nodes/compute-0-0/console").status,
        404);
}

}  // namespace vcluster::test

namespace vcluster::test {

// With executor= the portal's own worker carries out an action as soon as it
// is asked, with no sync; one asked by the CLI at its next look
// (act-interval); and it takes turns with the syncs (never while one holds
// the sync lock).
TEST_F(PortalNodes, ThePortalsWorkerCarriesOutActionsAtOnceTakingTurnsWithTheSyncs) {
    build();
    portal_.reset();
    portal_ = std::make_unique<PortalProcess>(
        db(), std::vector<std::string>{"executor=local", "host-root=" + hosts_.string(),
                                       "tool-path=" + kFakeHostTools, "act-interval=1s"});
    auto settled = [&](const std::string& n) {
        for (int i = 0; i < 300; ++i) {
            auto last = node(n).at("last_action");
            if (!last.is_null() && last.at("state") != "requested") {
                return last.at("state").get<std::string>();
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return std::string("still requested after 30 s");
    };
    ASSERT_EQ(act("alice", "compute-0-1", R"({"action":"reset"})").status, 202);
    EXPECT_EQ(settled("compute-0-1"), "done");
    EXPECT_EQ(resets("c1-compute-0-1"), "1\n");
    EXPECT_EQ(resets("c1-compute-0-0"), "0\n");

    // Asked by the admin's command, not through the portal.
    auto off = rocks({"set", "vcluster", "node", "power", "c1", "compute-0-0", "action=off"});
    ASSERT_EQ(off.exitCode, 0) << off.err;
    EXPECT_EQ(settled("compute-0-0"), "done");
    EXPECT_EQ(domain("vm-server-1-0", "c1-compute-0-0"), "shut off");

    // While a sync holds the lock, the worker leaves the action alone.
    {
        auto handle = openTestDatabase(db());
        auto held = handle->holdLock("sync", 0);
        ASSERT_NE(held, nullptr);
        ASSERT_EQ(act("alice", "compute-0-0", R"({"action":"on"})").status, 202);
        std::this_thread::sleep_for(std::chrono::milliseconds(2500));
        EXPECT_EQ(node("compute-0-0").at("last_action").at("state"), "requested");
        EXPECT_EQ(domain("vm-server-1-0", "c1-compute-0-0"), "shut off");
    }
    EXPECT_EQ(settled("compute-0-0"), "done");
    EXPECT_EQ(domain("vm-server-1-0", "c1-compute-0-0"), "running");
    // Nothing else of the cluster was touched: its other nodes still run.
    EXPECT_EQ(domain("gateway-0-0", "c1-frontend"), "running");
    EXPECT_EQ(resets("c1-compute-0-1"), "1\n");
}

}  // namespace vcluster::test

namespace vcluster::test {

// The admin gives a cluster a new kit credential (the old one revoked), and a
// frontend's reinstall after a revocation carries a working one by itself.
TEST_F(PortalNodes, TheKitsCredentialIsRenewedByTheAdminAndByAFrontendReinstall) {
    ASSERT_EQ(rocks({"set", "attr", "vc_portal_url", portal_->url()}).exitCode, 0);
    build();
    const fs::path conf = hosts_ / "gateway-0-0/export/vcluster/c1/kit/vc-power.conf";
    auto tokenIn = [&] {
        const std::string text = readFile(conf);
        const auto at = text.find("token=") + 6;
        return text.substr(at, text.find('\n', at) - at);
    };
    auto status = [&](const std::string& token) {
        return api(token, "GET", "/api/v1/reservations/c1/nodes").status;
    };
    const std::string first = tokenIn();
    ASSERT_EQ(status(first), 200);

    // Revoked by the admin; the frontend reinstalls: its new kit has a new one.
    const std::string id = first.substr(0, first.find('.'));
    ASSERT_EQ(rocks({"remove", "vcluster", "user", "token", "alice", "id=" + id}).exitCode, 0);
    EXPECT_EQ(status(first), 401);
    ASSERT_EQ(act("alice", "frontend", R"({"action":"reinstall"})").status, 202);
    sync("2026-12-02T01:00:00Z");
    EXPECT_EQ(node("frontend").at("last_action").at("state"), "done") << nodes();
    const std::string second = tokenIn();
    EXPECT_NE(second, first);
    EXPECT_EQ(status(second), 200);
    EXPECT_EQ(api(second, "GET", "/api/v1/reservations").status, 403) << "scoped to c1";

    // The admin issues a new one at will: the previous one stops working.
    auto issued = rocks({"add", "vcluster", "user", "token", "alice", "vcluster=c1"});
    ASSERT_EQ(issued.exitCode, 0) << issued.err;
    const std::string third = issued.out.substr(0, issued.out.size() - 1);
    EXPECT_EQ(status(third), 200);
    EXPECT_EQ(status(second), 401);
    // Kept for the next kit: a reinstall carries it as it is (it still works).
    sync("2026-12-02T01:05:00Z");  // the reinstall's install finishes, if not yet
    ASSERT_EQ(act("alice", "frontend", R"({"action":"reinstall"})").status, 202);
    sync("2026-12-02T01:10:00Z");
    EXPECT_EQ(tokenIn(), third);

    // Refused, changing nothing.
    for (const auto& [args, message] :
         std::vector<std::pair<std::vector<std::string>, std::string>>{
             {{"vcluster=c9"}, "error - unknown vcluster 'c9'\n"},
             {{"vcluster=c1", "label=bad label"}, ""}}) {
        std::vector<std::string> cmd{"add", "vcluster", "user", "token", "alice"};
        cmd.insert(cmd.end(), args.begin(), args.end());
        auto r = rocks(cmd);
        EXPECT_EQ(r.exitCode, 1) << r.out;
        if (!message.empty()) {
            EXPECT_EQ(r.err, message);
        }
    }
    auto other = rocks({"add", "vcluster", "user", "token", "bob", "vcluster=c1"});
    EXPECT_EQ(other.exitCode, 1);
    EXPECT_EQ(other.err,
              "error - vcluster 'c1' belongs to alice, not bob: a kit credential is its owner's\n");
    EXPECT_EQ(status(third), 200);
}

}  // namespace vcluster::test

namespace vcluster::test {

// A site whose portal has a self-signed certificate (most Rocks clusters):
// vc_portal_cacert names it, the kit carries it, and vc-power verifies the
// portal with it over https; a private key or a non-certificate is refused.
TEST_F(PortalNodes, TheKitCarriesTheSitesCaAndVcPowerVerifiesTheHttpsPortalWithIt) {
    const std::string cert = (dir_ / "portal.pem").string();
    const std::string key = (dir_ / "portal.key").string();
    auto made = makeSelfSignedCertificate(cert, key, "127.0.0.1");
    ASSERT_EQ(made.exitCode, 0) << made.err;
    const std::string notPem = (dir_ / "notes.txt").string();
    writeFile(notPem, "this is not a certificate\n");
    const std::string both = (dir_ / "both.pem").string();
    writeFile(both, readFile(cert) + readFile(key));
    const std::string fifo = (dir_ / "ca.fifo").string();  // read, it would wait for a writer
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    for (const auto& [value, message] : std::vector<std::pair<std::string, std::string>>{
             {key, "error - vc_portal_cacert '" + key +
                       "' holds a private key: name the certificate, never its key\n"},
             {both, "error - vc_portal_cacert '" + both +
                        "' holds a private key: name the certificate, never its key\n"},
             {notPem, "error - vc_portal_cacert '" + notPem +
                          "': line 1 is outside any BEGIN/END CERTIFICATE block\n"},
             {"/nonexistent/ca.pem",
              "error - cannot read vc_portal_cacert '/nonexistent/ca.pem': "
              "No such file or directory\n"},
             {fifo, "error - vc_portal_cacert '" + fifo + "' is not a regular file\n"},
             {"ca.pem", "error - vc_portal_cacert must be an absolute path, not 'ca.pem'\n"}}) {
        auto r = rocks({"set", "attr", "vc_portal_cacert", value});
        EXPECT_EQ(r.exitCode, 1) << value;
        EXPECT_EQ(r.err, message) << value;
    }
    EXPECT_EQ(rocks({"list", "attr"}).out.find("vc_portal_cacert"), std::string::npos)
        << "nothing set";

    PortalProcess tls(db(), {"cert=" + cert, "key=" + key});
    ASSERT_EQ(rocks({"set", "attr", "vc_portal_url", tls.url()}).exitCode, 0);
    auto set = rocks({"set", "attr", "vc_portal_cacert", cert});
    ASSERT_EQ(set.exitCode, 0) << set.err;
    build();
    const fs::path kit = hosts_ / "gateway-0-0/export/vcluster/c1/kit";
    EXPECT_EQ(readFile(kit / "vc-power-ca.pem"), readFile(cert));
    const std::string conf = readFile(kit / "vc-power.conf");
    ASSERT_NE(conf.find("\ncacert=/root/.vc-power-ca.pem\n"), std::string::npos) << conf;
    // As the node file installs them, here under the kit's directory.
    auto vcPower = [&](const std::string& confText) {
        const fs::path c = dir_ / "vc-power.conf";
        writeFile(c, confText);
        return runProcess({"/bin/bash", (kit / "vc-power").string(), "compute-0-1", "reset"},
                          {{"VC_POWER_CONF", c.string()}, {"PATH", "/usr/bin:/bin"}});
    };
    std::string installed = conf;
    installed.replace(installed.find("/root/.vc-power-ca.pem"), 22,
                      (kit / "vc-power-ca.pem").string());
    auto r = vcPower(installed);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(json::parse(r.out).at("state"), "requested") << r.out;
    // Without the site's CA the portal is not trusted, and nothing is asked.
    std::string withoutCa = conf.substr(0, conf.find("cacert="));
    r = vcPower(withoutCa);
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_EQ(r.err, "error - cannot reach the portal " + tls.url() +
                         ": (60) SSL certificate problem: self-signed certificate\n");
    sync("2026-12-02T01:00:00Z");
    EXPECT_EQ(resets("c1-compute-0-1"), "1\n") << "one reset, the trusted one";

    // A renewal carries the CA the site names then (the portal's new
    // certificate, say).
    const std::string renewed = (dir_ / "renewed.pem").string();
    made = makeSelfSignedCertificate(renewed, (dir_ / "renewed.key").string(), "127.0.0.1");
    ASSERT_EQ(made.exitCode, 0) << made.err;
    ASSERT_EQ(rocks({"set", "attr", "vc_portal_cacert", renewed}).exitCode, 0);
    ASSERT_EQ(rocks({"add", "vcluster", "user", "token", "alice", "vcluster=c1"}).exitCode, 0);
    ASSERT_EQ(act("alice", "frontend", R"({"action":"reinstall"})").status, 202);
    sync("2026-12-02T01:10:00Z");
    EXPECT_EQ(readFile(kit / "vc-power-ca.pem"), readFile(renewed));
}

}  // namespace vcluster::test
