// Unit tests of the writers: each model's output is parsed back (libxml2 for
// XML) and its fields checked.
#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <sys/stat.h>

#include <regex>

#include "Fixtures.h"
#include "materialise/Generator.h"
#include "materialise/Materialisation.h"
#include "materialise/Models.h"
#include "materialise/ShellScript.h"
#include "materialise/Writers.h"
#include "support/FakeHosts.h"
#include "support/Process.h"
#include "util/Error.h"

using namespace vcluster;
using namespace vcluster::materialise;

namespace {

// XPath queries over a parsed document.
class Parsed {
  public:
    explicit Parsed(const std::string& xml)
        : doc_(xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "gen.xml", nullptr,
                             XML_PARSE_NONET)) {}
    ~Parsed() {
        if (doc_ != nullptr) {
            xmlFreeDoc(doc_);
        }
    }
    bool ok() const { return doc_ != nullptr; }
    std::vector<std::string> all(const std::string& xpath) const {
        std::vector<std::string> out;
        xmlXPathContextPtr ctx = xmlXPathNewContext(doc_);
        xmlXPathObjectPtr res =
            xmlXPathEvalExpression(reinterpret_cast<const xmlChar*>(xpath.c_str()), ctx);
        if (res != nullptr && res->nodesetval != nullptr) {
            for (int i = 0; i < res->nodesetval->nodeNr; ++i) {
                xmlChar* text = xmlNodeGetContent(res->nodesetval->nodeTab[i]);
                out.emplace_back(reinterpret_cast<const char*>(text));
                xmlFree(text);
            }
        }
        xmlXPathFreeObject(res);
        xmlXPathFreeContext(ctx);
        return out;
    }
    std::string one(const std::string& xpath) const {
        auto v = all(xpath);
        return v.size() == 1 ? v[0] : "<" + std::to_string(v.size()) + " matches>";
    }

  private:
    xmlDocPtr doc_;
};

Materialisation sample(Hypervisor h = Hypervisor::Kvm, NetworkKind n = NetworkKind::Vlan,
                       int computes = 3) {
    return resolve(test::samplePlan("alpha", 100, computes, h, n), {});
}

}  // namespace

TEST(ShellQuote, QuotesEverything) {
    EXPECT_EQ(shellQuote("plain"), "plain");
    EXPECT_EQ(shellQuote("a b"), "'a b'");
    EXPECT_EQ(shellQuote("~x"), "'~x'");
    EXPECT_EQ(shellQuote(""), "''");
    EXPECT_EQ(shellQuote("it's"), "'it'\\''s'");
    EXPECT_EQ(shellQuote("$(rm -rf /) `x` \"y\"\n"), "'$(rm -rf /) `x` \"y\"\n'");
    auto r = test::runProcess({"bash", "-c", "printf %s " + shellQuote("a'b $c\n\\d")});
    EXPECT_EQ(r.out, "a'b $c\n\\d");
}

TEST(Resolve, NamesAddressesAndSecrets) {
    Materialisation m = sample(Hypervisor::Kvm, NetworkKind::Vlan, 3);
    ASSERT_EQ(m.nodes.size(), 4u);
    EXPECT_EQ(m.nodes[0].name, "alpha-frontend");
    EXPECT_EQ(m.nodes[0].guestName, "alpha");
    EXPECT_EQ(m.nodes[0].nics[0].ip, "10.1.1.1");
    EXPECT_EQ(m.nodes[0].nics[1].ip, "192.0.2.100");
    EXPECT_EQ(m.nodes[0].nics[0].vlan, 100);
    EXPECT_FALSE(m.nodes[0].nics[1].vlan.has_value());
    EXPECT_EQ(m.nodes[1].name, "alpha-compute-0-0");
    EXPECT_EQ(m.nodes[1].nics[0].ip, "10.1.255.254");
    EXPECT_EQ(m.nodes[3].nics[0].ip, "10.1.255.252");
    EXPECT_EQ(m.iqn, "iqn.2026-11.org.example:vcluster.alpha");
    EXPECT_EQ(m.chap.user, "vc-alpha");
    EXPECT_EQ(m.chap.secret.size(), 16u);
    EXPECT_NE(m.chap.secret, sample().chap.secret);
    EXPECT_EQ(m.segmentDevice, "vlan100");
    EXPECT_EQ(m.clusterBridge, "vcbr100");
    EXPECT_EQ(m.nodes[1].disks[0].logicalVolume, "vc-alpha-compute-0-0");
    EXPECT_EQ(m.nodes[1].disks[0].backingStore, "/dev/vg_vcluster/vc-alpha-compute-0-0");
    EXPECT_EQ(m.nodes[1].disks[0].byPath,
              "/dev/disk/by-path/ip-10.1.253.1:3260-iscsi-iqn.2026-11.org.example:vcluster.alpha-"
              "lun-2");
    for (const auto& n : m.nodes) {
        for (const auto& nic : n.nics) {
            EXPECT_TRUE(MacAllocator::validFor(Hypervisor::Kvm, nic.mac)) << nic.mac;
        }
    }
}

