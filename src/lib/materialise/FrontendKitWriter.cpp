// The answers an unattended Rocks frontend install needs, the tenant's key
// and the list of computes (so they are named without insert-ethers'
// power-on-in-order dance).
#include <cstdio>

#include "materialise/Writers.h"
#include "materialise/Xml.h"
#include "util/Strings.h"
#include "util/Validate.h"

namespace vcluster::materialise {

namespace {

// FNV-1a of the cluster's name: the kit image's FAT volume serial.
std::uint32_t kitSerial(const std::string& cluster) {
    std::uint32_t h = 2166136261u;
    for (unsigned char c : cluster) {
        h = (h ^ c) * 16777619u;
    }
    return h;
}

// vc-power, on the virtual frontend: this cluster's nodes through the
// site's portal with the cluster's own credential (/root/.vc-power.conf,
// written from the kit: portal=, cluster=, token=, optional cacert=), which
// can act on this cluster's nodes and nothing else. Values are read as data
// (never sourced); the token travels in a curl config on a pipe, never in a
// command line.
constexpr const char* kVcPower = R"SH(#!/bin/bash
# vc-power: the nodes of this virtual cluster, through the site's portal.
#   vc-power list                              every node: power, host, last action
#   vc-power NODE on|off|reset|reinstall       one node (frontend, compute-0-N)
#   vc-power NODE rollback [LABEL]             its disk back to a snapshot (installed)
#   vc-power NODE history                      its last actions
#   vc-power NODE console                      capture the tail of its serial console
#   vc-power NODE tail                         the last capture
# The site's next `rocks sync vcluster` carries an action out.
set -euo pipefail
conf=${VC_POWER_CONF:-/root/.vc-power.conf}
die() {
    echo "error - $*" >&2
    exit 1
}
usage() { die "usage: vc-power list | NODE on|off|reset|reinstall|console|tail|history | NODE rollback [LABEL]"; }
[[ -r $conf ]] || die "no credential file $conf"
portal="" cluster="" token="" cacert=""
while IFS='=' read -r key value; do
    case $key in
    portal) portal=$value ;;
    cluster) cluster=$value ;;
    token) token=$value ;;
    cacert) cacert=$value ;;
    esac
