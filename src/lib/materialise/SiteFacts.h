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
//   the gateway         the installer and the answers: installerSite(), and
//                       the frontend's public gateway: publicGatewayFor()
// Values the database does not have keep the plan's defaults.
void completeFromDatabase(db::Database& db, ClusterPlan& plan);

// How a virtual frontend on `gateway` is installed (attributes resolved for
// that host; docs/attributes.md): rocks_version, vc_installer_kernel,
// vc_installer_initrd, vc_installer_isolinux, vc_kickstart_url and
// vc_roll_server (default: from Kickstart_PublicHostname, else
// Kickstart_PublicAddress), Kickstart_PublicNTPHost, Info_Certificate*,
// Info_ClusterContact, Info_ClusterLatlong, vc_root_login (password or
// key-only). Throws Error when no roll server can be named.
InstallerSite installerSite(db::Database& db, const std::string& gateway);

// The public gateway of the frontends on `gateway`: vc_public_gateway, else
// Rocks' Kickstart_PublicGateway. Throws Error when the site has neither.
std::string publicGatewayFor(db::Database& db, const std::string& gateway);

}  // namespace vcluster::materialise