TEST(Resolve, IqnFollowsRfc3720) {
    auto p = test::samplePlan("alpha", 100, 1);
    p.site.iqnAuthority = "Org.Example.Cluster";
    std::string iqn = resolve(p, {}).iqn;
    EXPECT_TRUE(
        std::regex_match(iqn, std::regex(R"(iqn\.[0-9]{4}-[0-9]{2}\.[a-z0-9.-]+:[a-z0-9.:-]+)")))
        << iqn;
    EXPECT_LE(iqn.size(), 223u);
}

TEST(Resolve, InterfaceNamesFitIfnamsiz) {
    auto p = test::samplePlan("alpha", 16777215, 1, Hypervisor::Kvm, NetworkKind::Vxlan);
    Materialisation m = resolve(p, {});
    EXPECT_LE(m.segmentDevice.size(), 15u);
    EXPECT_LE(m.clusterBridge.size(), 15u);
    p = test::samplePlan("alpha", 4094, 1);
    m = resolve(p, {});
    EXPECT_LE(m.clusterBridge.size(), 15u);
}

TEST(Resolve, RefusesUnsafePlans) {
    auto p = test::samplePlan("alpha", 100, 1);
    p.name = "al;pha";
    EXPECT_THROW(resolve(p, {}), Error);
    p = test::samplePlan("alpha", 5000, 1);
    EXPECT_THROW(resolve(p, {}), Error);
    p = test::samplePlan("alpha", 100, 1);
    p.sshPublicKey = "ssh-rsa AAA\nrm -rf /";
    EXPECT_THROW(resolve(p, {}), Error);
    p = test::samplePlan("alpha", 100, 1);
    p.computes[0].vmServer = "nowhere";
    EXPECT_THROW(resolve(p, {}), Error);
    p = test::samplePlan("alpha", 100, 1);
    p.site.hosts[0].trunkInterface = "a-very-long-interface";
    EXPECT_THROW(resolve(p, {}), Error);
}

TEST(MacAllocator, AvoidsUsedAndStaysInRange) {
    MacAllocator vmware(Hypervisor::VMware, {"00:50:56:00:00:01", "00:50:56:00:00:03"});
    EXPECT_EQ(vmware.next(), "00:50:56:00:00:02");
    EXPECT_EQ(vmware.next(), "00:50:56:00:00:04");
    EXPECT_TRUE(MacAllocator::validFor(Hypervisor::VMware, "00:50:56:3f:ff:ff"));
    EXPECT_FALSE(MacAllocator::validFor(Hypervisor::VMware, "00:50:56:40:00:00"));
    MacAllocator kvm(Hypervisor::Kvm, {"52:54:00:00:00:01"});
    std::string mac = kvm.next();
    EXPECT_EQ(mac, "52:54:00:00:00:02");
    // Locally administered, unicast.
    EXPECT_EQ(std::stoi(mac.substr(0, 2), nullptr, 16) & 0x03, 0x02);
}

TEST(TgtTargetWriter, FragmentHasLunsChapAndAcl) {
    Materialisation m = sample();
    TargetConfig t = targetConfig(m);
    std::string conf = TgtTargetWriter::fragment(t);
    EXPECT_NE(conf.find("<target iqn.2026-11.org.example:vcluster.alpha>"), std::string::npos);
    EXPECT_NE(conf.find("<backing-store /dev/vg_vcluster/vc-alpha-compute-0-2>\n        lun 4"),
              std::string::npos);
    EXPECT_NE(conf.find("incominguser vc-alpha " + m.chap.secret), std::string::npos);
    EXPECT_NE(conf.find("initiator-address 10.1.255.250"), std::string::npos);  // gateway
    EXPECT_NE(conf.find("initiator-address 10.1.254.1"), std::string::npos);
    EXPECT_EQ(conf.find("initiator-address 10.1.254.4"), std::string::npos);  // no VM there
    EXPECT_EQ(conf.find("initiator-address 10.1.253.1"), std::string::npos);  // storage itself
}

