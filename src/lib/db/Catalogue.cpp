#include "db/Catalogue.h"

namespace vcluster::db {

bool rocksOwnsCoreTables(const Database& db) { return db.dialect() == "mysql"; }

bool hasTable(Database& db, std::string_view table) {
    const char* sql = db.dialect() == "mysql"
                          ? "SELECT 1 FROM information_schema.tables "
                            "WHERE table_schema = DATABASE() AND table_name = ?"
                          : "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?";
    return db.queryOne(sql, {std::string(table)}).has_value();
}

std::vector<std::string> columns(Database& db, std::string_view table) {
    const char* sql = db.dialect() == "mysql"
                          ? "SELECT column_name FROM information_schema.columns "
                            "WHERE table_schema = DATABASE() AND table_name = ? "
                            "ORDER BY ordinal_position"
                          : "SELECT name FROM pragma_table_info(?) ORDER BY cid";
    std::vector<std::string> names;
    for (const auto& row : db.query(sql, {std::string(table)})) {
        names.push_back(row.text(0));
    }
    return names;
}

std::map<std::string, std::vector<std::string>> columnsOf(Database& db,
                                                          const std::vector<std::string>& tables) {
    std::map<std::string, std::vector<std::string>> out;
    if (db.dialect() != "mysql") {
        for (const auto& t : tables) {
            if (hasTable(db, t)) {
                out[t] = columns(db, t);
            }
        }
        return out;
    }
    std::string sql =
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = DATABASE() AND table_name IN (";
    std::vector<Value> params(tables.begin(), tables.end());
    sql += placeholders(params.size()) + ") ORDER BY table_name, ordinal_position";
    for (const auto& row : db.query(sql, params)) {
        out[row.text(0)].push_back(row.text(1));
    }
    return out;
}

}  // namespace vcluster::db
