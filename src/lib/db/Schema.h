#pragma once

#include <string>
#include <vector>

#include "db/Database.h"

namespace vcluster::db {

// One step of the schema's history. Versions are consecutive from 1; a
// migration is never edited once released, only followed by a new one.
//
// Writing one (a file src/lib/db/migrations/V00NN<Name>.cpp, declared in
// Migrations.h and listed in Schema.cpp) for both databases the roll runs on,
// the embedded SQLite file and a Rocks frontend's MariaDB:
// - `sql` holds the roll's own tables (vc_* / vcluster_*) and its rows, once,
//   in the subset both dialects share: INTEGER/VARCHAR(n)/TEXT columns,
//   "INTEGER PRIMARY KEY AUTOINCREMENT", inline REFERENCES, CHECK, UNIQUE,
//   CREATE [UNIQUE] INDEX, one ALTER TABLE ... ADD COLUMN per statement,
//   INSERT ... SELECT. forDialect() makes the MySQL text of it: INTEGER
//   becomes BIGINT (SQLite's integers are 64-bit, MySQL's INT is not: disk
//   sizes in bytes), AUTOINCREMENT becomes AUTO_INCREMENT; a REFERENCES to one of Rocks' tables
//   (any table not named vc_* or vcluster_*) is dropped, so the roll never blocks Rocks' `rocks
//   remove host` and works with Rocks' MyISAM tables (the pools delete explicitly); a partial index
//   (CREATE UNIQUE INDEX ... WHERE) becomes a plain index, its rule kept by the pool's immediate
//   transaction. Avoid: INSERT OR IGNORE/REPLACE, ON CONFLICT, AUTOINCREMENT-less rowid tricks, an
//   index on a TEXT column (use VARCHAR(n)), strftime().
// - `embeddedSql` is only for the embedded database, where the roll is the
//   whole Rocks database: Rocks' own tables and a fresh frontend's rows. It
//   never runs on a Rocks frontend, where Rocks owns them (most migrations
//   leave it empty). It runs before `sql`.
// On MariaDB each DDL statement commits by itself: a migration is not atomic
// there, but runs under the roll's lock, and the version is recorded after
// its last statement.
struct Migration {
    int version;
    std::string description;
    std::string sql;
    std::string embeddedSql = {};
};

// The text of a migration's `sql` for a dialect ("sqlite": unchanged).
std::string forDialect(const std::string& sql, const std::string& dialect);

const std::vector<Migration>& migrations();
int latestSchemaVersion();

// The version recorded in the database (0 for a new, empty database).
int schemaVersion(Database& db);

// Brings the database to `target` (default: the latest) in one transaction.
// Refuses, changing nothing, a database whose schema is newer than this
// binary knows.
void migrate(Database& db, int target = -1);

}  // namespace vcluster::db
