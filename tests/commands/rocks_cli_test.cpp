// Command-level tests: the real `rocks` binary against temporary databases.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <thread>

#include "db/Schema.h"
#include "support/Process.h"
#include "support/TestDatabase.h"

using namespace vcluster::test;
namespace fs = std::filesystem;

namespace {

class RocksCli : public ::testing::Test {
  protected:
    TempDir dir_;
    Rocks rocks_{dir_ / "cluster.db"};

    std::int64_t rows(const std::string& sql) {
        auto handle = vcluster::test::openTestDatabase(rocks_.db());
        vcluster::db::Database& db = *handle;
        vcluster::db::migrate(db);
        return db.queryOne(sql)->integer(0);
    }
    // Every error is one line starting "error - " on stderr, nothing on stdout.
    static void expectOneLineError(const ProcessResult& r, const std::string& mentions) {
        EXPECT_NE(r.exitCode, 0);
        EXPECT_EQ(r.out, "");
        EXPECT_EQ(countLines(r.err), 1U) << r.err;
        EXPECT_EQ(r.err.rfind("error - ", 0), 0U) << r.err;
        EXPECT_NE(r.err.find(mentions), std::string::npos) << r.err;
    }
    void addSample() {
        rocks_.ok({"add", "host", "vm-server-0-0", "membership=VM Server", "cpus=16", "rack=0",
                   "rank=0"});
        rocks_.ok(
            {"add", "host", "gateway-0-0", "appliance=gateway", "cpus=8", "rack=0", "rank=1"});
        rocks_.ok({"add", "host", "interface", "vm-server-0-0", "eth0", "subnet=private",
                   "ip=10.1.255.254", "mac=52:54:00:00:00:01"});
    }
};

std::string versionFromVersionMk() {
    std::string text = readFile(fs::path(VCLUSTER_SOURCE_DIR) / "version.mk");
    std::smatch v;
    std::smatch r;
    std::regex_search(text, v, std::regex(R"(VERSION\s*=\s*(\S+))"));
    std::regex_search(text, r, std::regex(R"(RELEASE\s*=\s*(\S+))"));
    return v[1].str() + "-" + r[1].str();
}

}  // namespace

TEST_F(RocksCli, VersionComesFromVersionMk) {
    std::string expected = "vcluster " + versionFromVersionMk() + "\n";
    EXPECT_EQ(rocks_.ok({"report", "version"}), expected);
    auto r = runProcess({VCLUSTER_ROCKS_BINARY, "--version"});
    EXPECT_EQ(r.out, expected);
}

TEST_F(RocksCli, HelpListsEveryCommandAndEachHasUsage) {
    std::string all = rocks_.ok({"help"});
    std::vector<std::string> commands;
    for (const auto& entry : fs::directory_iterator(VCLUSTER_PLUGIN_DIR)) {
        std::string f = entry.path().filename().string();
        std::string words = f.substr(6, f.size() - 9);
        std::replace(words.begin(), words.end(), '-', ' ');
        commands.push_back(words);
    }
    ASSERT_GE(commands.size(), 15U);
    for (const auto& c : commands) {
        EXPECT_NE(all.find("  " + c + " "), std::string::npos) << c;
        std::vector<std::string> args{"help"};
        std::istringstream in(c);
        for (std::string w; in >> w;) {
            args.push_back(w);
        }
        std::string usage = rocks_.ok(args);
        EXPECT_EQ(usage.rfind("rocks " + c, 0), 0U) << usage;
        EXPECT_NE(usage.find("Parameters:"), std::string::npos);
    }
}

TEST_F(RocksCli, UnknownCommandSuggestsTheNearest) {
    auto r = rocks_({"list", "hots"});
    expectOneLineError(r, "did you mean \"rocks list host\"");
    r = rocks_({"frobnicate"});
    expectOneLineError(r, "unknown command");
}

TEST_F(RocksCli, UnknownParameterSuggestsTheNearest) {
    auto r = rocks_({"add", "host", "c-0-0", "membrship=Compute"});
    expectOneLineError(r, "did you mean 'membership='");
    EXPECT_EQ(rows("SELECT COUNT(*) FROM nodes"), 0);
}

TEST_F(RocksCli, LongestMatchingCommandWins) {
    addSample();
    // "list host interface vm-server-0-0" is the interface listing, not
    // "list host" with two host arguments.
    std::string out = rocks_.ok({"list", "host", "interface", "vm-server-0-0"});
    EXPECT_NE(out.find("52:54:00:00:00:01"), std::string::npos) << out;
    EXPECT_EQ(out.rfind("HOST", 0), 0U);
    EXPECT_NE(out.find("IFACE"), std::string::npos);
}

