// The portal's REST API over loopback, against the real daemon process.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <regex>
#include <thread>

#include "portal/PortalFixture.h"

namespace vcluster::test {

namespace {

using nlohmann::json;

std::vector<std::string> names(const HttpAnswer& a) {
    std::vector<std::string> out;
    for (const auto& row : json::parse(a.body)) {
        out.push_back(row.at("name").get<std::string>());
    }
    return out;
}

TEST_F(PortalTest, ApiRequiresAValidToken) {
    HttpAnswer none = http({"GET", portal_->url() + "/api/v1/reservations", "", {}, ""});
    EXPECT_EQ(none.status, 401);
    EXPECT_NE(errorOf(none).find("authentication required"), std::string::npos);
    // A well-formed token of a real ID with another secret, a garbage token,
    // and another scheme are all refused the same way.
    std::string forged =
        tokens_["alice"].substr(0, tokens_["alice"].find('.') + 1) + std::string(64, 'a');
    for (const auto& t : {forged, std::string("garbage"), std::string("")}) {
        EXPECT_EQ(api(t, "GET", "/api/v1/reservations").status, 401) << t;
    }
    HttpAnswer basic = http({"GET",
                             portal_->url() + "/api/v1/reservations",
                             "",
                             {"Authorization: Basic YWxpY2U6YWxpY2Utc2VjcmV0LXB3"},
                             ""});
    EXPECT_EQ(basic.status, 401);
    // Nothing was booked by refused calls.
    EXPECT_EQ(
        api(tokens_["alice"], "POST", "/api/v1/reservations", booking("x1", kStart, kEnd)).status,
        201);
    EXPECT_EQ(api(forged, "POST", "/api/v1/reservations", booking("x2", kStart, kEnd)).status, 401);
    EXPECT_EQ(names(api(tokens_["root"], "GET", "/api/v1/reservations")),
              std::vector<std::string>{"x1"});
    // Removing the user revokes its token.
    ASSERT_EQ(rocks({"remove", "vcluster", "user", "alice"}).exitCode, 0);
    EXPECT_EQ(api(tokens_["alice"], "GET", "/api/v1/reservations").status, 401);
}

TEST_F(PortalTest, ProvidersSeeAndChangeOnlyTheirOwnReservations) {
    auto a = api(tokens_["alice"], "POST", "/api/v1/reservations", booking("alice1", kStart, kEnd));
    ASSERT_EQ(a.status, 201) << a.body;
    // One object, not a one-element array.
    EXPECT_TRUE(json::parse(a.body).is_object()) << a.body;
    EXPECT_EQ(json::parse(a.body).at("vcluster"), "alice1");
    const std::string bob = tokens_["bob"];
    EXPECT_TRUE(names(api(bob, "GET", "/api/v1/reservations")).empty());
    auto read = api(bob, "GET", "/api/v1/reservations/alice1");
    EXPECT_EQ(read.status, 404);
    EXPECT_EQ(errorOf(read), "unknown vcluster 'alice1'");
    EXPECT_EQ(api(bob, "PATCH", "/api/v1/reservations/alice1", R"({"end":"2027-01-20T00:00:00Z"})")
                  .status,
              404);
    EXPECT_EQ(api(bob, "DELETE", "/api/v1/reservations/alice1").status, 404);
    // A provider cannot book in someone else's name either.
    auto forOther = api(bob, "POST", "/api/v1/reservations",
                        R"({"name":"b2","owner":"alice","start":"2027-03-01T00:00:00Z",)"
                        R"("end":"2027-03-02T00:00:00Z","sshkey":"x"})");
    EXPECT_EQ(forOther.status, 403);
    EXPECT_NE(errorOf(forOther).find("owner must be 'bob'"), std::string::npos);

    // alice's reservation is untouched; the admin sees it, its owner and end.
    auto all = api(tokens_["root"], "GET", "/api/v1/reservations");
    json rows = json::parse(all.body);
    ASSERT_EQ(rows.size(), 1U);
    EXPECT_EQ(rows[0]["owner"], "alice");
    EXPECT_EQ(rows[0]["end"], kEnd);
    EXPECT_EQ(rows[0]["state"], "scheduled");

    // alice may extend and cancel her own.
    auto ext = api(tokens_["alice"], "PATCH", "/api/v1/reservations/alice1",
                   R"({"end":"2027-01-20T00:00:00Z"})");
    ASSERT_EQ(ext.status, 200) << ext.body;
    EXPECT_EQ(json::parse(ext.body)["end"], "2027-01-20T00:00:00Z");
    EXPECT_EQ(api(tokens_["alice"], "DELETE", "/api/v1/reservations/alice1").status, 200);
    EXPECT_TRUE(names(api(tokens_["root"], "GET", "/api/v1/reservations")).empty());
}

TEST_F(PortalTest, MalformedJsonUnknownFieldsAndOversizeBodiesAreRefused) {
    const std::string t = tokens_["alice"];
    auto bad = api(t, "POST", "/api/v1/reservations", R"({"name": "x", )");
    EXPECT_EQ(bad.status, 400);
    EXPECT_NE(errorOf(bad).find("malformed JSON"), std::string::npos);
    // Found by fuzz/fuzz_json_fields.cpp: a number too large was a 500.
    auto overflow = api(t, "POST", "/api/v1/reservations", R"({"nodes": 1E999999999})");
    EXPECT_EQ(overflow.status, 400);
    EXPECT_EQ(errorOf(overflow), "malformed JSON: a number out of range");
    auto notObject = api(t, "POST", "/api/v1/reservations", "[1,2]");
    EXPECT_EQ(notObject.status, 400);
    EXPECT_EQ(errorOf(notObject), "the request body must be a JSON object");
    auto unknown = api(t, "POST", "/api/v1/reservations",
                       R"({"name":"x","start":"2027-01-04T09:00:00Z","colour":"red"})");
    EXPECT_EQ(unknown.status, 400);
    EXPECT_EQ(errorOf(unknown), "unknown field 'colour'");
    auto wrongType = api(t, "POST", "/api/v1/reservations", R"({"name":"x","nodes":1.5})");
    EXPECT_EQ(wrongType.status, 400);
    EXPECT_EQ(errorOf(wrongType), "field 'nodes' must be a string or an integer");
    auto patchUnknown = api(t, "PATCH", "/api/v1/reservations/x", R"({"owner":"bob"})");
    EXPECT_EQ(patchUnknown.status, 400);
    EXPECT_EQ(errorOf(patchUnknown), "unknown field 'owner'");
    HttpAnswer text = http({"POST",
                            portal_->url() + "/api/v1/reservations",
                            booking("x3", kStart, kEnd),
                            {"Authorization: Bearer " + t, "Content-Type: text/plain"},
                            ""});
    EXPECT_EQ(text.status, 415);
    // Validation is the rocks command's: the same one-line messages.
    auto badKey = api(t, "POST", "/api/v1/reservations",
                      R"({"name":"x4","start":"2027-01-04T09:00:00Z","end":"2027-01-05T00:00:00Z",)"
                      R"("sshkey":"/etc/passwd"})");
    EXPECT_EQ(badKey.status, 400);
    auto cli = rocks({"add", "vcluster", "x4", "start=2027-01-04T09:00:00Z",
                      "end=2027-01-05T00:00:00Z", "sshkey=not-a-key"});
    auto apiNotAKey = api(t, "POST", "/api/v1/reservations",
                          R"({"name":"x4","start":"2027-01-04T09:00:00Z",)"
                          R"("end":"2027-01-05T00:00:00Z","sshkey":"not-a-key"})");
    EXPECT_EQ(cli.exitCode, 1);
    EXPECT_EQ("error - " + errorOf(apiNotAKey) + "\n", cli.err);

    // A body over the limit (64 KiB) is refused before it is read.
    std::string huge = R"({"name":"x5","sshkey":")" + std::string(100 * 1024, 'A') + R"("})";
    auto big = api(t, "POST", "/api/v1/reservations", huge);
    EXPECT_EQ(big.status, 413);
    EXPECT_EQ(errorOf(big), "request body too large");
    EXPECT_TRUE(names(api(tokens_["root"], "GET", "/api/v1/reservations")).empty());
}

TEST_F(PortalTest, ConcurrentBookingsForRoomForOneNeverDoubleBook) {
    // One public address: only one cluster fits in the window. 16 clients race.
    constexpr int kClients = 16;
    std::vector<HttpAnswer> answers(kClients);
    std::vector<std::thread> clients;
    std::atomic<bool> go{false};
    for (int i = 0; i < kClients; ++i) {
        clients.emplace_back([&, i] {
            while (!go) {
                std::this_thread::yield();
            }
            const std::string who = i % 2 == 0 ? "alice" : "bob";
            answers[i] = api(tokens_[who], "POST", "/api/v1/reservations",
                             booking("race" + std::to_string(i), kStart, kEnd));
        });
    }
    go = true;
    for (auto& c : clients) {
        c.join();
    }
    int admitted = 0;
    int refused = 0;
    for (const auto& a : answers) {
        ASSERT_TRUE(a.error.empty()) << a.error;
        if (a.status == 201) {
            ++admitted;
        } else {
            EXPECT_EQ(a.status, 409) << a.body;
            EXPECT_EQ(errorOf(a).rfind("refused: ", 0), 0U) << a.body;
            ++refused;
        }
    }
    EXPECT_EQ(admitted, 1);
    EXPECT_EQ(refused, kClients - 1);
    EXPECT_EQ(names(api(tokens_["root"], "GET", "/api/v1/reservations")).size(), 1U);
    auto local = rocks({"list", "vcluster", "output-format=json"});
    EXPECT_EQ(json::parse(local.out).size(), 1U);
}

// The daemon keeps its calendar between bookings: whatever other processes
// write (a cancellation, a booking, a maintenance window, a host's size)
// must be in the next decision, as if it had read the database afresh.
TEST_F(PortalTest, TheCalendarKeptBetweenBookingsSeesWhatOtherProcessesWrite) {
    auto book = [&](const std::string& who, const std::string& name, const std::string& start,
                    const std::string& end) {
        return api(tokens_[who], "POST", "/api/v1/reservations", booking(name, start, end)).status;
    };
    // One public address: one cluster at a time.
    ASSERT_EQ(book("alice", "a", kStart, kEnd), 201);
    ASSERT_EQ(book("bob", "b", kStart, kEnd), 409);
    // A cancellation by the command line frees the window.
    ASSERT_EQ(rocks({"remove", "vcluster", "a"}).exitCode, 0);
    EXPECT_EQ(book("bob", "b", kStart, kEnd), 201);
    // A booking by the command line takes another.
    const std::string start2 = "2027-02-01T00:00:00Z";
    const std::string end2 = "2027-02-03T00:00:00Z";
    writeFile(dir_ / "k.pub", key_ + "\n");
    const std::string key = "sshkey=" + (dir_ / "k.pub").string();
    ASSERT_EQ(rocks({"add", "vcluster", "c", "start=" + start2, "end=" + end2, "nodes=1", "cpus=2",
                     "memory=2GiB", key, "owner=alice"})
                  .exitCode,
              0);
    EXPECT_EQ(book("bob", "d", start2, end2), 409);
    // A maintenance window on the only vm-server closes a third.
    const std::string start3 = "2027-03-01T00:00:00Z";
    const std::string end3 = "2027-03-03T00:00:00Z";
    ASSERT_EQ(
        rocks({"add", "host", "maintenance", "vm-server-1-0", "start=" + start3, "end=" + end3})
            .exitCode,
        0);
    EXPECT_EQ(book("bob", "e", start3, end3), 409);
    // A smaller vm-server (the site, not only the bookings) refuses a fourth.
    const std::string start4 = "2027-04-01T00:00:00Z";
    const std::string end4 = "2027-04-03T00:00:00Z";
    ASSERT_EQ(rocks({"set", "host", "attr", "vm-server-1-0", "vc_memory", "1024"}).exitCode, 0);
    EXPECT_EQ(book("bob", "f", start4, end4), 409);
    ASSERT_EQ(rocks({"set", "host", "attr", "vm-server-1-0", "vc_memory", "16384"}).exitCode, 0);
    EXPECT_EQ(book("bob", "f", start4, end4), 201);
    // What the frontend install needs of the site, too: key-only root.
    ASSERT_EQ(rocks({"set", "attr", "vc_root_login", "key-only"}).exitCode, 0);
    auto keyOnly = api(tokens_["bob"], "POST", "/api/v1/reservations",
                       booking("g", "2027-05-01T00:00:00Z", "2027-05-03T00:00:00Z"));
    ASSERT_EQ(keyOnly.status, 201) << keyOnly.body;
    EXPECT_EQ(json::parse(keyOnly.body).at("root_password"), "(key only)") << keyOnly.body;
    // Back to passwords by the command line: the portal's next booking gets
    // one, though its last found the site key-only.
    ASSERT_EQ(rocks({"set", "attr", "vc_root_login", "password"}).exitCode, 0);
    auto withPassword = api(tokens_["bob"], "POST", "/api/v1/reservations",
                            booking("h", "2027-06-01T00:00:00Z", "2027-06-03T00:00:00Z"));
    ASSERT_EQ(withPassword.status, 201) << withPassword.body;
    EXPECT_TRUE(
        std::regex_match(json::parse(withPassword.body).at("root_password").get<std::string>(),
                         std::regex("[A-Za-z0-9]{19}")))
        << withPassword.body;
    // What the command line sees is what the portal booked: nothing twice.
    auto listed = json::parse(rocks({"list", "vcluster", "output-format=json"}).out);
    std::vector<std::string> live;
    for (const auto& row : listed) {
        live.push_back(row.at("name").get<std::string>());
    }
    std::sort(live.begin(), live.end());
    EXPECT_EQ(live, (std::vector<std::string>{"b", "c", "f", "g", "h"}));
}

// The calendar kept between bookings has read what its bookings overlap,
// not the time between them: a booking there must still see what the
// command line booked before the portal's first. It took everything up to
// its last booking as read and booked "b" over "x" (the one address).
TEST_F(PortalTest, TheCalendarKeptBetweenBookingsReadsTheTimeBetweenThem) {
    writeFile(dir_ / "k.pub", key_ + "\n");
    ASSERT_EQ(rocks({"add", "vcluster", "x", "start=2027-02-01T00:00:00Z",
                     "end=2027-02-03T00:00:00Z", "nodes=1", "cpus=2", "memory=2GiB",
                     "sshkey=" + (dir_ / "k.pub").string(), "owner=alice"})
                  .exitCode,
              0);
    auto book = [&](const std::string& name, const std::string& start, const std::string& end) {
        return api(tokens_["bob"], "POST", "/api/v1/reservations", booking(name, start, end));
    };
    auto later = book("a", "2027-03-01T00:00:00Z", "2027-03-03T00:00:00Z");
    ASSERT_EQ(later.status, 201) << later.body;
    auto between = book("b", "2027-02-02T00:00:00Z", "2027-02-02T12:00:00Z");
    EXPECT_EQ(between.status, 409) << between.body;
    EXPECT_NE(between.body.find("earliest start that fits: 2027-02-03T00:00:00Z"),
              std::string::npos)
        << between.body;  // when x ends
    auto listed = json::parse(rocks({"list", "vcluster", "output-format=json"}).out);
    EXPECT_EQ(listed.size(), 2U) << listed.dump();
}

TEST_F(PortalTest, RefusalTextEqualsTheCommandLine) {
    ASSERT_EQ(api(tokens_["alice"], "POST", "/api/v1/reservations", booking("first", kStart, kEnd))
                  .status,
              201);
    auto viaApi =
        api(tokens_["bob"], "POST", "/api/v1/reservations", booking("second", kStart, kEnd));
    ASSERT_EQ(viaApi.status, 409);
    writeFile(dir_ / "k.pub", key_ + "\n");
    auto viaCli = rocks({"add", "vcluster", "second", std::string("start=") + kStart,
                         std::string("end=") + kEnd, "nodes=1", "cpus=2", "memory=2GiB",
                         "sshkey=" + (dir_ / "k.pub").string(), "owner=bob"});
    EXPECT_EQ(viaCli.exitCode, 2);
    EXPECT_EQ(viaCli.err, "error - " + errorOf(viaApi) + "\n");
    EXPECT_NE(errorOf(viaApi).find("earliest start that fits: 2027-01-10T00:00:00Z"),
              std::string::npos)
        << errorOf(viaApi);
}

TEST_F(PortalTest, RollNotOnTheRollServerIsRefusedAsByTheCommandLine) {
    auto viaApi = api(tokens_["alice"], "POST", "/api/v1/reservations",
                      R"({"name":"r1","start":"2027-01-04T09:00:00Z","end":"2027-01-05T00:00:00Z",)"
                      R"("rolls":["base","kernel","os","nosuchroll"],"sshkey":")" +
                          key_ + R"("})");
    EXPECT_EQ(viaApi.status, 400);
    writeFile(dir_ / "k.pub", key_ + "\n");
    auto viaCli = rocks({"add", "vcluster", "r1", "start=2027-01-04T09:00:00Z",
                         "end=2027-01-05T00:00:00Z", "rolls=base,kernel,os,nosuchroll",
                         "sshkey=" + (dir_ / "k.pub").string(), "owner=alice"});
    EXPECT_EQ(viaCli.exitCode, 1);
    EXPECT_EQ(viaCli.err, "error - " + errorOf(viaApi) + "\n");
    EXPECT_NE(errorOf(viaApi).find("roll 'nosuchroll' is not installed"), std::string::npos);
    EXPECT_TRUE(names(api(tokens_["root"], "GET", "/api/v1/reservations")).empty());
    // A booking that is admitted answers its frontend's root password once.
    auto ok = api(tokens_["alice"], "POST", "/api/v1/reservations", booking("r2", kStart, kEnd));
    ASSERT_EQ(ok.status, 201);
    json row = json::parse(ok.body);
    ASSERT_TRUE(row.is_object()) << ok.body;
    EXPECT_EQ(row["root_password"].get<std::string>().size(), 19u) << ok.body;
    EXPECT_EQ(api(tokens_["alice"], "GET", "/api/v1/reservations/r2")
                  .body.find(row["root_password"].get<std::string>()),
              std::string::npos);
}

