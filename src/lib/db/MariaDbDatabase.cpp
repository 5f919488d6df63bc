#include "db/MariaDbDatabase.h"

#include <errmsg.h>
#include <mysql.h>
#include <mysqld_error.h>

#include <cstring>

#include "util/Error.h"

namespace vcluster::db {

namespace {

constexpr int kStatementAttempts = 3;

bool isLockConflict(unsigned code) {
    return code == ER_LOCK_DEADLOCK || code == ER_LOCK_WAIT_TIMEOUT;
}

// One line for an admin: what failed, and for a lock conflict what to do.
[[noreturn]] void fail(unsigned code, const char* message, const std::string& what) {
    std::string text = "database: " + what + ": " + message;
    if (code == ER_LOCK_DEADLOCK) {
        text = "database: " + what +
               ": deadlock with another client of the database; run the command again";
    } else if (code == ER_LOCK_WAIT_TIMEOUT) {
        text = "database: " + what +
               ": lock wait timeout (another client holds the rows); run the command again";
    }
    for (char& c : text) {
        c = c == '\n' ? ' ' : c;
    }
    throw Error(text);
}

[[noreturn]] void fail(MYSQL* handle, const std::string& what) {
    fail(mysql_errno(handle), mysql_error(handle), what);
}

[[noreturn]] void fail(MYSQL_STMT* stmt, const std::string& what) {
    fail(mysql_stmt_errno(stmt), mysql_stmt_error(stmt), what);
}

bool isIntegerType(enum_field_types type) {
    switch (type) {
        case MYSQL_TYPE_TINY:
        case MYSQL_TYPE_SHORT:
        case MYSQL_TYPE_LONG:
        case MYSQL_TYPE_INT24:
        case MYSQL_TYPE_LONGLONG:
        case MYSQL_TYPE_YEAR:
        case MYSQL_TYPE_BIT:
            return true;
        default:
            return false;
    }
}

bool isRealType(enum_field_types type) {
    return type == MYSQL_TYPE_FLOAT || type == MYSQL_TYPE_DOUBLE;
}

bool isDecimalType(enum_field_types type) {
    return type == MYSQL_TYPE_DECIMAL || type == MYSQL_TYPE_NEWDECIMAL;
}

// A column's text as the Value SQLite would have returned: integers as
// integers (also a DECIMAL without fraction, which is what MySQL makes of
// SUM() over integers), reals as doubles, everything else as text.
Value toValue(enum_field_types type, std::string text) {
    try {
        if (isIntegerType(type)) {
            return static_cast<std::int64_t>(std::stoll(text));
        }
        if (isRealType(type)) {
            return std::stod(text);
        }
        if (isDecimalType(type)) {
            auto dot = text.find('.');
            if (dot == std::string::npos ||
                text.find_first_not_of('0', dot + 1) == std::string::npos) {
                return static_cast<std::int64_t>(std::stoll(text.substr(0, dot)));
            }
            return std::stod(text);
        }
    } catch (const std::exception&) {  // out of range: keep the text
    }
    return text;
}

class MariaDbStatement : public Statement {
  public:
    MariaDbStatement(MariaDbDatabase& db, MYSQL* handle, std::string_view sql)
        : db_(db), stmt_(mysql_stmt_init(handle)) {
        if (stmt_ == nullptr) {
            fail(handle, "cannot prepare statement");
        }
        if (mysql_stmt_prepare(stmt_, sql.data(), sql.size()) != 0) {
            std::string what = "cannot prepare statement (" + std::string(sql.substr(0, 60)) + ")";
            unsigned code = mysql_stmt_errno(stmt_);
            std::string message = mysql_stmt_error(stmt_);
            mysql_stmt_close(stmt_);
            fail(code, message.c_str(), what);
        }
        my_bool updateMaxLength = 1;
        mysql_stmt_attr_set(stmt_, STMT_ATTR_UPDATE_MAX_LENGTH, &updateMaxLength);
        params_.resize(mysql_stmt_param_count(stmt_), nullptr);
    }
    ~MariaDbStatement() override { mysql_stmt_close(stmt_); }
    MariaDbStatement(const MariaDbStatement&) = delete;
    MariaDbStatement& operator=(const MariaDbStatement&) = delete;

