#include "db/migrations/Migrations.h"

namespace vcluster::db {

// Changes to a built cluster (issue 12): the admin's request that its
// computes be power-cycled at the next sync (CycleAsked 1), so that a new
// memory size, written into their definitions at once, takes effect; until
// then the calendar holds the larger of the old and the new size; and
// whether a change of a built cluster (nodes added, removed or moved, a new
// size) is being carried out on the hosts (Reshaping 1: its rows say the new
// shape, some host steps may be left), so a sync that failed half-way is
// finished by the next one.
Migration migrationBuiltChanges() {
    return {18, "Power cycle requests and changes in progress of built clusters",
            R"SQL(
ALTER TABLE vcluster_reservations ADD COLUMN CycleAsked INTEGER;
ALTER TABLE vcluster_reservations ADD COLUMN Reshaping INTEGER;
)SQL"};
}

}  // namespace vcluster::db
