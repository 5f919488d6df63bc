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
Migration migrationBooksAndHosts();    // v8: failed hold their name, built sizes, history
Migration migrationBuiltChanges();     // v18: power cycle requests of built clusters
Migration migrationCourseCalendar();   // v10: reservation time zones, skipped dates, groups
Migration migrationRocksNativeRows();  // v14: guest addresses apart, hosts' VLAN rows
Migration migrationResolveChain();     // v15: Rocks' resolvechain (embedded only)
Migration migrationRootPasswords();    // v16: virtual frontends' root password hashes
Migration migrationIntervalIndex();    // v17: span class and indexes (reading only what overlaps)
Migration migrationNodeActions();      // v19: tenants' node actions, cluster-scoped tokens
Migration migrationListingIndex();     // v20: listing order index of reservations
Migration migrationAllocationCover();  // v21: covering index of allocations by reservation
Migration migrationCalendarBucket();   // v22: calendar buckets of four hours

}  // namespace vcluster::db
