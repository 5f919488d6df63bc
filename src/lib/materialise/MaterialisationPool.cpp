#include "materialise/MaterialisationPool.h"
#include "util/Clock.h"

#include <ctime>
#include <map>

#include "cluster/Attributes.h"
#include "cluster/Hosts.h"
#include "db/Catalogue.h"
#include "util/Error.h"
#include "util/Strings.h"
#include "util/Validate.h"

namespace vcluster::materialise {

namespace {

using Settings = std::map<std::string, std::string>;

// The plan's fields that no Rocks row holds, as name/value settings.
Settings planSettings(const ClusterPlan& p) {
    Settings s;
    s["fqdn"] = p.fqdn;
    s["ssh_public_key"] = p.sshPublicKey;
    for (std::size_t i = 0; i < p.rolls.size(); ++i) {
        const std::string k = "roll." + std::to_string(i) + ".";
        s[k + "name"] = p.rolls[i].name;
        s[k + "version"] = p.rolls[i].version;
        s[k + "arch"] = p.rolls[i].arch;
    }
    s["frontend.gateway"] = p.frontend.gateway;
    s["frontend.public_ip"] = p.frontend.publicIp;
    s["frontend.public_netmask"] = p.frontend.publicNetmask;
    s["frontend.public_gateway"] = p.frontend.publicGateway;
    s["storage.node"] = p.storage.node;
    s["storage.volume_group"] = p.storage.volumeGroup;
    s["storage.lv_kind"] = toString(p.storage.lvKind);
    s["storage.thin_pool"] = p.storage.thinPool;
    s["storage.target"] = toString(p.storage.target);
    s["storage.portal_port"] = std::to_string(p.storage.portalPort);
    s["site.iqn_date"] = p.site.iqnDate;
    s["site.iqn_authority"] = p.site.iqnAuthority;
    s["site.dns_servers"] = join(p.site.dnsServers, ",");
    s["site.public_domain"] = p.site.publicDomain;
    s["site.timezone"] = p.site.timezone;
    s["site.private_network"] = p.site.privateNetwork;
    s["site.private_prefix"] = std::to_string(p.site.privatePrefix);
    s["site.private_domain"] = p.site.privateDomain;
    s["root_password_hash"] = p.rootPasswordHash;
    s["install_token"] = p.installToken;
    s["power.portal_url"] = p.portalUrl;
    s["power.token"] = p.powerToken;
    s["power.cacert"] = p.portalCaPem;
    const InstallerSite& in = p.site.installer;
    s["installer.rocks_version"] = in.rocksVersion;
    s["installer.kernel"] = in.kernel;
    s["installer.initrd"] = in.initrd;
    s["installer.isolinux"] = in.isolinux;
    s["installer.kickstart_url"] = in.kickstartUrl;
    s["installer.roll_server"] = in.rollServer;
    s["installer.ntp_host"] = in.ntpHost;
    s["installer.cert_organization"] = in.certificateOrganization;
    s["installer.cert_locality"] = in.certificateLocality;
    s["installer.cert_state"] = in.certificateState;
    s["installer.cert_country"] = in.certificateCountry;
    s["installer.contact"] = in.clusterContact;
    s["installer.latlong"] = in.clusterLatlong;
    s["installer.key_only_root"] = in.keyOnlyRoot ? "yes" : "no";
    s["site.vm_directory"] = p.site.vmDirectory;
    s["site.vxlan_port"] = std::to_string(p.site.vxlanPort);
    for (std::size_t i = 0; i < p.site.hosts.size(); ++i) {
        const auto& h = p.site.hosts[i];
        const std::string k = "host." + std::to_string(i) + ".";
        s[k + "name"] = h.name;
        s[k + "address"] = h.address;
        s[k + "trunk_interface"] = h.trunkInterface;
        s[k + "public_bridge"] = h.publicBridge;
        s[k + "public_vnet"] = h.publicVnet;
        s[k + "public_interface"] = h.publicInterface;
        s[k + "public_address"] = h.publicAddress;
        s[k + "public_netmask"] = h.publicNetmask;
        s[k + "initiator_name"] = h.initiatorName;
    }
    return s;
}

const std::string& setting(const Settings& s, const std::string& name) {
    auto it = s.find(name);
    if (it == s.end()) {
        throw Error("materialised state is missing setting '" + name + "'");
    }
    return it->second;
}

int settingInt(const Settings& s, const std::string& name) {
    return static_cast<int>(parseInteger(setting(s, name), name));
}

void applySettings(const Settings& s, ClusterPlan& p) {
    p.fqdn = setting(s, "fqdn");
    p.sshPublicKey = setting(s, "ssh_public_key");
    for (int i = 0; s.count("roll." + std::to_string(i) + ".name") != 0; ++i) {
        const std::string k = "roll." + std::to_string(i) + ".";
        p.rolls.push_back(
            {setting(s, k + "name"), setting(s, k + "version"), setting(s, k + "arch")});
    }
    p.frontend.gateway = setting(s, "frontend.gateway");
    p.frontend.publicIp = setting(s, "frontend.public_ip");
    p.frontend.publicNetmask = setting(s, "frontend.public_netmask");
    p.frontend.publicGateway = setting(s, "frontend.public_gateway");
    p.storage.node = setting(s, "storage.node");
    p.storage.volumeGroup = setting(s, "storage.volume_group");
    p.storage.lvKind = parseLvKind(setting(s, "storage.lv_kind"));
    p.storage.thinPool = setting(s, "storage.thin_pool");
    p.storage.target = parseTargetKind(setting(s, "storage.target"));
    p.storage.portalPort = settingInt(s, "storage.portal_port");
    p.site.iqnDate = setting(s, "site.iqn_date");
    p.site.iqnAuthority = setting(s, "site.iqn_authority");
    p.site.dnsServers.clear();
    for (const auto& dns : split(setting(s, "site.dns_servers"), ',')) {
        if (!dns.empty()) {
            p.site.dnsServers.push_back(dns);
        }
    }
    p.site.publicDomain = setting(s, "site.public_domain");
    p.site.timezone = setting(s, "site.timezone");
    p.site.privateNetwork = setting(s, "site.private_network");
    p.site.privatePrefix = settingInt(s, "site.private_prefix");
    p.site.privateDomain = setting(s, "site.private_domain");
    // Absent from clusters materialised before the installer was booted
    // directly: they keep the defaults.
    auto optionalSetting = [&](const std::string& name, std::string& into) {
        if (auto it = s.find(name); it != s.end()) {
            into = it->second;
        }
    };
    optionalSetting("root_password_hash", p.rootPasswordHash);
    optionalSetting("install_token", p.installToken);
    optionalSetting("power.portal_url", p.portalUrl);
    optionalSetting("power.token", p.powerToken);
    optionalSetting("power.cacert", p.portalCaPem);
    InstallerSite& in = p.site.installer;
    optionalSetting("installer.rocks_version", in.rocksVersion);
    optionalSetting("installer.kernel", in.kernel);
    optionalSetting("installer.initrd", in.initrd);
    optionalSetting("installer.isolinux", in.isolinux);
    optionalSetting("installer.kickstart_url", in.kickstartUrl);
    optionalSetting("installer.roll_server", in.rollServer);
    optionalSetting("installer.ntp_host", in.ntpHost);
    optionalSetting("installer.cert_organization", in.certificateOrganization);
    optionalSetting("installer.cert_locality", in.certificateLocality);
    optionalSetting("installer.cert_state", in.certificateState);
    optionalSetting("installer.cert_country", in.certificateCountry);
    optionalSetting("installer.contact", in.clusterContact);
    optionalSetting("installer.latlong", in.clusterLatlong);
    std::string keyOnly = "no";
    optionalSetting("installer.key_only_root", keyOnly);
    in.keyOnlyRoot = keyOnly == "yes";
    p.site.vmDirectory = setting(s, "site.vm_directory");
    p.site.vxlanPort = settingInt(s, "site.vxlan_port");
    for (int i = 0; s.count("host." + std::to_string(i) + ".name") != 0; ++i) {
        const std::string k = "host." + std::to_string(i) + ".";
        PhysicalHost h;
        h.name = setting(s, k + "name");
        h.address = setting(s, k + "address");
        h.trunkInterface = setting(s, k + "trunk_interface");
        h.publicBridge = setting(s, k + "public_bridge");
        h.publicVnet = setting(s, k + "public_vnet");
        h.initiatorName = setting(s, k + "initiator_name");
        // Absent from clusters materialised before the public bridge was
        // generated: those keep relying on a bridge the site made.
        auto optional = [&](const std::string& name) {
            auto it = s.find(k + name);
            return it == s.end() ? std::string() : it->second;
        };
        h.publicInterface = optional("public_interface");
        h.publicAddress = optional("public_address");
        h.publicNetmask = optional("public_netmask");
        p.site.hosts.push_back(std::move(h));
    }
}

std::string nowUtc() { return utcNow(); }

// Runs one prepared statement many times with different parameters.
class Batch {
  public:
    Batch(db::Database& db, std::string_view sql) : db_(db), stmt_(db.prepare(sql)) {}
    std::int64_t run(const std::vector<db::Value>& params) {
        stmt_->reset();
        for (std::size_t i = 0; i < params.size(); ++i) {
            stmt_->bind(static_cast<int>(i + 1), params[i]);
        }
        while (stmt_->step()) {
        }
        return db_.lastInsertId();
    }

