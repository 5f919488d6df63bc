#include "support/TestDatabase.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <functional>
#include <sstream>

#include "db/DatabaseUrl.h"
#include "db/MariaDbDatabase.h"
#include "support/Process.h"

namespace vcluster::test {

namespace {

std::string socketPath() {
    const char* socket = std::getenv("VCLUSTER_TEST_MARIADB_SOCKET");
    return socket != nullptr ? socket : "";
}

db::MysqlUrl urlOf(const std::string& database) {
    db::MysqlUrl url;
    url.user = "root";
    url.database = database;
    url.socket = socketPath();
    return url;
}

// CREATE DATABASE through the server's own `mysql` database.
bool createDatabase(const std::string& name) {
    db::MariaDbDatabase server(urlOf("mysql"));
    server.executeScript("CREATE DATABASE IF NOT EXISTS " + name);
    return server.changes() > 0;
}

std::string schemaFile() {
    return std::string(VCLUSTER_SOURCE_DIR) + "/tests/mariadb/rocks7-schema.sql";
}

}  // namespace

bool onMariaDb() {
    const char* backend = std::getenv("VCLUSTER_TEST_DB");
    return backend != nullptr && std::string(backend) == "mariadb";
}

void loadSqlFile(const std::string& url, const std::filesystem::path& sqlFile) {
    db::MariaDbDatabase database(db::parseMysqlUrl(url));
    database.executeScript(readFile(sqlFile));
}

std::string databaseFor(const std::filesystem::path& file) {
    std::string spec = file.string();
    if (!onMariaDb() || db::isDatabaseUrl(spec)) {
        return spec;
    }
    // The test's TempDir is unique (mkdtemp), so is this name; it is the same
    // for every process of the test that names the same file.
    std::ostringstream name;
    name << "vct_" << std::hex
         << std::hash<std::string>{}(std::filesystem::absolute(file).string());
    std::string url = db::describe(urlOf(name.str()));
    if (createDatabase(name.str())) {
        loadSqlFile(url, schemaFile());
    }
    return url;
}

std::unique_ptr<db::Database> openTestDatabase(const std::filesystem::path& file) {
    return db::openDatabase(databaseFor(file), db::Access::Create);
}

std::string emptyMariaDatabase() {
    static std::atomic<int> counter{0};
    std::string name = "vce_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    createDatabase(name);
    return db::describe(urlOf(name));
}

}  // namespace vcluster::test
