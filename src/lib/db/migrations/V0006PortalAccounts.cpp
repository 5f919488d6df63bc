#include "db/migrations/Migrations.h"

namespace vcluster::db {

// The reservation portal's accounts: users (a provider books for itself, an
// admin sees everything), API tokens and web sessions. Passwords are argon2id
// strings (libsodium's crypto_pwhash_str); tokens and session secrets are
// random and only their BLAKE2b hashes are kept, so a copy of the database
// lets nobody log in.
Migration migrationPortalAccounts() {
    return {6, "Portal users, API tokens and web sessions", R"SQL(
CREATE TABLE vcluster_users (
  ID            INTEGER PRIMARY KEY AUTOINCREMENT,
  Name          VARCHAR(64) NOT NULL UNIQUE,
  Role          VARCHAR(16) NOT NULL CHECK (Role IN ('provider', 'admin')),
  PasswordHash  TEXT NOT NULL,
  Created       TEXT NOT NULL
);
CREATE TABLE vcluster_tokens (
  ID       INTEGER PRIMARY KEY AUTOINCREMENT,
  User     INTEGER NOT NULL REFERENCES vcluster_users(ID) ON DELETE CASCADE,
  Hash     VARCHAR(64) NOT NULL,
  Label    VARCHAR(64) NOT NULL DEFAULT '',
  Created  TEXT NOT NULL
);
CREATE TABLE vcluster_sessions (
  ID       INTEGER PRIMARY KEY AUTOINCREMENT,
  User     INTEGER NOT NULL REFERENCES vcluster_users(ID) ON DELETE CASCADE,
  Hash     VARCHAR(64) NOT NULL,
  Csrf     VARCHAR(64) NOT NULL,
  Expires  INTEGER NOT NULL
);
CREATE INDEX vcluster_sessions_expires ON vcluster_sessions(Expires);
)SQL"};
}

}  // namespace vcluster::db
