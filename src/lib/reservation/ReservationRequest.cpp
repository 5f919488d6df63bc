#include "reservation/ReservationRequest.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "reservation/SshPublicKey.h"
#include "util/Error.h"
#include "util/Strings.h"
#include "util/Validate.h"

namespace vcluster::reservation {

const char* hypervisorName(Hypervisor h) { return h == Hypervisor::Kvm ? "kvm" : "vmware"; }
const char* networkName(NetworkKind n) { return n == NetworkKind::Vlan ? "vlan" : "vxlan"; }

Hypervisor parseHypervisor(const std::string& text) {
    if (text == "kvm") {
        return Hypervisor::Kvm;
    }
    if (text == "vmware") {
        return Hypervisor::VMware;
    }
    throw Error("invalid hypervisor '" + text + "': expected kvm or vmware");
}

NetworkKind parseNetworkKind(const std::string& text) {
    if (text == "vlan") {
        return NetworkKind::Vlan;
    }
    if (text == "vxlan") {
        return NetworkKind::Vxlan;
    }
    throw Error("invalid network '" + text + "': expected vlan or vxlan");
}

int parseCount(const std::string& text, const std::string& what, int min, int max) {
    long long v = parseInteger(text, what);
    if (v < min || v > max) {
        throw Error(what + " must be between " + std::to_string(min) + " and " +
                    std::to_string(max) + ", not " + text);
    }
    return static_cast<int>(v);
}

std::vector<std::string> parseNameList(const std::string& text, const std::string& what) {
    std::vector<std::string> out;
    for (const auto& item : split(text, ',')) {
        std::string t = trim(item);
        validateIdentifier(t, what);
        out.push_back(t);
    }
    return out;
}

ReservationDefaults readDefaults(
    const std::function<std::optional<std::string>(const std::string&)>& lookup) {
    ReservationDefaults d;
    auto get = [&](const char* attr, auto&& apply) {
        if (auto v = lookup(attr); v && !v->empty()) {
            try {
                apply(*v);
            } catch (const Error& e) {
                throw Error(std::string("site attribute ") + attr + ": " + e.what());
            }
        }
    };
    get("vc_default_cpus", [&](const std::string& v) { d.cpus = parseCount(v, "cpus", 1, 4096); });
    get("vc_default_memory",
        [&](const std::string& v) { d.memoryMiB = parseSizeMiB(v, "memory"); });
    get("vc_default_disk", [&](const std::string& v) { d.diskMiB = parseSizeMiB(v, "disk"); });
    get("vc_default_fe_cpus",
        [&](const std::string& v) { d.feCpus = parseCount(v, "fe-cpus", 1, 4096); });
    get("vc_default_fe_memory",
        [&](const std::string& v) { d.feMemoryMiB = parseSizeMiB(v, "fe-memory"); });
    get("vc_default_fe_disk",
        [&](const std::string& v) { d.feDiskMiB = parseSizeMiB(v, "fe-disk"); });
    get("vc_default_hypervisor", [&](const std::string& v) { d.hypervisor = parseHypervisor(v); });
    get("vc_default_network", [&](const std::string& v) { d.network = parseNetworkKind(v); });
    get("vc_default_rolls", [&](const std::string& v) { d.rolls = parseNameList(v, "roll"); });
    get("Kickstart_PublicDNSDomain", [&](const std::string& v) {
        validateFqdn(v, "public DNS domain");
        d.publicDomain = v;
    });
    get("Kickstart_Timezone", [&](const std::string& v) { d.timeZone = parseTimeZone(v); });
    get("vc_install_allowance", [&](const std::string& v) {
        d.installAllowance = v == "0" ? 0 : parseDuration(v, "vc_install_allowance");
    });
    get("vc_group_limit",
        [&](const std::string& v) { d.groupLimit = parseCount(v, "vc_group_limit", 1, 10000); });
    get("vc_horizon_days", [&](const std::string& v) {
        d.horizonSeconds = Time{parseCount(v, "vc_horizon_days", 1, 3660)} * 86400;
    });
    get("vc_provider_max_nodes", [&](const std::string& v) {
        d.providerMaxNodes = parseCount(v, "vc_provider_max_nodes", 0, 100000);
    });
    get("vc_provider_max_duration", [&](const std::string& v) {
        d.providerMaxDuration = parseDuration(v, "vc_provider_max_duration");
    });
    return d;
}

void checkProviderLimits(const ReservationRequest& request, const ReservationDefaults& defaults) {
    if (defaults.providerMaxNodes > 0 && request.nodes > defaults.providerMaxNodes) {
        throw Refusal("refused: a provider may book at most " +
                      std::to_string(defaults.providerMaxNodes) +
                      " nodes (vc_provider_max_nodes), not " + std::to_string(request.nodes));
    }
    if (defaults.providerMaxDuration > 0 &&
        request.end - request.start > defaults.providerMaxDuration) {
        throw Refusal("refused: a provider may book at most " +
                      std::to_string(defaults.providerMaxDuration / 3600) +
                      " h at a time (vc_provider_max_duration), not " +
                      std::to_string((request.end - request.start + 3599) / 3600) + " h");
    }
}

void validateClusterName(const std::string& name) {
    bool ok =
        !name.empty() && name.size() <= 20 && std::islower(static_cast<unsigned char>(name[0]));
    for (char c : name) {
        ok = ok && (std::islower(static_cast<unsigned char>(c)) ||
                    std::isdigit(static_cast<unsigned char>(c)) || c == '-');
    }
    if (!ok || name.back() == '-') {
        std::string shown;
        for (char c : name.substr(0, 40)) {
            shown += std::isprint(static_cast<unsigned char>(c)) ? c : '?';
        }
        throw Error("invalid vcluster name '" + shown +
                    "': use a lower-case letter, then lower-case letters, digits and '-' "
                    "(at most 20; it becomes part of host names)");
    }
    for (const char* word : kVclusterCommandWords) {
        if (name == word) {
            std::string message = "vcluster name '";
            message += name;
            message += "' is a word of the rocks commands (rocks remove vcluster ";
            message += name;
            message += " ... is another command): choose another";
            throw Error(message);
        }
    }
}

std::vector<Interval> ReservationRequest::computeWindows() const {
    if (repeat) {
        auto windows = repeat->expand(span());
        if (!windows.empty()) {
            windows.front().start = std::max(start, windows.front().start - installAllowance);
        }
        return windows;
    }
    return {span()};
}

Time ReservationRequest::buildStart() const {
    auto windows = computeWindows();
    return windows.empty() ? start : windows.front().start;
}

GroupParams parseGroupParams(const std::map<std::string, std::string>& params,
                             const ReservationDefaults& defaults, bool keysFromFile) {
    GroupParams g;
    // Empty fields (the portal's form) are absent ones.
    auto given = [&](const char* key) {
        auto it = params.find(key);
        return it != params.end() && !it->second.empty() ? it : params.end();
    };
    auto count = given("count");
    auto keys = given("sshkeys");
    if (count == params.end()) {
        if (keys != params.end()) {
            throw Error("sshkeys= gives one key per cluster of count=: give count= too");
        }
        return g;
    }
    g.count = parseCount(count->second, "count", 1, defaults.groupLimit);
    if (keys == params.end()) {
        return g;
    }
    std::string text = keys->second;
    if (keysFromFile) {
        std::ifstream in(keys->second);
        if (!in) {
            throw Error("sshkeys: cannot read '" + keys->second + "'");
        }
        std::ostringstream all;
        all << in.rdbuf();
        text = all.str();
    }
    int lineNumber = 0;
    for (const auto& raw : split(text, '\n')) {
        ++lineNumber;
        const std::string line = trim(raw);
        if (line.empty() || line[0] == '#') {
            continue;
        }
        try {
            g.keys.push_back(parseSshPublicKey(line).line());
        } catch (const Error& e) {
            throw Error("sshkeys line " + std::to_string(lineNumber) + ": " + e.what());
        }
    }
    if (static_cast<int>(g.keys.size()) < g.count) {
        throw Error("sshkeys has " + std::to_string(g.keys.size()) + " keys for count=" +
                    std::to_string(g.count) + ": one key a line, one per cluster");
    }
    return g;
}

void validateSkips(const ReservationRequest& r) {
    if (!r.repeat) {
        throw Error("skip= removes weekly windows: vcluster '" + r.name + "' has no repeat=");
    }
    const int first = zonedDay(r.timeZone, r.start);
    const int last = zonedDay(r.timeZone, r.end - 1);
    for (const auto& s : r.repeat->skips) {
        if (s.first < first || s.last > last) {
            throw Error("skip date " + formatDay(s.first < first ? s.first : s.last) +
                        " is outside the reservation (" + formatDay(first) + " to " +
                        formatDay(last) + " in " + r.timeZone + ")");
        }
    }
}

ReservationRequest parseReservationRequest(const std::string& name,
                                           const std::map<std::string, std::string>& params,
                                           const ReservationDefaults& defaults, Time now) {
    auto param = [&](const std::string& key) -> std::optional<std::string> {
        auto it = params.find(key);
        if (it == params.end()) {
            return std::nullopt;
        }
        return it->second;
    };
    ReservationRequest r;
    validateClusterName(name);
    r.name = name;
    // An empty field (the portal's form) means the default, as for repeat=.
    const auto tz = param("tz");
    r.timeZone = tz && !tz->empty() ? parseTimeZone(*tz) : defaults.timeZone;

    auto start = param("start");
    if (!start) {
        throw Error("missing required parameter start= (a time, or 'earliest')");
    }
    auto duration = param("duration");
    auto end = param("end");
    if (end && duration) {
        throw Error("give end= or duration=, not both");
    }
    if (*start == "earliest") {
        r.startEarliest = true;
        r.start = now - now % 60 + 60;  // the next whole minute
        if (!duration) {
            throw Error(
                "start=earliest needs duration= (e.g. duration=30d): end= is not known yet");
        }
    } else {
        r.start = parseTime(*start, "start", r.timeZone);
    }
    if (duration) {
        r.end = r.start + parseDuration(*duration, "duration");
    } else if (end) {
        r.end = parseTime(*end, "end", r.timeZone);
    } else {
        throw Error("missing required parameter end= (or duration=)");
    }
    if (r.end <= r.start) {
        throw Error("end (" + formatTime(r.end) + ") must be after start (" + formatTime(r.start) +
                    ")");
    }
    // The latest instant rocks reads back (parseTime's year 9999): an end past
    // it could be stored but never listed, changed or released by its text.
    constexpr Time kLatest = 253402300799;  // 9999-12-31T23:59:59Z
    if (r.end > kLatest) {
        throw Error("the reservation would end after 9999-12-31T23:59:59Z");
    }
    if (r.end - r.start > 10LL * 365 * 86400) {
        throw Error("a reservation may last at most 10 years");
    }
    if (r.end <= now) {
        throw Error("the reservation would end in the past (" + formatTime(r.end) + ")");
    }
    if (auto rep = param("repeat"); rep && !rep->empty()) {
        r.repeat = parseWeeklyRepeat(*rep);
        r.repeat->zone = r.timeZone;
        r.installAllowance = defaults.installAllowance;
        if (auto skip = param("skip"); skip && !skip->empty()) {
            r.repeat->skips = parseSkipDates(*skip);
            validateSkips(r);
        }
        if (r.computeWindows().empty()) {
            throw Error("repeat '" + *rep + "' has no window between start and end" +
                        (r.repeat->skips.empty() ? "" : " that is not skipped"));
        }
    } else if (param("skip") && !param("skip")->empty()) {
        throw Error("skip= removes weekly windows: it needs repeat=");
    }
    r.nodes = parseCount(param("nodes").value_or("1"), "nodes", 0, 100000);
    r.cpus = param("cpus") ? parseCount(*param("cpus"), "cpus", 1, 4096) : defaults.cpus;
    r.memoryMiB = param("memory") ? parseSizeMiB(*param("memory"), "memory") : defaults.memoryMiB;
    r.diskMiB = param("disk") ? parseSizeMiB(*param("disk"), "disk") : defaults.diskMiB;
    r.feCpus =
        param("fe-cpus") ? parseCount(*param("fe-cpus"), "fe-cpus", 1, 4096) : defaults.feCpus;
    r.feMemoryMiB =
        param("fe-memory") ? parseSizeMiB(*param("fe-memory"), "fe-memory") : defaults.feMemoryMiB;
    r.feDiskMiB =
        param("fe-disk") ? parseSizeMiB(*param("fe-disk"), "fe-disk") : defaults.feDiskMiB;
    for (auto [value, what] :
         {std::pair{r.memoryMiB, "memory"}, std::pair{r.feMemoryMiB, "fe-memory"},
          std::pair{r.diskMiB, "disk"}, std::pair{r.feDiskMiB, "fe-disk"}}) {
        if (value <= 0) {
            throw Error(std::string(what) + " must be more than 0");
        }
    }
    r.rolls = param("rolls") ? parseNameList(*param("rolls"), "roll") : defaults.rolls;
    r.appliances = param("appliances") ? parseNameList(*param("appliances"), "appliance")
                                       : std::vector<std::string>{"compute"};
    r.hypervisor =
        param("hypervisor") ? parseHypervisor(*param("hypervisor")) : defaults.hypervisor;
    r.network = param("network") ? parseNetworkKind(*param("network")) : defaults.network;
    // The owner defaults to the admin running the command (root on a frontend).
    r.owner = param("owner").value_or("");
    if (r.owner.empty()) {
        const char* user = std::getenv("SUDO_USER");
        user = user != nullptr && *user != '\0' ? user : std::getenv("USER");
        r.owner = user != nullptr && *user != '\0' ? user : "root";
    }
    validateIdentifier(r.owner, "owner");
    if (r.owner.size() > 64) {
        throw Error("owner is longer than 64 characters");
    }
    for (char c : r.owner) {
        if (std::string_view("`$\\\"'<>;|&").find(c) != std::string_view::npos) {
            throw Error("owner must not contain shell metacharacters");
        }
    }
    r.fqdn = param("fqdn").value_or(name + "." + defaults.publicDomain);
    validateFqdn(r.fqdn, "fqdn");
    if (auto key = param("sshkey"); key && !key->empty()) {
        r.sshKey = loadSshPublicKey(*key).line();
    } else {
        throw Error(
            "missing required parameter sshkey= (the tenant's OpenSSH public key or its file)");
    }
    return r;
}

}  // namespace vcluster::reservation
