#include "portal/Accounts.h"

#include <sodium.h>

#include <array>
#include <mutex>

#include "util/Clock.h"
#include "util/Error.h"
#include "util/Validate.h"

namespace vcluster::portal {

namespace {

void initSodium() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (sodium_init() < 0) {
            throw Error("libsodium could not be initialised");
        }
    });
}

std::string toHex(const unsigned char* data, std::size_t size) {
    std::string hex(size * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), data, size);
    hex.pop_back();
    return hex;
}

// BLAKE2b-256 of a high-entropy secret: a KDF adds nothing to 32 random bytes,
// and a hash keeps a request's token check cheap.
std::string secretHash(const std::string& secret) {
    std::array<unsigned char, crypto_generichash_BYTES> out{};
    crypto_generichash(out.data(), out.size(),
                       reinterpret_cast<const unsigned char*>(secret.data()), secret.size(),
                       nullptr, 0);
    return toHex(out.data(), out.size());
}

std::string hashPassword(const std::string& password) {
    std::array<char, crypto_pwhash_STRBYTES> out{};
    if (crypto_pwhash_str(out.data(), password.data(), password.size(),
                          crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        throw Error("out of memory while hashing the password");
    }
    return out.data();
}

void validateUserName(const std::string& name) {
    validateIdentifier(name, "user name");
    if (name.size() > 64) {
        throw Error("user name is longer than 64 characters");
    }
}

void validatePassword(const std::string& password) {
    if (password.size() < 8) {
        throw Error("password must have at least 8 characters");
    }
    if (password.size() > 1024) {
        throw Error("password is longer than 1024 characters");
    }
    for (unsigned char c : password) {
        if (c < 0x20 || c == 0x7f) {
            throw Error("password must not contain control characters");
        }
    }
}

// "<id>.<64 hex>" -> id and secret; nothing when malformed.
std::optional<std::pair<std::int64_t, std::string>> splitCredential(const std::string& text) {
    auto dot = text.find('.');
    if (dot == std::string::npos || dot == 0 || dot > 18 || text.size() - dot - 1 != 64) {
        return std::nullopt;
    }
    std::int64_t id = 0;
    for (std::size_t i = 0; i < dot; ++i) {
        if (text[i] < '0' || text[i] > '9') {
            return std::nullopt;
        }
        id = id * 10 + (text[i] - '0');
    }
    return std::make_pair(id, text.substr(dot + 1));
}

User userFrom(const db::Row& row) {
    User u;
    u.id = row.integer(0);
    u.name = row.text(1);
    u.role = parseRole(row.text(2));
    u.created = row.text(3);
    return u;
}

constexpr const char* kUserColumns = "u.ID, u.Name, u.Role, u.Created";

}  // namespace

const char* roleName(Role r) { return r == Role::Admin ? "admin" : "provider"; }

Role parseRole(const std::string& text) {
    if (text == "provider") {
        return Role::Provider;
    }
    if (text == "admin") {
        return Role::Admin;
    }
    throw Error("role must be provider or admin, not '" + text + "'");
}

