#include "db/migrations/Migrations.h"

namespace vcluster::db {

// The lifecycle's second half (issue 5): a reservation's phase within its
// state (State keeps its CHECKed values, which SQLite cannot alter without
// rebuilding a table that others reference): 'installing' within
// 'provisioning' while the virtual frontend installs (since InstallStarted),
// 'powered-off' within 'active' between the windows of a weekly reservation.
// And the LVM snapshots of a cluster's disks, requested by `rocks create
// vcluster snapshot` (or the automatic one after the install) and taken by
// `rocks sync vcluster`; a roll-back is pending while RollbacksRequested >
// Rollbacks.
Migration migrationSnapshots() {
    return {5, "Install phase, power windows and snapshots", R"SQL(
ALTER TABLE vcluster_reservations ADD COLUMN Phase VARCHAR(16) NOT NULL DEFAULT ''
  CHECK (Phase IN ('', 'installing', 'powered-off'));
ALTER TABLE vcluster_reservations ADD COLUMN InstallStarted INTEGER;
CREATE TABLE vcluster_snapshots (
  ID                  INTEGER PRIMARY KEY AUTOINCREMENT,
  Reservation         INTEGER NOT NULL REFERENCES vcluster_reservations(ID) ON DELETE CASCADE,
  Label               VARCHAR(24) NOT NULL,
  State               VARCHAR(16) NOT NULL CHECK (State IN ('requested', 'present')),
  Requested           TEXT NOT NULL,
  Created             TEXT,
  RollbacksRequested  INTEGER NOT NULL DEFAULT 0,
  Rollbacks           INTEGER NOT NULL DEFAULT 0,
  LastRollback        TEXT,
  UNIQUE (Reservation, Label)
);
)SQL"};
}

}  // namespace vcluster::db
