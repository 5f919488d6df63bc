#include "db/migrations/Migrations.h"

namespace vcluster::db {

// `rocks remove vcluster snapshot`: the time a snapshot's removal was
// requested (NULL: none); the next `rocks sync vcluster` removes its LVM
// snapshots on the storage node, then the row.
Migration migrationSnapshotRemoval() {
    return {7, "Snapshot removal requests", R"SQL(
ALTER TABLE vcluster_snapshots ADD COLUMN RemovalRequested TEXT;
)SQL"};
}

}  // namespace vcluster::db
