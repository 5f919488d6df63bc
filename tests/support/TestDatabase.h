#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "db/Database.h"

namespace vcluster::test {

// "One suite, two backends". A test names its database by a file in its own
// TempDir, as always. In the normal pass that is the SQLite file. In the
// MariaDB pass (tests/mariadb/mariadb-pass.sh sets VCLUSTER_TEST_DB=mariadb
// and VCLUSTER_TEST_MARIADB_SOCKET), the same name stands for a database of
// its own on the pass's server, created on first use and loaded with the
// Rocks 7 frontend schema (tests/mariadb/rocks7-schema.sql), and the test's
// `rocks` processes get its mysql:// URL.
bool onMariaDb();

// The db= value for a test's database file `file`: the file itself, or in
// the MariaDB pass the URL of the database that stands for it. A mysql://
// URL is returned as it is.
std::string databaseFor(const std::filesystem::path& file);

// Opens (and migrates) the test database named as above.
std::unique_ptr<db::Database> openTestDatabase(const std::filesystem::path& file);

// A new, empty database on the MariaDB pass's server (no Rocks schema): its
// URL. Only in the MariaDB pass.
std::string emptyMariaDatabase();

// Loads the Rocks 7 schema's statements from `sqlFile` into the database
// at `url` (a file of the tests' own, e.g. tests/mariadb/rocks7-schema.sql).
void loadSqlFile(const std::string& url, const std::filesystem::path& sqlFile);

}  // namespace vcluster::test
