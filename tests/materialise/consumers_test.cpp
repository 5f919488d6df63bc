// The generated files checked by the real tools that read them: bash -n and
// shellcheck for every script, virt-xml-validate for every libvirt domain,
// xmllint for every other XML file.
#include <gtest/gtest.h>

#include <filesystem>

#include "Fixtures.h"
#include "materialise/Generator.h"
#include "materialise/Models.h"
#include "materialise/Operations.h"
#include "materialise/Writers.h"
#include "support/Process.h"

using namespace vcluster;
using namespace vcluster::materialise;

namespace {

struct Variant {
    Hypervisor hypervisor;
    NetworkKind network;
    TargetKind target;
    LvKind lv;
};

std::filesystem::path writeVariant(const test::TempDir& dir, const Variant& v, int index) {
    auto plan =
        test::samplePlan("v" + std::to_string(index), 100 + index, 5, v.hypervisor, v.network);
    plan.storage.target = v.target;
    plan.storage.lvKind = v.lv;
    std::filesystem::path root = dir / ("variant" + std::to_string(index));
    generateTree(resolve(plan, {})).writeTo(root);
    return root;
}

std::vector<std::filesystem::path> filesEndingWith(const std::filesystem::path& root,
                                                   const std::string& suffix) {
    std::vector<std::filesystem::path> out;
    for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
        const std::string name = e.path().string();
        if (e.is_regular_file() && name.size() >= suffix.size() &&
            name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
            out.push_back(e.path());
        }
    }
    return out;
}

const std::vector<Variant> kVariants = {
    {Hypervisor::Kvm, NetworkKind::Vlan, TargetKind::Tgt, LvKind::Thick},
    {Hypervisor::Kvm, NetworkKind::Vxlan, TargetKind::Lio, LvKind::Thin},
    {Hypervisor::VMware, NetworkKind::Vlan, TargetKind::Lio, LvKind::Thick},
    {Hypervisor::VMware, NetworkKind::Vxlan, TargetKind::Tgt, LvKind::Thin},
};

}  // namespace

TEST(Consumers, EveryScriptPassesBashAndShellcheck) {
    test::TempDir dir;
    std::size_t scripts = 0;
    for (std::size_t i = 0; i < kVariants.size(); ++i) {
        auto root = writeVariant(dir, kVariants[i], static_cast<int>(i));
        for (const auto& script : filesEndingWith(root, ".sh")) {
            ++scripts;
            auto syntax = test::runProcess({"bash", "-n", script.string()});
            EXPECT_EQ(syntax.exitCode, 0) << script << "\n" << syntax.err;
            auto lint = test::runProcess({"shellcheck", "-s", "bash", script.string()});
            EXPECT_EQ(lint.exitCode, 0) << script << "\n" << lint.out << lint.err;
        }
    }
    EXPECT_GE(scripts, 4u * 5u);
}

TEST(Consumers, VirtXmlValidateAcceptsEveryDomain) {
    test::TempDir dir;
    std::size_t domains = 0;
    for (std::size_t i = 0; i < kVariants.size(); ++i) {
        if (kVariants[i].hypervisor != Hypervisor::Kvm) {
            continue;
        }
        auto root = writeVariant(dir, kVariants[i], static_cast<int>(i));
        for (const auto& xml : filesEndingWith(root, ".xml")) {
            if (xml.parent_path().filename() != "libvirt") {
                continue;
            }
            ++domains;
            auto r = test::runProcess({"virt-xml-validate", xml.string(), "domain"});
            EXPECT_EQ(r.exitCode, 0) << xml << "\n" << r.out << r.err;
        }
    }
    EXPECT_EQ(domains, 2u * 7u);  // 5 computes, the frontend installing and installed
}

TEST(Consumers, EveryXmlIsWellFormed) {
    test::TempDir dir;
    for (std::size_t i = 0; i < kVariants.size(); ++i) {
        auto root = writeVariant(dir, kVariants[i], static_cast<int>(i));
        for (const auto& xml : filesEndingWith(root, ".xml")) {
            auto r = test::runProcess({"xmllint", "--noout", xml.string()});
            EXPECT_EQ(r.exitCode, 0) << xml << "\n" << r.err;
        }
    }
}

// The lifecycle's own scripts (power, install probe, snapshots), for every
// variant, with a label that needs no quoting and one at the longest allowed.
TEST(Consumers, LifecycleScriptsPassBashAndShellcheck) {
    test::TempDir dir;
    std::size_t scripts = 0;
    for (std::size_t i = 0; i < kVariants.size(); ++i) {
        const auto& v = kVariants[i];
        auto plan = test::samplePlan("v" + std::to_string(i), 100 + static_cast<int>(i), 5,
                                     v.hypervisor, v.network);
        plan.storage.target = v.target;
        plan.storage.lvKind = v.lv;
        const Materialisation m = resolve(plan, {});
        std::vector<ShellScript> all{
            installProbeScript(m), snapshotScript(m, "installed"), mergeScript(m, "before-lab-3"),
            removeSnapshotsScript(m, {"installed", "x-24-characters-long-ab"})};
        for (const std::string host : {"gateway-0-0", "vm-server-1-0"}) {
            for (bool on : {true, false}) {
                all.push_back(powerScript(m, host, VmSelection::All, on));
            }
        }
        for (const auto& s : all) {
            ASSERT_FALSE(s.empty());
            auto path = dir / ("script-" + std::to_string(scripts++) + ".sh");
            test::writeFile(path, s.render());
            auto syntax = test::runProcess({"bash", "-n", path.string()});
            EXPECT_EQ(syntax.exitCode, 0) << s.render() << "\n" << syntax.err;
            auto lint = test::runProcess({"shellcheck", "-s", "bash", path.string()});
            EXPECT_EQ(lint.exitCode, 0) << s.render() << "\n" << lint.out << lint.err;
        }
    }
    EXPECT_EQ(scripts, 4u * 8u);
}

