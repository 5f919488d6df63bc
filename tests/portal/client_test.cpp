// The rocks commands as clients of a remote portal (libcurl), over loopback,
// in plain http and in https with a self-signed certificate made here.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "portal/PortalClient.h"
#include "portal/PortalFixture.h"
#include "support/Keys.h"

namespace vcluster::test {

namespace {

class PortalClientTest : public PortalTest {
  protected:
    std::vector<std::string> remote(std::vector<std::string> args, const std::string& user,
                                    const std::string& url) {
        writeFile(dir_ / (user + ".token"), tokens_[user] + "\n");
        args.push_back("portal=" + url);
        args.push_back("token-file=" + (dir_ / (user + ".token")).string());
        return args;
    }
};

TEST_F(PortalClientTest, RemoteCommandsPrintAndExitAsLocalOnes) {
    writeFile(dir_ / "k.pub", key_ + "\n");
    const std::string key = "sshkey=" + (dir_ / "k.pub").string();
    auto added = rocks(remote({"add", "vcluster", "far1", "start=2027-01-04T09:00:00Z",
                               "end=2027-01-10T00:00:00Z", "nodes=1", key},
                              "alice", portal_->url()));
    ASSERT_EQ(added.exitCode, 0) << added.err;
    auto local = rocks({"add", "vcluster", "near1", "start=2027-02-04T09:00:00Z",
                        "end=2027-02-10T00:00:00Z", "nodes=1", key, "owner=root"});
    ASSERT_EQ(local.exitCode, 0) << local.err;
    // Same table: header and the row's shape.
    EXPECT_EQ(added.out.substr(0, added.out.find('\n')), local.out.substr(0, local.out.find('\n')));
    EXPECT_NE(added.out.find("far1:"), std::string::npos) << added.out;

    // The admin's remote listing is the local listing, as text and as JSON.
    for (const std::string format : {"text", "json"}) {
        auto there =
            rocks(remote({"list", "vcluster", "output-format=" + format}, "root", portal_->url()));
        auto here = rocks({"list", "vcluster", "output-format=" + format});
        EXPECT_EQ(there.exitCode, 0) << there.err;
        EXPECT_EQ(there.out, here.out);
    }
    // alice sees only hers, by name too; near1 is not hers.
    auto mine = rocks(remote({"list", "vcluster"}, "alice", portal_->url()));
    EXPECT_NE(mine.out.find("far1"), std::string::npos);
    EXPECT_EQ(mine.out.find("near1"), std::string::npos);
    auto notMine = rocks(remote({"list", "vcluster", "near1"}, "alice", portal_->url()));
    EXPECT_EQ(notMine.exitCode, 1);
    EXPECT_EQ(notMine.err, "error - unknown vcluster 'near1'\n");

    // A refusal: exit 2 and the same message as locally.
    auto refusedThere = rocks(remote(
        {"add", "vcluster", "far2", "start=2027-01-05T00:00:00Z", "end=2027-01-06T00:00:00Z", key},
        "alice", portal_->url()));
    auto refusedHere = rocks({"add", "vcluster", "far2", "start=2027-01-05T00:00:00Z",
                              "end=2027-01-06T00:00:00Z", key, "owner=alice"});
    EXPECT_EQ(refusedThere.exitCode, 2);
    EXPECT_EQ(refusedHere.exitCode, 2);
    EXPECT_EQ(refusedThere.err, refusedHere.err);
    // Bad input: exit 1, same message.
    auto badThere = rocks(remote({"add", "vcluster", "Bad_Name", "start=2027-01-05T00:00:00Z",
                                  "end=2027-01-06T00:00:00Z", key},
                                 "alice", portal_->url()));
    auto badHere = rocks({"add", "vcluster", "Bad_Name", "start=2027-01-05T00:00:00Z",
                          "end=2027-01-06T00:00:00Z", key});
    EXPECT_EQ(badThere.exitCode, 1);
    EXPECT_EQ(badThere.err, badHere.err);
    auto goneThere = rocks(remote({"remove", "vcluster", "nope"}, "root", portal_->url()));
    auto goneHere = rocks({"remove", "vcluster", "nope"});
    EXPECT_EQ(goneThere.exitCode, 1);
    EXPECT_EQ(goneThere.err, goneHere.err);

    // Remote cancel, then the environment instead of parameters.
    EXPECT_EQ(rocks(remote({"remove", "vcluster", "far1"}, "alice", portal_->url())).exitCode, 0);
    auto viaEnv = rocks({"list", "vcluster"}, {{"VCLUSTER_PORTAL", portal_->url()},
                                               {"VCLUSTER_PORTAL_TOKEN", tokens_["root"]}});
    EXPECT_EQ(viaEnv.exitCode, 0) << viaEnv.err;
    EXPECT_EQ(viaEnv.out, rocks({"list", "vcluster"}).out);
    EXPECT_EQ(viaEnv.out.find("far1"), std::string::npos);
}

// libcurl and its two dozen libraries are loaded only by a command that
// talks to a portal (8 ms of every local `rocks add vcluster` before).
TEST_F(PortalClientTest, LocalCommandsNeverLoadLibcurlAndRemoteOnesDo) {
    const std::map<std::string, std::string> traced{{"LD_DEBUG", "files"}};
    auto local = rocks({"list", "vcluster"}, traced);
    ASSERT_EQ(local.exitCode, 0) << local.err;
    ASSERT_NE(local.err.find("libsqlite3.so"), std::string::npos) << "LD_DEBUG had no effect";
    EXPECT_EQ(local.err.find("libcurl.so"), std::string::npos);
    EXPECT_EQ(local.err.find("libvcluster-portal-curl.so"), std::string::npos);
    auto far = rocks(remote({"list", "vcluster"}, "root", portal_->url()), traced);
    EXPECT_EQ(far.exitCode, 0) << far.err;
    EXPECT_NE(far.err.find("libvcluster-portal-curl.so"), std::string::npos);
    EXPECT_NE(far.err.find("libcurl.so"), std::string::npos);
    // Bad input for a portal is still judged (by libcurl's URL parser).
    auto bad = rocks(remote({"list", "vcluster"}, "root", "ftp://127.0.0.1/"));
    EXPECT_EQ(bad.exitCode, 1);
    EXPECT_EQ(bad.err, "error - portal must be an https:// URL, not 'ftp://127.0.0.1/'\n");
}

TEST_F(PortalClientTest, ClientRefusesCleartextTokensToOtherHostsWithoutSendingThem) {
    auto r = rocks(remote({"list", "vcluster"}, "root", "http://192.0.2.1:8443"));
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_EQ(r.err,
              "error - portal 'http://192.0.2.1:8443': use https:// (http:// only to this "
              "machine)\n");
}

TEST_F(PortalClientTest, UrlsAreJudgedOnTheirParsedHostAndCleartextNeverGoesThroughAProxy) {
    // A "proxy" that records whether anyone connected to it.
    int proxy = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    sockaddr_in at{};
    at.sin_family = AF_INET;
    inet_pton(AF_INET, "127.0.0.1", &at.sin_addr);
    ASSERT_EQ(::bind(proxy, reinterpret_cast<sockaddr*>(&at), sizeof at), 0);
    ASSERT_EQ(::listen(proxy, 16), 0);
    socklen_t len = sizeof at;
    ::getsockname(proxy, reinterpret_cast<sockaddr*>(&at), &len);
    const std::string proxyUrl = "http://127.0.0.1:" + std::to_string(ntohs(at.sin_port));
    const std::map<std::string, std::string> viaProxy = {
        {"http_proxy", proxyUrl}, {"HTTPS_PROXY", proxyUrl}, {"ALL_PROXY", proxyUrl}};

    for (const std::string& url :
         std::vector<std::string>{"http://127.0.0.1@portal.evil.example", "http://127.evil.example",
                                  "http://localhost:80@portal.evil.example",
                                  "http://[::ffff:192.0.2.1]:8080", "ftp://127.0.0.1/"}) {
        auto r = rocks(remote({"list", "vcluster"}, "root", url), viaProxy);
        EXPECT_EQ(r.exitCode, 1) << url;
        EXPECT_EQ(r.err.rfind("error - portal", 0), 0U) << url << ": " << r.err;
        EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
    }
    // The local portal over http, with a proxy in the environment: direct.
    std::string port = portal_->url().substr(portal_->url().rfind(':') + 1);
    for (const std::string& url : std::vector<std::string>{
             portal_->url(), "http://localhost:" + port + "/", "http://127.0.0.1:" + port}) {
        auto r = rocks(remote({"list", "vcluster"}, "root", url), viaProxy);
        EXPECT_EQ(r.exitCode, 0) << url << ": " << r.err;
    }
    int client = ::accept(proxy, nullptr, nullptr);
    EXPECT_LT(client, 0) << "a request went to the proxy";
    if (client >= 0) {
        ::close(client);
    }
    ::close(proxy);
    // The parsed forms.
    EXPECT_EQ(vcluster::portal::parsePortalUrl("https://Portal.Example.org:8443/").base,
              "https://Portal.Example.org:8443");
    EXPECT_TRUE(vcluster::portal::parsePortalUrl("http://[::1]:8080/x/").cleartext);
    EXPECT_EQ(vcluster::portal::parsePortalUrl("http://[::1]:8080/x/").base, "http://[::1]:8080/x");
}

TEST_F(PortalClientTest, HttpsWithASelfSignedCertificateVerifiedByCaFile) {
    const std::string cert = (dir_ / "portal.pem").string();
    const std::string key = (dir_ / "portal.key").string();
    auto made = makeSelfSignedCertificate(cert, key, "127.0.0.1");
    ASSERT_EQ(made.exitCode, 0) << made.err;
    PortalProcess tls(db(), {"cert=" + cert, "key=" + key});
    ASSERT_EQ(tls.url().rfind("https://127.0.0.1:", 0), 0U) << tls.url();

    HttpAnswer trusted = http({"GET",
                               tls.url() + "/api/v1/reservations",
                               "",
                               {"Authorization: Bearer " + tokens_["root"]},
                               cert});
    EXPECT_EQ(trusted.status, 200) << trusted.error;
    EXPECT_EQ(trusted.body, "[]\n");
    HttpAnswer untrusted = http({"GET",
                                 tls.url() + "/api/v1/reservations",
                                 "",
                                 {"Authorization: Bearer " + tokens_["root"]},
                                 ""});
    EXPECT_EQ(untrusted.status, 0);
    EXPECT_FALSE(untrusted.error.empty());

    auto args = remote({"list", "vcluster"}, "root", tls.url());
    auto withCa = args;
    withCa.push_back("cacert=" + cert);
    auto ok = rocks(withCa);
    EXPECT_EQ(ok.exitCode, 0) << ok.err;
    EXPECT_EQ(ok.out, rocks({"list", "vcluster"}).out);
    auto refused = rocks(args);
    EXPECT_EQ(refused.exitCode, 1);
    EXPECT_EQ(refused.err.rfind("error - portal " + tls.url() + ": ", 0), 0U) << refused.err;
}

}  // namespace

}  // namespace vcluster::test