TEST_F(PortalTest, CatalogAndCalendarComeFromTheDatabase) {
    auto cat = api(tokens_["alice"], "GET", "/api/v1/catalog");
    ASSERT_EQ(cat.status, 200);
    json c = json::parse(cat.body);
    EXPECT_EQ(c["appliances"], json::array({"compute"}));
    EXPECT_EQ(c["default_rolls"], json::array({"base", "kernel", "os"}));
    ASSERT_EQ(
        api(tokens_["alice"], "POST", "/api/v1/reservations", booking("mine", kStart, kEnd)).status,
        201);
    std::string q = "/api/v1/calendar.svg?from=2027-01-01T00:00:00Z&to=2027-02-01T00:00:00Z";
    auto own = api(tokens_["alice"], "GET", q);
    ASSERT_EQ(own.status, 200);
    EXPECT_NE(own.body.find("<svg"), std::string::npos);
    EXPECT_NE(own.body.find("mine (alice)"), std::string::npos);
    // bob sees the capacity taken, not whose it is; the admin's picture is the
    // command's.
    auto other = api(tokens_["bob"], "GET", q);
    EXPECT_EQ(other.body.find("alice"), std::string::npos);
    EXPECT_NE(other.body.find("reserved"), std::string::npos);
    auto admin = api(tokens_["root"], "GET", q);
    auto cli = rocks({"report", "vcluster", "calendar", "from=2027-01-01T00:00:00Z",
                      "to=2027-02-01T00:00:00Z", "output-format=svg"});
    EXPECT_EQ(admin.body, cli.out);
}

