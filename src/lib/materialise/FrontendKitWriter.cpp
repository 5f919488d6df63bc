// The answers an unattended Rocks frontend install needs, the tenant's key
// and the list of computes (so they are named without insert-ethers'
// power-on-in-order dance).
#include "materialise/Writers.h"
#include "materialise/Xml.h"
#include "util/Strings.h"
#include "util/Validate.h"

namespace vcluster::materialise {

std::string FrontendKitWriter::siteAttrs(const FrontendKit& k) {
    // Rocks' site.attrs: one "Attr:Value" a line. Every value was validated
    // to be a single line of printable text.
    const int publicPrefix = parseNetmask(k.publicNetmask);
    const int privatePrefix = parseNetmask(k.privateNetmask);
    const std::string publicNetwork =
        formatIPv4(parseIPv4(k.publicIp) & prefixToMask(publicPrefix));
    const std::vector<std::pair<std::string, std::string>> attrs = {
        {"Info_FQDN", k.fqdn},
        {"Info_ClusterName", k.cluster},
        {"Kickstart_PublicHostname", k.fqdn},
        {"Kickstart_PublicInterface", "eth1"},
        {"Kickstart_PublicAddress", k.publicIp},
        {"Kickstart_PublicNetmask", k.publicNetmask},
        {"Kickstart_PublicNetmaskCIDR", std::to_string(publicPrefix)},
        {"Kickstart_PublicNetwork", publicNetwork},
        {"Kickstart_PublicGateway", k.publicGateway},
        {"Kickstart_PublicDNSDomain", k.publicDomain},
        {"Kickstart_PublicDNSServers", join(k.dnsServers, ",")},
        {"Kickstart_PrivateHostname", k.hostName},
        {"Kickstart_PrivateInterface", "eth0"},
        {"Kickstart_PrivateAddress", k.privateIp},
        {"Kickstart_PrivateNetmask", k.privateNetmask},
        {"Kickstart_PrivateNetmaskCIDR", std::to_string(privatePrefix)},
        {"Kickstart_PrivateNetwork", k.privateNetwork},
        {"Kickstart_PrivateDNSDomain", k.privateDomain},
        {"Kickstart_PrivateGateway", k.privateIp},
        {"Kickstart_PrivateDNSServers", k.privateIp},
        {"Kickstart_Timezone", k.timezone},
    };
    std::string s;
    for (const auto& [attr, value] : attrs) {
        s += attr;
        s += ':';
        s += value;
        s += '\n';
    }
    return s;
}

std::string FrontendKitWriter::rollsXml(const FrontendKit& k) {
    XmlDocument doc("rolls");
    for (const auto& r : k.rolls) {
        xmlNodePtr roll = XmlDocument::child(doc.root(), "roll");
        XmlDocument::attr(roll, "name", r.name);
        XmlDocument::attr(roll, "version", r.version);
        XmlDocument::attr(roll, "arch", r.arch);
    }
    return doc.str();
}

std::string FrontendKitWriter::computesCsv(const FrontendKit& k) {
    std::string s = "name,rank,mac,ip,cpus\n";
    for (const auto& c : k.computes) {
        s += c.name + "," + std::to_string(c.rank) + "," + c.mac + "," + c.ip + "," +
             std::to_string(c.cpus) + "\n";
    }
    return s;
}

std::string FrontendKitWriter::addComputesScript(const FrontendKit& k) {
    // Runs on the virtual frontend after its install.
    ShellScript script("add the computes of virtual cluster " + k.cluster +
                       " (run on its frontend)");
    script.section("kit");
    for (const auto& c : k.computes) {
        script.ensure({{"rocks", "list", "host", c.name}},
                      {{"rocks", "add", "host", c.name, "membership=Compute", "rack=0",
                        "rank=" + std::to_string(c.rank), "cpus=" + std::to_string(c.cpus)},
                       {"rocks", "add", "host", "interface", c.name, "eth0", "mac=" + c.mac,
                        "ip=" + c.ip, "subnet=private"}});
    }
    script.run({"rocks", "sync", "config"});
    return script.render();
}

FileTree FrontendKitWriter::files(const FrontendKit& k) {
    FileTree t;
    t.add("site.attrs", siteAttrs(k), 0644);
    t.add("rolls.xml", rollsXml(k), 0644);
    t.add("authorized_keys", k.sshPublicKey + "\n", 0600);
    t.add("computes.csv", computesCsv(k), 0644);
    t.add("add-computes.sh", addComputesScript(k), 0755);
    return t;
}

std::string FrontendKitWriter::installDirectory(const FrontendKit& k) {
    return "/export/vcluster/" + k.cluster + "/kit";
}

void FrontendKitWriter::apply(const FrontendKit& k, HostOutput& out) {
    out.apply.section("kit");
    const FileTree kitFiles = files(k);
    for (const auto& [name, file] : kitFiles.files()) {
        const std::string rel = "files/kit/" + k.cluster + "/" + name;
        out.files.add(rel, file.content, file.mode);
        out.apply.installFile(rel, installDirectory(k) + "/" + name, file.mode);
    }
}

void FrontendKitWriter::teardown(const FrontendKit& k, HostOutput& out) {
    out.teardown.section("kit");
    const FileTree kitFiles = files(k);
    for (const auto& [name, file] : kitFiles.files()) {
        out.teardown.removeFile(installDirectory(k) + "/" + name);
    }
}

}  // namespace vcluster::materialise
