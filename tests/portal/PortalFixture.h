#pragma once

#include <gtest/gtest.h>
#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

#include "support/Process.h"

namespace vcluster::test {

// One HTTP answer, as libcurl got it.
struct HttpAnswer {
    long status = 0;
    std::string body;
    std::vector<std::string> setCookies;  // Set-Cookie header values
    std::string location;
    std::string allow;  // the Allow header (405)
    std::string error;  // libcurl's error when the exchange failed
};

struct HttpRequest {
    std::string method = "GET";
    std::string url;
    std::string body;
    std::vector<std::string> headers;
    std::string cacert;
};

// How to send it, when not as by default.
struct HttpOptions {
    long timeoutSeconds = 60;
    std::string fromAddress;  // the local address to send from ("": any)
};

HttpAnswer http(const HttpRequest& request, const HttpOptions& options = {});

// A form post's header.
inline const std::string kForm = "Content-Type: application/x-www-form-urlencoded";

// The booking interval most portal tests ask for.
constexpr const char* kStart = "2027-01-04T09:00:00Z";
constexpr const char* kEnd = "2027-01-10T00:00:00Z";

// A one-line JSON error's text: {"error": "..."} with no newline inside.
std::string errorOf(const HttpAnswer& a);

// The real `rocks start vcluster portal` process on a free loopback port,
// stopped with SIGTERM (its exit status is checked) when destroyed.
class PortalProcess {
  public:
    PortalProcess(const std::string& db, const std::vector<std::string>& extraArgs = {});
    ~PortalProcess();
    PortalProcess(const PortalProcess&) = delete;
    PortalProcess& operator=(const PortalProcess&) = delete;
    const std::string& url() const { return url_; }
    int port() const;
    pid_t pid() const { return pid_; }

  private:
    pid_t pid_ = -1;
    std::string url_;
};

// A small site (one gateway with one public address, so one cluster at a
// time; a vm-server; a storage pool), users alice and bob (providers) and
// root (admin) with an API token each, and a running portal.
class PortalTest : public ::testing::Test {
  protected:
    static constexpr const char* kNow = "2026-12-01T00:00:00Z";
    void SetUp() override;
    void TearDown() override;

    std::string db() const { return (dir_ / "cluster.db").string(); }
    ProcessResult rocks(std::vector<std::string> args,
                        std::map<std::string, std::string> env = {}) const;
    // An API call with a bearer token.
    HttpAnswer api(const std::string& token, const std::string& method, const std::string& path,
                   const std::string& body = "");
    // A booking request body for `name` over [start, end).
    std::string booking(const std::string& name, const std::string& start,
                        const std::string& end) const;

    TempDir dir_;
    std::string key_;
    std::map<std::string, std::string> tokens_;  // user -> API token
    std::unique_ptr<PortalProcess> portal_;
};

}  // namespace vcluster::test
