#include "db/SqliteDatabase.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <unordered_map>
#include <vector>

#include "db/DatabaseUrl.h"
#include "util/Error.h"

namespace vcluster::db {

std::string describeSqliteError(int extendedCode, int systemErrno, const std::string& message) {
    const int primary = extendedCode & 0xff;
    if (primary == SQLITE_FULL || (primary == SQLITE_IOERR && systemErrno == ENOSPC)) {
        return "disk full (" + message + ")";
    }
    if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) {
        return "the database file is damaged (" + message + "); restore it from a backup";
    }
    return message;
}

namespace {

std::string explain(sqlite3* handle) {
    if (handle == nullptr) {
        return "out of memory";
    }
    return describeSqliteError(sqlite3_extended_errcode(handle), sqlite3_system_errno(handle),
                               sqlite3_errmsg(handle));
}

[[noreturn]] void fail(sqlite3* handle, const std::string& what) {
    throw Error("database: " + what + ": " + explain(handle));
}

// A file: URI for sqlite3_open_v2 with SQLITE_OPEN_URI, the path %-encoded.
std::string fileUri(const std::string& path, const std::string& query) {
    std::string out = "file:";
    for (unsigned char c : path) {
        if (std::isalnum(c) != 0 || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            char hex[4];
            std::snprintf(hex, sizeof hex, "%%%02X", c);
            out += hex;
        }
    }
    return out + "?" + query;
}

// Whether the last process that had the database open ended without closing
// it (killed, or the machine crashed): its WAL file is left with content while
// no process holds a lock on the WAL index (SQLite's unix VFS keeps one on
// the -shm file for as long as a connection has it open). The locks are read
// from /proc/locks: opening and closing the -shm here would drop the locks
// this process's own connections hold on it (POSIX locks are per process).
bool leftByACrash(const std::string& path) {
    struct stat wal {};
    if (::stat((path + "-wal").c_str(), &wal) != 0 || wal.st_size == 0) {
        return false;
    }
    struct stat shm {};
    if (::stat((path + "-shm").c_str(), &shm) != 0) {
        return true;  // a WAL without its index: nobody has it open
    }
    std::ifstream locks("/proc/locks");
    if (!locks) {
        return false;  // cannot tell: no check
    }
    char id[64];
    std::snprintf(id, sizeof id, "%02x:%02x:%llu", major(shm.st_dev), minor(shm.st_dev),
                  static_cast<unsigned long long>(shm.st_ino));
    std::string line;
    while (std::getline(locks, line)) {
        std::istringstream fields(line);
        std::string field;
        while (fields >> field) {
            if (field == id) {
                return false;
            }
        }
    }
    return true;
}

}  // namespace

// Finished statements of one connection, by SQL text, for the next prepare()
// of the same text: the daemon and the commands run the same few dozen
// queries again and again, and parsing and planning them was more than half
// of the portal's CPU time. A kept statement is reset and its parameters
// cleared, so it holds no read transaction and no values.
struct StatementCache {
    static constexpr std::size_t kMaxKept = 256;
    sqlite3* handle = nullptr;  // nullptr once the connection is closed
    std::unordered_map<std::string, std::vector<sqlite3_stmt*>> idle;
    std::size_t kept = 0;
    sqlite3_stmt* take(std::string_view sql) {
        auto it = idle.find(std::string(sql));
        if (it == idle.end() || it->second.empty()) {
            return nullptr;
        }
        sqlite3_stmt* stmt = it->second.back();
        it->second.pop_back();
        --kept;
        return stmt;
    }
    // Keeps a finished statement, or finalizes it when it belongs to another
    // (closed) connection or enough are kept.
    void give(sqlite3* owner, std::string sql, sqlite3_stmt* stmt) {
        if (owner != handle || handle == nullptr || kept >= kMaxKept) {
            sqlite3_finalize(stmt);
            return;
        }
        sqlite3_reset(stmt);
        sqlite3_clear_bindings(stmt);
        idle[std::move(sql)].push_back(stmt);
        ++kept;
    }
    void finalizeAll() {
        for (auto& [sql, stmts] : idle) {
            for (auto* stmt : stmts) {
                sqlite3_finalize(stmt);
            }
        }
        idle.clear();
        kept = 0;
    }
};

