#include "reservation/Site.h"

#include <cmath>

#include "cluster/Attributes.h"
#include "cluster/Hosts.h"
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

}  // namespace vcluster::reservation