  private:
    db::Database& db_;
    std::unique_ptr<db::Statement> stmt_;
};

std::int64_t subnetId(db::Database& db, const std::string& name) {
    auto row = db.queryOne("SELECT ID FROM subnets WHERE name = ?", {name});
    if (!row) {
        throw Error("network '" + name + "' does not exist; add it with 'rocks add network'");
    }
    return row->integer(0);
}

// The gateway's public pool (host attribute vc_public_ips: "a-b[,c-d...]" or
// single addresses). No attribute means the site does not restrict it.
bool inPublicPool(const std::string& pool, const std::string& ip) {
    const std::uint32_t address = parseIPv4(ip);
    for (const auto& part : split(pool, ',')) {
        const std::string range = trim(part);
        if (range.empty()) {
            continue;
        }
        const auto dash = range.find('-');
        const std::uint32_t low = parseIPv4(range.substr(0, dash), "vc_public_ips");
        const std::uint32_t high =
            dash == std::string::npos ? low : parseIPv4(range.substr(dash + 1), "vc_public_ips");
        if (address >= low && address <= high) {
            return true;
        }
    }
    return false;
}

db::Value optionalInt(const std::optional<int>& v) {
    return v ? db::Value{std::int64_t{*v}} : db::Value{nullptr};
}

}  // namespace

Materialisation MaterialisationPool::materialise(const ClusterPlan& plan) {
    db::Transaction tx(db_);
    Materialisation m = resolve(plan, usedMacs());
    insert(m);
    tx.commit();
    return m;
}

std::vector<std::string> MaterialisationPool::usedMacs() const {
    std::vector<std::string> out;
    for (const auto& r :
         db_.query("SELECT MAC FROM networks WHERE MAC IS NOT NULL AND MAC <> ''")) {
        out.push_back(r.text(0));
    }
    return out;
}

void MaterialisationPool::insert(const Materialisation& m) {
    const ClusterPlan& p = m.plan;
    validate(p);
    if (db_.queryOne("SELECT 1 FROM vc_materialisations WHERE Cluster = ?", {p.name})) {
        throw Error("virtual cluster '" + p.name + "' is already materialised");
    }
    if (auto other = db_.queryOne(
            "SELECT Cluster FROM vc_materialisations WHERE Network = ? AND SegmentID = ?",
            {std::string(toString(p.network)), std::int64_t{p.segmentId}})) {
        throw Refusal(std::string(p.network == NetworkKind::Vlan ? "VLAN id " : "VNI ") +
                      std::to_string(p.segmentId) + " is already used by virtual cluster '" +
                      other->text(0) + "'");
    }
    if (db_.queryOne("SELECT 1 FROM vc_chap_secrets WHERE User = ?", {m.chap.user})) {
        throw Refusal("CHAP user '" + m.chap.user + "' is already in use");
    }
    HostPool hosts(db_);
    const std::int64_t frontendMembership = hosts.membershipId("Frontend");
    const std::int64_t computeMembership = hosts.membershipId("Compute");
    const std::int64_t privateSubnet = subnetId(db_, "private");
    const std::int64_t publicSubnet = subnetId(db_, "public");
    std::map<std::string, std::int64_t> physical;
    for (const auto& name : m.vmHosts()) {
        auto host = hosts.find(name);
        if (!host) {
            throw Error("physical host '" + name + "' is not in the database");
        }
        physical[name] = host->id;
    }
    if (!hosts.find(p.storage.node)) {
        throw Error("storage node '" + p.storage.node + "' is not in the database");
    }
    if (auto pool = AttributePool(db_).resolve(p.frontend.gateway, "vc_public_ips")) {
        if (!inPublicPool(*pool, p.frontend.publicIp)) {
            throw Refusal("public IP " + p.frontend.publicIp + " is not in the pool of gateway " +
                          p.frontend.gateway + " (vc_public_ips " + *pool + ")");
        }
    }
    if (auto used = db_.queryOne("SELECT n.Name FROM networks w JOIN nodes n ON n.ID = w.Node "
                                 "WHERE w.IP = ? AND w.Subnet = ?",
                                 {p.frontend.publicIp, publicSubnet})) {
        throw Refusal("public IP " + p.frontend.publicIp + " is already used by " + used->text(0));
    }

    db_.insert(
        "INSERT INTO vc_materialisations (Cluster, Owner, Hypervisor, Network, SegmentID, Iqn, "
        "Created, Reservation) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        {p.name, p.owner, std::string(toString(p.hypervisor)), std::string(toString(p.network)),
         std::int64_t{p.segmentId}, m.iqn, nowUtc(),
         m.reservation != 0 ? db::Value(m.reservation) : db::Value(nullptr)});
    Batch setting(
        db_, "INSERT INTO vc_materialisation_settings (Cluster, Name, Value) VALUES (?, ?, ?)");
    for (const auto& [name, value] : planSettings(p)) {
        setting.run({p.name, name, value});
    }
    db_.insert("INSERT INTO vc_chap_secrets (Cluster, User, Secret) VALUES (?, ?, ?)",
               {p.name, m.chap.user, m.chap.secret});

