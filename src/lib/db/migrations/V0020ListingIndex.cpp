#include "db/migrations/Migrations.h"

namespace vcluster::db {

// A listing page (rocks list vcluster limit=, the portal's
// /api/v1/reservations?limit=&offset=) is cut in StartTime, Name, ID order.
// Without an index in that order the database sorted every live reservation
// for each page; with this one it walks the index from the start and stops
// after the page. State is in it so the live filter is read from the index
// too (a covering index: no table row is visited until the page's own).
Migration migrationListingIndex() {
    return {20, "listing order index of reservations", R"SQL(
CREATE INDEX vcluster_reservations_listing ON vcluster_reservations(StartTime, Name, ID, State);
)SQL"};
}

}  // namespace vcluster::db
