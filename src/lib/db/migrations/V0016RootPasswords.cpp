#include "db/migrations/Migrations.h"

namespace vcluster::db {

// The crypt(3) hash of each reservation's random root password for its
// virtual frontend, made at booking (the clear text is shown once to the
// owner and kept nowhere; the frontend's install kit carries the hash), and
// the token its installed frontend publishes for the install probe.
Migration migrationRootPasswords() {
    return {16, "Root passwords of virtual frontends", R"SQL(
CREATE TABLE vcluster_root_passwords (
  Reservation  INTEGER PRIMARY KEY REFERENCES vcluster_reservations(ID) ON DELETE CASCADE,
  Hash         VARCHAR(255) NOT NULL,
  InstallToken VARCHAR(64) NOT NULL
);
)SQL"};
}

}  // namespace vcluster::db