TEST_F(RocksCli, ListHostTableAndJson) {
    addSample();
    std::string text = rocks_.ok({"list", "host"});
    EXPECT_EQ(text,
              "HOST           MEMBERSHIP CPUS RACK RANK RUNACTION INSTALLACTION\n"
              "vm-server-0-0: VM Server  16   0    0    os        install\n"
              "gateway-0-0:   Gateway    8    0    1    os        install\n");
    std::string json = rocks_.ok({"list", "host", "output-format=json"});
    EXPECT_NE(
        json.find(
            R"({"host":"vm-server-0-0", "membership":"VM Server", "cpus":16, "rack":0, "rank":0,)"),
        std::string::npos)
        << json;
    auto check = runProcess(
        {"python3", "-c", "import json,sys; d=json.load(sys.stdin); assert len(d)==2, d"}, {},
        json);
    EXPECT_EQ(check.exitCode, 0) << check.err;
}

TEST_F(RocksCli, BadInputChangesNothing) {
    addSample();
    std::int64_t nodes = rows("SELECT COUNT(*) FROM nodes");
    std::int64_t nets = rows("SELECT COUNT(*) FROM networks");
    expectOneLineError(rocks_({"add", "host", "c;rm -rf /", "membership=Compute"}),
                       "invalid host name");
    expectOneLineError(rocks_({"add", "host", "c-0-1", "membership=Compute", "cpus=two"}), "cpus");
    expectOneLineError(rocks_({"add", "host", "c-0-1", "membership=Toaster"}),
                       "unknown membership");
    expectOneLineError(rocks_({"add", "host", "interface", "nosuch", "eth0"}),
                       "unknown host 'nosuch'");
    expectOneLineError(
        rocks_({"add", "host", "interface", "gateway-0-0", "eth0", "mac=52:54:00:00:00:01"}),
        "already used");
    expectOneLineError(rocks_({"add", "host", "interface", "gateway-0-0", "eth0", "subnet=private",
                               "ip=10.1.300.1"}),
                       "invalid IP address");
    expectOneLineError(rocks_({"set", "host", "attr", "gateway-0-0", "x y", "1"}),
                       "invalid attribute name");
    // One unknown name in a multi-host remove: nothing is removed.
    expectOneLineError(rocks_({"remove", "host", "gateway-0-0", "nosuch"}),
                       "unknown host 'nosuch'");
    EXPECT_EQ(rows("SELECT COUNT(*) FROM nodes"), nodes);
    EXPECT_EQ(rows("SELECT COUNT(*) FROM networks"), nets);
}

TEST_F(RocksCli, AttributesAndNetworks) {
    addSample();
    rocks_.ok({"set", "attr", "vc_vlan_range", "100-199"});
    EXPECT_NE(rocks_.ok({"list", "attr"}).find("vc_vlan_range:              100-199"),
              std::string::npos);
    rocks_.ok({"set", "host", "attr", "vm-server-0-0", "vc_memory", "65536"});
    std::string attrs = rocks_.ok({"list", "host", "attr", "vm-server-0-0"});
    EXPECT_NE(attrs.find("vm-server-0-0: H      vc_memory"), std::string::npos) << attrs;
    EXPECT_NE(attrs.find("vm-server-0-0: G      vc_vlan_range              100-199"),
              std::string::npos)
        << attrs;
    rocks_.ok({"add", "network", "storage", "10.3.0.0", "255.255.0.0", "mtu=9000"});
    EXPECT_NE(rocks_.ok({"list", "network"}).find("storage: 10.3.0.0"), std::string::npos);
    expectOneLineError(rocks_({"add", "network", "bad", "10.3.0.1", "255.255.0.0"}), "host bits");
    rocks_.ok({"remove", "network", "storage"});
    rocks_.ok({"remove", "host", "attr", "vm-server-0-0", "vc_memory"});
    rocks_.ok({"remove", "attr", "vc_vlan_range"});
    EXPECT_EQ(rocks_.ok({"list", "attr"}).find("vc_vlan_range"), std::string::npos);
}

TEST_F(RocksCli, ListAppliance) {
    std::string out = rocks_.ok({"list", "appliance"});
    for (const char* m : {"Frontend", "Compute", "Gateway", "VM Server", "Storage"}) {
        EXPECT_NE(out.find(m), std::string::npos) << m;
    }
    EXPECT_NE(out.find("vm-server: VM Server  default vcluster-vm-server yes"), std::string::npos)
        << out;
}

