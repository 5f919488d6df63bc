#pragma once

#include "db/Database.h"

namespace vcluster::db {

// What the roll needs of a Rocks frontend's own database (Rocks 6.2/7
// layout: attributes with categories, catindex and resolvechain). Throws a
// Refusal naming the first missing tables and columns, e.g. Rocks 6.1's flat
// attribute tables, before anything is written.
void checkRocksLayout(Database& db);

// The roll's appliances (gateway, vm-server, storage) with their catindex
// rows and memberships (Gateway, VM Server, Storage), added where missing as
// Rocks' `rocks add appliance` and `rocks add membership` would: what the
// roll's install does on a real frontend. Leaves existing rows alone.
void registerRollAppliances(Database& db);

}  // namespace vcluster::db
