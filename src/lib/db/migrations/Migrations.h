#pragma once

#include "db/Schema.h"

// Each migration lives in its own file; Schema.cpp lists them in order.
namespace vcluster::db {

Migration migrationRocksCore();                // v1: Rocks core tables, VM tables, seed rows
Migration migrationReservationsPlaceholder();  // v2: placeholder on this branch only
Migration migrationMaterialisation();          // v3: materialised virtual clusters

}  // namespace vcluster::db
