#include "cluster/Rolls.h"

#include "util/Error.h"
#include "util/Strings.h"
#include "util/Validate.h"

namespace vcluster {

std::vector<RollRecord> RollPool::list() const {
    std::vector<RollRecord> out;
    for (const auto& row :
         db_.query("SELECT Name, Version, Arch, Enabled FROM rolls ORDER BY Name, Version, ID")) {
        out.push_back({row.text(0), row.text(1), row.text(2), row.text(3) == "yes"});
    }
    return out;
}

std::optional<RollRecord> RollPool::findEnabled(const std::string& name) const {
    auto row = db_.queryOne(
        "SELECT Name, Version, Arch FROM rolls WHERE Name = ? AND Enabled = 'yes' ORDER BY ID "
        "DESC",
        {name});
    if (!row) {
        return std::nullopt;
    }
    return RollRecord{row->text(0), row->text(1), row->text(2), true};
}

void RollPool::add(const RollRecord& roll) {
    validateIdentifier(roll.name, "roll name");
    validateIdentifier(roll.version, "roll version");
    validateIdentifier(roll.arch, "roll arch");
    if (db_.queryOne("SELECT 1 FROM rolls WHERE Name = ? AND Version = ? AND Arch = ?",
                     {roll.name, roll.version, roll.arch})) {
        throw Error("roll '" + roll.name + "' version " + roll.version + " (" + roll.arch +
                    ") is already registered");
    }
    db_.execute("INSERT INTO rolls (Name, Version, Arch, OS, Enabled) VALUES (?, ?, ?, ?, ?)",
                {roll.name, roll.version, roll.arch, std::string("linux"),
                 std::string(roll.enabled ? "yes" : "no")});
}

void requireInstalledRolls(db::Database& db, const std::vector<std::string>& rolls) {
    RollPool pool(db);
    for (const auto& name : rolls) {
        if (pool.findEnabled(name)) {
            continue;
        }
        std::vector<std::string> offered;
        for (const auto& r : pool.list()) {
            if (r.enabled && (offered.empty() || offered.back() != r.name)) {
                offered.push_back(r.name);
            }
        }
        throw Error("roll '" + name + "' is not installed on the roll server (offered: " +
                    (offered.empty() ? std::string("none") : join(offered, ", ")) + ")");
    }
}

}  // namespace vcluster
