#include "cluster/Networks.h"

#include "cluster/Hosts.h"
#include "util/Error.h"
#include "util/Validate.h"

namespace vcluster {

namespace {

Network toNetwork(const db::Row& r) {
    Network n;
    n.id = r.integer(0);
    n.name = r.text(1);
    n.subnet = r.text(2);
    n.netmask = r.text(3);
    n.mtu = static_cast<int>(r.integer(4));
    n.dnsZone = r.text(5);
    n.serveDns = r.integer(6) != 0;
    return n;
}

constexpr const char* kSelectNetwork =
    "SELECT ID, name, subnet, netmask, COALESCE(mtu, 1500), dnszone, servedns FROM subnets ";

}  // namespace

std::vector<Network> NetworkPool::list() const {
    std::vector<Network> out;
    for (const auto& r : db_.query(std::string(kSelectNetwork) + "ORDER BY ID")) {
        out.push_back(toNetwork(r));
    }
    return out;
}

std::optional<Network> NetworkPool::find(const std::string& name) const {
    auto r = db_.queryOne(std::string(kSelectNetwork) + "WHERE name = ?", {name});
    if (!r) {
        return std::nullopt;
    }
    return toNetwork(*r);
}

Network NetworkPool::get(const std::string& name) const {
    auto n = find(name);
    if (!n) {
        throw Error("unknown network '" + name + "'");
    }
    return *n;
}

std::int64_t NetworkPool::add(const Network& network) {
    validateIdentifier(network.name, "network name");
    std::uint32_t address = parseIPv4(network.subnet, "subnet");
    int prefix = parseNetmask(network.netmask);
    if ((address & ~prefixToMask(prefix)) != 0) {
        throw Error("subnet " + network.subnet + " has host bits set for netmask " +
                    network.netmask);
    }
    if (network.mtu < 576 || network.mtu > 65535) {
        throw Error("mtu must be between 576 and 65535");
    }
    std::string zone = network.dnsZone.empty() ? network.name : network.dnsZone;
    validateFqdn(zone, "dnszone");
    if (find(network.name)) {
        throw Error("network '" + network.name + "' already exists");
    }
    return db_.insert(
        "INSERT INTO subnets (name, subnet, netmask, mtu, dnszone, servedns) VALUES (?, ?, ?, ?, "
        "?, ?)",
        {network.name, network.subnet, network.netmask, std::int64_t{network.mtu}, zone,
         std::int64_t{network.serveDns ? 1 : 0}});
}

void NetworkPool::remove(const std::string& name) {
    Network n = get(name);
    if (db_.queryOne("SELECT 1 FROM networks WHERE Subnet = ? LIMIT 1", {n.id})) {
        throw Error("network '" + name + "' is still used by host interfaces");
    }
    db_.execute("DELETE FROM subnets WHERE ID = ?", {n.id});
}

std::vector<Interface> InterfacePool::list(const std::optional<std::string>& host) const {
    std::string sql =
        "SELECT n.Name, COALESCE(i.Device, ''), COALESCE(i.MAC, ''), COALESCE(i.IP, ''), "
        "COALESCE(s.name, ''), COALESCE(s.netmask, ''), COALESCE(i.Name, ''), COALESCE(i.Module, "
        "''), "
        "i.VlanID, COALESCE(i.Options, '') "
        "FROM networks i JOIN nodes n ON n.ID = i.Node LEFT JOIN subnets s ON s.ID = i.Subnet ";
    std::vector<db::Value> params;
    if (host) {
        sql += "WHERE n.Name = ? ";
        params.emplace_back(*host);
    }
    sql += "ORDER BY n.Rack, n.Rank, n.Name, i.Device";
    std::vector<Interface> out;
    auto rows = db_.query(sql, params);
    out.reserve(rows.size());
    for (const auto& r : rows) {
        Interface i;
        i.host = r.text(0);
        i.device = r.text(1);
        i.mac = r.text(2);
        i.ip = r.text(3);
        i.network = r.text(4);
        i.netmask = r.text(5);
        i.name = r.text(6);
        i.module = r.text(7);
        if (auto v = r.optInteger(8)) {
            i.vlan = static_cast<int>(*v);
        }
        i.options = r.text(9);
        out.push_back(std::move(i));
    }
    return out;
}

void InterfacePool::add(const Interface& iface) {
    Host host = HostPool(db_).get(iface.host);
    validateIdentifier(iface.device, "interface");
    db::Value mac = nullptr;
    if (!iface.mac.empty()) {
        mac = normalizeMac(iface.mac);
    }
    db::Value subnetId = nullptr;
    db::Value ip = nullptr;
    if (!iface.network.empty()) {
        subnetId = NetworkPool(db_).get(iface.network).id;
    }
    if (!iface.ip.empty()) {
        if (iface.network.empty()) {
            throw Error("an interface with an IP address needs subnet=<network>");
        }
        Network net = NetworkPool(db_).get(iface.network);
        std::uint32_t address = parseIPv4(iface.ip);
        std::uint32_t mask = prefixToMask(parseNetmask(net.netmask));
        if ((address & mask) != parseIPv4(net.subnet)) {
            throw Error("IP " + iface.ip + " is not inside network '" + net.name + "' (" +
                        net.subnet + "/" + net.netmask + ")");
        }
        ip = iface.ip;
    }
    if (!iface.name.empty()) {
        validateHostName(iface.name, "interface host name");
    }
    if (!iface.module.empty()) {
        validateIdentifier(iface.module, "module");
    }
    validateText(iface.options, "options");
    db::Value vlan = nullptr;
    if (iface.vlan) {
        if (*iface.vlan < 0 || *iface.vlan > 4094) {
            throw Error("vlan must be between 0 and 4094");
        }
        vlan = std::int64_t{*iface.vlan};
    }
    if (db_.queryOne("SELECT 1 FROM networks WHERE Node = ? AND Device = ?",
                     {host.id, iface.device})) {
        throw Error("host '" + iface.host + "' already has interface '" + iface.device + "'");
    }
    if (!std::holds_alternative<std::nullptr_t>(mac)) {
        if (auto owner = db_.queryOne(
                "SELECT n.Name FROM networks i JOIN nodes n ON n.ID = i.Node WHERE i.MAC = ?",
                {mac})) {
            throw Error("MAC " + std::get<std::string>(mac) + " is already used by host '" +
                        owner->text(0) + "'");
        }
    }
    if (!std::holds_alternative<std::nullptr_t>(ip)) {
        if (auto owner = db_.queryOne("SELECT n.Name FROM networks i JOIN nodes n ON n.ID = i.Node "
                                      "WHERE i.IP = ? AND i.Subnet = ? "
                                      "AND COALESCE(i.VlanID, 0) = COALESCE(?, 0)",
                                      {ip, subnetId, vlan})) {
            throw Error("IP " + iface.ip + " is already used by host '" + owner->text(0) +
                        "' on network '" + iface.network + "'");
        }
    }
    std::string name = iface.name.empty() ? iface.host : iface.name;
    db_.execute(
        "INSERT INTO networks (Node, MAC, IP, Name, Device, Subnet, Module, VlanID, Options) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {host.id, mac, ip, name, iface.device, subnetId,
         iface.module.empty() ? db::Value{nullptr} : db::Value{iface.module}, vlan,
         iface.options.empty() ? db::Value{nullptr} : db::Value{iface.options}});
}

void InterfacePool::remove(const std::string& hostName, const std::string& device) {
    Host host = HostPool(db_).get(hostName);
    db_.execute("DELETE FROM networks WHERE Node = ? AND Device = ?", {host.id, device});
    if (db_.changes() == 0) {
        throw Error("host '" + hostName + "' has no interface '" + device + "'");
    }
}

}  // namespace vcluster
