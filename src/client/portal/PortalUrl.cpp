#include "portal/PortalUrl.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>

#include <memory>

#include "util/Error.h"

namespace vcluster::portal {

namespace {

std::string urlPart(CURLU* u, CURLUPart part) {
    char* value = nullptr;
    if (curl_url_get(u, part, &value, 0) != CURLUE_OK || value == nullptr) {
        return "";
    }
    std::string text = value;
    curl_free(value);
    return text;
}

// A host that is this machine without asking any resolver: 127.0.0.0/8,
// ::1, or "localhost" (which libcurl answers itself, never from DNS).
bool loopbackHost(const std::string& host) {
    in_addr v4{};
    if (inet_pton(AF_INET, host.c_str(), &v4) == 1) {
        return (ntohl(v4.s_addr) >> 24) == 127;
    }
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
        in6_addr v6{};
        std::string inner = host.substr(1, host.size() - 2);
        return inet_pton(AF_INET6, inner.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
    }
    return host == "localhost";
}

}  // namespace

PortalUrl parsePortalUrl(const std::string& text) {
    std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> u(curl_url(), curl_url_cleanup);
    if (!u || curl_url_set(u.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK) {
        throw Error("portal must be an https:// URL, not '" + text + "'");
    }
    PortalUrl url;
    url.scheme = urlPart(u.get(), CURLUPART_SCHEME);
    url.host = urlPart(u.get(), CURLUPART_HOST);
    if (url.scheme != "https" && url.scheme != "http") {
        throw Error("portal must be an https:// URL, not '" + text + "'");
    }
    // A user name in a URL only hides its real host from a reader
    // (http://127.0.0.1@portal.example is portal.example).
    if (!urlPart(u.get(), CURLUPART_USER).empty() ||
        !urlPart(u.get(), CURLUPART_PASSWORD).empty() || text.find('@') != std::string::npos) {
        throw Error("portal '" + text + "': no user name or '@' in the URL (the token says who)");
    }
    if (!urlPart(u.get(), CURLUPART_QUERY).empty() ||
        !urlPart(u.get(), CURLUPART_FRAGMENT).empty()) {
        throw Error("portal '" + text + "': no query or fragment in the URL");
    }
    url.cleartext = url.scheme == "http";
    if (url.cleartext && !loopbackHost(url.host)) {
        throw Error("portal '" + text + "': use https:// (http:// only to this machine)");
    }
    std::string port = urlPart(u.get(), CURLUPART_PORT);
    std::string path = urlPart(u.get(), CURLUPART_PATH);
    while (!path.empty() && path.back() == '/') {
        path.pop_back();
    }
    url.base = url.scheme + "://" + url.host + (port.empty() ? "" : ":" + port) + path;
    return url;
}

}  // namespace vcluster::portal
