#pragma once

#include "db/Database.h"
#include "materialise/ClusterPlan.h"
#include "reservation/ReservationPool.h"

namespace vcluster::lifecycle {

// The bridge between admission and materialisation: an admitted, placed
// reservation becomes the typed plan the generators consume, completed with
// the site's facts (host addresses, volume group, target kind...) from the
// database.
materialise::ClusterPlan planFor(db::Database& db, const reservation::StoredReservation& r);

// The certificates vc-power on a virtual frontend trusts the portal with:
// the PEM file the site's vc_portal_cacert names, read now (a kit carries
// the text), or "" when the site names none (the system's CAs).
std::string portalCaCertificates(db::Database& db);

}  // namespace vcluster::lifecycle

#include "materialise/Materialisation.h"

namespace vcluster::lifecycle {

// The cluster as materialised, or, for a reservation that has not started
// yet, a preview resolved from its placement (its MACs are provisional
// until the start: another cluster may take them first).
materialise::Materialisation currentPlan(db::Database& db, const std::string& cluster);

}  // namespace vcluster::lifecycle