    // Only Rocks' columns on a Rocks frontend (its nodes has no Comment).
    const bool rocksNodes = db::rocksOwnsCoreTables(db_);
    Batch node(db_, rocksNodes ? "INSERT INTO nodes (Name, Membership, CPUs, Rack, Rank) "
                                 "VALUES (?, ?, ?, ?, ?)"
                               : "INSERT INTO nodes (Name, Membership, CPUs, Rack, Rank, Comment) "
                                 "VALUES (?, ?, ?, ?, ?, ?)");
    Batch catindex(db_,
                   "INSERT INTO catindex (Name, Category) SELECT ?, ID FROM categories "
                   "WHERE Name = 'host'");
    Batch network(db_,
                  "INSERT INTO networks (Node, MAC, IP, Name, Device, Subnet, VlanID) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?)");
    Batch vmNode(db_,
                 "INSERT INTO vm_nodes (PhysNode, Node, Mem, Slice, Virt_Type) "
                 "VALUES (?, ?, ?, 0, ?)");
    Batch vmDisk(db_,
                 "INSERT INTO vm_disks (Vm_Node, VBD_Type, Prefix, Name, Device, Mode, Size) "
                 "VALUES (?, 'phy', ?, ?, ?, 'w', ?)");
    Batch member(db_,
                 "INSERT INTO vc_materialised_nodes (Node, Cluster, Role, Rank, GuestName, "
                 "DiskBytes) VALUES (?, ?, ?, ?, ?, ?)");
    Batch guestAddress(db_, "INSERT INTO vc_guest_addresses (Node, Device, IP) VALUES (?, ?, ?)");
    const std::string comment = "vcluster " + p.name;
    for (const auto& n : m.nodes) {
        const bool isFrontend = n.role == NodeRole::Frontend;
        if (db_.queryOne("SELECT 1 FROM nodes WHERE Name = ?", {n.name})) {
            throw Refusal("host name '" + n.name + "' is already in the database");
        }
        std::vector<db::Value> row{n.name, isFrontend ? frontendMembership : computeMembership,
                                   std::int64_t{n.cpus}, std::int64_t{0}, std::int64_t{n.rank}};
        if (!rocksNodes) {
            row.emplace_back(comment);
        }
        const std::int64_t id = node.run(row);
        catindex.run({n.name});
        for (const auto& nic : n.nics) {
            if (db_.queryOne("SELECT 1 FROM networks WHERE MAC = ?", {nic.mac})) {
                throw Refusal("MAC address " + nic.mac + " is already in the database");
            }
            // As the KVM roll records a VM: the public NIC with its public
            // IP; a private NIC with its MAC and the cluster's VLAN only. Its
            // address is inside the cluster's VLAN, not on the physical
            // private subnet (whose DHCP and DNS must not hear of it): the
            // roll keeps it for the kit and the VM definitions.
            const bool isPublic = nic.subnet == "public";
            network.run({id, nic.mac, isPublic ? db::Value{nic.ip} : db::Value{nullptr}, n.name,
                         nic.device, isPublic ? db::Value{publicSubnet} : db::Value{nullptr},
                         optionalInt(nic.vlan)});
            if (!isPublic && !nic.ip.empty()) {
                guestAddress.run({id, nic.device, nic.ip});
            }
        }
        std::int64_t vm = vmNode.run({physical.at(n.physicalHost), id, std::int64_t{n.memoryMiB},
                                      std::string(toString(p.hypervisor))});
        std::uint64_t diskBytes = 0;
        for (const auto& d : n.disks) {
            const std::size_t slash = d.byPath.rfind('/');
            // Rocks' vm_disks.Size is in GB; the exact size is kept beside it.
            const auto gib = static_cast<std::int64_t>((d.bytes + (1ULL << 30) - 1) >> 30);
            vmDisk.run(
                {vm, d.byPath.substr(0, slash), d.byPath.substr(slash + 1), d.guestDevice, gib});
            diskBytes += d.bytes;
        }
        member.run({id, p.name, std::string(isFrontend ? "frontend" : "compute"),
                    std::int64_t{n.rank}, n.guestName, static_cast<std::int64_t>(diskBytes)});
    }
    insertHostNetworks(m, physical, privateSubnet, publicSubnet);
}

