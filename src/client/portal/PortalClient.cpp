#include "portal/PortalClient.h"

#include <curl/curl.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>

#include "util/Error.h"
#include "util/Files.h"
#include "util/Strings.h"

namespace vcluster::portal {

namespace {

std::optional<std::string> envValue(const char* name) {
    const char* v = std::getenv(name);
    if (v == nullptr || *v == '\0') {
        return std::nullopt;
    }
    return std::string(v);
}

std::string readTokenFile(const std::string& path) {
    std::string token = firstLine(readSmallFile(path, 4096, "token file"));
    while (!token.empty() && (token.back() == '\r' || token.back() == ' ')) {
        token.pop_back();
    }
    if (token.empty()) {
        throw Error("token file '" + path + "' is empty");
    }
    return token;
}

std::size_t collect(char* data, std::size_t size, std::size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
}

void initCurl() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string cellText(const nlohmann::json& v) {
    if (v.is_null()) {
        return "";
    }
    if (v.is_string()) {
        return v.get<std::string>();
    }
    return v.dump();
}

}  // namespace

std::vector<cli::ParamHelp> portalParams() {
    return {{"portal", "URL of a remote portal to act through ($VCLUSTER_PORTAL)", ""},
            {"token-file", "file holding the portal API token ($VCLUSTER_PORTAL_TOKEN[_FILE])", ""},
            {"cacert", "CA certificate (PEM) to verify the portal with ($VCLUSTER_PORTAL_CACERT)",
             "system CAs"}};
}

std::vector<cli::ParamHelp> withPortalParams(std::vector<cli::ParamHelp> params) {
    for (auto& p : portalParams()) {
        params.push_back(std::move(p));
    }
    return params;
}

std::optional<PortalConfig> portalConfig(const std::map<std::string, std::string>& params) {
    auto param = [&](const char* key) -> std::optional<std::string> {
        auto it = params.find(key);
        return it == params.end() || it->second.empty() ? std::nullopt
                                                        : std::optional<std::string>(it->second);
    };
    auto url = param("portal");
    if (!url) {
        url = envValue("VCLUSTER_PORTAL");
    }
    if (!url) {
        if (param("token-file") || param("cacert")) {
            throw Error("token-file= and cacert= need portal= (or $VCLUSTER_PORTAL)");
        }
        return std::nullopt;
    }
    initCurl();
    PortalConfig c;
    PortalUrl parsed = parsePortalUrl(*url);
    c.url = parsed.base;
    c.cleartext = parsed.cleartext;
    if (auto f = param("token-file")) {
        c.token = readTokenFile(*f);
    } else if (auto t = envValue("VCLUSTER_PORTAL_TOKEN")) {
        c.token = *t;
    } else if (auto tf = envValue("VCLUSTER_PORTAL_TOKEN_FILE")) {
        c.token = readTokenFile(*tf);
    } else {
        throw Error("portal " + c.url +
                    " needs an API token: token-file= or $VCLUSTER_PORTAL_TOKEN "
                    "(make one with `rocks add vcluster user token`)");
    }
    c.cacert = param("cacert").value_or(envValue("VCLUSTER_PORTAL_CACERT").value_or(""));
    return c;
}

std::map<std::string, std::string> withoutClientParams(
    const std::map<std::string, std::string>& params) {
    auto out = params;
    for (const char* key : {"portal", "token-file", "cacert", "db", "output-format"}) {
        out.erase(key);
    }
    return out;
}

PortalClient::PortalClient(PortalConfig config) : config_(std::move(config)) { initCurl(); }

std::string PortalClient::segment(const std::string& text) {
    initCurl();
    std::unique_ptr<char, decltype(&curl_free)> esc(
        curl_easy_escape(nullptr, text.data(), static_cast<int>(text.size())), curl_free);
    return esc ? std::string(esc.get()) : std::string();
}

nlohmann::json PortalClient::call(const std::string& method, const std::string& path,
                                  const std::optional<nlohmann::json>& body) const {
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
    if (!curl) {
        throw Error("cannot start a libcurl session");
    }
    std::string url = config_.url + path;
    std::string payload = body ? body->dump() : std::string();
    std::string answer;
    std::string auth = "Authorization: Bearer " + config_.token;
    curl_slist* headers = nullptr;
    headers = curl_slist_append(headers, auth.c_str());
    headers = curl_slist_append(headers, "Accept: application/json");
    if (body) {
        headers = curl_slist_append(headers, "Content-Type: application/json");
    }
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headerList(headers,
                                                                           curl_slist_free_all);
    CURL* h = curl.get();
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headerList.get());
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &answer);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 120L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, config_.cleartext ? "http" : "https");
    if (config_.cleartext) {
        // To this machine, never through a proxy ($http_proxy included): a
        // proxy would see the token in clear text.
        curl_easy_setopt(h, CURLOPT_PROXY, "");
    }
    if (!config_.cacert.empty()) {
        curl_easy_setopt(h, CURLOPT_CAINFO, config_.cacert.c_str());
    }
    if (body) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, payload.c_str());
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(payload.size()));
    }
    CURLcode rc = curl_easy_perform(h);
    if (rc != CURLE_OK) {
        throw Error("portal " + config_.url + ": " + curl_easy_strerror(rc));
    }
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    nlohmann::json parsed;
    if (!answer.empty()) {
        parsed = nlohmann::json::parse(answer, nullptr, false);
        if (parsed.is_discarded()) {
            throw Error("portal " + config_.url + " answered " + std::to_string(status) +
                        " with a body that is not JSON");
        }
    }
    if (status >= 200 && status < 300) {
        return parsed;
    }
    std::string message =
        parsed.is_object() && parsed.contains("error") && parsed["error"].is_string()
            ? parsed["error"].get<std::string>()
            : "portal " + config_.url + " answered HTTP " + std::to_string(status);
    if (status == 409) {
        throw Refusal(message);
    }
    throw Error(message);
}

cli::Table tableFromJson(std::vector<cli::Table::Column> columns, const nlohmann::json& rows) {
    if (!rows.is_array()) {
        throw Error("portal answered something other than a list");
    }
    std::vector<std::string> keys;
    for (const auto& c : columns) {
        std::string key = toLower(c.header);
        for (char& ch : key) {
            if (ch == ' ' || ch == '-') {
                ch = '_';
            }
        }
        keys.push_back(key);
    }
    cli::Table table(std::move(columns));
    for (const auto& row : rows) {
        if (!row.is_object()) {
            throw Error("portal answered a row that is not an object");
        }
        std::vector<std::string> cells;
        cells.reserve(keys.size());
        for (const auto& key : keys) {
            cells.push_back(row.contains(key) ? cellText(row[key]) : std::string());
        }
        table.addRow(std::move(cells));
    }
    return table;
}

}  // namespace vcluster::portal
