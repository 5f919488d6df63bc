#pragma once

#include <string>

#include "db/Database.h"

struct sqlite3;

namespace vcluster::db {

// The embedded default: one SQLite file in WAL mode, with a busy timeout so
// concurrent `rocks` processes queue instead of failing, and foreign keys on.
class SqliteDatabase : public Database {
  public:
    // Opens (creating if needed, mode 0600: it holds CHAP secrets) the file.
    explicit SqliteDatabase(const std::string& path, int busyTimeoutMs = 30000);
    ~SqliteDatabase() override;
    SqliteDatabase(const SqliteDatabase&) = delete;
    SqliteDatabase& operator=(const SqliteDatabase&) = delete;

    std::unique_ptr<Statement> prepare(std::string_view sql) override;
    void executeScript(std::string_view sql) override;
    void begin(bool immediate) override;
    void commit() override;
    void rollback() override;
    std::int64_t lastInsertId() const override;
    int changes() const override;
    std::string dialect() const override { return "sqlite"; }
    const std::string& path() const { return path_; }

  private:
    sqlite3* handle_ = nullptr;
    std::string path_;
};

}  // namespace vcluster::db