    void bind(int index, const Value& value) override {
        if (index < 1 || static_cast<std::size_t>(index) > params_.size()) {
            throw Error("database: cannot bind parameter " + std::to_string(index) + " of " +
                        std::to_string(params_.size()));
        }
        params_[static_cast<std::size_t>(index - 1)] = value;
    }

    bool step() override {
        if (!executed_) {
            execute();
            executed_ = true;
        }
        if (next_ < rows_.size()) {
            current_ = next_++;
            return true;
        }
        return false;
    }

    Row row() const override { return rows_.at(current_); }
    bool isNull(int column) const override {
        return rows_.at(current_).isNull(static_cast<std::size_t>(column));
    }
    std::int64_t integer(int column) const override {
        return rows_.at(current_).integer(static_cast<std::size_t>(column));
    }
    std::string text(int column) const override {
        return rows_.at(current_).text(static_cast<std::size_t>(column));
    }

    void reset() override {
        executed_ = false;
        rows_.clear();
        next_ = 0;
        current_ = 0;
        std::fill(params_.begin(), params_.end(), Value{nullptr});
    }

  private:
    void bindParams() {
        binds_.assign(params_.size(), MYSQL_BIND{});
        for (std::size_t i = 0; i < params_.size(); ++i) {
            MYSQL_BIND& b = binds_[i];
            Value& v = params_[i];
            if (auto* n = std::get_if<std::int64_t>(&v)) {
                b.buffer_type = MYSQL_TYPE_LONGLONG;
                b.buffer = n;
            } else if (auto* d = std::get_if<double>(&v)) {
                b.buffer_type = MYSQL_TYPE_DOUBLE;
                b.buffer = d;
            } else if (auto* s = std::get_if<std::string>(&v)) {
                b.buffer_type = MYSQL_TYPE_STRING;
                b.buffer = s->data();
                b.buffer_length = s->size();
            } else {
                b.buffer_type = MYSQL_TYPE_NULL;
            }
        }
        if (!binds_.empty() && mysql_stmt_bind_param(stmt_, binds_.data()) != 0) {
            fail(stmt_, "cannot bind parameters");
        }
    }

    void execute() {
        bindParams();
        for (int attempt = 1;; ++attempt) {
            if (mysql_stmt_execute(stmt_) == 0) {
                break;
            }
            // On its own a statement is its own transaction and can simply run
            // again; inside one, the caller's whole transaction has to.
            if (attempt < kStatementAttempts && !db_.inTransaction() &&
                isLockConflict(mysql_stmt_errno(stmt_))) {
                continue;
            }
            fail(stmt_, "statement failed");
        }
        MYSQL_RES* meta = mysql_stmt_result_metadata(stmt_);
        if (meta == nullptr) {
            auto changed = mysql_stmt_affected_rows(stmt_);
            db_.recordOutcome(
                static_cast<std::int64_t>(mysql_stmt_insert_id(stmt_)),
                changed == static_cast<my_ulonglong>(-1) ? 0 : static_cast<int>(changed));
            return;
        }
        fetchAll(meta);
        mysql_free_result(meta);
        mysql_stmt_free_result(stmt_);
    }

    // Buffers the whole result, so the connection is free for the next
    // statement while the caller walks the rows (SQLite lets a reader and a
    // writer interleave on one connection; Connector/C does not).
    void fetchAll(MYSQL_RES* meta) {
        if (mysql_stmt_store_result(stmt_) != 0) {
            fail(stmt_, "cannot read result");
        }
        unsigned n = mysql_num_fields(meta);
        MYSQL_FIELD* fields = mysql_fetch_fields(meta);
        std::vector<std::vector<char>> buffers(n);
        std::vector<unsigned long> lengths(n);
        std::vector<my_bool> nulls(n);
        std::vector<MYSQL_BIND> out(n, MYSQL_BIND{});
        for (unsigned i = 0; i < n; ++i) {
            buffers[i].resize(std::max<unsigned long>(fields[i].max_length, 64) + 1);
            out[i].buffer_type = MYSQL_TYPE_STRING;
            out[i].buffer = buffers[i].data();
            out[i].buffer_length = buffers[i].size();
            out[i].length = &lengths[i];
            out[i].is_null = &nulls[i];
        }
        if (n > 0 && mysql_stmt_bind_result(stmt_, out.data()) != 0) {
            fail(stmt_, "cannot bind result");
        }
        for (;;) {
            int rc = mysql_stmt_fetch(stmt_);
            if (rc == MYSQL_NO_DATA) {
                break;
            }
            if (rc == 1) {
                fail(stmt_, "cannot fetch row");
            }
            std::vector<Value> values;
            values.reserve(n);
            for (unsigned i = 0; i < n; ++i) {
                if (nulls[i] != 0) {
                    values.emplace_back(nullptr);
                    continue;
                }
                std::string text;
                if (lengths[i] <= buffers[i].size()) {
                    text.assign(buffers[i].data(), lengths[i]);
                } else {  // longer than the longest the server announced
                    text.resize(lengths[i]);
                    MYSQL_BIND one{};
                    one.buffer_type = MYSQL_TYPE_STRING;
                    one.buffer = text.data();
                    one.buffer_length = text.size();
                    if (mysql_stmt_fetch_column(stmt_, &one, i, 0) != 0) {
                        fail(stmt_, "cannot fetch column");
                    }
                }
                values.push_back(toValue(fields[i].type, std::move(text)));
            }
            rows_.emplace_back(std::move(values));
        }
    }