TEST_F(PortalTest, CoursesBookTimeZonesSkippedDaysAndGroupsAsTheCommandLineDoes) {
    // tz=, skip= and count= with sshkeys= (the keys' text, never a server
    // file), through the same parse code and admission as rocks add vcluster.
    const std::string course =
        R"({"name":"hpc","start":"2027-03-01T00:00","end":"2027-04-01T00:00",)"
        R"("repeat":"tue@13:00-16:00","tz":"Europe/Berlin",)"
        R"("skip":"2027-03-23","nodes":0,"sshkeys":")" +
        key_ + R"(\n)" + key_ + R"(","count":2})";
    // The site has one public address: a group of 2 is refused as a whole,
    // with the command line's words.
    auto refused = api(tokens_["alice"], "POST", "/api/v1/reservations", course);
    ASSERT_EQ(refused.status, 409) << refused.body;
    EXPECT_NE(errorOf(refused).find("refused: 1 of 2 clusters fit ("), std::string::npos)
        << refused.body;
    writeFile(dir_ / "two.keys", key_ + "\n" + key_ + "\n");
    auto refusedCli =
        rocks({"add", "vcluster", "hpc", "start=2027-03-01T00:00", "end=2027-04-01T00:00",
               "repeat=tue@13:00-16:00", "tz=Europe/Berlin", "skip=2027-03-23", "nodes=0",
               "count=2", "sshkeys=" + (dir_ / "two.keys").string(), "owner=alice"});
    EXPECT_EQ(refusedCli.exitCode, 2);
    EXPECT_EQ(refusedCli.err, "error - " + errorOf(refused) + "\n");
    std::string one = course;
    one.replace(one.find(R"("count":2)"), 9, R"("count":1)");
    auto booked = api(tokens_["alice"], "POST", "/api/v1/reservations", one);
    ASSERT_EQ(booked.status, 201) << booked.body;
    EXPECT_NE(booked.body.find("hpc-01"), std::string::npos) << booked.body;
    // A group is one object too, its clusters inside.
    EXPECT_EQ(json::parse(booked.body).at("group"), "hpc") << booked.body;
    EXPECT_EQ(json::parse(booked.body).at("clusters").size(), 1U) << booked.body;
    auto list = api(tokens_["alice"], "GET", "/api/v1/reservations");
    EXPECT_NE(list.body.find(R"("tz":"Europe/Berlin")"), std::string::npos) << list.body;
    EXPECT_NE(list.body.find(R"("skip":"2027-03-23")"), std::string::npos) << list.body;
    EXPECT_NE(list.body.find(R"("group":"hpc")"), std::string::npos) << list.body;
    // Midnight in Berlin, as the CLI reads it.
    EXPECT_NE(list.body.find("2027-02-28T23:00:00Z"), std::string::npos) << list.body;
    for (const auto& [field, cli] : std::vector<std::pair<std::string, std::string>>{
             {R"("tz":"Mars/Base")", "tz=Mars/Base"},
             {R"("count":0)", "count=0"},
             {R"("skip":"2027-05-04")", "skip=2027-05-04"}}) {
        std::string body = R"({"name":"bad","start":"2027-03-01T00:00:00Z",)"
                           R"("end":"2027-04-01T00:00:00Z","repeat":"tue@13:00-16:00",)"
                           R"("nodes":0,"sshkey":")" +
                           key_ + R"(",)" + field + "}";
        auto bad = api(tokens_["alice"], "POST", "/api/v1/reservations", body);
        EXPECT_EQ(bad.status, 400) << bad.body;
        writeFile(dir_ / "k.pub", key_ + "\n");
        auto viaCli = rocks({"add", "vcluster", "bad", "start=2027-03-01T00:00:00Z",
                             "end=2027-04-01T00:00:00Z", "repeat=tue@13:00-16:00", "nodes=0",
                             "sshkey=" + (dir_ / "k.pub").string(), cli});
        EXPECT_EQ(viaCli.exitCode, 1);
        EXPECT_EQ(viaCli.err, "error - " + errorOf(bad) + "\n");
    }
}

}  // namespace

