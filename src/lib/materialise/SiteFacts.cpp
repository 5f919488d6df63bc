#include "materialise/SiteFacts.h"

#include <algorithm>

#include "cluster/Attributes.h"
#include "cluster/Networks.h"
#include "util/Error.h"
#include "util/Strings.h"
#include "util/Validate.h"

namespace vcluster::materialise {

namespace {

std::string reversedDomain(const std::string& domain) {
    std::vector<std::string> labels = split(domain, '.');
    std::reverse(labels.begin(), labels.end());
    return toLower(join(labels, "."));
}

std::vector<std::string> namedHosts(const ClusterPlan& plan) {
    std::vector<std::string> hosts = {plan.frontend.gateway, plan.storage.node};
    for (const auto& c : plan.computes) {
        hosts.push_back(c.vmServer);
    }
    std::sort(hosts.begin(), hosts.end());
    hosts.erase(std::unique(hosts.begin(), hosts.end()), hosts.end());
    return hosts;
}

}  // namespace

InstallerSite installerSite(db::Database& db, const std::string& gateway) {
    AttributePool attrs(db);
    InstallerSite in;
    auto value = [&](const char* attr, std::string& into) {
        if (auto v = attrs.resolve(gateway, attr); v && !trim(*v).empty()) {
            into = trim(*v);
        }
    };
    value("rocks_version", in.rocksVersion);
    in.kernel = "/boot/kickstart/default/vmlinuz-" + in.rocksVersion + "-x86_64";
    in.initrd = "/boot/kickstart/default/initrd.img-" + in.rocksVersion + "-x86_64";
    value("vc_installer_kernel", in.kernel);
    value("vc_installer_initrd", in.initrd);
    value("vc_installer_isolinux", in.isolinux);
    // The physical frontend serves the kickstart and the rolls (Rocks'
    // Kickstart_PublicHostname, else its public address).
    std::string frontend;
    value("Kickstart_PublicAddress", frontend);
    value("Kickstart_PublicHostname", frontend);
    if (!frontend.empty()) {
        in.kickstartUrl = "http://" + frontend + "/install/sbin/kickstart.cgi";
        in.rollServer = "http://" + frontend + "/install/rolls/";
    }
    value("vc_kickstart_url", in.kickstartUrl);
    value("vc_roll_server", in.rollServer);
    if (in.rollServer.empty() || in.kickstartUrl.empty()) {
        throw Error(
            "no roll server for virtual frontends: set Rocks' Kickstart_PublicHostname (or "
            "vc_roll_server and vc_kickstart_url)");
    }
    value("Kickstart_PublicNTPHost", in.ntpHost);
    value("Info_CertificateOrganization", in.certificateOrganization);
    value("Info_CertificateLocality", in.certificateLocality);
    value("Info_CertificateState", in.certificateState);
    value("Info_CertificateCountry", in.certificateCountry);
    value("Info_ClusterContact", in.clusterContact);
    value("Info_ClusterLatlong", in.clusterLatlong);
    std::string login = "password";
    value("vc_root_login", login);
    if (login != "password" && login != "key-only") {
        throw Error("vc_root_login '" + login + "' must be password or key-only");
    }
    in.keyOnlyRoot = login == "key-only";
    return in;
}

std::string publicGatewayFor(db::Database& db, const std::string& gateway) {
    AttributePool attrs(db);
    for (const char* attr : {"vc_public_gateway", "Kickstart_PublicGateway"}) {
        if (auto v = attrs.resolve(gateway, attr); v && !trim(*v).empty()) {
            parseIPv4(trim(*v), attr);
            return trim(*v);
        }
    }
    throw Error("no public gateway for virtual frontends on " + gateway +
                ": set vc_public_gateway (or Rocks' Kickstart_PublicGateway)");
}

void completeFromDatabase(db::Database& db, ClusterPlan& plan) {
    AttributePool attrs(db);
    SiteInfo& site = plan.site;
    site.installer = installerSite(db, plan.frontend.gateway);
    plan.frontend.publicGateway = publicGatewayFor(db, plan.frontend.gateway);
    if (auto dns = attrs.global("Kickstart_PublicDNSServers")) {
        site.dnsServers.clear();
        for (const auto& s : split(*dns, ',')) {
            if (!trim(s).empty()) {
                site.dnsServers.push_back(trim(s));
            }
        }
    }
    site.timezone = attrs.global("Kickstart_Timezone").value_or(site.timezone);
    site.publicDomain = attrs.global("Kickstart_PublicDNSDomain").value_or(site.publicDomain);
    site.privateDomain = attrs.global("Kickstart_PrivateDNSDomain").value_or(site.privateDomain);
    site.iqnAuthority =
        attrs.global("vc_iqn_authority").value_or(reversedDomain(site.publicDomain));
    site.iqnDate = attrs.global("vc_iqn_date").value_or(site.iqnDate);
    if (auto net = attrs.global("vc_private_network")) {
        const auto slash = net->find('/');
        if (slash == std::string::npos) {
            throw Error("vc_private_network '" + *net + "' must be written a.b.c.d/prefix");
        }
        site.privateNetwork = net->substr(0, slash);
        site.privatePrefix = static_cast<int>(parseInteger(net->substr(slash + 1), "prefix"));
    }

    const std::string& storage = plan.storage.node;
    plan.storage.volumeGroup =
        attrs.resolve(storage, "vc_volume_group").value_or(plan.storage.volumeGroup);
    plan.storage.thinPool = attrs.resolve(storage, "vc_thin_pool").value_or(plan.storage.thinPool);
    if (auto kind = attrs.resolve(storage, "vc_lv_kind")) {
        plan.storage.lvKind = parseLvKind(*kind);
    }
    if (auto target = attrs.resolve(storage, "vc_iscsi_target")) {
        plan.storage.target = parseTargetKind(*target);
    }

    InterfacePool interfaces(db);
    site.hosts.clear();
    for (const auto& name : namedHosts(plan)) {
        PhysicalHost h;
        h.name = name;
        const std::vector<Interface> nics = interfaces.list(name);
        for (const auto& i : nics) {
            if (i.network == "private" && !i.ip.empty()) {
                h.address = i.ip;
                break;
            }
        }
        if (h.address.empty()) {
            throw Error("host '" + name + "' has no interface with an IP on the private network");
        }
        h.trunkInterface = attrs.resolve(name, "vc_trunk_interface").value_or(h.trunkInterface);
        h.publicBridge = attrs.resolve(name, "vc_public_bridge").value_or(h.publicBridge);
        // The public NIC: vc_public_interface, else the host's interface on
        // Rocks' public subnet; the address on it is the gateway's own.
        const auto publicNic = attrs.resolve(name, "vc_public_interface");
        for (const auto& i : nics) {
            if (publicNic ? i.device == *publicNic : i.network == "public") {
                h.publicInterface = i.device;
                if (i.network == "public" && !i.ip.empty()) {
                    h.publicAddress = i.ip;
                    h.publicNetmask = i.netmask;
                }
                break;
            }
        }
        if (publicNic && h.publicInterface.empty()) {
            h.publicInterface = *publicNic;  // not in the database: the NIC alone
        }
        h.publicVnet = attrs.resolve(name, "vc_public_vnet").value_or(h.publicVnet);
        h.initiatorName = attrs.resolve(name, "vc_initiator_name").value_or("");
        if (name == plan.frontend.gateway && !h.publicNetmask.empty()) {
            plan.frontend.publicNetmask = h.publicNetmask;  // the frontend shares its network
        }
        site.hosts.push_back(std::move(h));
    }
}

}  // namespace vcluster::materialise