// The hosts' side, as `networks` rows Rocks' own commands see and its
// `rocks sync host network` respects. Options 'noreport' makes Rocks'
// `rocks report host interface` skip a row (as it skips the vlan devices of
// the KVM roll's containers): the roll's own ifcfg files for these devices
// (VLAN_ID, PHYSDEV, BRIDGE, which Rocks' would lack) stay in charge. Each
// row the cluster needs is referenced in vc_host_networks; remove() undoes
// what no cluster needs any more.
void MaterialisationPool::insertHostNetworks(const Materialisation& m,
                                             const std::map<std::string, std::int64_t>& physical,
                                             std::int64_t privateSubnet,
                                             std::int64_t publicSubnet) {
    const ClusterPlan& p = m.plan;
    Batch ref(db_, "INSERT INTO vc_host_networks (Cluster, Network, Kind) VALUES (?, ?, ?)");
    // The row (ID, Options) of a host's device, and what the roll did to it
    // for other clusters ("" when nothing: then it is the site's own row).
    struct Existing {
        std::int64_t id;
        std::string options;
        std::string kind;
    };
    auto existing = [&](std::int64_t node, const std::string& device) -> std::optional<Existing> {
        auto row = db_.queryOne(
            "SELECT w.ID, COALESCE(w.Options, ''), COALESCE(MAX(h.Kind), '') FROM networks w "
            "LEFT JOIN vc_host_networks h ON h.Network = w.ID WHERE w.Node = ? AND w.Device = ? "
            "GROUP BY w.ID, w.Options ORDER BY w.ID",
            {node, device});
        if (!row) {
            return std::nullopt;
        }
        return Existing{row->integer(0), row->text(1), row->text(2)};
    };
    // A row the cluster needs: added when absent, shared when the roll added
    // it for another cluster, left alone when it is the site's.
    auto need = [&](std::int64_t node, const std::string& device, const db::Value& subnet,
                    const db::Value& vlan) {
        auto row = existing(node, device);
        if (!row) {
            const std::int64_t id = db_.insert(
                "INSERT INTO networks (Node, Device, Subnet, VlanID, Options) "
                "VALUES (?, ?, ?, ?, 'noreport')",
                {node, device, subnet, vlan});
            ref.run({p.name, id, std::string("row")});
        } else if (!row->kind.empty()) {
            ref.run({p.name, row->id, row->kind});
        }
    };
    // The cluster's VLAN interface on each gateway and vm-server (Device
    // vlan<N>, VlanID N, on the private subnet without an address), as the
    // KVM roll's `rocks add host interface <host> vlan<N> subnet=private
    // vlan=<N>`. A VXLAN endpoint has no Rocks interface type and no row.
    if (p.network == NetworkKind::Vlan) {
        for (const auto& host : m.vmHosts()) {
            need(physical.at(host), m.segmentDevice, privateSubnet, std::int64_t{p.segmentId});
        }
    }
    // A KVM gateway's public bridge, which the roll makes from its public
    // NIC: a row for the bridge, and the NIC's row (which keeps the
    // gateway's address for Rocks' DNS) marked noreport, so that Rocks does
    // not give the address back to the NIC while a cluster needs the bridge.
    if (p.hypervisor != Hypervisor::Kvm) {
        return;
    }
    const PhysicalHost& gateway = p.host(p.frontend.gateway);
    if (gateway.publicInterface.empty() || gateway.publicBridge.empty()) {
        return;  // a bridge the site made
    }
    const std::int64_t node = physical.at(gateway.name);
    need(node, gateway.publicBridge, publicSubnet, nullptr);
    if (auto nic = existing(node, gateway.publicInterface)) {
        if (!nic->kind.empty()) {
            ref.run({p.name, nic->id, nic->kind});
        } else if (nic->options.rfind("noreport", 0) != 0) {
            db_.execute("UPDATE networks SET Options = ? WHERE ID = ?",
                        {trim("noreport " + nic->options), nic->id});
            ref.run({p.name, nic->id, std::string("noreport")});
        }
    }
}