TEST_F(PortalTest, ATokenIsRevokedAloneByCommandOrByTheApi) {
    const std::string first = tokens_["alice"];
    auto second = rocks({"add", "vcluster", "user", "token", "alice", "label=laptop"});
    ASSERT_EQ(second.exitCode, 0) << second.err;
    const std::string laptop = second.out.substr(0, second.out.find('\n'));
    EXPECT_EQ(api(laptop, "GET", "/api/v1/reservations").status, 200);
    auto listed = rocks({"list", "vcluster", "user", "token", "alice"});
    EXPECT_EQ(listed.exitCode, 0) << listed.err;
    EXPECT_NE(listed.out.find("laptop"), std::string::npos) << listed.out;
    EXPECT_EQ(listed.out.find(laptop.substr(laptop.find('.') + 1)), std::string::npos)
        << "never the secret";

    // The command revokes one token; the user and her other token stay.
    auto removed = rocks({"remove", "vcluster", "user", "token", "alice", "label=laptop"});
    EXPECT_EQ(removed.exitCode, 0) << removed.err;
    EXPECT_EQ(api(laptop, "GET", "/api/v1/reservations").status, 401);
    EXPECT_EQ(api(first, "GET", "/api/v1/reservations").status, 200);
    auto none = rocks({"remove", "vcluster", "user", "token", "alice"});
    EXPECT_EQ(none.exitCode, 1);
    EXPECT_EQ(none.err, "error - say which tokens: id=, label= or all=yes\n");
    auto unknown = rocks({"remove", "vcluster", "user", "token", "alice", "id=999"});
    EXPECT_EQ(unknown.exitCode, 1);
    EXPECT_EQ(unknown.err, "error - user 'alice' has no token 999\n");

    // Through the API: bob cannot revoke alice's token (it is unknown to him);
    // alice revokes her own.
    const std::string id = first.substr(0, first.find('.'));
    auto bobTries = api(tokens_["bob"], "DELETE", "/api/v1/tokens/" + id);
    EXPECT_EQ(bobTries.status, 404);
    EXPECT_EQ(errorOf(bobTries), "unknown token " + id);
    EXPECT_EQ(api(first, "GET", "/api/v1/reservations").status, 200);
    EXPECT_EQ(api(first, "DELETE", "/api/v1/tokens/" + id).status, 200);
    EXPECT_EQ(api(first, "GET", "/api/v1/reservations").status, 401);
    EXPECT_EQ(api(tokens_["bob"], "GET", "/api/v1/reservations").status, 200);
    auto users = rocks({"list", "vcluster", "user"});
    EXPECT_NE(users.out.find("alice"), std::string::npos) << "the user stays";
}