    MariaDbDatabase& db_;
    MYSQL_STMT* stmt_;
    std::vector<Value> params_;
    std::vector<MYSQL_BIND> binds_;
    std::vector<Row> rows_;
    std::size_t next_ = 0;
    std::size_t current_ = 0;
    bool executed_ = false;
};

// Splits a migration script into statements at the semicolons outside
// quotes and comments (the server runs one statement per query).
std::vector<std::string> splitStatements(std::string_view sql) {
    std::vector<std::string> statements;
    std::string current;
    bool meaningful = false;
    for (std::size_t i = 0; i < sql.size(); ++i) {
        char c = sql[i];
        if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
            while (i < sql.size() && sql[i] != '\n') {
                ++i;
            }
            current += '\n';
            continue;
        }
        if (c == '\'' || c == '"' || c == '`') {
            current += c;
            for (++i; i < sql.size(); ++i) {
                current += sql[i];
                if (sql[i] == '\\' && i + 1 < sql.size()) {
                    current += sql[++i];
                } else if (sql[i] == c) {
                    break;
                }
            }
            meaningful = true;
            continue;
        }
        if (c == ';') {
            if (meaningful) {
                statements.push_back(current);
            }
            current.clear();
            meaningful = false;
            continue;
        }
        current += c;
        meaningful = meaningful || std::isspace(static_cast<unsigned char>(c)) == 0;
    }
    if (meaningful) {
        statements.push_back(current);
    }
    return statements;
}

}  // namespace

