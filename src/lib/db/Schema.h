#pragma once

#include <string>
#include <vector>

#include "db/Database.h"

namespace vcluster::db {

// One step of the schema's history. Versions are consecutive from 1; a
// migration is never edited once released, only followed by a new one.
struct Migration {
    int version;
    std::string description;
    std::string sql;
};

const std::vector<Migration>& migrations();
int latestSchemaVersion();

// The version recorded in the database (0 for a new, empty database).
int schemaVersion(Database& db);

// Brings the database to `target` (default: the latest) in one transaction.
// Refuses, changing nothing, a database whose schema is newer than this
// binary knows.
void migrate(Database& db, int target = -1);

}  // namespace vcluster::db
