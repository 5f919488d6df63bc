#include "cluster/Hosts.h"

#include "db/Catalogue.h"
#include "util/Error.h"
#include "util/Strings.h"
#include "util/Validate.h"

namespace vcluster {

namespace {

// nodes.Comment is the embedded database's own: Rocks' nodes table has no
// such column, so on a Rocks frontend a host's comment reads empty.
std::string selectHost(const db::Database& db) {
    return std::string(
               "SELECT n.ID, n.Name, m.Name, COALESCE(a.Name, ''), n.CPUs, n.Rack, "
               "n.Rank, COALESCE(n.Arch, ''), n.OS, COALESCE(n.RunAction, ''), "
               "COALESCE(n.InstallAction, ''), ") +
           (db::rocksOwnsCoreTables(db) ? "''" : "COALESCE(n.Comment, '')") +
           " FROM nodes n JOIN memberships m ON m.ID = n.Membership "
           "LEFT JOIN appliances a ON a.ID = m.Appliance ";
}

template <typename RowLike>
Host toHost(const RowLike& r) {
    Host h;
    h.id = r.integer(0);
    h.name = r.text(1);
    h.membership = r.text(2);
    h.appliance = r.text(3);
    h.cpus = static_cast<int>(r.integer(4));
    if (!r.isNull(5)) {
        h.rack = static_cast<int>(r.integer(5));
    }
    if (!r.isNull(6)) {
        h.rank = static_cast<int>(r.integer(6));
    }
    h.arch = r.text(7);
    h.os = r.text(8);
    h.runAction = r.text(9);
    h.installAction = r.text(10);
    h.comment = r.text(11);
    return h;
}

std::vector<Host> queryHosts(db::Database& db, const std::string& sql,
                             const std::vector<db::Value>& params) {
    std::vector<Host> hosts;
    db.each(sql, params, [&](const db::Statement& r) { hosts.push_back(toHost(r)); });
    return hosts;
}

}  // namespace

std::vector<Host> HostPool::list() const {
    return queryHosts(db_, selectHost(db_) + "ORDER BY n.Rack, n.Rank, n.Name", {});
}

std::size_t HostPool::forEach(const std::function<void(const Host&)>& visit) const {
    std::size_t n = 0;
    db_.each(selectHost(db_) + "ORDER BY n.Rack, n.Rank, n.Name", {}, [&](const db::Statement& r) {
        visit(toHost(r));
        ++n;
    });
    return n;
}

std::size_t HostPool::count() const {
    return static_cast<std::size_t>(db_.queryOne("SELECT COUNT(*) FROM nodes")->integer(0));
}

std::vector<Host> HostPool::listByAppliance(const std::string& appliance) const {
    return queryHosts(db_, selectHost(db_) + "WHERE a.Name = ? ORDER BY n.Rack, n.Rank, n.Name",
                      {appliance});
}

std::optional<Host> HostPool::find(const std::string& name) const {
    auto row = db_.queryOne(selectHost(db_) + "WHERE n.Name = ?", {name});
    if (!row) {
        return std::nullopt;
    }
    return toHost(*row);
}

Host HostPool::get(const std::string& name) const {
    auto host = find(name);
    if (!host) {
        throw Error("unknown host '" + name + "'");
    }
    return *host;
}

std::int64_t HostPool::membershipId(const std::string& membershipOrAppliance) const {
    auto row = db_.queryOne(
        "SELECT m.ID FROM memberships m LEFT JOIN appliances a ON a.ID = m.Appliance "
        "WHERE lower(m.Name) = lower(?) OR a.Name = ? ORDER BY m.ID LIMIT 1",
        {membershipOrAppliance, membershipOrAppliance});
    if (!row) {
        std::vector<std::string> known;
        for (const auto& r : db_.query("SELECT a.Name FROM appliances a ORDER BY a.Name")) {
            known.push_back(r.text(0));
        }
        throw Error("unknown membership or appliance '" + membershipOrAppliance +
                    "' (known: " + join(known, ", ") + ")");
    }
    return row->integer(0);
}

std::int64_t HostPool::add(const Host& host) {
    validateHostName(host.name);
    validateIdentifier(host.os, "os");
    validateIdentifier(host.arch, "arch");
    validateText(host.comment, "comment");
    if (host.cpus < 1) {
        throw Error("cpus must be at least 1");
    }
    std::int64_t membership =
        membershipId(host.membership.empty() ? host.appliance : host.membership);
    if (find(host.name)) {
        throw Error("host '" + host.name + "' already exists");
    }
    auto optional = [](const std::optional<int>& v) -> db::Value {
        return v ? db::Value{std::int64_t{*v}} : db::Value{nullptr};
    };
    std::vector<db::Value> values{
        host.name, membership, std::int64_t{host.cpus}, optional(host.rack), optional(host.rank),
        host.arch, host.os,    host.runAction,          host.installAction};
    std::string sql =
        "INSERT INTO nodes (Name, Membership, CPUs, Rack, Rank, Arch, OS, RunAction, "
        "InstallAction";
    if (db::rocksOwnsCoreTables(db_)) {  // only Rocks' columns in Rocks' table
        sql += ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    } else {
        sql += ", Comment) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        values.emplace_back(host.comment);
    }
    std::int64_t id = db_.insert(sql, values);
    db_.execute(
        "INSERT INTO catindex (Name, Category) SELECT ?, ID FROM categories WHERE Name = 'host'",
        {host.name});
    return id;
}

void HostPool::remove(const std::string& name) {
    Host host = get(name);
    if (db_.queryOne("SELECT 1 FROM vm_nodes WHERE PhysNode = ? LIMIT 1", {host.id})) {
        throw Error("host '" + name + "' still runs virtual machines; remove them first");
    }
    db_.execute("DELETE FROM vm_disks WHERE Vm_Node IN (SELECT ID FROM vm_nodes WHERE Node = ?)",
                {host.id});
    db_.execute("DELETE FROM vm_nodes WHERE Node = ?", {host.id});
    db_.execute("DELETE FROM networks WHERE Node = ?", {host.id});
    db_.execute(
        "DELETE FROM attributes WHERE Catindex IN (SELECT i.ID FROM catindex i JOIN categories c "
        "ON c.ID = i.Category WHERE c.Name = 'host' AND i.Name = ?)",
        {name});
    db_.execute(
        "DELETE FROM catindex WHERE Name = ? AND Category = (SELECT ID FROM categories WHERE Name "
        "= 'host')",
        {name});
    db_.execute("DELETE FROM nodes WHERE ID = ?", {host.id});
}

}  // namespace vcluster
