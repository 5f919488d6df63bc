#pragma once

#include <string>

#include "db/Database.h"
#include "db/DatabaseUrl.h"

struct st_mysql;

namespace vcluster::db {

// A Rocks frontend's MySQL/MariaDB database, through MariaDB Connector/C
// (Debian's libmariadb): prepared statements with bound parameters, InnoDB
// transactions. The session runs with ANSI_QUOTES and PIPES_AS_CONCAT, so the
// pools' SQL ("quoted" names, ||) means what it means to SQLite, and with
// CLIENT_FOUND_ROWS, so changes() counts the rows an UPDATE matched, as
// SQLite's does.
//
// begin(immediate) gives BEGIN IMMEDIATE's guarantee: it first takes the
// named lock GET_LOCK('vcluster:<database>') (a session lock, so it also
// survives the implicit commits of a migration's DDL), then starts the
// transaction, so two writers never both read-then-write the same capacity.
// Waiting for the lock, a deadlock or an InnoDB lock wait timeout ends in one
// line naming it; a statement outside a transaction is retried on them.
class MariaDbDatabase : public Database {
  public:
    explicit MariaDbDatabase(const MysqlUrl& url, int lockTimeoutSeconds = 30);
    ~MariaDbDatabase() override;
    MariaDbDatabase(const MariaDbDatabase&) = delete;
    MariaDbDatabase& operator=(const MariaDbDatabase&) = delete;

    std::unique_ptr<Statement> prepare(std::string_view sql) override;
    void executeScript(std::string_view sql) override;
    void begin(bool immediate) override;
    void commit() override;
    void rollback() override;
    std::int64_t lastInsertId() const override { return lastInsertId_; }
    int changes() const override { return changes_; }
    std::string dialect() const override { return "mysql"; }
    // GET_LOCK('vcluster:<database>:<name>') on a connection of its own:
    // MariaDB before 10.0.2 (Rocks 7's 5.5) holds one named lock per session
    // and would drop it at the first transaction's GET_LOCK; the server
    // releases it when that connection ends (the process with it).
    std::unique_ptr<HeldLock> holdLock(const std::string& name, int waitSeconds) override;

    const std::string& databaseName() const { return database_; }

    // Used by the statements: the outcome of the last one run.
    void recordOutcome(std::int64_t insertId, int changed);
    bool inTransaction() const { return inTransaction_; }

  private:
    void run(const std::string& sql);
    void releaseLock();

    st_mysql* handle_ = nullptr;
    MysqlUrl url_;
    std::string database_;
    std::string lockName_;
    int lockTimeoutSeconds_;
    bool inTransaction_ = false;
    bool holdsLock_ = false;
    std::int64_t lastInsertId_ = 0;
    int changes_ = 0;
};

}  // namespace vcluster::db
