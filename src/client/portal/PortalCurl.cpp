#include <curl/curl.h>

#include <memory>
#include <mutex>

#include "portal/PortalTransport.h"

namespace {

std::size_t collect(char* data, std::size_t size, std::size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
}

// Once, before any other libcurl call (curl_global_init is not thread-safe).
void initCurl() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

void perform(vcluster::portal::HttpExchange& x) {
    initCurl();
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
    if (!curl) {
        x.error = "cannot start a libcurl session";
        return;
    }
    std::string auth = "Authorization: Bearer " + x.token;
    curl_slist* headers = nullptr;
    headers = curl_slist_append(headers, auth.c_str());
    headers = curl_slist_append(headers, "Accept: application/json");
    if (x.hasBody) {
        headers = curl_slist_append(headers, "Content-Type: application/json");
    }
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headerList(headers,
                                                                           curl_slist_free_all);
    CURL* h = curl.get();
    curl_easy_setopt(h, CURLOPT_URL, x.url.c_str());
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, x.method.c_str());
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headerList.get());
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &x.answer);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 120L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, x.cleartext ? "http" : "https");
    if (x.cleartext) {
        // To this machine, never through a proxy ($http_proxy included): a
        // proxy would see the token in clear text.
        curl_easy_setopt(h, CURLOPT_PROXY, "");
    }
    if (!x.cacert.empty()) {
        curl_easy_setopt(h, CURLOPT_CAINFO, x.cacert.c_str());
    }
    if (x.hasBody) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, x.body.c_str());
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(x.body.size()));
    }
    CURLcode rc = curl_easy_perform(h);
    if (rc != CURLE_OK) {
        x.error = curl_easy_strerror(rc);
        return;
    }
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &x.status);
}

}  // namespace

extern "C" const vcluster::portal::CurlApi* vcluster_portal_curl_api() {
    static const vcluster::portal::CurlApi api{
        [](vcluster::portal::HttpExchange& x) {
            try {
                perform(x);
            } catch (const std::exception& e) {  // std::bad_alloc of the strings
                x.error = e.what();
            }
        },
        [](const std::string& text) {
            initCurl();
            return vcluster::portal::parsePortalUrl(text);
        }};
    return &api;
}