TEST(LibvirtDomainWriter, ComputeDomain) {
    Materialisation m = sample();
    std::string xml = LibvirtDomainWriter::domainXml(vmDefinition(m, m.nodes[1]));
    Parsed p(xml);
    ASSERT_TRUE(p.ok()) << xml;
    EXPECT_EQ(p.one("/domain/@type"), "kvm");
    EXPECT_EQ(p.one("/domain/name"), "alpha-compute-0-0");
    EXPECT_EQ(p.one("/domain/memory"), "2048");
    EXPECT_EQ(p.one("/domain/memory/@unit"), "MiB");
    EXPECT_EQ(p.one("/domain/vcpu"), "2");
    EXPECT_EQ(p.all("/domain/os/boot/@dev"), (std::vector<std::string>{"network", "hd"}));
    EXPECT_EQ(p.one("/domain/devices/interface/mac/@address"), m.nodes[1].nics[0].mac);
    EXPECT_EQ(p.one("/domain/devices/interface/source/@bridge"), "vcbr100");
    EXPECT_EQ(p.one("/domain/devices/disk/source/@dev"), m.nodes[1].disks[0].byPath);
    EXPECT_EQ(p.one("/domain/devices/disk/target/@dev"), "vda");
}

TEST(LibvirtDomainWriter, FrontendBootsTheInstallerWithItsKit) {
    Materialisation m = sample();
    const VmDefinition vm = vmDefinition(m, m.frontend());
    Parsed p(LibvirtDomainWriter::domainXml(vm));
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p.all("/domain/devices/interface/source/@bridge"),
              (std::vector<std::string>{"vcbr100", "br-public"}));
    // The installer's kernel and initrd from the site, booted directly, as
    // Rocks' KVM roll does; no ISO the roll does not provide.
    EXPECT_EQ(p.one("/domain/os/kernel"), "/boot/kickstart/default/vmlinuz-7.0-x86_64");
    EXPECT_EQ(p.one("/domain/os/initrd"), "/boot/kickstart/default/initrd.img-7.0-x86_64");
    const std::string cmdline = p.one("/domain/os/cmdline");
    for (const char* word : {"ks=http://192.0.2.2/install/sbin/kickstart.cgi", "ksdevice=eth1",
                             " build ", "ip=192.0.2.100", "netmask=255.255.255.0",
                             "gateway=192.0.2.1", "dns=192.0.2.1", "vcluster.kit=LABEL=VCKIT"}) {
        EXPECT_NE(cmdline.find(word), std::string::npos) << word << " in " << cmdline;
    }
    EXPECT_EQ(p.all("//disk[@device='cdrom']").size(), 0u);
    EXPECT_EQ(p.one("/domain/devices/disk[serial='VCKIT']/source/@file"),
              "/export/vcluster/alpha/kit.img");
    EXPECT_EQ(p.all("/domain/devices/disk[serial='VCKIT']/readonly").size(), 1u);
    EXPECT_EQ(p.one("/domain/on_reboot"), "destroy");  // the installer's last reboot
    // Once installed: its disk, no installer, no kit.
    Parsed installed(LibvirtDomainWriter::domainXml(LibvirtDomainWriter::installedDefinition(vm)));
    EXPECT_EQ(installed.all("/domain/os/boot/@dev"), std::vector<std::string>{"hd"});
    EXPECT_EQ(installed.all("/domain/os/kernel").size(), 0u);
    EXPECT_EQ(installed.all("//disk[serial='VCKIT']").size(), 0u);
    EXPECT_EQ(installed.one("/domain/on_reboot"), "restart");
}

TEST(LibvirtDomainWriter, VxlanGuestsGetTheTunnelMtu) {
    Materialisation m = sample(Hypervisor::Kvm, NetworkKind::Vxlan);
    Parsed p(LibvirtDomainWriter::domainXml(vmDefinition(m, m.frontend())));
    EXPECT_EQ(p.all("/domain/devices/interface/mtu/@size"), std::vector<std::string>{"1450"});
}

TEST(LibvirtDomainWriter, EscapesThroughLibxml2) {
    VmDefinition vm;
    vm.name = "a<b>&\"c'";
    vm.cluster = "x&y";
    Parsed p(LibvirtDomainWriter::domainXml(vm));
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p.one("/domain/name"), "a<b>&\"c'");
}

