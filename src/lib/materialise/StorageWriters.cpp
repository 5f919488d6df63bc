// LVM volumes, the iSCSI target (tgt and LIO) and the initiator logins.
#include <algorithm>

#include "materialise/Writers.h"
#include "util/Error.h"

namespace vcluster::materialise {

namespace {

std::string sizeInBytes(std::uint64_t bytes) { return std::to_string(bytes) + "b"; }

std::string safeFileName(const std::string& cluster) { return "vcluster-" + cluster; }

}  // namespace

std::string tgtLunLine(int lun) { return "        LUN: " + std::to_string(lun); }

namespace {}  // namespace

void LvmWriter::apply(const std::vector<LogicalVolume>& volumes, HostOutput& out) {
    out.apply.section("lvm");
    for (const auto& lv : volumes) {
        const std::string path = lv.volumeGroup + "/" + lv.name;
        if (lv.kind == LvKind::Thick) {
            // Its extents may hold a previous tenant's blocks: made under a
            // temporary name, zeroed, then renamed (new_zeroed_lv), so an
            // interrupted apply never leaves an unzeroed LV under the name
            // the target exports.
            out.apply.ensure({{"lvs", path}}, {{"new_zeroed_lv", lv.volumeGroup, lv.name,
                                                std::to_string(lv.bytes)}});
        } else {
            // The thin pool is the site's (sized by the admin); volumes are
            // over-committed into it. Its zeroing is on, so a block newly
            // given to a volume never shows what it held before.
            if (std::none_of(volumes.begin(), volumes.end(), [&](const auto& other) {
                    return &other < &lv && other.kind == LvKind::Thin &&
                           other.thinPool == lv.thinPool && other.volumeGroup == lv.volumeGroup;
                })) {
                out.apply.run({"lvchange", "--zero", "y", lv.volumeGroup + "/" + lv.thinPool});
            }
            out.apply.ensure({{"lvs", path}},
                             {{"lvcreate", "--yes", "-V", sizeInBytes(lv.bytes), "-T",
                               lv.volumeGroup + "/" + lv.thinPool, "-n", lv.name}});
        }
    }
}

void LvmWriter::teardown(const std::vector<LogicalVolume>& volumes, HostOutput& out) {
    out.teardown.section("lvm");
    for (const auto& lv : volumes) {
        const std::string path = lv.volumeGroup + "/" + lv.name;
        out.teardown.whenPresent({{"lvs", path}}, {{"lvremove", "--yes", path}});
        if (lv.kind == LvKind::Thick) {
            // What an interrupted new_zeroed_lv left.
            out.teardown.whenPresent({{"lvs", path + "-zeroing"}},
                                     {{"lvremove", "--yes", path + "-zeroing"}});
        }
    }
}

std::string TgtTargetWriter::fragmentPath(const TargetConfig& target) {
    return "/etc/tgt/conf.d/" + safeFileName(target.cluster) + ".conf";
}

std::string TgtTargetWriter::fragment(const TargetConfig& t) {
    // targets.conf has no quoting: every value here was validated to be free
    // of blanks and '<>' (IQN, paths, user, alphanumeric secret, addresses).
    std::string s = "# vcluster " + t.cluster + ": iSCSI target (generated; do not edit)\n";
    s += "<target " + t.iqn + ">\n";
    for (const auto& lun : t.luns) {
        s += "    <backing-store " + lun.backingStore + ">\n";
        s += "        lun " + std::to_string(lun.lun) + "\n";
        s += "    </backing-store>\n";
    }
    s += "    incominguser " + t.chap.user + " " + t.chap.secret + "\n";
    // tgt grants a login when the initiator's address OR its name is in the
    // ACL, and tgt-admin adds "ALL" addresses when none is listed; so the
    // ACL is by address only (names would only widen it).
    for (const auto& address : t.initiatorAddresses) {
        s += "    initiator-address " + address + "\n";
    }
    s += "</target>\n";
    return s;
}

void TgtTargetWriter::apply(const TargetConfig& t, HostOutput& out) const {
    const std::string file = "files/tgt/" + safeFileName(t.cluster) + ".conf";
    out.files.add(file, fragment(t), 0600);  // holds the CHAP secret
    out.apply.section("target");
    out.apply.installFile(file, fragmentPath(t), 0600);
    out.apply.ensure({{"tgtadm", Word::raw("\"${tgt_opts[@]}\""), "--lld", "iscsi", "--mode",
                       "target", "--op", "show"},
                      {"has_field", "3", t.iqn}},
                     {{"tgt-admin", Word::raw("\"${tgt_opts[@]}\""), "-c",
                       Word::under("root", fragmentPath(t)), "--update", t.iqn}});
    // A target that runs already (a cluster grown while in use: tgt-admin
    // --update leaves a target with sessions alone) gets its new LUNs and
    // initiator addresses live; the fragment above makes them so at boot.
    const ShellCommand show = {
        "tgtadm", Word::raw("\"${tgt_opts[@]}\""), "--lld", "iscsi", "--mode", "target", "--op",
        "show"};
    const Word tid = Word::raw("\"$(tgt_tid " + shellQuote(t.iqn) + ")\"");
    for (const auto& lun : t.luns) {
        out.apply.ensure({show, {"tgt_target", t.iqn}, {"grep", "-Fxe", tgtLunLine(lun.lun)}},
                         {{"tgtadm", Word::raw("\"${tgt_opts[@]}\""), "--lld", "iscsi", "--mode",
                           "logicalunit", "--op", "new", "--tid", tid, "--lun",
                           std::to_string(lun.lun), "--backing-store", lun.backingStore}});
    }
    for (const auto& address : t.initiatorAddresses) {
        out.apply.ensure(
            {show, {"tgt_target", t.iqn}, {"grep", "-Fxe", "        " + address}},
            {{"tgtadm", Word::raw("\"${tgt_opts[@]}\""), "--lld", "iscsi", "--mode", "target",
              "--op", "bind", "--tid", tid, "--initiator-address", address}});
    }
}

void TgtTargetWriter::teardown(const TargetConfig& t, HostOutput& out) const {
    out.teardown.section("target");
    out.teardown.whenPresent(
        {{"tgtadm", Word::raw("\"${tgt_opts[@]}\""), "--lld", "iscsi", "--mode", "target", "--op",
          "show"},
         {"has_field", "3", t.iqn}},
        {{"tgt-admin", Word::raw("\"${tgt_opts[@]}\""), "--force", "--delete", t.iqn}});
    // tgt keeps the CHAP account after its target is gone.
    out.teardown.whenPresent({{"tgtadm", Word::raw("\"${tgt_opts[@]}\""), "--lld", "iscsi",
                               "--mode", "account", "--op", "show"},
                              {"grep", "-Fxe", "    " + t.chap.user}},
                             {{"tgtadm", Word::raw("\"${tgt_opts[@]}\""), "--lld", "iscsi",
                               "--mode", "account", "--op", "delete", "--user", t.chap.user}});
    out.teardown.removeFile(fragmentPath(t));
}

void LioTargetWriter::apply(const TargetConfig& t, HostOutput& out) const {
    const std::string tpg = "/iscsi/" + t.iqn + "/tpg1";
    const std::string secretFile = "files/lio/" + safeFileName(t.cluster) + ".secret";
    out.files.add(secretFile, t.chap.secret + "\n", 0600);
    out.apply.section("target");
    for (const auto& lun : t.luns) {
        out.apply.ensure({{"targetcli", "/backstores/block/" + lun.name, "ls"}},
                         {{"targetcli", "/backstores/block", "create", "name=" + lun.name,
                           "dev=" + lun.backingStore}});
    }
    out.apply.ensure(
        {{"targetcli", "/iscsi/" + t.iqn, "ls"}},
        {{"targetcli", "/iscsi", "create", t.iqn},
         {"targetcli", tpg + "/portals", "delete", "0.0.0.0", "3260"},
         {"targetcli", tpg + "/portals", "create", t.portalAddress, std::to_string(t.portalPort)}});
    for (const auto& lun : t.luns) {
        out.apply.ensure({{"targetcli", tpg + "/luns/lun" + std::to_string(lun.lun), "ls"}},
                         {{"targetcli", tpg + "/luns", "create", "/backstores/block/" + lun.name,
                           "lun=" + std::to_string(lun.lun), "add_mapped_luns=false"}});
    }
    // LIO's ACLs are by initiator name, each with the cluster's CHAP secret.
    for (const auto& name : t.initiatorNames) {
        const std::string acl = std::string(tpg).append("/acls/").append(name);
        out.apply.ensure({{"targetcli", acl, "ls"}},
                         {{"targetcli", tpg + "/acls", "create", name, "add_mapped_luns=true"}});
        out.apply.run({"targetcli", acl, "set", "auth", "userid=" + t.chap.user});
        // The password goes into the ACL's configfs attribute from the file
        // (targetcli would take it only as an argument, seen by every user
        // in the process list); saveconfig below keeps it, as targetcli's
        // own `set auth` does.
        out.apply.run({"lio_acl_secret", t.iqn, name, Word::under("here", "/" + secretFile)});
    }
    out.apply.run(
        {"targetcli", tpg, "set", "attribute", "authentication=1", "generate_node_acls=0"});
    out.apply.run({"targetcli", "saveconfig"});
}

void LioTargetWriter::teardown(const TargetConfig& t, HostOutput& out) const {
    out.teardown.section("target");
    out.teardown.whenPresent({{"targetcli", "/iscsi/" + t.iqn, "ls"}},
                             {{"targetcli", "/iscsi", "delete", t.iqn}});
    for (const auto& lun : t.luns) {
        out.teardown.whenPresent({{"targetcli", "/backstores/block/" + lun.name, "ls"}},
                                 {{"targetcli", "/backstores/block", "delete", lun.name}});
    }
    out.teardown.run({"targetcli", "saveconfig"});
}

std::unique_ptr<TargetDriver> makeTargetDriver(TargetKind kind) {
    if (kind == TargetKind::Lio) {
        return std::make_unique<LioTargetWriter>();
    }
    return std::make_unique<TgtTargetWriter>();
}

void IscsiLoginWriter::apply(const IscsiLogin& l, HostOutput& out) {
    const std::string portal = l.portalAddress + ":" + std::to_string(l.portalPort);
    const std::string secretFile = "files/iscsi/" + safeFileName(l.cluster) + ".secret";
    out.files.add(secretFile, l.chap.secret + "\n", 0600);
    const ShellCommand node = {"iscsiadm", "-m", "node", "-T", l.iqn, "-p", portal};
    auto update = [&](const std::string& key, const Word& value) {
        ShellCommand c = node;
        c.insert(c.end(), {Word("-o"), Word("update"), Word("-n"), Word(key), Word("-v"), value});
        return c;
    };
    out.apply.section("iscsi");
    // Only add records: a plain discovery also rewrites the records of targets
    // already known here (another cluster's) from iscsid.conf, dropping their
    // CHAP settings.
    out.apply.ensure(
        {node}, {{"iscsiadm", "-m", "discovery", "-t", "sendtargets", "-p", portal, "-o", "new"}});
    out.apply.run(update("node.session.auth.authmethod", "CHAP"));
    out.apply.run(update("node.session.auth.username", l.chap.user));
    out.apply.run(update("node.startup", "automatic"));
    // The password last, into the record files themselves: iscsiadm would
    // take it only as -v VALUE, in every user's view of the process list.
    out.apply.run({"iscsi_node_secret", l.iqn, portal, Word::under("here", "/" + secretFile)});
    ShellCommand login = node;
    login.push_back("--login");
    out.apply.ensure({{"iscsiadm", "-m", "session"}, {"has_field", "4", l.iqn}}, {login});
    for (const auto& path : l.byPaths) {
        out.apply.run({"wait_for_block", path});
    }
}

void IscsiLoginWriter::teardown(const IscsiLogin& l, HostOutput& out) {
    const std::string portal = l.portalAddress + ":" + std::to_string(l.portalPort);
    const ShellCommand node = {"iscsiadm", "-m", "node", "-T", l.iqn, "-p", portal};
    ShellCommand logout = node;
    logout.push_back("--logout");
    ShellCommand remove = node;
    remove.push_back("-o");
    remove.push_back("delete");
    out.teardown.section("iscsi");
    out.teardown.whenPresent({{"iscsiadm", "-m", "session"}, {"has_field", "4", l.iqn}}, {logout});
    out.teardown.whenPresent({node}, {remove});
}

}  // namespace vcluster::materialise