TEST_F(PortalTest, AUserMadeAgainWithARemovedUsersNameDoesNotSeeItsReservations) {
    ASSERT_EQ(
        api(tokens_["alice"], "POST", "/api/v1/reservations", booking("old1", kStart, kEnd)).status,
        201);
    auto removed = rocks({"remove", "vcluster", "user", "alice"});
    ASSERT_EQ(removed.exitCode, 0) << removed.err;
    auto again = rocks(
        {"add", "vcluster", "user", "alice", "password-file=" + (dir_ / "alice.pw").string()});
    ASSERT_EQ(again.exitCode, 0) << again.err;
    auto token = rocks({"add", "vcluster", "user", "token", "alice"});
    const std::string fresh = token.out.substr(0, token.out.find('\n'));
    auto mine = api(fresh, "GET", "/api/v1/reservations");
    EXPECT_EQ(mine.status, 200);
    EXPECT_TRUE(names(mine).empty()) << mine.body;
    EXPECT_EQ(api(fresh, "GET", "/api/v1/reservations/old1").status, 404);
    EXPECT_EQ(api(fresh, "DELETE", "/api/v1/reservations/old1").status, 404);
    // The admin still sees it, owned by the removed account.
    auto all = api(tokens_["root"], "GET", "/api/v1/reservations");
    ASSERT_EQ(names(all), std::vector<std::string>{"old1"});
    EXPECT_EQ(json::parse(all.body)[0].at("owner").get<std::string>().rfind("alice~", 0), 0U)
        << all.body;
}

