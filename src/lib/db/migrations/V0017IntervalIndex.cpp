#include "db/migrations/Migrations.h"

#include <string>

namespace vcluster::db {

// Reading only the reservations a decision needs (issue 16): which ones
// overlap an interval, without scanning the history. SpanClass is the
// smallest k with EndTime - StartTime <= 2^k hours (k = 0..16; 17 for
// anything longer), computed by the database itself so no writer can leave
// it stale. A reservation of class k that overlaps [a, b) starts in
// [a - 2^k h, b): one bounded range of the index per class (see
// ReservationPool). The other indexes serve `rocks sync vcluster` (holding
// states whose end has passed), `rocks list vcluster owner=`, and a name's
// look-up (the partial unique index on Name is not implied by State IN),
// and a count= group's members.
// Generated columns and their indexes: SQLite >= 3.31, MariaDB >= 10.2.
Migration migrationIntervalIndex() {
    std::string spanClass = "CASE";
    for (int k = 0; k <= 16; ++k) {
        spanClass += " WHEN EndTime - StartTime <= " + std::to_string(3600LL << k) + " THEN " +
                     std::to_string(k);
    }
    spanClass += " ELSE 17 END";
    return {17, "interval index of reservations (span class), state, owner and name indexes",
            "ALTER TABLE vcluster_reservations ADD COLUMN SpanClass INTEGER GENERATED ALWAYS AS (" +
                spanClass +
                ") VIRTUAL;\n"
                "CREATE INDEX vcluster_reservations_span ON vcluster_reservations(SpanClass, "
                "StartTime);\n"
                "CREATE INDEX vcluster_reservations_state_end ON vcluster_reservations(State, "
                "EndTime);\n"
                "CREATE INDEX vcluster_reservations_owner ON vcluster_reservations(Owner, State);\n"
                "CREATE INDEX vcluster_reservations_name ON vcluster_reservations(Name);\n"
                "CREATE INDEX vcluster_reservations_group ON vcluster_reservations(GroupName);\n"};
}

}  // namespace vcluster::db
