#pragma once

#include "db/Database.h"
#include "materialise/ClusterPlan.h"

namespace vcluster::materialise {

// Completes a placed plan (name, owner, sizes, hosts chosen, VLAN/VNI,
// public IP) with what the site's Rocks database says, through the
// attribute and interface pools:
//   global attributes   Kickstart_PublicDNSServers, Kickstart_Timezone,
//                       Kickstart_PublicDNSDomain, Kickstart_PrivateDNSDomain,
//                       vc_iqn_authority (default: the public DNS domain
//                       reversed), vc_iqn_date, vc_private_network (a.b.c.d/n)
//   storage node attrs  vc_volume_group, vc_lv_kind (thick|thin), vc_thin_pool,
//                       vc_iscsi_target (tgt|lio)
//   every named host    its IP on the `private` network (iSCSI initiator
//                       address, VXLAN endpoint), vc_trunk_interface,
//                       vc_public_bridge, vc_public_vnet, vc_initiator_name
// Values the database does not have keep the plan's defaults.
void completeFromDatabase(db::Database& db, ClusterPlan& plan);

}  // namespace vcluster::materialise
