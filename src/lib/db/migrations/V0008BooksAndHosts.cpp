#include "db/migrations/Migrations.h"

namespace vcluster::db {

// The books and the hosts agree (issue 12):
// - a failed reservation keeps its name (and, in the calendar, everything it
//   holds on the hosts) until it is torn down, so the unique live name now
//   covers 'failed' too;
// - what the hosts run of a built cluster (BuiltNodes, BuiltMemory,
//   BuiltCPUs: NULL until materialised), so a change to a running cluster is
//   held in the calendar at the larger of old and new until it is carried out;
// - the history of ended reservations: when, by whom and why (Ended,
//   EndedBy, EndReason), for `rocks list vcluster state=all`;
// - which reservation a materialisation belongs to, so a new reservation of
//   the same name can never inherit another's rows and host objects.
Migration migrationBooksAndHosts() {
    return {8, "Failed reservations hold their name, built sizes, history, owned materialisations",
            R"SQL(
ALTER TABLE vcluster_reservations ADD COLUMN BuiltNodes INTEGER;
ALTER TABLE vcluster_reservations ADD COLUMN BuiltMemory INTEGER;
ALTER TABLE vcluster_reservations ADD COLUMN BuiltCPUs INTEGER;
ALTER TABLE vcluster_reservations ADD COLUMN Ended TEXT;
ALTER TABLE vcluster_reservations ADD COLUMN EndedBy VARCHAR(64);
ALTER TABLE vcluster_reservations ADD COLUMN EndReason TEXT;
ALTER TABLE vc_materialisations ADD COLUMN Reservation INTEGER;
UPDATE vc_materialisations SET Reservation = (SELECT MAX(r.ID) FROM vcluster_reservations r
  WHERE r.Name = vc_materialisations.Cluster AND r.State NOT IN ('released', 'cancelled'));
UPDATE vcluster_reservations SET BuiltNodes = Nodes, BuiltMemory = Memory, BuiltCPUs = CPUs
  WHERE ID IN (SELECT Reservation FROM vc_materialisations WHERE Reservation IS NOT NULL);
)SQL",
            // The unique live name is a partial index, which only the embedded
            // SQLite database has (on MariaDB it is a plain index and the rule is
            // the pool's, under the immediate transaction).
            R"SQL(
DROP INDEX vcluster_reservations_live_name;
CREATE UNIQUE INDEX vcluster_reservations_live_name ON vcluster_reservations(Name)
  WHERE State NOT IN ('released', 'cancelled');
)SQL"};
}

}  // namespace vcluster::db