TEST(VmxWriter, ComputeAndFrontend) {
    Materialisation m = sample(Hypervisor::VMware);
    std::string compute = VmxWriter::vmx(vmDefinition(m, m.nodes[1]));
    EXPECT_NE(compute.find("memsize = \"2048\""), std::string::npos);
    EXPECT_NE(compute.find("numvcpus = \"2\""), std::string::npos);
    EXPECT_NE(compute.find("ethernet0.addressType = \"static\""), std::string::npos);
    EXPECT_NE(compute.find("ethernet0.address = \"" + m.nodes[1].nics[0].mac + "\""),
              std::string::npos);
    EXPECT_TRUE(MacAllocator::validFor(Hypervisor::VMware, m.nodes[1].nics[0].mac));
    EXPECT_NE(compute.find("bios.bootOrder = \"ethernet0,hdd\""), std::string::npos);
    EXPECT_NE(compute.find("scsi0:0.fileName = \"alpha-compute-0-0-disk0.vmdk\""),
              std::string::npos);
    std::string fe = VmxWriter::vmx(vmDefinition(m, m.frontend()));
    EXPECT_NE(fe.find("ethernet1.vnet = \"vmnet0\""), std::string::npos);
    EXPECT_NE(fe.find("ide1:0.deviceType = \"cdrom-image\""), std::string::npos);
    // VMware Server cannot boot a kernel: the per-cluster boot CD, and the
    // kit image as the floppy.
    EXPECT_NE(fe.find("ide1:0.fileName = \"/export/vcluster/alpha/boot.iso\""), std::string::npos)
        << fe;
    EXPECT_NE(fe.find("floppy0.fileName = \"/export/vcluster/alpha/kit.img\""), std::string::npos);
    EXPECT_NE(fe.find("bios.bootOrder = \"hdd,cdrom\""), std::string::npos);
    std::string vmdk = VmxWriter::vmdk(vmDefinition(m, m.nodes[1]).disks[0]);
    EXPECT_NE(vmdk.find("createType=\"fullDevice\""), std::string::npos);
    EXPECT_NE(vmdk.find("RW 41943040 FLAT \"" + m.nodes[1].disks[0].byPath + "\" 0"),
              std::string::npos);
    VmDefinition odd;
    odd.name = "quote\"pipe|";
    EXPECT_NE(VmxWriter::vmx(odd).find("displayName = \"quote|22pipe|7C\""), std::string::npos);
}

TEST(VlanBridgeWriter, IfcfgFiles) {
    Materialisation m = sample();
    FileTree t = VlanBridgeWriter::ifcfgFiles(vlanBridge(m, "vm-server-1-0"));
    ASSERT_NE(t.find("ifcfg-vlan100"), nullptr);
    const std::string& vlan = t.find("ifcfg-vlan100")->content;
    EXPECT_NE(vlan.find("PHYSDEV=eth0"), std::string::npos);
    EXPECT_NE(vlan.find("VLAN_ID=100"), std::string::npos);
    EXPECT_NE(vlan.find("BRIDGE=vcbr100"), std::string::npos);
    EXPECT_NE(t.find("ifcfg-vcbr100")->content.find("TYPE=Bridge"), std::string::npos);
    // ifcfg files are shell: source them and read the values back.
    test::TempDir dir;
    test::writeFile(dir / "ifcfg", vlan);
    auto r = test::runProcess({"bash", "-c", "set -u; . \"$1\"; echo \"$DEVICE $PHYSDEV $BRIDGE\"",
                               "x", (dir / "ifcfg").string()});
    EXPECT_EQ(r.out, "vlan100 eth0 vcbr100\n");
}