// Drops the cluster's references to hosts' rows; a row no cluster refers to
// any more is deleted (the roll added it) or loses its 'noreport' again.
void MaterialisationPool::releaseHostNetworks(const std::string& cluster) {
    std::vector<std::pair<std::int64_t, std::string>> refs;
    for (const auto& r :
         db_.query("SELECT Network, Kind FROM vc_host_networks WHERE Cluster = ? ORDER BY Network",
                   {cluster})) {
        refs.emplace_back(r.integer(0), r.text(1));
    }
    db_.execute("DELETE FROM vc_host_networks WHERE Cluster = ?", {cluster});
    for (const auto& [id, kind] : refs) {
        if (db_.queryOne("SELECT 1 FROM vc_host_networks WHERE Network = ?", {id})) {
            continue;  // another cluster still needs it
        }
        if (kind == "row") {
            db_.execute("DELETE FROM networks WHERE ID = ?", {id});
            continue;
        }
        auto row = db_.queryOne("SELECT COALESCE(Options, '') FROM networks WHERE ID = ?", {id});
        if (row && row->text(0).rfind("noreport", 0) == 0) {
            const std::string rest = trim(row->text(0).substr(8));
            db_.execute("UPDATE networks SET Options = ? WHERE ID = ?",
                        {rest.empty() ? db::Value{nullptr} : db::Value{rest}, id});
        }
    }
}

