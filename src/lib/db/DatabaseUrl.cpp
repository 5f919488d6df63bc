#include "db/DatabaseUrl.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "db/MariaDbDatabase.h"
#include "db/RocksLayout.h"
#include "db/Schema.h"
#include "db/SqliteDatabase.h"
#include "util/Error.h"

namespace vcluster::db {

namespace {

std::string percentDecode(const std::string& text, const std::string& what) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        if (i + 2 >= text.size() || std::isxdigit(static_cast<unsigned char>(text[i + 1])) == 0 ||
            std::isxdigit(static_cast<unsigned char>(text[i + 2])) == 0) {
            throw Error("database URL: bad %-escape in the " + what);
        }
        out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
        i += 2;
    }
    return out;
}

}  // namespace

bool isDatabaseUrl(const std::string& spec) {
    auto scheme = spec.find("://");
    if (scheme == std::string::npos || scheme == 0) {
        return spec.rfind("mysql:", 0) == 0 || spec.rfind("mariadb:", 0) == 0;
    }
    for (std::size_t i = 0; i < scheme; ++i) {
        if (std::isalnum(static_cast<unsigned char>(spec[i])) == 0 && spec[i] != '+') {
            return false;
        }
    }
    return true;
}

MysqlUrl parseMysqlUrl(const std::string& url) {
    std::string rest;
    for (const char* scheme : {"mysql://", "mariadb://"}) {
        if (url.rfind(scheme, 0) == 0) {
            rest = url.substr(std::string(scheme).size());
            break;
        }
    }
    if (rest.empty()) {
        throw Error("database URL " + url.substr(0, url.find("://") + 3) +
                    "...: expected mysql://[user[:password]@]host[:port]/database[?socket=/path]");
    }
    MysqlUrl out;
    std::string query;
    if (auto q = rest.find('?'); q != std::string::npos) {
        query = rest.substr(q + 1);
        rest.erase(q);
    }
    auto slash = rest.find('/');
    if (slash == std::string::npos || slash + 1 == rest.size()) {
        throw Error("database URL: no database name (mysql://host/database)");
    }
    out.database = percentDecode(rest.substr(slash + 1), "database name");
    if (out.database.find('/') != std::string::npos || out.database.size() > 64) {
        throw Error("database URL: bad database name " + out.database);
    }
    std::string authority = rest.substr(0, slash);
    if (auto at = authority.rfind('@'); at != std::string::npos) {
        std::string credentials = authority.substr(0, at);
        authority.erase(0, at + 1);
        if (auto colon = credentials.find(':'); colon != std::string::npos) {
            out.password = percentDecode(credentials.substr(colon + 1), "password");
            credentials.erase(colon);
        }
        out.user = percentDecode(credentials, "user name");
    }
    if (auto colon = authority.rfind(':');
        colon != std::string::npos && authority.find(']') == std::string::npos) {
        std::string port = authority.substr(colon + 1);
        authority.erase(colon);
        char* end = nullptr;
        long value = std::strtol(port.c_str(), &end, 10);
        if (port.empty() || *end != '\0' || value < 1 || value > 65535) {
            throw Error("database URL: bad port " + port);
        }
        out.port = static_cast<unsigned>(value);
    }
    if (!authority.empty()) {
        out.host = authority;
    }
    while (!query.empty()) {
        auto amp = query.find('&');
        std::string option = query.substr(0, amp);
        query = amp == std::string::npos ? "" : query.substr(amp + 1);
        auto eq = option.find('=');
        std::string key = option.substr(0, eq);
        std::string value =
            eq == std::string::npos ? "" : percentDecode(option.substr(eq + 1), key);
        if (key == "socket" && !value.empty()) {
            out.socket = value;
        } else if (key == "defaults-file" && !value.empty()) {
            out.defaultsFile = value;
        } else {
            throw Error("database URL: unknown option " + key +
                        " (known: socket=/path, defaults-file=/path)");
        }
    }
    return out;
}

std::string describe(const MysqlUrl& url) {
    std::string text = "mysql://";
    if (!url.user.empty()) {
        text += url.user + "@";
    }
    text += url.host;
    if (url.port != 0) {
        text += ":" + std::to_string(url.port);
    }
    text += "/" + url.database;
    std::string sep = "?";
    if (!url.socket.empty()) {
        text += sep + "socket=" + url.socket;
        sep = "&";
    }
    if (!url.defaultsFile.empty()) {
        text += sep + "defaults-file=" + url.defaultsFile;
    }
    return text;
}

RocksFrontendPaths RocksFrontendPaths::fromEnvironment() {
    RocksFrontendPaths paths;
    if (const char* root = std::getenv("ROCKS_FRONTEND_ROOT"); root != nullptr && *root != '\0') {
        paths.rocksCommand = root + paths.rocksCommand;
        paths.rootOptionFile = root + paths.rootOptionFile;
        paths.socket = root + paths.socket;
    }
    return paths;
}

std::optional<MysqlUrl> rocksFrontendDatabase(const RocksFrontendPaths& paths) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::exists(paths.rocksCommand, ec)) {
        return std::nullopt;
    }
    bool optionFile = fs::exists(paths.rootOptionFile, ec);
    if (!optionFile && !fs::exists(paths.socket, ec)) {
        return std::nullopt;
    }
    MysqlUrl url;
    url.user = "root";
    url.database = "cluster";
    url.socket = paths.socket;
    // The option file is root's (mode 0400): read it only when it can be,
    // else connect as Rocks' commands would without it.
    if (optionFile && ::access(paths.rootOptionFile.c_str(), R_OK) == 0) {
        url.defaultsFile = paths.rootOptionFile;
    }
    return url;
}

std::unique_ptr<Database> openDatabase(const MysqlUrl& url) {
    auto db = std::make_unique<MariaDbDatabase>(url);
    checkRocksLayout(*db);
    migrate(*db);
    registerRollAppliances(*db);
    return db;
}

std::unique_ptr<Database> openDatabase(const std::string& spec, Access access) {
    if (isDatabaseUrl(spec)) {
        return openDatabase(parseMysqlUrl(spec));
    }
    auto db = std::make_unique<SqliteDatabase>(spec, access);
    if (db->readOnly()) {
        // A reader writes nothing; a database older than this roll is first
        // upgraded, which needs a writer.
        const int version = schemaVersion(*db);
        if (version < latestSchemaVersion()) {
            try {
                db = std::make_unique<SqliteDatabase>(spec, Access::Write);
                migrate(*db);
            } catch (const Error& e) {
                throw Error("database " + spec + " has schema version " + std::to_string(version) +
                            ", older than this roll's " + std::to_string(latestSchemaVersion()) +
                            ", and cannot be upgraded by this user: " + e.what());
            }
            return db;
        }
    }
    migrate(*db);  // for a reader: only the check that it is not newer than this roll
    return db;
}

}  // namespace vcluster::db
