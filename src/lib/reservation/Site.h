#pragma once

#include <map>
#include <string>
#include <unordered_map>

#include "calendar/Capacity.h"
#include "calendar/CapacityCalendar.h"
#include "db/Database.h"
#include "reservation/ReservationRequest.h"

namespace vcluster::reservation {

// What the site's attributes say about reservations: the physical capacity
// (vc_cpus, vc_memory, vc_public_ips, vc_pool_size, vc_vlan_range,
// vc_vni_range), the policy (vc_placement, vc_overcommit_*) and the request
// defaults (vc_default_*). Every attribute is listed in docs/attributes.md.
struct Site {
    calendar::Inventory inventory;
    calendar::Policy policy = calendar::Policy::Pack;
    double overcommitCpu = 1.0;
    double overcommitMemory = 1.0;
    ReservationDefaults defaults;
    Time bucketWidth = calendar::CapacityCalendar::kDefaultBucketWidth;
    // Host name -> (pool, index in the inventory): hashed, since reading a
    // day's bookings looks up every node of each (thousands).
    std::unordered_map<std::string, std::pair<calendar::Pool, int>> hostIndex;
};

Site loadSite(db::Database& db);

// "a.b.c.d", "a.b.c.d-a.b.c.e" or "a.b.c.d-e", comma separated, in order.
std::vector<std::string> parseAddressList(const std::string& text, const std::string& what);

// "2-4094"
calendar::IdRange parseIdRange(const std::string& text, const std::string& what);

// Refuses (Error naming the attribute) a value of a vc_* attribute that every
// later booking, sync or report would fail on: `rocks set attr` and `rocks
// set host attr` check before they write. Attributes it does not know pass.
void validateSiteAttribute(const std::string& attr, const std::string& value);

}  // namespace vcluster::reservation
