#include "reservation/Site.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "cluster/Attributes.h"
#include "cluster/Hosts.h"
#include "materialise/ClusterPlan.h"
#include "util/Error.h"
#include "util/Strings.h"
#include "util/Validate.h"

namespace vcluster::reservation {

std::vector<std::string> parseAddressList(const std::string& text, const std::string& what) {
    std::vector<std::string> out;
    for (const auto& item : split(text, ',')) {
        std::string t = trim(item);
        if (t.empty()) {
            continue;
        }
        auto dash = t.find('-');
        if (dash == std::string::npos) {
            out.push_back(formatIPv4(parseIPv4(t, what)));
            continue;
        }
        std::uint32_t first = parseIPv4(t.substr(0, dash), what);
        std::string rest = t.substr(dash + 1);
        std::uint32_t last = rest.find('.') == std::string::npos
                                 ? (first & 0xffffff00U) |
                                       static_cast<std::uint32_t>(parseInteger(rest, what) & 0xff)
                                 : parseIPv4(rest, what);
        if (last < first || last - first > 65535) {
            // NOLINTNEXTLINE(performance-inefficient-string-concatenation): an error path
            throw Error("invalid " + what + " range '" + t + "'");
        }
        for (std::uint32_t a = first; a <= last; ++a) {
            out.push_back(formatIPv4(a));
        }
    }
    return out;
}

calendar::IdRange parseIdRange(const std::string& text, const std::string& what) {
    auto dash = text.find('-');
    if (dash == std::string::npos) {
        throw Error("invalid " + what + " '" + text + "': expected first-last, e.g. 2-4094");
    }
    calendar::IdRange r{parseInteger(trim(text.substr(0, dash)), what),
                        parseInteger(trim(text.substr(dash + 1)), what)};
    if (r.first < 1 || r.last < r.first) {
        throw Error("invalid " + what + " '" + text +
                    "': expected first-last with 1 <= first <= last");
    }
    return r;
}

namespace {

double parseRatio(const std::string& text, const std::string& what) {
    try {
        std::size_t used = 0;
        double v = std::stod(text, &used);
        if (used == text.size() && v > 0 && v <= 100) {
            return v;
        }
    } catch (const std::exception&) {
    }
    throw Error("site attribute " + what + " must be a ratio like 1.0 or 1.5, not '" + text + "'");
}

std::string attr(const std::map<std::string, std::string>& attrs, const std::string& name) {
    auto it = attrs.find(name);
    return it == attrs.end() ? std::string() : trim(it->second);
}

}  // namespace

Site loadSite(db::Database& db) {
    Site site;
    AttributePool attrs(db);
    auto global = [&](const std::string& name) { return attrs.global(name); };
    site.defaults = readDefaults(global);
    if (auto v = global("vc_placement"); v && !v->empty()) {
        site.policy = calendar::parsePolicy(*v);
    }
    if (auto v = global("vc_overcommit_cpu"); v && !v->empty()) {
        site.overcommitCpu = parseRatio(*v, "vc_overcommit_cpu");
    }
    if (auto v = global("vc_overcommit_memory"); v && !v->empty()) {
        site.overcommitMemory = parseRatio(*v, "vc_overcommit_memory");
    }
    if (auto v = global("vc_vlan_range"); v && !v->empty()) {
        site.inventory.vlans = parseIdRange(*v, "vc_vlan_range");
        if (site.inventory.vlans.last > 4094) {
            throw Error("site attribute vc_vlan_range must lie within 1-4094");
        }
    }
    if (auto v = global("vc_vni_range"); v && !v->empty()) {
        site.inventory.vnis = parseIdRange(*v, "vc_vni_range");
    }
    if (auto v = global("vc_calendar_bucket"); v && !v->empty()) {
        site.bucketWidth = parseCount(*v, "vc_calendar_bucket", 60, 7 * 86400);
    }
    auto scaled = [](std::int64_t raw, double ratio) {
        return static_cast<std::int64_t>(std::floor(static_cast<double>(raw) * ratio + 1e-9));
    };
    auto compute = [&](const std::string& host, const std::map<std::string, std::string>& a,
                       bool gateway) -> std::optional<calendar::Amount> {
        std::string cpus = attr(a, "vc_cpus");
        std::string memory = attr(a, "vc_memory");
        if (cpus.empty() || memory.empty()) {
            return std::nullopt;  // not offered to virtual clusters
        }
        try {
            return calendar::Amount{
                scaled(parseInteger(cpus, "vc_cpus"), site.overcommitCpu),
                scaled(parseSizeMiB(memory, "vc_memory"), site.overcommitMemory)};
        } catch (const Error& e) {
            throw Error("host " + host + ": " + e.what());
        }
        (void)gateway;
    };
    HostPool hosts(db);
    auto vmAttrs = attrs.resolveAll("vm-server", {"vc_cpus", "vc_memory"});
    for (const auto& h : hosts.listByAppliance("vm-server")) {
        if (auto cap = compute(h.name, vmAttrs[h.name], false)) {
            site.hostIndex[h.name] = {calendar::Pool::VmServers,
                                      static_cast<int>(site.inventory.vmServers.size())};
            site.inventory.vmServers.push_back({h.name, *cap});
        }
    }
    auto gwAttrs = attrs.resolveAll("gateway", {"vc_cpus", "vc_memory", "vc_public_ips"});
    for (const auto& h : hosts.listByAppliance("gateway")) {
        if (auto cap = compute(h.name, gwAttrs[h.name], true)) {
            calendar::GatewayCapacity g{h.name, *cap, {}};
            try {
                g.publicIps = parseAddressList(attr(gwAttrs[h.name], "vc_public_ips"),
                                               "vc_public_ips address");
            } catch (const Error& e) {
                throw Error("host " + h.name + ": " + e.what());
            }
            site.hostIndex[h.name] = {calendar::Pool::Gateways,
                                      static_cast<int>(site.inventory.gateways.size())};
            site.inventory.gateways.push_back(std::move(g));
        }
    }
    auto stAttrs = attrs.resolveAll("storage", {"vc_pool_size"});
    for (const auto& h : hosts.listByAppliance("storage")) {
        std::string size = attr(stAttrs[h.name], "vc_pool_size");
        if (size.empty()) {
            continue;
        }
        calendar::Amount cap{0, 0};
        try {
            cap.mib = parseSizeMiB(size, "vc_pool_size");
        } catch (const Error& e) {
            throw Error("host " + h.name + ": " + e.what());
        }
        site.hostIndex[h.name] = {calendar::Pool::Storage,
                                  static_cast<int>(site.inventory.storage.size())};
        site.inventory.storage.push_back({h.name, cap});
    }
    return site;
}

void validateSiteAttribute(const std::string& attr, const std::string& value) {
    using Check = std::function<void(const std::string&)>;
    auto range = [](std::int64_t low, std::int64_t high) {
        return [low, high](const std::string& v) {
            auto r = parseIdRange(v, "range");
            if (r.first < low || r.last > high) {
                throw Error("must lie within " + std::to_string(low) + "-" + std::to_string(high));
            }
        };
    };
    auto size = [](const std::string& v) {
        if (parseSizeMiB(v, "size") <= 0) {
            throw Error("must be more than 0");
        }
    };
    auto count = [](int low, int high) {
        return [low, high](const std::string& v) { parseCount(v, "value", low, high); };
    };
    auto oneOf = [](std::vector<std::string> words) {
        return [words = std::move(words)](const std::string& v) {
            if (std::find(words.begin(), words.end(), v) == words.end()) {
                throw Error("must be one of " + join(words, ", "));
            }
        };
    };
    auto defaults = [&attr](const std::string& v) {
        readDefaults([&](const std::string& name) -> std::optional<std::string> {
            return name == attr ? std::optional<std::string>(v) : std::nullopt;
        });
    };
    const std::map<std::string, Check> checks = {
        {"vc_placement", [](const std::string& v) { calendar::parsePolicy(v); }},
        {"vc_overcommit_cpu", [](const std::string& v) { parseRatio(v, "vc_overcommit_cpu"); }},
        {"vc_overcommit_memory",
         [](const std::string& v) { parseRatio(v, "vc_overcommit_memory"); }},
        {"vc_vlan_range", range(1, 4094)},
        {"vc_vni_range", range(1, 16777215)},
        {"vc_calendar_bucket", count(60, 7 * 86400)},
        {"vc_cpus", count(0, 1000000)},
        {"vc_memory", size},
        {"vc_pool_size", size},
        {"vc_public_ips", [](const std::string& v) { parseAddressList(v, "address"); }},
        {"vc_install_timeout",
         [](const std::string& v) { parseDuration(v, "vc_install_timeout"); }},
        {"vc_executor", oneOf({"ssh", "local", "dry-run", "pretend"})},
        {"vc_portal_url",
         [](const std::string& v) { materialise::validateUrl(v, "vc_portal_url"); }},
        {"vc_portal_cacert",
         [](const std::string& v) { materialise::readCaCertificates(v, "vc_portal_cacert"); }},
        {"vc_lv_kind", oneOf({"thick", "thin"})},
        {"vc_iscsi_target", oneOf({"tgt", "lio"})},
        {"vc_iqn_date", [](const std::string& v) { validateIqnDate(v, "value"); }},
        {"vc_iqn_authority", [](const std::string& v) { validateFqdn(v, "value"); }},
        {"vc_initiator_name", [](const std::string& v) { validateIqn(v, "value"); }},
        {"vc_volume_group", [](const std::string& v) { validateLvmName(v, "value"); }},
        {"vc_thin_pool", [](const std::string& v) { validateLvmName(v, "value"); }},
        {"vc_trunk_interface", [](const std::string& v) { validateInterfaceName(v, "value"); }},
        {"vc_public_interface", [](const std::string& v) { validateInterfaceName(v, "value"); }},
        {"vc_public_bridge", [](const std::string& v) { validateInterfaceName(v, "value"); }},
        {"vc_public_vnet", [](const std::string& v) { validateInterfaceName(v, "value"); }},
    };
    auto it = checks.find(attr);
    const bool isDefault = attr.rfind("vc_default_", 0) == 0 || attr == "vc_horizon_days";
    if (it == checks.end() && !isDefault) {
        return;
    }
    try {
        if (isDefault) {
            defaults(value);
        } else {
            it->second(trim(value));
        }
    } catch (const Error& e) {
        std::string why = e.what();
        // The parsers name the attribute themselves; otherwise say which one.
        throw Error(why.find(attr) != std::string::npos
                        ? why
                        : "invalid " + attr + " '" + value + "': " + why);
    }
}

}  // namespace vcluster::reservation