// Issue 17, item 6: booking a name another tenant holds is refused as any
// name in use is (one's own reservation's, a host's): the same status and
// text, so nothing says that it is a reservation, whose, or when.
TEST_F(PortalTest, ANameAnotherTenantHoldsIsRefusedAsAnyNameInUse) {
    ASSERT_EQ(
        api(tokens_["alice"], "POST", "/api/v1/reservations", booking("held", kStart, kEnd)).status,
        201);
    ASSERT_EQ(api(tokens_["bob"], "POST", "/api/v1/reservations",
                  booking("mine", "2027-02-01T00:00:00Z", "2027-02-02T00:00:00Z"))
                  .status,
              201);
    auto refusal = [&](const std::string& name) {
        auto a = api(tokens_["bob"], "POST", "/api/v1/reservations",
                     booking(name, "2027-03-01T00:00:00Z", "2027-03-02T00:00:00Z"));
        return std::to_string(a.status) + " " +
               std::regex_replace(errorOf(a), std::regex("'" + name + "'"), "'NAME'");
    };
    const std::string others = refusal("held");
    EXPECT_EQ(others, "400 vcluster name 'NAME' is not available; choose another");
    EXPECT_EQ(refusal("mine"), others);
    EXPECT_EQ(refusal("vm-server-1-0"), others);
    // Nothing was booked by the refusals.
    EXPECT_EQ(names(api(tokens_["bob"], "GET", "/api/v1/reservations")),
              std::vector<std::string>{"mine"});
}

