#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "db/Database.h"

namespace vcluster::db {

// The database's catalogue, read the dialect's way (sqlite_master and
// pragma_table_info, or information_schema): for the Rocks layout check and
// the migration record.
bool hasTable(Database& db, std::string_view table);
std::vector<std::string> columns(Database& db, std::string_view table);
// The columns of each of `tables` that exists (one query on MySQL, whose
// information_schema is slow to ask table by table).
std::map<std::string, std::vector<std::string>> columnsOf(Database& db,
                                                          const std::vector<std::string>& tables);

// Whether Rocks' own tables (nodes, attributes, ...) belong to Rocks rather
// than to the roll: true on a Rocks frontend's MariaDB/MySQL database, where
// the roll never creates or alters them and writes only Rocks' columns;
// false in the embedded SQLite database, which the roll made whole.
bool rocksOwnsCoreTables(const Database& db);

}  // namespace vcluster::db