TEST_F(RocksCli, DatabasePathPrecedence) {
    fs::path other = dir_ / "other.db";
    // db= names the file; only `rocks create vcluster database` makes one.
    rocks_.ok({"create", "vcluster", "database", "db=" + other.string()});
    rocks_.ok({"add", "host", "c-0-0", "membership=Compute", "db=" + other.string()});
    EXPECT_TRUE(fs::exists(other));
    EXPECT_EQ(rocks_.ok({"list", "host"}),
              "HOST MEMBERSHIP CPUS RACK RANK RUNACTION INSTALLACTION\n");
    auto viaOption = runProcess(
        {VCLUSTER_ROCKS_BINARY, "--db", other.string(), "list", "host"},
        {{"ROCKS_PLUGIN_PATH", VCLUSTER_PLUGIN_DIR}, {"ROCKS_DB", rocks_.db().string()}});
    EXPECT_NE(viaOption.out.find("c-0-0:"), std::string::npos) << viaOption.err;
}

TEST_F(RocksCli, NewerSchemaIsRefusedWithAClearError) {
    rocks_.ok({"list", "host"});
    {
        auto handle = vcluster::test::openTestDatabase(rocks_.db());
        vcluster::db::Database& db = *handle;
        db.execute(
            "INSERT INTO vcluster_schema (Version, Description, Applied) VALUES (999, 'future', "
            "'x')");
    }
    expectOneLineError(rocks_({"list", "host"}), "newer than this vcluster roll");
}

TEST_F(RocksCli, ConcurrentWritersAllSucceed) {
    // Sixteen processes adding hosts at once: the busy timeout queues them.
    std::vector<std::thread> threads;
    std::vector<int> codes(16, -1);
    for (int i = 0; i < 16; ++i) {
        threads.emplace_back([&, i] {
            codes[static_cast<std::size_t>(i)] =
                rocks_({"add", "host", "c-0-" + std::to_string(i), "membership=Compute"}).exitCode;
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    for (int c : codes) {
        EXPECT_EQ(c, 0);
    }
    EXPECT_EQ(rows("SELECT COUNT(*) FROM nodes"), 16);
}

class Plugins : public RocksCli {
  protected:
    // A plugin directory holding the roll's plugins plus the test ones.
    fs::path makePluginDir(const std::vector<std::string>& extra) {
        fs::path plugins = dir_ / "plugins";
        fs::create_directories(plugins);
        for (const auto& entry : fs::directory_iterator(VCLUSTER_PLUGIN_DIR)) {
            fs::copy_file(entry.path(), plugins / entry.path().filename());
        }
        for (const auto& name : extra) {
            fs::copy_file(fs::path(VCLUSTER_TEST_PLUGIN_DIR) / name, plugins / name);
        }
        return plugins;
    }
};

TEST_F(Plugins, BrokenPluginsAreReportedByNameAndDoNotTakeOthersDown) {
    fs::path plugins =
        makePluginDir({"rocks-broken-abi-mismatch.so", "rocks-broken-missing-symbol.so"});
    auto help = rocks_({"help"}, {{"ROCKS_PLUGIN_PATH", plugins.string()}});
    EXPECT_EQ(help.exitCode, 0);
    EXPECT_NE(help.out.find("list host interface"), std::string::npos);
    EXPECT_NE(
        help.err.find("warning - plugin rocks-broken-abi-mismatch.so was built for plugin ABI"),
        std::string::npos)
        << help.err;
    EXPECT_NE(help.err.find("warning - plugin rocks-broken-missing-symbol.so failed to load"),
              std::string::npos)
        << help.err;
    EXPECT_NE(help.err.find("vcluster_symbol_that_does_not_exist"), std::string::npos) << help.err;

    auto list = rocks_({"list", "appliance"}, {{"ROCKS_PLUGIN_PATH", plugins.string()}});
    EXPECT_EQ(list.exitCode, 0) << list.err;
    EXPECT_EQ(list.err, "");

    expectOneLineError(
        rocks_({"broken", "abi", "mismatch"}, {{"ROCKS_PLUGIN_PATH", plugins.string()}}),
        "rocks-broken-abi-mismatch.so");
}

TEST_F(Plugins, DroppingAPluginInAddsACommand) {
    fs::path plugins = makePluginDir({});
    EXPECT_NE(rocks_({"report", "hello"}, {{"ROCKS_PLUGIN_PATH", plugins.string()}}).exitCode, 0);
    fs::copy_file(fs::path(VCLUSTER_TEST_PLUGIN_DIR) / "rocks-report-hello.so",
                  plugins / "rocks-report-hello.so");
    auto r = rocks_({"report", "hello", "rocks"}, {{"ROCKS_PLUGIN_PATH", plugins.string()}});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(r.out, "hello rocks\n");
    EXPECT_NE(rocks_({"help"}, {{"ROCKS_PLUGIN_PATH", plugins.string()}}).out.find("report hello"),
              std::string::npos);
}
