#pragma once

#include <memory>
#include <optional>
#include <string>

#include "db/Database.h"

// Which implementation of db::Database a command gets: SqliteDatabase (the
// embedded default) or MariaDbDatabase (a Rocks frontend's own database).
namespace vcluster::db {

class Database;

// db=mysql://[user[:password]@]host[:port]/database[?socket=/path/mysql.sock]
// (user and password may be %-encoded; mariadb:// is the same). A second
// option, defaults-file=/path, names an option file ([client] password = ...)
// the client library reads, which is how a Rocks frontend keeps root's
// password (/root/.rocks.my.cnf) out of command lines.
struct MysqlUrl {
    std::string user;
    std::optional<std::string> password;
    std::string host = "localhost";
    unsigned port = 0;
    std::string database;
    std::string socket;
    std::string defaultsFile;
};

// Whether `spec` names a server rather than a file: it has a URL scheme
// ("mysql://", "mariadb://", or any other "<scheme>://"). A file path never
// contains "://".
bool isDatabaseUrl(const std::string& spec);

// Parses a mysql:// (or mariadb://) URL; throws Error naming what is wrong
// (an unknown scheme, no database name, a bad port, an unknown option).
MysqlUrl parseMysqlUrl(const std::string& url);

// The paths that say "this is a Rocks frontend", overridable for tests
// (ROCKS_FRONTEND_ROOT prefixes all three).
struct RocksFrontendPaths {
    std::string rocksCommand = "/opt/rocks/bin/rocks";
    std::string rootOptionFile = "/root/.rocks.my.cnf";
    std::string socket = "/var/opt/rocks/mysql/mysql.sock";
    static RocksFrontendPaths fromEnvironment();
};

// On a Rocks frontend (Rocks' own rocks command, and root's option file or
// Rocks' MySQL socket), the database Rocks' commands use: `cluster` over
// Rocks' socket as root, with the password from root's option file.
std::optional<MysqlUrl> rocksFrontendDatabase(const RocksFrontendPaths& paths);

// Opens what db=/ROCKS_DB names: a mysql:// URL (MariaDbDatabase, checked
// against the Rocks layout the roll needs) or else an SQLite file, opened as
// `access` says (SqliteDatabase; a server's own permissions decide there).
// Migrates it to the latest schema (a reader's older file: through a
// writer's connection).
std::unique_ptr<Database> openDatabase(const std::string& spec, Access access = Access::Write);
std::unique_ptr<Database> openDatabase(const MysqlUrl& url);

// The URL again, the password left out: for messages, and what
// resolveDatabasePath() hands on for a Rocks frontend.
std::string describe(const MysqlUrl& url);

}  // namespace vcluster::db
