#include "db/Schema.h"
#include "util/Clock.h"

#include <ctime>
#include <regex>

#include "db/Catalogue.h"
#include "db/migrations/Migrations.h"
#include "util/Error.h"

namespace vcluster::db {

const std::vector<Migration>& migrations() {
    static const std::vector<Migration> all = {
        migrationRocksCore(),       migrationReservations(),    migrationMaterialisation(),
        migrationJournal(),         migrationSnapshots(),       migrationPortalAccounts(),
        migrationSnapshotRemoval(), migrationBooksAndHosts(),   migrationCourseCalendar(),
        migrationRocksNativeRows(), migrationResolveChain(),    migrationRootPasswords(),
        migrationIntervalIndex(),   migrationBuiltChanges(),    migrationNodeActions(),
        migrationListingIndex(),    migrationAllocationCover(), migrationCalendarBucket(),
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

std::string forDialect(const std::string& sql, const std::string& dialect) {
    if (dialect != "mysql") {
        return sql;
    }
    static const std::regex autoincrement(R"(\bAUTOINCREMENT\b)", std::regex::icase);
    static const std::regex partialIndex(
        R"(CREATE\s+UNIQUE\s+INDEX\s+(\w+)\s+ON\s+(\w+)\s*\(([^)]*)\)\s+WHERE[^;]*)",
        std::regex::icase);
    static const std::regex references(
        R"(\s+REFERENCES\s+(\w+)\s*\([^)]*\)(\s+ON\s+DELETE\s+(CASCADE|SET\s+NULL|RESTRICT))?)",
        std::regex::icase);
    static const std::regex integer(R"(\bINTEGER\b)", std::regex::icase);
    std::string text = std::regex_replace(sql, autoincrement, "AUTO_INCREMENT");
    text = std::regex_replace(text, integer, "BIGINT");
    text = std::regex_replace(text, partialIndex, "CREATE INDEX $1 ON $2 ($3)");
    std::string out;
    auto last = text.cbegin();
    for (std::sregex_iterator it(text.begin(), text.end(), references), end; it != end; ++it) {
        const std::smatch& m = *it;
        std::string table = m[1].str();
        bool rolls = table.rfind("vc_", 0) == 0 || table.rfind("vcluster_", 0) == 0;
        out.append(last, m[0].first);
        if (rolls) {
            out.append(m[0].first, m[0].second);
        }
        last = m[0].second;
    }
    out.append(last, text.cend());
    return out;
}

int schemaVersion(Database& db) {
    return hasTable(db, "vcluster_schema") ? recordedVersion(db) : 0;
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
            if (!rocksOwnsCoreTables(db) && !m.embeddedSql.empty()) {
                db.executeScript(m.embeddedSql);
            }
            db.executeScript(forDialect(m.sql, db.dialect()));
            db.execute(
                "INSERT INTO vcluster_schema (Version, Description, Applied) VALUES (?, ?, ?)",
                {std::int64_t{m.version}, m.description, nowUtc()});
        }
    }
    tx.commit();
}

}  // namespace vcluster::db
