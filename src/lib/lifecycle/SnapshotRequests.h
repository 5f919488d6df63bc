#pragma once

#include <string>

#include "db/Database.h"
#include "reservation/ReservationPool.h"
#include "reservation/TimeText.h"

namespace vcluster::lifecycle {

// What `rocks create vcluster snapshot` and `rocks rollback vcluster` check
// and record; the next `rocks sync vcluster` does the work on the hosts.
// Both throw Error (one line, nothing changed) for an unknown cluster, one
// that is not active, a bad or unknown (or, to create, existing) label.
reservation::StoredReservation activeCluster(db::Database& db, const std::string& name);
void requestSnapshot(db::Database& db, const std::string& name, const std::string& label,
                     reservation::Time now);
void requestRollback(db::Database& db, const std::string& name, const std::string& label);
// Records the removal of a taken snapshot (the next sync removes its LVM
// snapshots), or drops one not taken yet at once; returns true for the
// latter. Refused while a roll-back to it is pending.
bool requestSnapshotRemoval(db::Database& db, const std::string& name, const std::string& label,
                            reservation::Time now);

}  // namespace vcluster::lifecycle
