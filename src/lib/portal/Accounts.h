#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/Database.h"

namespace vcluster::portal {

enum class Role { Provider, Admin };
const char* roleName(Role r);  // "provider", "admin"
Role parseRole(const std::string& text);

struct User {
    std::int64_t id = 0;
    std::string name;
    Role role = Role::Provider;
    std::string created;
    int tokens = 0;  // API tokens issued to the user (listing only)
    // Set when the user was authenticated by a cluster-scoped token: the one
    // vcluster whose nodes it may act on (nothing else).
    std::string tokenCluster;
};

// An API token as listed: its id (the part before the '.' of the token the
// user holds), label and creation time; never its secret.
struct TokenInfo {
    std::int64_t id = 0;
    std::string user;
    std::string label;
    std::string created;
    std::string cluster;  // "" for a user's own token, else the one vcluster it is for
};

// A web session: who is logged in and the CSRF token its forms must carry.
struct Session {
    User user;
    std::string csrf;
};

// A freshly made session: the cookie value (shown once) and its CSRF token.
struct NewSession {
    std::string cookie;
    std::string csrf;
};

// The portal's accounts, owning vcluster_users, vcluster_tokens and
// vcluster_sessions. Passwords are stored as argon2id strings (libsodium
// crypto_pwhash_str, interactive limits); API tokens and session cookies are
// "<id>.<secret>" with 32 random bytes of secret, of which only a BLAKE2b hash
// is stored and compared in constant time (sodium_memcmp). Writers run inside
// the caller's transaction.
class Accounts {
  public:
    explicit Accounts(db::Database& db);

    // Names are identifiers (letters, digits, "_.-"), at most 64 characters.
    // The password must be 8 to 1024 characters without control characters.
    User addUser(const std::string& name, Role role, const std::string& password);
    void removeUser(const std::string& name);
    std::vector<User> listUsers() const;
    std::optional<User> findUser(const std::string& name) const;

    // The user when the password matches; nothing otherwise (same answer for
    // an unknown user, whose check costs the same KDF time).
    std::optional<User> checkPassword(const std::string& name, const std::string& password) const;

    // Issues a new API token for the user; returns it (it is not stored).
    std::string createToken(const std::string& name, const std::string& label);
    // A token of `owner` scoped to one vcluster: it may read and act on that
    // cluster's nodes and nothing else (the credential of its frontend's kit).
    std::string createClusterToken(const std::string& owner, const std::string& cluster,
                                   const std::string& label);
    // Revokes every token scoped to `cluster`; returns how many went.
    int removeClusterTokens(const std::string& cluster);
    std::optional<User> checkToken(const std::string& token) const;
    std::vector<TokenInfo> listTokens(const std::string& name) const;
    // The name of the user holding token `id`, if any.
    std::optional<std::string> tokenUser(std::int64_t id) const;
    // Revokes the user's tokens with `id`, or with `label`, or all of them
    // (neither given); returns how many went. An id of another user's token
    // is "unknown", as if it did not exist.
    int removeTokens(const std::string& name, std::optional<std::int64_t> id,
                     const std::optional<std::string>& label);

    NewSession createSession(const User& user, std::int64_t now, std::int64_t lifetimeSeconds);
    std::optional<Session> checkSession(const std::string& cookie, std::int64_t now) const;
    void endSession(const std::string& cookie);

  private:
    db::Database& db_;
};

// Constant-time equality of two strings (sodium_memcmp; lengths compared first).
bool constantTimeEquals(const std::string& a, const std::string& b);
// `bytes` random bytes (randombytes_buf) as lower-case hex.
std::string randomHex(std::size_t bytes);

}  // namespace vcluster::portal
