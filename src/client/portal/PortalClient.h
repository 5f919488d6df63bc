#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cli/Command.h"
#include "cli/Table.h"
#include "portal/PortalUrl.h"

namespace vcluster::portal {

// Where a remote portal is and how to reach it.
struct PortalConfig {
    std::string url;         // https://manager.example.org:8443 (http:// only on loopback)
    std::string token;       // an API token from `rocks add vcluster user token`
    std::string cacert;      // PEM file of the CA (or self-signed cert) to trust; "" = system CAs
    bool cleartext = false;  // http:// (to this machine only, never through a proxy)
};

// The client parameters the reservation commands accept (for their help).
std::vector<cli::ParamHelp> portalParams();
// `params` followed by portalParams().
std::vector<cli::ParamHelp> withPortalParams(std::vector<cli::ParamHelp> params);

// The portal to use: portal=, token-file=, cacert= parameters, else the
// environment ($VCLUSTER_PORTAL, $VCLUSTER_PORTAL_TOKEN or
// $VCLUSTER_PORTAL_TOKEN_FILE, $VCLUSTER_PORTAL_CACERT). Nothing when no
// portal is named: the command works on the local database.
std::optional<PortalConfig> portalConfig(const std::map<std::string, std::string>& params);

// The params without the client's own (portal=, token-file=, cacert=, db=,
// output-format=): what is sent to the portal.
std::map<std::string, std::string> withoutClientParams(
    const std::map<std::string, std::string>& params);

// A libcurl client of the portal's REST API (/api/v1).
class PortalClient {
  public:
    explicit PortalClient(PortalConfig config);

    // Sends the request with the bearer token and returns the JSON body of a
    // 2xx answer (null when empty). An error answer throws the server's
    // one-line message: Refusal for 409 (exit 2, as locally), Error otherwise.
    nlohmann::json call(const std::string& method, const std::string& path,
                        const std::optional<nlohmann::json>& body = std::nullopt) const;

    // Percent-encodes one path segment.
    static std::string segment(const std::string& text);

  private:
    PortalConfig config_;
};

// Rebuilds a table from its JSON rendering (an array of objects keyed by the
// lower-case headers), so a remote command prints what the local one does.
cli::Table tableFromJson(std::vector<cli::Table::Column> columns, const nlohmann::json& rows);

}  // namespace vcluster::portal