TEST_F(PortalTest, ProvidersAreHeldToTheSitesLimitsAndAdminsAreNot) {
    ASSERT_EQ(rocks({"set", "attr", "vc_provider_max_nodes", "1"}).exitCode, 0);
    ASSERT_EQ(rocks({"set", "attr", "vc_provider_max_duration", "3d"}).exitCode, 0);
    const std::string t = tokens_["alice"];
    auto tooMany = api(t, "POST", "/api/v1/reservations",
                       R"({"name":"l1","start":"2027-01-04T09:00:00Z","duration":"1d","nodes":2,)"
                       R"("sshkey":")" +
                           key_ + R"("})");
    EXPECT_EQ(tooMany.status, 409);
    EXPECT_EQ(errorOf(tooMany),
              "refused: a provider may book at most 1 nodes (vc_provider_max_nodes), not 2");
    auto tooLong = api(t, "POST", "/api/v1/reservations",
                       R"({"name":"l1","start":"2027-01-04T09:00:00Z","duration":"4d","nodes":1,)"
                       R"("sshkey":")" +
                           key_ + R"("})");
    EXPECT_EQ(tooLong.status, 409);
    EXPECT_EQ(errorOf(tooLong),
              "refused: a provider may book at most 72 h at a time (vc_provider_max_duration), "
              "not 96 h");
    auto fits = api(t, "POST", "/api/v1/reservations",
                    R"({"name":"l1","start":"2027-01-04T09:00:00Z","duration":"3d","nodes":1,)"
                    R"("sshkey":")" +
                        key_ + R"("})");
    EXPECT_EQ(fits.status, 201) << fits.body;
    // Extending past the limit is refused too, and changes nothing.
    auto longer = api(t, "PATCH", "/api/v1/reservations/l1", R"({"end":"2027-01-09T09:00:00Z"})");
    EXPECT_EQ(longer.status, 409);
    auto after = api(t, "GET", "/api/v1/reservations/l1");
    EXPECT_NE(after.body.find("2027-01-07T09:00:00Z"), std::string::npos) << after.body;
    // An admin is not a provider.
    auto admin = api(tokens_["root"], "POST", "/api/v1/reservations",
                     R"({"name":"l2","start":"2027-02-04T09:00:00Z","duration":"5d","nodes":1,)"
                     R"("sshkey":")" +
                         key_ + R"("})");
    EXPECT_EQ(admin.status, 201) << admin.body;
}

