#include "db/Database.h"

namespace vcluster::db {

bool Row::isNull(std::size_t column) const {
    return std::holds_alternative<std::nullptr_t>(values_.at(column));
}

std::string placeholders(std::size_t count) {
    std::string marks;
    for (std::size_t i = 0; i < count; ++i) {
        marks += i == 0 ? "?" : ", ?";
    }
    return marks;
}

std::int64_t Row::integer(std::size_t column) const {
    const Value& v = values_.at(column);
    if (const auto* i = std::get_if<std::int64_t>(&v)) {
        return *i;
    }
    if (const auto* d = std::get_if<double>(&v)) {
        return static_cast<std::int64_t>(*d);
    }
    if (const auto* s = std::get_if<std::string>(&v)) {
        try {
            return std::stoll(*s);
        } catch (const std::exception&) {
            return 0;
        }
    }
    return 0;
}

std::optional<std::int64_t> Row::optInteger(std::size_t column) const {
    if (isNull(column)) {
        return std::nullopt;
    }
    return integer(column);
}

std::string Row::text(std::size_t column) const {
    const Value& v = values_.at(column);
    if (const auto* s = std::get_if<std::string>(&v)) {
        return *s;
    }
    if (const auto* i = std::get_if<std::int64_t>(&v)) {
        return std::to_string(*i);
    }
    if (const auto* d = std::get_if<double>(&v)) {
        return std::to_string(*d);
    }
    return {};
}

namespace {
std::unique_ptr<Statement> prepared(Database& db, std::string_view sql,
                                    const std::vector<Value>& params) {
    auto stmt = db.prepare(sql);
    for (std::size_t i = 0; i < params.size(); ++i) {
        stmt->bind(static_cast<int>(i + 1), params[i]);
    }
    return stmt;
}
}  // namespace

std::vector<Row> Database::query(std::string_view sql, const std::vector<Value>& params) {
    auto stmt = prepared(*this, sql, params);
    std::vector<Row> rows;
    while (stmt->step()) {
        rows.push_back(stmt->row());
    }
    return rows;
}

std::optional<Row> Database::queryOne(std::string_view sql, const std::vector<Value>& params) {
    auto stmt = prepared(*this, sql, params);
    if (stmt->step()) {
        return stmt->row();
    }
    return std::nullopt;
}

int Database::execute(std::string_view sql, const std::vector<Value>& params) {
    auto stmt = prepared(*this, sql, params);
    while (stmt->step()) {
    }
    return changes();
}

std::int64_t Database::insert(std::string_view sql, const std::vector<Value>& params) {
    execute(sql, params);
    return lastInsertId();
}

void Database::enter(bool immediate) {
    if (depth_ == 0) {
        begin(immediate);
    } else {
        execute("SAVEPOINT vcluster_" + std::to_string(depth_));
    }
    ++depth_;
}

void Database::leave(bool commitIt) {
    const int level = --depth_;
    if (level == 0) {
        if (!commitIt) {
            rollback();
            return;
        }
        try {
            commit();
        } catch (...) {
            try {
                rollback();  // a failed COMMIT leaves the transaction open
            } catch (
                ...) {  // NOLINT(bugprone-empty-catch): the commit's error is the one to report
            }
            throw;
        }
        return;
    }
    const std::string name = "vcluster_" + std::to_string(level);
    if (!commitIt) {
        execute("ROLLBACK TO SAVEPOINT " + name);
    }
    execute("RELEASE SAVEPOINT " + name);
}

Transaction::Transaction(Database& db, Mode mode) : db_(db) { db_.enter(mode == Mode::Immediate); }

Transaction::~Transaction() {
    if (!done_) {
        try {
            db_.leave(false);
        } catch (...) {  // NOLINT(bugprone-empty-catch): a destructor must not throw
        }
    }
}

void Transaction::commit() {
    done_ = true;  // even when the commit throws: the transaction is over
    db_.leave(true);
}

}  // namespace vcluster::db