TEST(PublicBridgeWriter, MadeFromThePublicNicOnTheGatewayOnly) {
    Materialisation m = sample();
    const PublicBridge b = publicBridge(m);
    EXPECT_EQ(b.bridge, "br-public");
    EXPECT_EQ(b.interface, "eth1");
    FileTree t = PublicBridgeWriter::ifcfgFiles(b);
    ASSERT_NE(t.find("ifcfg-eth1"), nullptr);
    ASSERT_NE(t.find("ifcfg-br-public"), nullptr);
    test::TempDir dir;
    test::writeFile(dir / "nic", t.find("ifcfg-eth1")->content);
    test::writeFile(dir / "bridge", t.find("ifcfg-br-public")->content);
    auto r = test::runProcess({"bash", "-c",
                               "set -u; . \"$1\"; echo \"$DEVICE $BRIDGE $BOOTPROTO\"; . \"$2\"; "
                               "echo \"$DEVICE $TYPE $BOOTPROTO $IPADDR $NETMASK\"",
                               "x", (dir / "nic").string(), (dir / "bridge").string()});
    EXPECT_EQ(r.out, "eth1 br-public none\nbr-public Bridge static 192.0.2.10 255.255.255.0\n");

    auto hosts = generateHosts(m);
    const std::string gateway = hosts.at("gateway-0-0").apply.render();
    EXPECT_NE(gateway.find("public_bridge br-public eth1\n"), std::string::npos) << gateway;
    EXPECT_NE(gateway.find("public_bridge() {"), std::string::npos)
        << "the helper is in the prelude";
    EXPECT_EQ(hosts.at("vm-server-1-0").apply.render().find("public_bridge"), std::string::npos);
    EXPECT_EQ(hosts.at("gateway-0-0").teardown.render().find("br-public"), std::string::npos)
        << "other clusters' frontends use the bridge: teardown keeps it";

    // No public NIC known: the step says what is missing instead of making
    // a bridge with no uplink.
    auto plan = test::samplePlan("alpha", 100, 2);
    for (auto& h : plan.site.hosts) {
        h.publicInterface.clear();
    }
    const std::string bare = generateHosts(resolve(plan, {})).at("gateway-0-0").apply.render();
    EXPECT_EQ(bare.find("public_bridge "), std::string::npos);
    EXPECT_NE(bare.find("if ! ip link show dev br-public >/dev/null 2>&1; then\n        echo "
                        "'error - no bridge br-public on this gateway and no vc_public_interface "
                        "to make it from' >&2\n        exit 1"),
              std::string::npos)
        << bare;

    // VMware frontends use the site's bridged vmnet instead.
    auto vmware = test::samplePlan("beta", 101, 1, Hypervisor::VMware);
    EXPECT_EQ(
        generateHosts(resolve(vmware, {})).at("gateway-0-0").apply.render().find("public_bridge"),
        std::string::npos);

    // The public NIC is a validated interface name, never the trunk.
    auto bad = test::samplePlan("gamma", 102, 1);
    bad.site.hosts[0].publicInterface = "eth1;reboot";
    EXPECT_THROW(resolve(bad, {}), Error);
    bad.site.hosts[0].publicInterface = "eth0";
    EXPECT_THROW(resolve(bad, {}), Error);
}