bool constantTimeEquals(const std::string& a, const std::string& b) {
    initSodium();
    return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string randomHex(std::size_t bytes) {
    initSodium();
    std::vector<unsigned char> buf(bytes);
    randombytes_buf(buf.data(), buf.size());
    return toHex(buf.data(), buf.size());
}

Accounts::Accounts(db::Database& db) : db_(db) { initSodium(); }

User Accounts::addUser(const std::string& name, Role role, const std::string& password) {
    validateUserName(name);
    validatePassword(password);
    if (findUser(name)) {
        throw Error("user '" + name + "' already exists");
    }
    User u;
    u.name = name;
    u.role = role;
    u.created = utcNow();
    u.id = db_.insert(
        "INSERT INTO vcluster_users (Name, Role, PasswordHash, Created) VALUES (?, ?, ?, ?)",
        {name, std::string(roleName(role)), hashPassword(password), u.created});
    return u;
}

void Accounts::removeUser(const std::string& name) {
    auto u = findUser(name);
    if (!u) {
        throw Error("unknown user '" + name + "'");
    }
    db_.execute("DELETE FROM vcluster_tokens WHERE User = ?", {u->id});
    db_.execute("DELETE FROM vcluster_sessions WHERE User = ?", {u->id});
    db_.execute("DELETE FROM vcluster_users WHERE ID = ?", {u->id});
}

std::vector<User> Accounts::listUsers() const {
    std::vector<User> out;
    for (const auto& row :
         db_.query(std::string("SELECT ") + kUserColumns +
                   ", (SELECT COUNT(*) FROM vcluster_tokens t WHERE t.User = u.ID)"
                   " FROM vcluster_users u ORDER BY u.Name")) {
        User u = userFrom(row);
        u.tokens = static_cast<int>(row.integer(4));
        out.push_back(u);
    }
    return out;
}

std::optional<User> Accounts::findUser(const std::string& name) const {
    auto row = db_.queryOne(
        std::string("SELECT ") + kUserColumns + " FROM vcluster_users u WHERE u.Name = ?", {name});
    if (!row) {
        return std::nullopt;
    }
    return userFrom(*row);
}

std::optional<User> Accounts::checkPassword(const std::string& name,
                                            const std::string& password) const {
    auto row = db_.queryOne(std::string("SELECT ") + kUserColumns +
                                ", u.PasswordHash FROM vcluster_users u WHERE u.Name = ?",
                            {name});
    // An unknown user is checked against a fixed hash, so timing does not tell
    // which names exist.
    static const std::string dummy = hashPassword("not a password of anyone");
    std::string stored = row ? row->text(4) : dummy;
    bool match = crypto_pwhash_str_verify(stored.c_str(), password.data(), password.size()) == 0;
    if (!row || !match) {
        return std::nullopt;
    }
    return userFrom(*row);
}

std::string Accounts::createToken(const std::string& name, const std::string& label) {
    auto u = findUser(name);
    if (!u) {
        throw Error("unknown user '" + name + "'");
    }
    if (!label.empty()) {
        validateIdentifier(label, "label");
    }
    std::string secret = randomHex(32);
    std::int64_t id =
        db_.insert("INSERT INTO vcluster_tokens (User, Hash, Label, Created) VALUES (?, ?, ?, ?)",
                   {u->id, secretHash(secret), label, utcNow()});
    return std::to_string(id) + "." + secret;
}

std::string Accounts::createClusterToken(const std::string& owner, const std::string& cluster,
                                         const std::string& label) {
    auto u = findUser(owner);
    if (!u) {
        throw Error("unknown user '" + owner + "'");
    }
    validateIdentifier(label, "label");
    validateIdentifier(cluster, "vcluster");
    std::string secret = randomHex(32);
    std::int64_t id = db_.insert(
        "INSERT INTO vcluster_tokens (User, Hash, Label, Created, Cluster) VALUES (?, ?, ?, ?, ?)",
        {u->id, secretHash(secret), label, utcNow(), cluster});
    return std::to_string(id) + "." + secret;
}

int Accounts::removeClusterTokens(const std::string& cluster) {
    return db_.execute("DELETE FROM vcluster_tokens WHERE Cluster = ?", {cluster});
}

std::optional<User> Accounts::checkToken(const std::string& token) const {
    auto parts = splitCredential(token);
    if (!parts) {
        return std::nullopt;
    }
    auto row = db_.queryOne(std::string("SELECT ") + kUserColumns +
                                ", t.Hash, COALESCE(t.Cluster, '') FROM vcluster_tokens t JOIN "
                                "vcluster_users u ON u.ID = t.User WHERE t.ID = ?",
                            {parts->first});
    if (!row || !constantTimeEquals(secretHash(parts->second), row->text(4))) {
        return std::nullopt;
    }
    User u = userFrom(*row);
    u.tokenCluster = row->text(5);
    return u;
}

std::vector<TokenInfo> Accounts::listTokens(const std::string& name) const {
    auto u = findUser(name);
    if (!u) {
        throw Error("unknown user '" + name + "'");
    }
    std::vector<TokenInfo> out;
    for (const auto& row :
         db_.query("SELECT ID, Label, Created, COALESCE(Cluster, '') FROM vcluster_tokens WHERE "
                   "User = ? ORDER BY ID",
                   {u->id})) {
        out.push_back({row.integer(0), u->name, row.text(1), row.text(2), row.text(3)});
    }
    return out;
}

std::optional<std::string> Accounts::tokenUser(std::int64_t id) const {
    auto row = db_.queryOne(
        "SELECT u.Name FROM vcluster_tokens t JOIN vcluster_users u ON u.ID = t.User WHERE t.ID = "
        "?",
        {id});
    if (!row) {
        return std::nullopt;
    }
    return row->text(0);
}

int Accounts::removeTokens(const std::string& name, std::optional<std::int64_t> id,
                           const std::optional<std::string>& label) {
    auto u = findUser(name);
    if (!u) {
        throw Error("unknown user '" + name + "'");
    }
    int removed = 0;
    for (const auto& t : listTokens(name)) {
        if ((id && t.id != *id) || (label && t.label != *label)) {
            continue;
        }
        db_.execute("DELETE FROM vcluster_tokens WHERE ID = ? AND User = ?", {t.id, u->id});
        ++removed;
    }
    if (removed == 0 && id) {
        throw Error("user '" + name + "' has no token " + std::to_string(*id));
    }
    if (removed == 0 && label) {
        throw Error("user '" + name + "' has no token labelled '" + *label + "'");
    }
    return removed;
}

NewSession Accounts::createSession(const User& user, std::int64_t now,
                                   std::int64_t lifetimeSeconds) {
    db_.execute("DELETE FROM vcluster_sessions WHERE Expires <= ?", {now});
    std::string secret = randomHex(32);
    NewSession s;
    s.csrf = randomHex(32);
    std::int64_t id =
        db_.insert("INSERT INTO vcluster_sessions (User, Hash, Csrf, Expires) VALUES (?, ?, ?, ?)",
                   {user.id, secretHash(secret), s.csrf, now + lifetimeSeconds});
    s.cookie = std::to_string(id) + "." + secret;
    return s;
}

std::optional<Session> Accounts::checkSession(const std::string& cookie, std::int64_t now) const {
    auto parts = splitCredential(cookie);
    if (!parts) {
        return std::nullopt;
    }
    auto row = db_.queryOne(std::string("SELECT ") + kUserColumns +
                                ", s.Hash, s.Csrf FROM vcluster_sessions s JOIN vcluster_users u"
                                " ON u.ID = s.User WHERE s.ID = ? AND s.Expires > ?",
                            {parts->first, now});
    if (!row || !constantTimeEquals(secretHash(parts->second), row->text(4))) {
        return std::nullopt;
    }
    return Session{userFrom(*row), row->text(5)};
}

void Accounts::endSession(const std::string& cookie) {
    if (auto parts = splitCredential(cookie)) {
        db_.execute("DELETE FROM vcluster_sessions WHERE ID = ?", {parts->first});
    }
}

}  // namespace vcluster::portal
