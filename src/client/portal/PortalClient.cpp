#include "portal/PortalClient.h"

#include <dlfcn.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>

#include "portal/PortalTransport.h"
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

// libvcluster-portal-curl, beside this library (the build tree's lib/, the
// roll's /opt/rocks/lib), loaded when a portal is first named.
const CurlApi* loadCurl() {
    Dl_info self{};
    if (dladdr(reinterpret_cast<void*>(&loadCurl), &self) == 0 || self.dli_fname == nullptr) {
        throw Error("cannot find where libvcluster-portal-client is");
    }
    std::string path = self.dli_fname;
    path = path.substr(0, path.find_last_of('/') + 1) + VCLUSTER_PORTAL_CURL_NAME;
    void* lib = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (lib == nullptr) {
        throw Error(std::string("cannot load the portal client's HTTP library: ") + dlerror());
    }
    void* entry = dlsym(lib, "vcluster_portal_curl_api");
    if (entry == nullptr) {
        throw Error("'" + path + "' has no vcluster_portal_curl_api");
    }
    return reinterpret_cast<const CurlApi* (*)()>(entry)();
}

const CurlApi& curl() {
    // Thread-safe; an initialisation that throws is tried again at the next call.
    static const CurlApi& loaded = *loadCurl();
    return loaded;
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
    PortalConfig c;
    PortalUrl parsed = curl().parseUrl(*url);
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

PortalClient::PortalClient(PortalConfig config) : config_(std::move(config)) {}

std::string PortalClient::segment(const std::string& text) {
    // RFC 3986's unreserved characters as they are, every other byte %XX
    // (what curl_easy_escape writes).
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if ((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') ||
            u == '-' || u == '.' || u == '_' || u == '~') {
            out += c;
        } else {
            out += '%';
            out += kHex[u >> 4];
            out += kHex[u & 15];
        }
    }
    return out;
}

nlohmann::json PortalClient::call(const std::string& method, const std::string& path,
                                  const std::optional<nlohmann::json>& body) const {
    HttpExchange x;
    x.method = method;
    x.url = config_.url + path;
    x.token = config_.token;
    x.cacert = config_.cacert;
    x.cleartext = config_.cleartext;
    x.hasBody = body.has_value();
    x.body = body ? body->dump() : std::string();
    curl().perform(x);
    if (!x.error.empty()) {
        throw Error("portal " + config_.url + ": " + x.error);
    }
    const long status = x.status;
    const std::string& answer = x.answer;
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
