#pragma once

#include <memory>
#include <string>

#include "db/Database.h"

struct sqlite3;

namespace vcluster::db {

// The embedded default: one SQLite file in WAL mode, with a busy timeout so
// concurrent `rocks` processes queue instead of failing, and foreign keys on.
struct StatementCache;

class SqliteDatabase : public Database {
  public:
    // Opens the file as `access` says: Read opens it read-only, Write needs it
    // to exist and, when the last process that wrote it ended without closing
    // it (a crash: a WAL file that no running process holds), runs PRAGMA
    // quick_check first and refuses a damaged file; Create makes it when
    // absent (mode 0600: it holds CHAP secrets), with its directory (the
    // default: tests and tools that make their own files; the commands go
    // through openDatabase with the access of what they do).
    explicit SqliteDatabase(const std::string& path, Access access = Access::Create,
                            int busyTimeoutMs = 30000);
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
    // flock(2) on the file <path>-<name>.lock beside the database (made
    // mode 0600 when absent): released by the kernel when the process ends.
    std::unique_ptr<HeldLock> holdLock(const std::string& name, int waitSeconds) override;
    // SQLite's PRAGMA data_version.
    std::optional<std::int64_t> dataVersion() override;
    const std::string& path() const { return path_; }
    bool readOnly() const { return readOnly_; }

  private:
    // Opens `name` (the path, or a file: URI) with `flags` into handle_, with
    // the busy timeout and extended result codes; throws "cannot open".
    void openHandle(const std::string& name, int flags, int busyTimeoutMs);
    // Closes handle_ and throws "database: <doing> <path>: <SQLite's reason>".
    [[noreturn]] void closeAndThrow(const std::string& doing);
    void openReadOnly(int busyTimeoutMs);
    void checkIntegrity();
    // Finalizes the kept statements, then closes handle_.
    void closeHandle();
    sqlite3* handle_ = nullptr;
    std::string path_;
    // Prepared statements kept for reuse, by SQL text (see prepare()).
    std::shared_ptr<StatementCache> cache_;
    bool readOnly_ = false;
};

// What an SQLite failure says, in words a user acts on: "disk full" when the
// disk is (SQLITE_FULL, or any I/O error whose errno is ENOSPC), a damaged
// file as such (SQLITE_CORRUPT, SQLITE_NOTADB), else SQLite's own message.
std::string describeSqliteError(int extendedCode, int systemErrno, const std::string& message);

}  // namespace vcluster::db
