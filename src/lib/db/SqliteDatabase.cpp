#include "db/SqliteDatabase.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <filesystem>

#include "db/DatabaseUrl.h"
#include "util/Error.h"

namespace vcluster::db {

namespace {

[[noreturn]] void fail(sqlite3* handle, const std::string& what) {
    throw Error("database: " + what + ": " +
                (handle != nullptr ? sqlite3_errmsg(handle) : "out of memory"));
}

class SqliteStatement : public Statement {
  public:
    SqliteStatement(sqlite3* handle, std::string_view sql) : handle_(handle) {
        if (sqlite3_prepare_v2(handle, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr) !=
            SQLITE_OK) {
            fail(handle, "cannot prepare statement");
        }
    }
    ~SqliteStatement() override { sqlite3_finalize(stmt_); }
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;

    void bind(int index, const Value& value) override {
        int rc = SQLITE_OK;
        if (std::holds_alternative<std::nullptr_t>(value)) {
            rc = sqlite3_bind_null(stmt_, index);
        } else if (const auto* i = std::get_if<std::int64_t>(&value)) {
            rc = sqlite3_bind_int64(stmt_, index, *i);
        } else if (const auto* d = std::get_if<double>(&value)) {
            rc = sqlite3_bind_double(stmt_, index, *d);
        } else {
            const auto& s = std::get<std::string>(value);
            rc = sqlite3_bind_text(stmt_, index, s.data(), static_cast<int>(s.size()),
                                   SQLITE_TRANSIENT);
        }
        if (rc != SQLITE_OK) {
            fail(handle_, "cannot bind parameter");
        }
    }

    bool step() override {
        int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW) {
            return true;
        }
        if (rc == SQLITE_DONE) {
            return false;
        }
        fail(handle_, "statement failed");
    }

    Row row() const override {
        int n = sqlite3_column_count(stmt_);
        std::vector<Value> values;
        values.reserve(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) {
            switch (sqlite3_column_type(stmt_, i)) {
                case SQLITE_NULL:
                    values.emplace_back(nullptr);
                    break;
                case SQLITE_INTEGER:
                    values.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(stmt_, i)));
                    break;
                case SQLITE_FLOAT:
                    values.emplace_back(sqlite3_column_double(stmt_, i));
                    break;
                default: {
                    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
                    int bytes = sqlite3_column_bytes(stmt_, i);
                    values.emplace_back(
                        std::string(text != nullptr ? text : "", static_cast<std::size_t>(bytes)));
                }
            }
        }
        return Row(std::move(values));
    }

    bool isNull(int column) const override {
        return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
    }
    std::int64_t integer(int column) const override { return sqlite3_column_int64(stmt_, column); }
    std::string text(int column) const override {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
        return {text != nullptr ? text : "",
                static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column))};
    }

    void reset() override {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
    }

  private:
    sqlite3* handle_;
    sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace

SqliteDatabase::SqliteDatabase(const std::string& path, int busyTimeoutMs) : path_(path) {
    // A server URL is never a file name: opened as one, mysql://host/db made
    // a directory "mysql:" and an empty database in it.
    if (isDatabaseUrl(path)) {
        throw Error("database: " + path.substr(0, path.find("://") + 3) +
                    "... names a database server, not an SQLite file");
    }
    std::filesystem::path p(path);
    if (p.has_parent_path() && !std::filesystem::exists(p.parent_path())) {
        std::error_code ec;
        std::filesystem::create_directories(p.parent_path(), ec);
        if (ec) {
            throw Error("database: cannot create directory " + p.parent_path().string() + ": " +
                        ec.message());
        }
    }
    // The database holds CHAP secrets: a new file is readable by its owner only.
    mode_t old = umask(077);
    // NOMUTEX: a connection is used by one thread at a time (the portal opens
    // one per thread, the stage runner's workers share theirs under a lock),
    // so SQLite's own lock on every call (a quarter of listing 50,000 rows)
    // guards nothing.
    int rc =
        sqlite3_open_v2(path.c_str(), &handle_,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    umask(old);
    if (rc != SQLITE_OK) {
        std::string message = handle_ != nullptr ? sqlite3_errmsg(handle_) : "out of memory";
        sqlite3_close(handle_);
        handle_ = nullptr;
        throw Error("database: cannot open " + path + ": " + message);
    }
    sqlite3_busy_timeout(handle_, busyTimeoutMs);
    sqlite3_extended_result_codes(handle_, 1);
    try {
        executeScript(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
    } catch (...) {
        sqlite3_close(handle_);
        handle_ = nullptr;
        throw;
    }
}

SqliteDatabase::~SqliteDatabase() { sqlite3_close(handle_); }

std::unique_ptr<Statement> SqliteDatabase::prepare(std::string_view sql) {
    return std::make_unique<SqliteStatement>(handle_, sql);
}

void SqliteDatabase::executeScript(std::string_view sql) {
    std::string script(sql);
    char* message = nullptr;
    if (sqlite3_exec(handle_, script.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        std::string text = message != nullptr ? message : sqlite3_errmsg(handle_);
        sqlite3_free(message);
        throw Error("database: " + text);
    }
}

void SqliteDatabase::begin(bool immediate) {
    executeScript(immediate ? "BEGIN IMMEDIATE" : "BEGIN");
}
void SqliteDatabase::commit() { executeScript("COMMIT"); }
void SqliteDatabase::rollback() { executeScript("ROLLBACK"); }
std::int64_t SqliteDatabase::lastInsertId() const { return sqlite3_last_insert_rowid(handle_); }
int SqliteDatabase::changes() const { return sqlite3_changes(handle_); }

}  // namespace vcluster::db
