#pragma once

#include "db/Schema.h"

// Each migration lives in its own file; Schema.cpp lists them in order.
namespace vcluster::db {

Migration migrationRocksCore();  // v1: Rocks core tables, VM tables, seed rows
Migration migrationReservations();  // v2: vcluster reservations, allocations, maintenance

}  // namespace vcluster::db