done <"$conf"
[[ -n $portal && -n $cluster && -n $token ]] || die "$conf lacks portal=, cluster= or token="
opts=(-sS --max-time 60 -w '\n%{http_code}')
[[ -z $cacert ]] || opts+=(--cacert "$cacert")
# call METHOD PATH [BODY]: the answer's body; a refusal is its one-line error.
call() {
    local out code message err reason
    local -a body=()
    [[ $# -lt 3 ]] || body=(-H 'Content-Type: application/json' --data-binary "$3")
    err=$(mktemp)
    if ! out=$(curl "${opts[@]}" -K <(printf 'header = "Authorization: Bearer %s"\n' "$token") \
        -X "$1" "${body[@]}" -- "$portal$2" 2>"$err"); then
        reason=$(head -n 1 "$err")
        rm -f "$err"
        die "cannot reach the portal $portal: ${reason#curl: }"
    fi
    rm -f "$err"
    code=${out##*$'\n'}
    out=${out%$'\n'*}
    if [[ $code != 2?? ]]; then
        message=$(printf '%s' "$out" | sed -n 's/^{"error":"\(.*\)"}$/\1/p')
        die "${message:-the portal answered HTTP $code}"
    fi
    printf '%s\n' "$out"
}
base=/api/v1/reservations/$cluster/nodes
[[ $# -ge 1 ]] || usage
if [[ $1 == list ]]; then
    [[ $# -eq 1 ]] || usage
    call GET "$base"
    exit 0
fi
node=$1
[[ $node =~ ^(frontend|compute-0-[0-9]{1,4})$ ]] || die "unknown node '$node' (frontend or compute-0-N)"
action=${2:-}
case $action in
history)
    [[ $# -eq 2 ]] || usage
    call GET "$base/$node/actions"
    ;;
tail)
    [[ $# -eq 2 ]] || usage
    call GET "$base/$node/console"
    ;;
on | off | reset | reinstall | console)
    [[ $# -eq 2 ]] || usage
    if [[ $action == reinstall && $node != frontend ]] && command -v rocks >/dev/null 2>&1; then
        # This frontend's PXE answer for the node decides what it boots:
        # the installer, as Rocks' own reinstall asks.
        rocks set host boot "$node" action=install || die "rocks set host boot $node failed"
    fi
    call POST "$base/$node/actions" "{\"action\":\"$action\"}"
    ;;
rollback)
    [[ $# -le 3 ]] || usage
    label=${3:-installed}
    [[ $label =~ ^[a-z0-9][a-z0-9-]{0,23}$ ]] || die "bad snapshot label '$label'"
    call POST "$base/$node/actions" "{\"action\":\"rollback\",\"label\":\"$label\"}"
    ;;
*) usage ;;
esac
)SH";

}  // namespace

std::vector<std::pair<std::string, std::string>> FrontendKitWriter::siteAttrList(
    const FrontendKit& k) {
    // The answers to every screen of Rocks' frontend installer (its
    // installclass skips them when /tmp/site.attrs exists, and runs lights
    // out with /tmp/rolls.xml too). Every value was validated to be a single
    // line of printable text.
    const int publicPrefix = parseNetmask(k.publicNetmask);
    const int privatePrefix = parseNetmask(k.privateNetmask);
    const std::uint32_t publicMask = prefixToMask(publicPrefix);
    const std::uint32_t privateMask = prefixToMask(privatePrefix);
    const std::uint32_t publicIp = parseIPv4(k.publicIp);
    const std::uint32_t privateNet = parseIPv4(k.privateNetwork) & privateMask;
    const InstallerSite& in = k.installer;
    const std::string version = in.rocksVersion;
    const std::string major = version.substr(0, version.find('.'));
    return {
        {"Info_FQDN", k.fqdn},
        {"Info_ClusterName", k.cluster},
        {"Info_ClusterContact", in.clusterContact.empty() ? "root@" + k.fqdn : in.clusterContact},
        {"Info_ClusterURL", "http://" + k.fqdn + "/"},
        {"Info_ClusterLatlong", in.clusterLatlong},
        {"Info_CertificateOrganization", in.certificateOrganization},
        {"Info_CertificateLocality", in.certificateLocality},
        {"Info_CertificateState", in.certificateState},
        {"Info_CertificateCountry", in.certificateCountry},
        {"Kickstart_PublicHostname", k.fqdn},
        {"Kickstart_PublicInterface", "eth1"},
        {"Kickstart_PublicAddress", k.publicIp},
        {"Kickstart_PublicNetmask", k.publicNetmask},
        {"Kickstart_PublicNetmaskCIDR", std::to_string(publicPrefix)},
        {"Kickstart_PublicNetwork", formatIPv4(publicIp & publicMask)},
        {"Kickstart_PublicBroadcast", formatIPv4(publicIp | ~publicMask)},
        {"Kickstart_PublicMTU", "1500"},
        {"Kickstart_PublicGateway", k.publicGateway},
        {"Kickstart_PublicDNSDomain", k.publicDomain},
        {"Kickstart_PublicDNSServers", join(k.dnsServers, ",")},
        {"Kickstart_PublicNTPHost", in.ntpHost},
        {"Kickstart_PrivateHostname", k.hostName},
        {"Kickstart_PrivateInterface", "eth0"},
        {"Kickstart_PrivateAddress", k.privateIp},
        {"Kickstart_PrivateNetmask", k.privateNetmask},
        {"Kickstart_PrivateNetmaskCIDR", std::to_string(privatePrefix)},
        {"Kickstart_PrivateNetwork", formatIPv4(privateNet)},
        {"Kickstart_PrivateBroadcast", formatIPv4(privateNet | ~privateMask)},
        {"Kickstart_PrivateMTU", "1500"},
        {"Kickstart_PrivateDNSDomain", k.privateDomain},
        {"Kickstart_PrivateGateway", k.privateIp},
        {"Kickstart_PrivateDNSServers", k.privateIp},
        {"Kickstart_PrivateNTPHost", k.privateIp},
        {"Kickstart_Timezone", k.timezone},
        // The form's Private_PureRootPassword, already hashed; "!" (no
        // password can match) for a reservation booked without one.
        {"Kickstart_PrivateRootPassword",
         k.rootPasswordHash.empty() ? std::string("!") : k.rootPasswordHash},
        {"Server_Partitioning", "force-default-root-disk-only"},
        {"rocks_version", version},
        {"rocks_version_major", major},
        {"os", "linux"},
        // Read by this roll's node file for virtual frontends (site.attrs
        // become attributes of the virtual frontend's own database).
        {"vc_virtual_frontend", "yes"},
        {"vc_root_login", in.keyOnlyRoot ? "key-only" : "password"},
        {"vc_install_token", k.installToken},
    };
}

std::string FrontendKitWriter::siteAttrs(const FrontendKit& k) {
    std::string s;
    for (const auto& [attr, value] : siteAttrList(k)) {
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
        XmlDocument::attr(roll, "url", k.installer.rollServer);
        XmlDocument::attr(roll, "diskid", "");
    }
    return doc.str();
}

std::string FrontendKitWriter::isolinuxCfg(const FrontendKit& k) {
    return "default install\nprompt 0\ntimeout 1\nlabel install\n  kernel vmlinuz\n"
           "  append initrd=initrd.img " +
           k.boot.cmdline + "\n";
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
        // They PXE-boot first (the domain's boot order) and install from here.
        script.run({"rocks", "set", "host", "boot", c.name, "action=install"});
    }
    // dhcpd.conf (name and address by MAC), DNS, the PXE configuration.
    script.run({"rocks", "sync", "config"});
    return script.render();
}

FileTree FrontendKitWriter::files(const FrontendKit& k) {
    // Root only: the hash of root's password and the tenant's key.
    FileTree t;
    t.add("site.attrs", siteAttrs(k), 0600);
    t.add("rolls.xml", rollsXml(k), 0600);
    t.add("authorized_keys", k.sshPublicKey + "\n", 0600);
    t.add("computes.csv", computesCsv(k), 0600);
    t.add("add-computes.sh", addComputesScript(k), 0700);
    if (!k.portalUrl.empty() && !k.powerToken.empty()) {
        t.add("vc-power", kVcPower, 0700);
        std::string conf =
            "portal=" + k.portalUrl + "\ncluster=" + k.cluster + "\ntoken=" + k.powerToken + "\n";
        if (!k.portalCaPem.empty()) {
            // The site's own CA (a self-signed portal): installed beside the
            // credential by the node file, where cacert= names it.
            t.add("vc-power-ca.pem", k.portalCaPem, 0600);
            conf += std::string("cacert=") + kVcPowerCaPath + "\n";
        }
        t.add("vc-power.conf", conf, 0600);
    }
    return t;
}

std::string FrontendKitWriter::installDirectory(const FrontendKit& k) {
    return kitDirectory(k.cluster) + "/kit";
}

void FrontendKitWriter::apply(const FrontendKit& k, HostOutput& out) {
    out.apply.section("kit");
    // Before anything is made: the installer the VM will boot must be here.
    // Like the paths in the domain XML, these are the host's own (under an
    // install root, in tests, there is no hypervisor to read them).
    std::vector<std::pair<std::string, std::string>> needed = {
        {k.installer.kernel, "installer kernel (vc_installer_kernel)"},
        {k.installer.initrd, "installer initrd (vc_installer_initrd)"}};
    if (k.hypervisor == Hypervisor::VMware) {
        needed.emplace_back(k.installer.isolinux, "isolinux (vc_installer_isolinux)");
    }
    for (const auto& [path, what] : needed) {
        std::string missing = "error - ";
        missing += what;
        missing += ' ';
        missing += path;
        missing += " is missing on this host";
        out.apply.ensure({{"host_file", path}},
                         {{"echo", missing, Word::raw(">&2")}, {"exit", "1"}});
    }
    const std::string dir = kitDirectory(k.cluster);
    for (const auto& d : {dir, installDirectory(k)}) {
        out.apply.run({"install", "-d", "-m", "0700", "--", Word::under("root", d)});
    }
    const FileTree kitFiles = files(k);
    for (const auto& [name, file] : kitFiles.files()) {
        const std::string rel = "files/kit/" + k.cluster + "/" + name;
        out.files.add(rel, file.content, file.mode);
        out.apply.installFile(rel, installDirectory(k) + "/" + name, file.mode);
    }
    // The kit image attached to the VM (a 1.44 MB FAT floppy image, label
    // VCKIT, made with mtools): the installer hook of this roll copies
    // site.attrs and rolls.xml from it into the installer's /tmp.
    const std::string image = kitImagePath(k.cluster);
    const Word tmp = Word::under("root", image + ".tmp");
    out.apply.run({"rm", "-f", "--", tmp});
    // Byte for byte the same on every run (time stamps, volume serial).
    char serial[9];
    std::snprintf(serial, sizeof serial, "%08x", kitSerial(k.cluster));
    out.apply.run({"env", "SOURCE_DATE_EPOCH=0", "mformat", "-i", tmp, "-C", "-f", "1440", "-v",
                   kKitLabel, "-N", serial, "::"});
    for (const auto& [name, file] : kitFiles.files()) {
        out.apply.run({"env", "SOURCE_DATE_EPOCH=0", "mcopy", "-o", "-i", tmp, "--",
                       Word::under("root", installDirectory(k) + "/" + name), "::" + name});
    }
    out.apply.run({"chmod", "0600", "--", tmp});
    out.apply.run({"mv", "-f", "--", tmp, Word::under("root", image)});
    if (k.hypervisor == Hypervisor::VMware) {
        // VMware Server cannot boot a kernel directly: a per-cluster boot CD
        // with the installer and its command line (isolinux).
        const std::string cd = dir + "/boot";
        const std::string cfg = "files/kit/" + k.cluster + "/isolinux.cfg";
        out.files.add(cfg, isolinuxCfg(k), 0600);
        out.apply.installFile(cfg, cd + "/isolinux/isolinux.cfg", 0600);
        out.apply.run({"install", "-m", "0600", "--", Word::under("root", k.installer.isolinux),
                       Word::under("root", cd + "/isolinux/isolinux.bin")});
        out.apply.run({"install", "-m", "0600", "--", Word::under("root", k.installer.kernel),
                       Word::under("root", cd + "/isolinux/vmlinuz")});
        out.apply.run({"install", "-m", "0600", "--", Word::under("root", k.installer.initrd),
                       Word::under("root", cd + "/isolinux/initrd.img")});
        const Word iso = Word::under("root", bootIsoPath(k.cluster) + ".tmp");
        out.apply.run({"xorriso", "-as", "mkisofs", "-quiet", "-V", "VCBOOT", "-o", iso, "-b",
                       "isolinux/isolinux.bin", "-c", "isolinux/boot.cat", "-no-emul-boot",
                       "-boot-load-size", "4", "-boot-info-table", Word::under("root", cd)});
        out.apply.run({"chmod", "0600", "--", iso});
        out.apply.run({"mv", "-f", "--", iso, Word::under("root", bootIsoPath(k.cluster))});
    }
}

void FrontendKitWriter::teardown(const FrontendKit& k, HostOutput& out) {
    out.teardown.section("kit");
    const FileTree kitFiles = files(k);
    for (const auto& [name, file] : kitFiles.files()) {
        out.teardown.removeFile(installDirectory(k) + "/" + name);
    }
    const std::string dir = kitDirectory(k.cluster);
    out.teardown.run({"rm", "-rf", "--", Word::under("root", dir + "/boot")});
    for (const auto& f : {kitImagePath(k.cluster), kitImagePath(k.cluster) + ".tmp",
                          bootIsoPath(k.cluster), bootIsoPath(k.cluster) + ".tmp"}) {
        out.teardown.removeFile(f);
    }
    for (const auto& d : {installDirectory(k), dir}) {
        out.teardown.whenPresent(
            {{"stat", "--", Word::under("root", d)}},
            {{"rmdir", "--ignore-fail-on-non-empty", "--", Word::under("root", d)}});
    }
}

}  // namespace vcluster::materialise
