#include "db/migrations/Migrations.h"

namespace vcluster::db {

// Placeholder for version 2 (the reservation tables, written on another
// branch) so that this branch's version 3 applies in order. Replaced by the
// real version 2 when the branches are merged.
Migration migrationReservationsPlaceholder() {
    return {2, "reserved for the reservation tables", "SELECT 1;"};
}

}  // namespace vcluster::db