void MaterialisationPool::setPowerToken(const std::string& cluster, const std::string& portalUrl,
                                        const std::string& token, const std::string& caPem) {
    if (!db_.queryOne("SELECT 1 FROM vc_materialisations WHERE Cluster = ?", {cluster})) {
        return;
    }
    for (const auto& [name, value] :
         {std::pair<std::string, std::string>{"power.portal_url", portalUrl},
          {"power.token", token},
          {"power.cacert", caPem}}) {
        if (db_.execute("UPDATE vc_materialisation_settings SET Value = ? WHERE Cluster = ? AND "
                        "Name = ?",
                        {value, cluster, name}) == 0) {
            db_.execute(
                "INSERT INTO vc_materialisation_settings (Cluster, Name, Value) VALUES (?, ?, ?)",
                {cluster, name, value});
        }
    }
}

void MaterialisationPool::replace(const Materialisation& m) {
    if (!remove(m.plan.name)) {
        throw Error("virtual cluster '" + m.plan.name + "' is not materialised");
    }
    insert(m);
}

bool MaterialisationPool::remove(const std::string& cluster) {
    if (!db_.queryOne("SELECT 1 FROM vc_materialisations WHERE Cluster = ?", {cluster})) {
        return false;
    }
    const char* ids = "(SELECT Node FROM vc_materialised_nodes WHERE Cluster = ?)";
    releaseHostNetworks(cluster);
    db_.execute(std::string("DELETE FROM vc_guest_addresses WHERE Node IN ") + ids, {cluster});
    db_.execute(std::string("DELETE FROM vm_disks WHERE Vm_Node IN (SELECT ID FROM vm_nodes "
                            "WHERE Node IN ") +
                    ids + ")",
                {cluster});
    db_.execute(std::string("DELETE FROM vm_nodes WHERE Node IN ") + ids, {cluster});
    db_.execute(std::string("DELETE FROM networks WHERE Node IN ") + ids, {cluster});
    db_.execute(
        std::string("DELETE FROM attributes WHERE Catindex IN (SELECT i.ID FROM catindex i "
                    "JOIN categories c ON c.ID = i.Category JOIN nodes n ON n.Name = i.Name "
                    "WHERE c.Name = 'host' AND n.ID IN ") +
            ids + ")",
        {cluster});
    db_.execute(std::string("DELETE FROM catindex WHERE Category = (SELECT ID FROM categories "
                            "WHERE Name = 'host') AND Name IN (SELECT Name FROM nodes WHERE ID "
                            "IN ") +
                    ids + ")",
                {cluster});
    std::vector<std::int64_t> doomed;
    for (const auto& r :
         db_.query("SELECT Node FROM vc_materialised_nodes WHERE Cluster = ?", {cluster})) {
        doomed.push_back(r.integer(0));
    }
    db_.execute("DELETE FROM vc_materialised_nodes WHERE Cluster = ?", {cluster});
    Batch deleteNode(db_, "DELETE FROM nodes WHERE ID = ?");
    for (std::int64_t id : doomed) {
        deleteNode.run({id});
    }
    db_.execute("DELETE FROM vc_chap_secrets WHERE Cluster = ?", {cluster});
    db_.execute("DELETE FROM vc_materialisation_settings WHERE Cluster = ?", {cluster});
    db_.execute("DELETE FROM vc_materialisations WHERE Cluster = ?", {cluster});
    return true;
}