TEST_F(PortalTest, PhysicalAppliancesAndEndsPastYear9999AreRefused) {
    writeFile(dir_ / "k.pub", key_ + "\n");
    const std::string key = "sshkey=" + (dir_ / "k.pub").string();
    for (const std::string role : {"vm-server", "storage", "gateway", "frontend"}) {
        auto r = rocks({"add", "vcluster", "p1", "start=2027-01-04T09:00:00Z", "duration=1d",
                        "appliances=compute," + role, key});
        EXPECT_EQ(r.exitCode, 1) << role;
        EXPECT_EQ(r.err, "error - appliance '" + role +
                             "' in appliances= is a physical role of the site, not one for a "
                             "virtual cluster's nodes\n");
    }
    auto far = rocks({"add", "vcluster", "p1", "start=9999-12-31T00:00:00Z", "duration=2w", key});
    EXPECT_EQ(far.exitCode, 1);
    EXPECT_EQ(far.err, "error - the reservation would end after 9999-12-31T23:59:59Z\n");
    auto viaApi =
        api(tokens_["alice"], "POST", "/api/v1/reservations",
            R"({"name":"p1","start":"9999-12-31","duration":"2d","sshkey":")" + key_ + R"("})");
    EXPECT_EQ(viaApi.status, 400);
    EXPECT_TRUE(names(api(tokens_["root"], "GET", "/api/v1/reservations")).empty());
}

TEST_F(PortalTest, ListingIsFilteredAndPaged) {
    const std::vector<std::pair<std::string, std::string>> alice = {{"a1", "2027-02-01T00:00:00Z"},
                                                                    {"a2", "2027-02-03T00:00:00Z"},
                                                                    {"a3", "2027-02-05T00:00:00Z"},
                                                                    {"a4", "2027-02-07T00:00:00Z"}};
    for (const auto& [name, start] : alice) {
        std::string end =
            start.substr(0, 9) + std::to_string(start[9] - '0' + 1) + start.substr(10);
        ASSERT_EQ(
            api(tokens_["alice"], "POST", "/api/v1/reservations", booking(name, start, end)).status,
            201);
    }
    ASSERT_EQ(api(tokens_["bob"], "POST", "/api/v1/reservations",
                  booking("b1", "2027-02-02T00:00:00Z", "2027-02-03T00:00:00Z"))
                  .status,
              201);
    const std::string root = tokens_["root"];
    EXPECT_EQ(names(api(root, "GET", "/api/v1/reservations?limit=2&offset=1")),
              (std::vector<std::string>{"b1", "a2"}));
    EXPECT_EQ(names(api(root, "GET", "/api/v1/reservations?owner=bob")),
              std::vector<std::string>{"b1"});
    EXPECT_EQ(names(api(root, "GET",
                        "/api/v1/reservations?from=2027-02-04T00:00:00Z&to=2027-02-07T00:00:00Z")),
              (std::vector<std::string>{"a3"}));
    // A provider's listing is its own, whatever owner= says.
    EXPECT_EQ(names(api(tokens_["alice"], "GET", "/api/v1/reservations?owner=bob&limit=1")),
              std::vector<std::string>{"a1"});
    EXPECT_EQ(names(api(root, "GET", "/api/v1/reservations?state=active")),
              std::vector<std::string>{});
    EXPECT_EQ(api(root, "GET", "/api/v1/reservations?colour=red").status, 400);
    EXPECT_EQ(api(root, "GET", "/api/v1/reservations?limit=0").status, 400);
}

}  // namespace vcluster::test
