#include "db/RocksLayout.h"

#include <algorithm>
#include <cctype>

#include "db/Catalogue.h"
#include "util/Error.h"

namespace vcluster::db {

namespace {

struct TableNeed {
    const char* table;
    std::vector<const char*> columns;
};

// The Rocks tables and columns the roll's pools read or write.
const std::vector<TableNeed>& rocksNeeds() {
    static const std::vector<TableNeed> needs = {
        {"nodes",
         {"ID", "Name", "Membership", "CPUs", "Rack", "Rank", "Arch", "OS", "RunAction",
          "InstallAction"}},
        {"memberships", {"ID", "Name", "Appliance", "Distribution", "Public"}},
        {"appliances", {"ID", "Name", "Graph", "Node", "OS"}},
        {"subnets", {"ID", "name", "subnet", "netmask", "mtu", "dnszone", "servedns"}},
        {"networks",
         {"ID", "Node", "MAC", "IP", "Name", "Device", "Subnet", "Module", "VlanID", "Options",
          "Channel"}},
        {"categories", {"ID", "Name"}},
        {"catindex", {"ID", "Name", "Category"}},
        {"resolvechain", {"Name", "Category", "Precedence"}},
        {"attributes", {"ID", "Attr", "Value", "Category", "Catindex"}},
        {"rolls", {"ID", "Name", "Version", "Arch", "Enabled"}},
    };
    return needs;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

struct RollAppliance {
    const char* appliance;
    const char* node;
    const char* membership;
};

constexpr RollAppliance kRollAppliances[] = {
    {"gateway", "vcluster-gateway", "Gateway"},
    {"vm-server", "vcluster-vm-server", "VM Server"},
    {"storage", "vcluster-storage", "Storage"},
};

}  // namespace

void checkRocksLayout(Database& db) {
    std::vector<std::string> names;
    for (const auto& need : rocksNeeds()) {
        names.emplace_back(need.table);
    }
    auto present = columnsOf(db, names);
    std::vector<std::string> missing;
    for (const auto& need : rocksNeeds()) {
        auto it = present.find(need.table);
        if (it == present.end()) {
            missing.emplace_back(need.table);
            continue;
        }
        std::vector<std::string> have;
        for (const auto& c : it->second) {
            have.push_back(lower(c));  // MySQL column names are case-insensitive
        }
        for (const char* column : need.columns) {
            if (std::find(have.begin(), have.end(), lower(column)) == have.end()) {
                missing.push_back(std::string(need.table) + "." + column);
            }
        }
    }
    if (missing.empty()) {
        return;
    }
    std::string list;
    for (const auto& m : missing) {
        list += (list.empty() ? "" : ", ") + m;
    }
    std::string hint;
    if (hasTable(db, "global_attributes")) {
        hint =
            " (this is Rocks 6.1's flat attribute layout, global_attributes/node_attributes;"
            " the vcluster roll needs Rocks 6.2 or 7)";
    } else if (!hasTable(db, "nodes")) {
        hint = " (not a Rocks frontend's database?)";
    }
    throw Refusal("database is not a Rocks 6.2/7 database the vcluster roll can use: missing " +
                  list + hint);
}

void registerRollAppliances(Database& db) {
    auto present = db.queryOne(
        "SELECT COUNT(*) FROM memberships m JOIN appliances a ON a.ID = m.Appliance "
        "WHERE m.Name IN ('Gateway', 'VM Server', 'Storage')");
    if (present && present->integer(0) == static_cast<std::int64_t>(std::size(kRollAppliances))) {
        return;
    }
    Transaction tx(db, Transaction::Mode::Immediate);
    for (const auto& r : kRollAppliances) {
        auto appliance = db.queryOne("SELECT ID FROM appliances WHERE Name = ?", {r.appliance});
        std::int64_t applianceId = appliance ? appliance->integer(0)
                                             : db.insert(
                                                   "INSERT INTO appliances (Name, Graph, Node, OS) "
                                                   "VALUES (?, 'default', ?, 'linux')",
                                                   {std::string(r.appliance), std::string(r.node)});
        if (!db.queryOne("SELECT 1 FROM catindex i JOIN categories c ON c.ID = i.Category "
                         "WHERE c.Name = 'appliance' AND i.Name = ?",
                         {r.appliance})) {
            db.execute(
                "INSERT INTO catindex (Name, Category) "
                "SELECT ?, ID FROM categories WHERE Name = 'appliance'",
                {r.appliance});
        }
        if (!db.queryOne("SELECT 1 FROM memberships WHERE Name = ?", {r.membership})) {
            db.execute(
                "INSERT INTO memberships (Name, Appliance, Distribution, Public) "
                "VALUES (?, ?, 1, 'yes')",
                {std::string(r.membership), applianceId});
        }
    }
    tx.commit();
}

}  // namespace vcluster::db