TEST(FrontendKitWriter, SiteAttrsRollsKeyAndComputes) {
    Materialisation m = sample();
    FrontendKit kit = frontendKit(m);
    std::string attrs = FrontendKitWriter::siteAttrs(kit);
    EXPECT_NE(attrs.find("Kickstart_PublicHostname:alpha.example.org\n"), std::string::npos);
    EXPECT_NE(attrs.find("Kickstart_PublicAddress:192.0.2.100\n"), std::string::npos);
    EXPECT_NE(attrs.find("Kickstart_PublicGateway:192.0.2.1\n"), std::string::npos);
    EXPECT_NE(attrs.find("Kickstart_PrivateAddress:10.1.1.1\n"), std::string::npos);
    EXPECT_NE(attrs.find("Kickstart_PrivateNetmask:255.255.0.0\n"), std::string::npos);
    EXPECT_NE(attrs.find("Kickstart_Timezone:UTC\n"), std::string::npos);
    EXPECT_NE(attrs.find("Server_Partitioning:force-default-root-disk-only\n"), std::string::npos);
    EXPECT_NE(attrs.find("Kickstart_PrivateRootPassword:$6$saltsalt$hash\n"), std::string::npos);
    EXPECT_NE(attrs.find("Kickstart_PublicNTPHost:pool.ntp.org\n"), std::string::npos);
    EXPECT_NE(attrs.find("vc_install_token:tokenalpha\n"), std::string::npos);
    // Every key Rocks' frontend screens need (ROCKS.md), each non-empty.
    std::map<std::string, std::string> byKey;
    for (const auto& [k, v] : FrontendKitWriter::siteAttrList(kit)) {
        byKey[k] = v;
    }
    for (const char* key : {"Kickstart_PublicHostname",
                            "Info_ClusterName",
                            "Info_CertificateOrganization",
                            "Info_CertificateLocality",
                            "Info_CertificateState",
                            "Info_CertificateCountry",
                            "Info_ClusterContact",
                            "Info_ClusterURL",
                            "Info_ClusterLatlong",
                            "Kickstart_PublicInterface",
                            "Kickstart_PublicAddress",
                            "Kickstart_PublicNetmask",
                            "Kickstart_PublicMTU",
                            "Kickstart_PublicGateway",
                            "Kickstart_PublicDNSServers",
                            "Kickstart_PrivateInterface",
                            "Kickstart_PrivateAddress",
                            "Kickstart_PrivateNetmask",
                            "Kickstart_Timezone",
                            "Kickstart_PublicNTPHost",
                            "Kickstart_PrivateRootPassword",
                            "Server_Partitioning",
                            "Kickstart_PublicBroadcast",
                            "Kickstart_PrivateBroadcast",
                            "Kickstart_PrivateHostname",
                            "Kickstart_PublicDNSDomain",
                            "Kickstart_PrivateDNSDomain",
                            "rocks_version",
                            "rocks_version_major",
                            "os"}) {
        EXPECT_FALSE(byKey[key].empty()) << key;
    }
    EXPECT_EQ(byKey["Kickstart_PrivateBroadcast"], "10.1.255.255");
    Parsed rolls(FrontendKitWriter::rollsXml(kit));
    ASSERT_TRUE(rolls.ok());
    EXPECT_EQ(rolls.all("/rolls/roll/@name"), (std::vector<std::string>{"base", "hpc", "sge"}));
    EXPECT_EQ(rolls.all("/rolls/roll/@version"), (std::vector<std::string>{"6.2", "6.2", "6.2"}));
    EXPECT_EQ(rolls.one("/rolls/roll[1]/@url"), "http://192.0.2.2/install/rolls/");
    FileTree files = FrontendKitWriter::files(kit);
    for (const char* name : {"site.attrs", "rolls.xml", "authorized_keys", "computes.csv"}) {
        EXPECT_EQ(files.find(name)->mode, 0600u) << name;  // root only: hash, key
    }
    EXPECT_EQ(files.find("authorized_keys")->content, m.plan.sshPublicKey + "\n");
    std::string csv = files.find("computes.csv")->content;
    EXPECT_NE(csv.find("compute-0-1,1," + m.nodes[2].nics[0].mac + ",10.1.255.253,2\n"),
              std::string::npos);
}