std::vector<std::string> MaterialisationPool::list() const {
    std::vector<std::string> out;
    for (const auto& r : db_.query("SELECT Cluster FROM vc_materialisations ORDER BY Cluster")) {
        out.push_back(r.text(0));
    }
    return out;
}

std::vector<std::string> MaterialisationPool::clustersOnHost(const std::string& host) const {
    std::vector<std::string> out;
    for (const auto& r :
         db_.query("SELECT DISTINCT m.Cluster FROM vc_materialised_nodes m "
                   "JOIN vm_nodes v ON v.Node = m.Node JOIN nodes p ON p.ID = v.PhysNode "
                   "WHERE p.Name = ? "
                   "UNION SELECT Cluster FROM vc_materialisation_settings "
                   "WHERE Name = 'storage.node' AND Value = ? ORDER BY 1",
                   {host, host})) {
        out.push_back(r.text(0));
    }
    return out;
}

std::vector<VirtualNodeRow> MaterialisationPool::nodes(
    const std::optional<std::string>& cluster) const {
    std::vector<VirtualNodeRow> out;
    std::string sql =
        "SELECT m.Cluster, n.Name, m.Role, p.Name, COALESCE(w.Device, ''), COALESCE(w.MAC, ''), "
        "COALESCE(g.IP, w.IP, ''), COALESCE(s.name, 'private'), w.VlanID "
        "FROM vc_materialised_nodes m JOIN nodes n ON n.ID = m.Node "
        "JOIN vm_nodes v ON v.Node = n.ID JOIN nodes p ON p.ID = v.PhysNode "
        "LEFT JOIN networks w ON w.Node = n.ID LEFT JOIN subnets s ON s.ID = w.Subnet "
        "LEFT JOIN vc_guest_addresses g ON g.Node = w.Node AND g.Device = w.Device ";
    std::vector<db::Value> params;
    if (cluster) {
        sql += "WHERE m.Cluster = ? ";
        params.push_back(*cluster);
    }
    sql += "ORDER BY m.Cluster, m.Role DESC, m.Rank, w.Device";
    for (const auto& r : db_.query(sql, params)) {
        VirtualNodeRow row{r.text(0), r.text(1), r.text(2), r.text(3),   r.text(4),
                           r.text(5), r.text(6), r.text(7), std::nullopt};
        if (auto v = r.optInteger(8)) {
            row.vlan = static_cast<int>(*v);
        }
        out.push_back(std::move(row));
    }
    return out;
}

