#pragma once

#include <string>

namespace vcluster::portal {

// A portal URL as libcurl's URL API (curl_url) parses it.
struct PortalUrl {
    std::string scheme;  // "https" or "http"
    std::string host;    // as libcurl connects to it ("[::1]" for IPv6)
    std::string base;    // scheme://host[:port][/path], without a trailing '/'
    bool cleartext = false;
};
// Refuses anything but https://, or http:// to a loopback host (127.0.0.0/8,
// [::1], localhost) decided on the parsed host; no user name, query or
// fragment.
PortalUrl parsePortalUrl(const std::string& text);

}  // namespace vcluster::portal
