#include "db/Schema.h"
#include "util/Clock.h"

#include <ctime>

#include "db/migrations/Migrations.h"
#include "util/Error.h"

namespace vcluster::db {

const std::vector<Migration>& migrations() {
    static const std::vector<Migration> all = {
        migrationRocksCore(),       migrationReservations(),  migrationMaterialisation(),
        migrationJournal(),         migrationSnapshots(),     migrationPortalAccounts(),
        migrationSnapshotRemoval(), migrationIntervalIndex(),
    };
    return all;
}

int latestSchemaVersion() { return migrations().back().version; }

namespace {

void ensureVersionTable(Database& db) {
    db.executeScript(
        "CREATE TABLE IF NOT EXISTS vcluster_schema ("
        " Version INTEGER PRIMARY KEY, Description TEXT NOT NULL, Applied TEXT NOT NULL)");
}

std::string nowUtc() { return utcNow(); }

int recordedVersion(Database& db) {
    auto row = db.queryOne("SELECT COALESCE(MAX(Version), 0) FROM vcluster_schema");
    return row ? static_cast<int>(row->integer(0)) : 0;
}

}  // namespace

int schemaVersion(Database& db) {
    auto exists =
        db.queryOne("SELECT 1 FROM sqlite_master WHERE type='table' AND name='vcluster_schema'");
    return exists ? recordedVersion(db) : 0;
}

void migrate(Database& db, int target) {
    const int latest = latestSchemaVersion();
    if (target < 0) {
        target = latest;
    }
    int current = schemaVersion(db);
    if (current > latest) {
        throw Error("database schema version " + std::to_string(current) +
                    " is newer than this vcluster roll understands (" + std::to_string(latest) +
                    "); install the newer roll or use a matching database");
    }
    if (current >= target) {
        return;
    }
    Transaction tx(db, Transaction::Mode::Immediate);
    ensureVersionTable(db);
    current = recordedVersion(db);  // another process may have migrated meanwhile
    for (const auto& m : migrations()) {
        if (m.version > current && m.version <= target) {
            db.executeScript(m.sql);
            db.execute(
                "INSERT INTO vcluster_schema (Version, Description, Applied) VALUES (?, ?, ?)",
                {std::int64_t{m.version}, m.description, nowUtc()});
        }
    }
    tx.commit();
}

}  // namespace vcluster::db
