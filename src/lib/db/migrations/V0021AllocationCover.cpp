#include "db/migrations/Migrations.h"

namespace vcluster::db {

// The nodes of the reservations a command reads (those overlapping its
// interval) are found by Reservation; with Host in the index too no table
// row of vcluster_allocations is visited for them (a covering index).
Migration migrationAllocationCover() {
    return {21, "covering index of allocations by reservation", R"SQL(
CREATE INDEX vcluster_allocations_cover ON vcluster_allocations(Reservation, NodeIndex, Host);
)SQL"};
}

}  // namespace vcluster::db