// The gateway's kit step run for real (mtools, xorriso) under an install
// root: the kit image it makes is read back by the roll's installer hook,
// as the frontend's installer does, and every secret is root-only.
TEST(Consumers, KitImageIsReadByTheInstallerHook) {
    test::TempDir dir;
    for (Hypervisor h : {Hypervisor::Kvm, Hypervisor::VMware}) {
        const std::string name = h == Hypervisor::Kvm ? "kitk" : "kitv";
        const Materialisation m = resolve(test::samplePlan(name, 140, 2, h), {});
        const auto tree = dir / (name + "-tree");
        const auto root = dir / (name + "-root");
        generateTree(m).writeTo(tree);
        const InstallerSite& in = m.plan.site.installer;
        test::writeFile(root.string() + in.kernel, "kernel");
        test::writeFile(root.string() + in.initrd, "initrd");
        test::writeFile(root.string() + in.isolinux, std::string(4096, '\0'));
        auto r = test::runProcess({"bash", (tree / "gateway-0-0/apply.sh").string()},
                                  {{"VCLUSTER_ROOT", root.string()}, {"VCLUSTER_SECTIONS", "kit"}});
        ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
        const auto kitDir = root / ("export/vcluster/" + name);
        const auto image = kitDir / "kit.img";
        namespace fs = std::filesystem;
        EXPECT_EQ(fs::status(kitDir).permissions() & fs::perms::all, fs::perms::owner_all);
        EXPECT_EQ(fs::status(kitDir / "kit").permissions() & fs::perms::all, fs::perms::owner_all);
        EXPECT_EQ(fs::status(image).permissions() & fs::perms::all,
                  fs::perms::owner_read | fs::perms::owner_write);
        const auto dest = dir / (name + "-installer-tmp");
        auto hook = test::runProcess(
            {"sh", std::string(VCLUSTER_SOURCE_DIR) + "/src/installer/vcluster-kit-hook",
             image.string(), dest.string()});
        ASSERT_EQ(hook.exitCode, 0) << hook.err;
        const FrontendKit kit = frontendKit(m);
        EXPECT_EQ(test::readFile(dest / "site.attrs"), FrontendKitWriter::siteAttrs(kit));
        EXPECT_EQ(test::readFile(dest / "rolls.xml"), FrontendKitWriter::rollsXml(kit));
        EXPECT_EQ(test::readFile(dest / "vcluster-kit/authorized_keys"),
                  m.plan.sshPublicKey + "\n");
        EXPECT_TRUE(fs::exists(dest / "vcluster-kit/add-computes.sh"));
        if (h == Hypervisor::VMware) {
            auto ls = test::runProcess({"xorriso", "-indev", (kitDir / "boot.iso").string(),
                                        "-osirrox", "on", "-extract", "/isolinux/isolinux.cfg",
                                        (dir / "isolinux.cfg").string()});
            ASSERT_EQ(ls.exitCode, 0) << ls.err;
            EXPECT_NE(test::readFile(dir / "isolinux.cfg").find(installerBoot(m).cmdline),
                      std::string::npos);
        }
        // A second run changes nothing it should not; teardown leaves nothing.
        r = test::runProcess({"bash", (tree / "gateway-0-0/apply.sh").string()},
                             {{"VCLUSTER_ROOT", root.string()}, {"VCLUSTER_SECTIONS", "kit"}});
        ASSERT_EQ(r.exitCode, 0) << r.err;
        r = test::runProcess({"bash", (tree / "gateway-0-0/teardown.sh").string()},
                             {{"VCLUSTER_ROOT", root.string()}, {"VCLUSTER_SECTIONS", "kit"}});
        ASSERT_EQ(r.exitCode, 0) << r.err;
        EXPECT_FALSE(fs::exists(kitDir)) << kitDir;
    }
}

// Bad input at the step: the installer kernel is not on the gateway. One
// line, exit 1, before the kit or the domain is made.
TEST(Consumers, MissingInstallerKernelFailsTheStepFirst) {
    test::TempDir dir;
    auto plan = test::samplePlan("nokernel", 141, 1);
    plan.site.installer.kernel = "/nonexistent/vcluster-test/vmlinuz";
    const Materialisation m = resolve(plan, {});
    generateTree(m).writeTo(dir / "tree");
    // No install root: the host's own paths are checked (nothing is written,
    // the check comes first).
    auto r = test::runProcess({"bash", (dir / "tree/gateway-0-0/apply.sh").string()},
                              {{"VCLUSTER_SECTIONS", "kit vm"}});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_EQ(r.err,
              "error - installer kernel (vc_installer_kernel) /nonexistent/vcluster-test/vmlinuz "
              "is missing on this host\n");
    EXPECT_FALSE(std::filesystem::exists("/export/vcluster/nokernel"));
}
