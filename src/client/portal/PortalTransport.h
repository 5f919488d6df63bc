#pragma once

#include <string>

#include "portal/PortalUrl.h"

// The one HTTP exchange of a portal call, between libvcluster-portal-client
// and libvcluster-portal-curl, the libcurl part that the client loads
// (dlopen) only when a command talks to a portal: linked into the commands,
// libcurl and its two dozen libraries were a sixth of every local
// `rocks add vcluster` (their loading and relocation, 8 ms a process).
namespace vcluster::portal {

struct HttpExchange {
    // The request.
    std::string method;
    std::string url;
    std::string token;   // sent as a bearer token
    std::string cacert;  // "" = the system's CAs
    bool cleartext = false;
    bool hasBody = false;
    std::string body;
    // The answer: error is set when there is none (no connection, TLS).
    long status = 0;
    std::string answer;
    std::string error;
};

// What libvcluster-portal-curl offers.
struct CurlApi {
    void (*perform)(HttpExchange& exchange);         // never throws
    PortalUrl (*parseUrl)(const std::string& text);  // parsePortalUrl (throws Error)
};

}  // namespace vcluster::portal

// libvcluster-portal-curl's one entry.
extern "C" const vcluster::portal::CurlApi* vcluster_portal_curl_api();