namespace {

class SqliteStatement : public Statement {
  public:
    SqliteStatement(sqlite3* handle, std::string_view sql,
                    const std::shared_ptr<StatementCache>& cache)
        : handle_(handle), sql_(sql), cache_(cache) {
        if (cache) {
            stmt_ = cache->take(sql);
        }
        if (stmt_ == nullptr && sqlite3_prepare_v2(handle, sql.data(), static_cast<int>(sql.size()),
                                                   &stmt_, nullptr) != SQLITE_OK) {
            fail(handle, "cannot prepare statement");
        }
    }
    ~SqliteStatement() override {
        if (auto cache = cache_.lock()) {
            cache->give(handle_, std::move(sql_), stmt_);
        } else {
            sqlite3_finalize(stmt_);
        }
    }
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
    std::string sql_;
    std::weak_ptr<StatementCache> cache_;
};

}  // namespace

SqliteDatabase::SqliteDatabase(const std::string& path, Access access, int busyTimeoutMs)
    : path_(path) {
    // A server URL is never a file name: opened as one, mysql://host/db made
    // a directory "mysql:" and an empty database in it.
    if (isDatabaseUrl(path)) {
        throw Error("database: " + path.substr(0, path.find("://") + 3) +
                    "... names a database server, not an SQLite file");
    }
    std::error_code ec;
    const bool exists = std::filesystem::exists(path, ec);
    if (!exists && access != Access::Create) {
        throw Error("database " + path +
                    " does not exist (`rocks create vcluster database` makes a new one)");
    }
    if (access == Access::Read) {
        openReadOnly(busyTimeoutMs);
        return;
    }
    const bool crashed = exists && leftByACrash(path);
    std::filesystem::path p(path);
    if (!exists && p.has_parent_path() && !std::filesystem::exists(p.parent_path(), ec)) {
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
    // guards nothing. (The same for the read-only connections below.)
    try {
        openHandle(path,
                   SQLITE_OPEN_READWRITE | (access == Access::Create ? SQLITE_OPEN_CREATE : 0),
                   busyTimeoutMs);
    } catch (...) {
        umask(old);
        throw;
    }
    umask(old);
    try {
        executeScript(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
        if (crashed) {
            checkIntegrity();
        }
    } catch (...) {
        closeHandle();
        throw;
    }
}

void SqliteDatabase::openHandle(const std::string& name, int flags, int busyTimeoutMs) {
    if (sqlite3_open_v2(name.c_str(), &handle_, flags | SQLITE_OPEN_NOMUTEX, nullptr) !=
        SQLITE_OK) {
        closeAndThrow("cannot open");
    }
    sqlite3_busy_timeout(handle_, busyTimeoutMs);
    sqlite3_extended_result_codes(handle_, 1);
}

void SqliteDatabase::closeAndThrow(const std::string& doing) {
    std::string message = explain(handle_);
    closeHandle();
    throw Error("database: " + doing + " " + path_ + ": " + message);
}

void SqliteDatabase::openReadOnly(int busyTimeoutMs) {
    readOnly_ = true;
    auto open = [&](const std::string& name, int flags) {
        openHandle(name, SQLITE_OPEN_READONLY | flags, busyTimeoutMs);
        return sqlite3_exec(handle_, "SELECT count(*) FROM sqlite_master", nullptr, nullptr,
                            nullptr) == SQLITE_OK;
    };
    if (!open(path_, 0)) {
        // A reader needs the WAL index (the -shm file); where it may not make
        // one (a directory it cannot write) and no WAL is left, the file is
        // the whole database: read it as such (immutable).
        const int code = sqlite3_extended_errcode(handle_) & 0xff;
        std::error_code ec;
        if ((code != SQLITE_READONLY && code != SQLITE_CANTOPEN) ||
            std::filesystem::exists(path_ + "-wal", ec)) {
            closeAndThrow("cannot read");
        }
        closeHandle();
        if (!open(fileUri(path_, "immutable=1"), SQLITE_OPEN_URI)) {
            closeAndThrow("cannot read");
        }
    }
    try {
        executeScript("PRAGMA query_only=1; PRAGMA foreign_keys=ON;");
    } catch (...) {
        closeHandle();
        throw;
    }
}

void SqliteDatabase::checkIntegrity() {
    std::string result;
    try {
        auto stmt = prepare("PRAGMA quick_check(1)");
        if (stmt->step()) {
            result = stmt->text(0);
        }
    } catch (const Error& e) {
        result = e.what();
    }
    if (result != "ok") {
        // Closing would copy the WAL back and remove it: the next writer
        // would find no unclean end and write to the damaged file.
        sqlite3_db_config(handle_, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
        throw Error("database " + path_ + " is damaged (PRAGMA quick_check after an unclean end: " +
                    result + "); restore it from a backup");
    }
}

SqliteDatabase::~SqliteDatabase() { closeHandle(); }

void SqliteDatabase::closeHandle() {
    if (cache_) {
        cache_->finalizeAll();
        cache_->handle = nullptr;
    }
    sqlite3_close(handle_);
    handle_ = nullptr;
}

std::unique_ptr<Statement> SqliteDatabase::prepare(std::string_view sql) {
    if (!cache_) {
        cache_ = std::make_shared<StatementCache>();
    }
    cache_->handle = handle_;
    return std::make_unique<SqliteStatement>(handle_, sql, cache_);
}

void SqliteDatabase::executeScript(std::string_view sql) {
    std::string script(sql);
    char* message = nullptr;
    if (sqlite3_exec(handle_, script.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        std::string text = message != nullptr ? message : sqlite3_errmsg(handle_);
        sqlite3_free(message);
        throw Error("database: " + describeSqliteError(sqlite3_extended_errcode(handle_),
                                                       sqlite3_system_errno(handle_), text));
    }
}

void SqliteDatabase::begin(bool immediate) {
    executeScript(immediate ? "BEGIN IMMEDIATE" : "BEGIN");
}
void SqliteDatabase::commit() { executeScript("COMMIT"); }
void SqliteDatabase::rollback() { executeScript("ROLLBACK"); }
std::int64_t SqliteDatabase::lastInsertId() const { return sqlite3_last_insert_rowid(handle_); }
int SqliteDatabase::changes() const { return sqlite3_changes(handle_); }

std::optional<std::int64_t> SqliteDatabase::dataVersion() {
    auto version = queryOne("PRAGMA data_version");
    return version ? std::optional<std::int64_t>(version->integer(0)) : std::nullopt;
}

namespace {

class FileLock : public HeldLock {
  public:
    explicit FileLock(int fd) : fd_(fd) {}
    ~FileLock() override { ::close(fd_); }  // closing the file releases its flock
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

  private:
    int fd_;
};

}  // namespace

std::unique_ptr<HeldLock> SqliteDatabase::holdLock(const std::string& name, int waitSeconds) {
    const std::string file = path_ + "-" + name + ".lock";
    const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        throw Error("database: cannot open the lock file " + file + ": " + std::strerror(errno));
    }
    // Polled rather than a blocking flock: the wait is bounded, and a signal
    // ends the process (and so the wait) as it would any command.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(waitSeconds);
    while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK && errno != EINTR) {
            const int saved = errno;
            ::close(fd);
            throw Error("database: cannot lock " + file + ": " + std::strerror(saved));
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            ::close(fd);
            return nullptr;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return std::make_unique<FileLock>(fd);
}

}  // namespace vcluster::db