std::optional<Materialisation> MaterialisationPool::find(const std::string& cluster) const {
    auto head = db_.queryOne(
        "SELECT Owner, Hypervisor, Network, SegmentID, COALESCE(Reservation, 0) "
        "FROM vc_materialisations WHERE Cluster = ?",
        {cluster});
    if (!head) {
        return std::nullopt;
    }
    Materialisation m;
    m.reservation = head->integer(4);
    ClusterPlan& p = m.plan;
    p.name = cluster;
    p.owner = head->text(0);
    p.hypervisor = parseHypervisor(head->text(1));
    p.network = parseNetworkKind(head->text(2));
    p.segmentId = static_cast<int>(head->integer(3));
    Settings settings;
    for (const auto& r : db_.query(
             "SELECT Name, Value FROM vc_materialisation_settings WHERE Cluster = ?", {cluster})) {
        settings[r.text(0)] = r.text(1);
    }
    applySettings(settings, p);
    auto chap =
        db_.queryOne("SELECT User, Secret FROM vc_chap_secrets WHERE Cluster = ?", {cluster});
    if (chap) {
        m.chap = {chap->text(0), chap->text(1)};
    }
    std::map<std::int64_t, std::size_t> byId;
    for (const auto& r :
         db_.query("SELECT n.ID, n.Name, n.CPUs, m.Role, m.Rank, m.GuestName, m.DiskBytes, v.Mem, "
                   "p.Name FROM vc_materialised_nodes m JOIN nodes n ON n.ID = m.Node "
                   "JOIN vm_nodes v ON v.Node = n.ID JOIN nodes p ON p.ID = v.PhysNode "
                   "WHERE m.Cluster = ? ORDER BY m.Role DESC, m.Rank",
                   {cluster})) {
        VirtualNode n;
        n.name = r.text(1);
        n.cpus = static_cast<int>(r.integer(2));
        n.role = r.text(3) == "frontend" ? NodeRole::Frontend : NodeRole::Compute;
        n.rank = static_cast<int>(r.integer(4));
        n.guestName = r.text(5);
        n.disks.push_back({});
        n.disks.back().bytes = static_cast<std::uint64_t>(r.integer(6));
        n.memoryMiB = static_cast<int>(r.integer(7));
        n.physicalHost = r.text(8);
        if (n.role == NodeRole::Frontend) {
            p.frontend.memoryMiB = n.memoryMiB;
            p.frontend.cpus = n.cpus;
            p.frontend.diskBytes = n.disks.back().bytes;
        } else {
            p.computes.push_back({n.physicalHost, n.memoryMiB, n.cpus, n.disks.back().bytes});
        }
        byId[r.integer(0)] = m.nodes.size();
        m.nodes.push_back(std::move(n));
    }
    if (m.nodes.empty() || m.nodes.front().role != NodeRole::Frontend) {
        throw Error("materialised virtual cluster '" + cluster + "' has no frontend row");
    }
    const std::string privateNetmask = formatIPv4(prefixToMask(p.site.privatePrefix));
    for (const auto& r : db_.query(
             "SELECT w.Node, COALESCE(w.Device, ''), COALESCE(w.MAC, ''), "
             "COALESCE(g.IP, w.IP, ''), COALESCE(s.name, 'private'), w.VlanID FROM networks w "
             "JOIN vc_materialised_nodes m ON m.Node = w.Node "
             "LEFT JOIN subnets s ON s.ID = w.Subnet "
             "LEFT JOIN vc_guest_addresses g ON g.Node = w.Node AND g.Device = w.Device "
             "WHERE m.Cluster = ? "
             "ORDER BY w.Node, w.Device",
             {cluster})) {
        VirtualNic nic;
        nic.device = r.text(1);
        nic.mac = r.text(2);
        nic.ip = r.text(3);
        nic.subnet = r.text(4);
        nic.netmask = nic.subnet == "public" ? p.frontend.publicNetmask : privateNetmask;
        m.nodes.at(byId.at(r.integer(0))).nics.push_back(std::move(nic));
    }
    deriveNames(m);
    return m;
}

Materialisation MaterialisationPool::get(const std::string& cluster) const {
    auto m = find(cluster);
    if (!m) {
        throw Error("virtual cluster '" + cluster + "' is not materialised");
    }
    return *m;
}

Materialisation loadPlan(db::Database& db, const std::string& cluster) {
    return MaterialisationPool(db).get(cluster);
}

}  // namespace vcluster::materialise
