#pragma once

#include "db/Schema.h"

// Each migration lives in its own file; Schema.cpp lists them in order.
namespace vcluster::db {

Migration migrationRocksCore();        // v1: Rocks core tables, VM tables, seed rows
Migration migrationReservations();     // v2: reservations, allocations, maintenance
Migration migrationMaterialisation();  // v3: materialised virtual clusters
Migration migrationJournal();          // v4: lifecycle journal, failure reasons
Migration migrationSnapshots();        // v5: install phase, power windows, snapshots
Migration migrationPortalAccounts();   // v6: portal users, API tokens, web sessions
Migration migrationSnapshotRemoval();  // v7: snapshot removal requests
Migration migrationIntervalIndex();    // v12: span class and indexes (issue 16)

}  // namespace vcluster::db
