#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace vcluster::db {

// What a command does with the database, hence how it is opened: Read (the
// embedded file read-only: a file the user may not write can be listed),
// Write (it must exist: a typo in db= is not a new, empty database), Create
// (made when absent, with its directory; `rocks create vcluster database`).
enum class Access { Read, Write, Create };

// One SQL value. Parameters are always bound, never spliced into SQL text.
using Value = std::variant<std::nullptr_t, std::int64_t, double, std::string>;

// "?, ?, ?": `count` parameter marks, for an IN (...) list.
std::string placeholders(std::size_t count);

// One result row; columns by position, in the order of the SELECT list.
class Row {
  public:
    explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
    std::size_t size() const { return values_.size(); }
    bool isNull(std::size_t column) const;
    std::int64_t integer(std::size_t column) const;  // NULL reads as 0
    std::string text(std::size_t column) const;      // NULL reads as ""
    std::optional<std::int64_t> optInteger(std::size_t column) const;
    const Value& value(std::size_t column) const { return values_.at(column); }

  private:
    std::vector<Value> values_;
};

class Statement {
  public:
    virtual ~Statement() = default;
    virtual void bind(int index, const Value& value) = 0;  // 1-based, as in SQL
    virtual bool step() = 0;                               // true while a row is ready
    virtual Row row() const = 0;
    // Column accessors of the current row, without copying the whole row.
    virtual bool isNull(int column) const = 0;
    virtual std::int64_t integer(int column) const = 0;  // NULL reads as 0
    virtual std::string text(int column) const = 0;      // NULL reads as ""
    virtual void reset() = 0;
};

// An advisory lock of one database, held until it is destroyed or its
// process ends in whatever way (so a crash never leaves it taken): what
// makes one `rocks sync vcluster` at a time act on the hosts. It is not a
// transaction: the other commands go on meanwhile.
class HeldLock {
  public:
    virtual ~HeldLock() = default;
};

// The one interface the rest of the roll uses to reach the Rocks database.
// SQLite is the embedded default; a MySQL/MariaDB implementation (a real Rocks
// frontend's database) goes behind the same interface.
class Database {
  public:
    virtual ~Database() = default;
    virtual std::unique_ptr<Statement> prepare(std::string_view sql) = 0;
    // Runs a script of statements without parameters (schema migrations).
    virtual void executeScript(std::string_view sql) = 0;
    virtual void begin(bool immediate) = 0;
    virtual void commit() = 0;
    virtual void rollback() = 0;
    virtual std::int64_t lastInsertId() const = 0;
    virtual int changes() const = 0;
    virtual std::string dialect() const = 0;
    // Takes the advisory lock `name` of this database (a word: letters,
    // digits, '-'), waiting up to waitSeconds for the process that holds it;
    // nullptr when it was held all that time.
    virtual std::unique_ptr<HeldLock> holdLock(const std::string& name, int waitSeconds) = 0;
    // A number that changes whenever another connection (of this process or
    // another) has committed a change since this one last asked; it stays
    // the same across this connection's own commits. None: the database
    // cannot tell, and what was read before must be read again.
    virtual std::optional<std::int64_t> dataVersion() { return std::nullopt; }

    // Conveniences over prepare/bind/step.
    std::vector<Row> query(std::string_view sql, const std::vector<Value>& params = {});
    std::optional<Row> queryOne(std::string_view sql, const std::vector<Value>& params = {});
    // Streams the rows to `visit` (no per-row allocation): for large listings.
    template <typename Visitor>
    void each(std::string_view sql, const std::vector<Value>& params, Visitor&& visit) {
        auto stmt = prepare(sql);
        for (std::size_t i = 0; i < params.size(); ++i) {
            stmt->bind(static_cast<int>(i + 1), params[i]);
        }
        while (stmt->step()) {
            visit(static_cast<const Statement&>(*stmt));
        }
    }
    // Runs one statement; returns the number of rows it changed.
    int execute(std::string_view sql, const std::vector<Value>& params = {});
    // Inserts and returns the new row's ID.
    std::int64_t insert(std::string_view sql, const std::vector<Value>& params = {});

  private:
    friend class Transaction;
    // Transactions nest: the outermost one is the database's transaction,
    // inner ones are savepoints inside it (a dry run wraps a whole sync in
    // one transaction it rolls back, the sync's own transactions inside).
    void enter(bool immediate);
    void leave(bool commit);
    int depth_ = 0;
};

// RAII transaction: rolls back unless commit() was called. Writers use
// Immediate so two processes never both read-then-write the same capacity.
class Transaction {
  public:
    enum class Mode { Deferred, Immediate };
    explicit Transaction(Database& db, Mode mode = Mode::Immediate);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

  private:
    Database& db_;
    bool done_ = false;
};

}  // namespace vcluster::db