MariaDbDatabase::MariaDbDatabase(const MysqlUrl& url, int lockTimeoutSeconds)
    : url_(url),
      database_(url.database),
      lockName_("vcluster:" + url.database),
      lockTimeoutSeconds_(lockTimeoutSeconds) {
    handle_ = mysql_init(nullptr);
    if (handle_ == nullptr) {
        throw Error("database: out of memory");
    }
    mysql_optionsv(handle_, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    unsigned connectTimeout = 10;
    mysql_optionsv(handle_, MYSQL_OPT_CONNECT_TIMEOUT, &connectTimeout);
    if (!url.defaultsFile.empty()) {
        mysql_optionsv(handle_, MYSQL_READ_DEFAULT_FILE, url.defaultsFile.c_str());
        mysql_optionsv(handle_, MYSQL_READ_DEFAULT_GROUP, "client");
    }
    if (mysql_real_connect(handle_, url.host.empty() ? nullptr : url.host.c_str(),
                           url.user.empty() ? nullptr : url.user.c_str(),
                           url.password ? url.password->c_str() : nullptr, url.database.c_str(),
                           url.port, url.socket.empty() ? nullptr : url.socket.c_str(),
                           CLIENT_FOUND_ROWS) == nullptr) {
        std::string message = mysql_error(handle_);
        mysql_close(handle_);
        handle_ = nullptr;
        throw Error("database: cannot connect to " + describe(url) + ": " + message);
    }
    try {
        run("SET SESSION sql_mode = "
            "'ANSI_QUOTES,PIPES_AS_CONCAT,STRICT_TRANS_TABLES,NO_ENGINE_SUBSTITUTION,"
            "ERROR_FOR_DIVISION_BY_ZERO'");
        run("SET SESSION innodb_lock_wait_timeout = " + std::to_string(lockTimeoutSeconds_));
    } catch (...) {
        mysql_close(handle_);
        handle_ = nullptr;
        throw;
    }
}

MariaDbDatabase::~MariaDbDatabase() { mysql_close(handle_); }

std::unique_ptr<Statement> MariaDbDatabase::prepare(std::string_view sql) {
    return std::make_unique<MariaDbStatement>(*this, handle_, sql);
}

void MariaDbDatabase::run(const std::string& sql) {
    for (int attempt = 1;; ++attempt) {
        if (mysql_real_query(handle_, sql.data(), sql.size()) == 0) {
            break;
        }
        if (attempt < kStatementAttempts && !inTransaction_ &&
            isLockConflict(mysql_errno(handle_))) {
            continue;
        }
        fail(handle_, "statement failed (" + sql.substr(0, 60) + ")");
    }
    MYSQL_RES* result = mysql_store_result(handle_);
    if (result != nullptr) {
        mysql_free_result(result);
    } else {
        auto changed = mysql_affected_rows(handle_);
        recordOutcome(static_cast<std::int64_t>(mysql_insert_id(handle_)),
                      changed == static_cast<my_ulonglong>(-1) ? 0 : static_cast<int>(changed));
    }
}

void MariaDbDatabase::executeScript(std::string_view sql) {
    for (const auto& statement : splitStatements(sql)) {
        run(statement);
    }
}

void MariaDbDatabase::recordOutcome(std::int64_t insertId, int changed) {
    if (insertId != 0) {
        lastInsertId_ = insertId;
    }
    changes_ = changed;
}

void MariaDbDatabase::begin(bool immediate) {
    if (inTransaction_) {  // MySQL would silently commit the open one
        throw Error("database: a transaction is already open");
    }
    if (immediate) {
        auto got =
            queryOne("SELECT GET_LOCK(?, ?)", {lockName_, std::int64_t{lockTimeoutSeconds_}});
        if (!got || got->isNull(0)) {
            throw Error("database: cannot take the vcluster lock on " + database_);
        }
        if (got->integer(0) != 1) {
            throw Error("database: another rocks command has held the vcluster lock on " +
                        database_ + " for " + std::to_string(lockTimeoutSeconds_) +
                        " s; run the command again when it has finished");
        }
        holdsLock_ = true;
    }
    try {
        run("START TRANSACTION");
    } catch (...) {
        releaseLock();
        throw;
    }
    inTransaction_ = true;
}

void MariaDbDatabase::commit() {
    try {
        run("COMMIT");
    } catch (...) {
        inTransaction_ = false;
        releaseLock();
        throw;
    }
    inTransaction_ = false;
    releaseLock();
}

void MariaDbDatabase::rollback() {
    inTransaction_ = false;
    try {
        run("ROLLBACK");
    } catch (...) {
        releaseLock();
        throw;
    }
    releaseLock();
}

namespace {

class ServerLock : public HeldLock {
  public:
    ServerLock(std::unique_ptr<MariaDbDatabase> connection, std::string name)
        : connection_(std::move(connection)), name_(std::move(name)) {}
    ~ServerLock() override {
        try {
            connection_->queryOne("SELECT RELEASE_LOCK(?)", {name_});
        } catch (const std::exception&) {
            // The connection's end (its destructor, next) releases it as well.
        }
    }
    ServerLock(const ServerLock&) = delete;
    ServerLock& operator=(const ServerLock&) = delete;

  private:
    std::unique_ptr<MariaDbDatabase> connection_;
    std::string name_;
};

}  // namespace

std::unique_ptr<HeldLock> MariaDbDatabase::holdLock(const std::string& name, int waitSeconds) {
    auto connection = std::make_unique<MariaDbDatabase>(url_, lockTimeoutSeconds_);
    const std::string full = lockName_ + ":" + name;
    auto got = connection->queryOne("SELECT GET_LOCK(?, ?)", {full, std::int64_t{waitSeconds}});
    if (!got || got->isNull(0)) {
        throw Error("database: cannot take the lock " + full + " on " + database_);
    }
    if (got->integer(0) != 1) {
        return nullptr;
    }
    return std::make_unique<ServerLock>(std::move(connection), full);
}

void MariaDbDatabase::releaseLock() {
    if (holdsLock_) {
        holdsLock_ = false;
        queryOne("SELECT RELEASE_LOCK(?)", {lockName_});
    }
}

}  // namespace vcluster::db