TEST(Generator, HostsAndSecretModes) {
    Materialisation m = sample();
    FileTree tree = generateTree(m);
    for (const char* host :
         {"storage-2-0", "gateway-0-0", "vm-server-1-0", "vm-server-1-1", "vm-server-1-2"}) {
        EXPECT_NE(tree.find(std::string(host) + "/apply.sh"), nullptr) << host;
        EXPECT_NE(tree.find(std::string(host) + "/teardown.sh"), nullptr) << host;
    }
    EXPECT_EQ(tree.find("vm-server-1-3/apply.sh"), nullptr);
    const auto* conf = tree.find("storage-2-0/files/tgt/vcluster-alpha.conf");
    ASSERT_NE(conf, nullptr);
    EXPECT_EQ(conf->mode, 0600u);
    EXPECT_EQ(tree.find("vm-server-1-0/files/iscsi/vcluster-alpha.secret")->mode, 0600u);
    // No secret anywhere but in 0600 files.
    for (const auto& [path, file] : tree.files()) {
        if (file.content.find(m.chap.secret) != std::string::npos) {
            EXPECT_EQ(file.mode, 0600u) << path;
        }
    }
    test::TempDir dir;
    tree.writeTo(dir.path());
    struct stat st {};
    ASSERT_EQ(::stat((dir / "storage-2-0/files/tgt/vcluster-alpha.conf").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    ASSERT_EQ(::stat((dir / "storage-2-0/apply.sh").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0755u);
}

namespace {

// Runs SECTIONS of HOST's apply.sh (from the generated TREE) against the fake
// host tools (tests/fakehost), the host's root being HOSTS/HOST, under
// bash's xtrace: every command with its words as bash expanded them,
// builtins included, goes to stderr.
test::ProcessResult applyOnFakeHost(const std::filesystem::path& tree,
                                    const std::filesystem::path& hosts, const std::string& host,
                                    const std::string& sections) {
    const auto root = hosts / host;
    std::filesystem::create_directories(root);
    return test::runProcess({"bash", "-x", (tree / host / "apply.sh").string()},
                            {{"VCLUSTER_SECTIONS", sections},
                             {"VCLUSTER_ROOT", root.string()},
                             {"VCLUSTER_HOST_ROOT", root.string()},
                             {"VCLUSTER_TOOL_PATH", test::kFakeHostTools}});
}

}  // namespace

// Issue 17, item 8: the CHAP secret is never a word of a command line (the
// process list shows every user the words of every command). The storage
// node's and a vm-server's apply.sh run against the fake hosts under xtrace:
// no line of the trace, nor of the fake tools' log of their arguments,
// holds the secret (the old `iscsiadm ... -n node.session.auth.password -v
// "$(cat ...)"` and `targetcli ... password="$(cat ...)"` put it in both).
// The login still works: the fake initiator checks the node record's account
// against the target's, and the record (mode 0600, where open-iscsi keeps
// it) got the password from the secret file.
TEST(Generator, ChapSecretInNoCommandLine) {
    for (TargetKind kind : {TargetKind::Tgt, TargetKind::Lio}) {
        SCOPED_TRACE(kind == TargetKind::Lio ? "lio" : "tgt");
        auto plan = test::samplePlan("alpha", 100, 2);
        plan.storage.target = kind;
        const Materialisation m = resolve(plan, {});
        test::TempDir dir;
        generateTree(m).writeTo(dir / "tree");
        auto r = applyOnFakeHost(dir / "tree", dir / "hosts", "storage-2-0", "lvm target");
        ASSERT_EQ(r.exitCode, 0) << r.err;
        std::string trace = r.err;
        r = applyOnFakeHost(dir / "tree", dir / "hosts", "vm-server-1-0", "iscsi");
        ASSERT_EQ(r.exitCode, 0) << r.err;
        trace += r.err;
        ASSERT_NE(trace.find("iscsi_node_secret"), std::string::npos) << trace;
        EXPECT_EQ(trace.find(m.chap.secret), std::string::npos) << trace;
        for (const char* host : {"storage-2-0", "vm-server-1-0"}) {
            const std::string calls = test::readFile(dir / "hosts" / host / "state/calls.log");
            EXPECT_EQ(calls.find(m.chap.secret), std::string::npos) << host << ":\n" << calls;
        }
        EXPECT_TRUE(std::filesystem::exists(dir / "hosts/vm-server-1-0/state/session" / m.iqn));
        const auto record =
            dir / "hosts/vm-server-1-0/etc/iscsi/nodes" / m.iqn / "10.1.253.1,3260,1/default";
        EXPECT_NE(test::readFile(record).find("\nnode.session.auth.password = " + m.chap.secret +
                                              "\n# END RECORD\n"),
                  std::string::npos)
            << test::readFile(record);
        struct stat st {};
        ASSERT_EQ(::stat(record.c_str(), &st), 0);
        EXPECT_EQ(st.st_mode & 0777, 0600u);
        if (kind == TargetKind::Lio) {
            // The ACL's configfs attribute, written from the file.
            for (const auto& name : targetConfig(m).initiatorNames) {
                const auto auth = dir / "hosts/storage-2-0/sys/kernel/config/target/iscsi" / m.iqn /
                                  "tpgt_1/acls" / name / "auth";
                EXPECT_EQ(test::readFile(auth / "password"), m.chap.secret) << name;
                EXPECT_EQ(test::readFile(auth / "userid"), m.chap.user) << name;
            }
        }
    }
}

// What a second cluster's records and a re-run leave: iscsi_node_secret
// rewrites only the records of its own target, keeps the rest of each record
// and replaces (never repeats) the password line.
TEST(Generator, NodeSecretRewritesOnlyItsRecord) {
    test::TempDir dir;
    const Materialisation a = resolve(test::samplePlan("alpha", 100, 2), {});
    const Materialisation b = resolve(test::samplePlan("beta", 101, 2), {});
    for (const auto* m : {&a, &b}) {
        generateTree(*m).writeTo(dir / m->plan.name);
        auto r = applyOnFakeHost(dir / m->plan.name, dir / "hosts", "storage-2-0", "lvm target");
        ASSERT_EQ(r.exitCode, 0) << r.err;
    }
    for (int round = 0; round < 2; ++round) {
        for (const auto* m : {&a, &b}) {
            auto r = applyOnFakeHost(dir / m->plan.name, dir / "hosts", "vm-server-1-0", "iscsi");
            ASSERT_EQ(r.exitCode, 0) << r.err;
        }
    }
    for (const auto* m : {&a, &b}) {
        const std::string record = test::readFile(dir / "hosts/vm-server-1-0/etc/iscsi/nodes" /
                                                  m->iqn / "10.1.253.1,3260,1/default");
        EXPECT_NE(record.find("node.name = " + m->iqn + "\n"), std::string::npos) << record;
        EXPECT_NE(record.find("node.session.auth.username = " + m->chap.user + "\n"),
                  std::string::npos)
            << record;
        const std::string line = "node.session.auth.password = " + m->chap.secret + "\n";
        const auto at = record.find(line);
        ASSERT_NE(at, std::string::npos) << record;
        EXPECT_EQ(record.find("node.session.auth.password", at + 1), std::string::npos) << record;
        EXPECT_EQ(record.find("# END RECORD"),
                  record.size() - std::string("# END RECORD\n").size());
    }
}

// Discovery on a host that already has another cluster's node record must not
// rewrite it: iscsiadm's default discovery also updates existing records from
// iscsid.conf, which drops their CHAP settings (found in the QEMU lab: the
// second cluster built on a vm-server reset the first one's record). Records
// are only ever added (-o new); each cluster then sets its own.
TEST(IscsiLoginWriter, DiscoveryOnlyAddsRecords) {
    Materialisation m = sample();
    const std::string apply = generateHosts(m).at("vm-server-1-0").apply.render();
    std::size_t discoveries = 0;
    std::size_t pos = 0;
    while ((pos = apply.find("iscsiadm -m discovery", pos)) != std::string::npos) {
        const std::string line = apply.substr(pos, apply.find('\n', pos) - pos);
        EXPECT_TRUE(line.size() > 7 && line.compare(line.size() - 7, 7, " -o new") == 0) << line;
        ++discoveries;
        ++pos;
    }
    EXPECT_EQ(discoveries, 1u) << apply;
}

TEST(Generator, TeardownReversesApply) {
    Materialisation m = sample();
    auto hosts = generateHosts(m);
    std::string apply = hosts.at("gateway-0-0").apply.render();
    std::string teardown = hosts.at("gateway-0-0").teardown.render();
    EXPECT_LT(apply.find("wanted network"), apply.find("wanted iscsi"));
    EXPECT_LT(apply.find("wanted iscsi"), apply.find("wanted vm"));
    EXPECT_LT(teardown.find("wanted vm"), teardown.find("wanted iscsi"));
    EXPECT_LT(teardown.find("wanted iscsi"), teardown.find("wanted network"));
    std::string storage = hosts.at("storage-2-0").teardown.render();
    EXPECT_LT(storage.find("wanted target"), storage.find("wanted lvm"));
}

// apply.sh's file installation for real (the kit section, into a scratch
// root): modes kept, a second run changes nothing, teardown removes the
// files and tolerates running twice.
TEST(Generator, KitSectionInstallsIdempotently) {
    Materialisation m = sample();
    test::TempDir dir;
    generateTree(m).writeTo(dir / "tree");
    const auto root = dir / "root";
    const std::map<std::string, std::string> env = {{"VCLUSTER_SECTIONS", "kit"},
                                                    {"VCLUSTER_ROOT", root.string()}};
    const std::string apply = (dir / "tree/gateway-0-0/apply.sh").string();
    const std::string teardown = (dir / "tree/gateway-0-0/teardown.sh").string();
    auto r = test::runProcess({"bash", apply}, env);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const auto keys = root / "export/vcluster/alpha/kit/authorized_keys";
    struct stat first {};
    ASSERT_EQ(::stat(keys.c_str(), &first), 0);
    EXPECT_EQ(first.st_mode & 0777, 0600u);
    EXPECT_EQ(test::readFile(keys), m.plan.sshPublicKey + "\n");
    r = test::runProcess({"bash", apply}, env);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    struct stat second {};
    ASSERT_EQ(::stat(keys.c_str(), &second), 0);
    EXPECT_EQ(first.st_ino, second.st_ino);
    EXPECT_EQ(first.st_mtim.tv_nsec, second.st_mtim.tv_nsec);
    for (int round = 0; round < 2; ++round) {
        r = test::runProcess({"bash", teardown}, env);
        ASSERT_EQ(r.exitCode, 0) << r.err;
    }
    EXPECT_FALSE(std::filesystem::exists(keys));
    EXPECT_FALSE(std::filesystem::exists(root / "export/vcluster/alpha/kit/site.attrs"));
}
