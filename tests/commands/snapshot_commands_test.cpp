// rocks create vcluster snapshot, rocks rollback vcluster and rocks list
// vcluster snapshot: what they record, and bad input refused with one line,
// a non-zero exit and nothing changed.
#include <gtest/gtest.h>

#include "support/Keys.h"
#include "support/Process.h"
#include "support/TestDatabase.h"

using namespace vcluster;
using namespace vcluster::test;

namespace {

class SnapshotCommands : public ::testing::Test {
  protected:
    void SetUp() override {
        auto r = rocks_.loadSampleCluster();
        ASSERT_EQ(r.exitCode, 0) << r.err;
        writeFile(dir_ / "k.pub", sshKeyLine("ssh-ed25519", "t@example.org") + "\n");
        for (const char* name : {"dc1", "later"}) {
            rocks_.ok(
                {"add", "vcluster", name,
                 std::string("start=") +
                     (name == std::string("dc1") ? "2026-12-07" : "2027-01-07") + "T09:00:00Z",
                 std::string("end=") + (name == std::string("dc1") ? "2026-12-31" : "2027-01-31") +
                     "T00:00:00Z",
                 "nodes=1", "sshkey=" + (dir_ / "k.pub").string()});
        }
        rocks_.ok({"sync", "vcluster", "now=2026-12-07T09:00:30Z", "executor=pretend"});
    }

    // The snapshot rows, as text: what must not change on bad input.
    std::string rows() {
        auto handle = vcluster::test::openTestDatabase(rocks_.db());
        vcluster::db::Database& db = *handle;
        std::string s;
        for (const auto& row : db.query("SELECT Reservation, Label, State, RollbacksRequested, "
                                        "Rollbacks FROM vcluster_snapshots ORDER BY ID")) {
            s += row.text(0) + " " + row.text(1) + " " + row.text(2) + " " + row.text(3) + " " +
                 row.text(4) + "\n";
        }
        return s;
    }

    void refused(const std::vector<std::string>& args, const std::string& error) {
        const std::string before = rows();
        auto r = rocks_(args);
        EXPECT_EQ(r.exitCode, 1) << r.out;
        EXPECT_EQ(r.out, "");
        EXPECT_EQ(r.err, "error - " + error + "\n");
        EXPECT_EQ(rows(), before) << "changed by a refused command";
    }

    TempDir dir_;
    Rocks rocks_{dir_ / "cluster.db"};
};

}  // namespace

TEST_F(SnapshotCommands, RecordRequestsThatTheNextSyncPerforms) {
    EXPECT_EQ(rows(), "1 installed present 0 0\n");
    auto r = rocks_({"create", "vcluster", "snapshot", "dc1"},
                    {{"VCLUSTER_NOW", "2026-12-08T10:30:00Z"}});
    EXPECT_EQ(r.out,
              "dc1: snapshot '20261208-1030' requested; the next rocks sync vcluster takes "
              "it\n");
    EXPECT_EQ(
        rocks_.ok({"rollback", "vcluster", "dc1"}),
        "dc1: roll-back to 'installed' requested; the next rocks sync vcluster performs it\n");
    EXPECT_EQ(rows(), "1 installed present 1 0\n1 20261208-1030 requested 0 0\n");
    EXPECT_EQ(rocks_.ok({"list", "vcluster", "snapshot", "dc1"}),
              "LABEL          STATE     REQUESTED            CREATED              ROLLBACKS "
              "PENDING\n"
              "installed:     present   2026-12-07T09:00:30Z 2026-12-07T09:00:30Z 0         "
              "roll-back\n"
              "20261208-1030: requested 2026-12-08T10:30:00Z                      0\n");
    std::string out =
        rocks_.ok({"sync", "vcluster", "now=2026-12-08T10:31:00Z", "executor=pretend"});
    EXPECT_NE(out.find("dc1:     active active snapshot '20261208-1030' taken; rolled back to "
                       "snapshot 'installed', VMs restarted"),
              std::string::npos)
        << out;
    // Dry-run shows the roll-back's steps in order.
    auto pos = [&](const std::string& text) {
        auto p = out.find(text);
        EXPECT_NE(p, std::string::npos) << text << "\n" << out;
        return p;
    };
    EXPECT_LT(pos("gateway-0-0: power-off (pretend"), pos("iscsi-logout (pretend"));
    EXPECT_LT(pos("iscsi-logout (pretend"), pos("storage-2-0: target-off (pretend"));
    EXPECT_LT(pos("storage-2-0: target-off (pretend"), pos("storage-2-0: merge (pretend"));
    EXPECT_LT(pos("storage-2-0: merge (pretend"), pos("storage-2-0: target-on (pretend"));
    EXPECT_LT(pos("storage-2-0: target-on (pretend"), pos("gateway-0-0: frontend-power (pretend"));
    EXPECT_NE(out.find("lvconvert --merge vg_vcluster/vc-dc1-frontend.installed"),
              std::string::npos);
    EXPECT_EQ(rows(), "1 installed present 1 1\n1 20261208-1030 present 0 0\n");
}

TEST_F(SnapshotCommands, BadInputIsRefusedAndChangesNothing) {
    refused({"create", "vcluster", "snapshot", "nosuch", "label=a"}, "unknown vcluster 'nosuch'");
    refused({"rollback", "vcluster", "nosuch"}, "unknown vcluster 'nosuch'");
    refused({"create", "vcluster", "snapshot", "later", "label=a"},
            "vcluster 'later' is scheduled, not active");
    refused({"rollback", "vcluster", "later"}, "vcluster 'later' is scheduled, not active");
    refused({"create", "vcluster", "snapshot", "dc1", "label=a;rm -rf /"},
            "label 'a;rm -rf /' may only have lower-case letters, digits and '-' (not first)");
    refused({"create", "vcluster", "snapshot", "dc1", "label=$(id)"},
            "label '$(id)' may only have lower-case letters, digits and '-' (not first)");
    refused({"create", "vcluster", "snapshot", "dc1", "label=-x"},
            "label '-x' may only have lower-case letters, digits and '-' (not first)");
    refused({"create", "vcluster", "snapshot", "dc1", "label="},
            "label must be 1 to 24 characters, not ''");
    refused({"create", "vcluster", "snapshot", "dc1", "label=installed"},
            "vcluster 'dc1' already has a snapshot 'installed'");
    refused({"rollback", "vcluster", "dc1", "label=nope"}, "vcluster 'dc1' has no snapshot 'nope'");
    refused({"rollback", "vcluster", "dc1", "label=a'b"},
            "label 'a'b' may only have lower-case letters, digits and '-' (not first)");
    refused({"create", "vcluster", "snapshot"},
            "missing argument <name> for \"rocks create vcluster snapshot\"");
    rocks_.ok({"rollback", "vcluster", "dc1"});
    refused({"rollback", "vcluster", "dc1"},
            "a roll-back of 'dc1' to 'installed' is already pending");
    refused({"list", "vcluster", "snapshot", "nosuch"}, "unknown vcluster 'nosuch'");
    // Removal: the same checks, and none while a roll-back to it is pending.
    refused({"remove", "vcluster", "snapshot", "nosuch", "label=a"}, "unknown vcluster 'nosuch'");
    refused({"remove", "vcluster", "snapshot", "later", "label=a"},
            "vcluster 'later' is scheduled, not active");
    refused({"remove", "vcluster", "snapshot", "dc1"},
            "missing parameter label= (the snapshot to remove)");
    refused({"remove", "vcluster", "snapshot", "dc1", "label=$(reboot)"},
            "label '$(reboot)' may only have lower-case letters, digits and '-' (not first)");
    refused({"remove", "vcluster", "snapshot", "dc1", "label=nope"},
            "vcluster 'dc1' has no snapshot 'nope'");
    refused({"remove", "vcluster", "snapshot", "dc1", "label=installed"},
            "a roll-back of 'dc1' to 'installed' is pending: remove the snapshot after it");
}

TEST_F(SnapshotCommands, RemovalIsRecordedAndTheNextSyncRemovesTheVolumesSnapshots) {
    rocks_.ok({"create", "vcluster", "snapshot", "dc1", "label=week1"});
    // Not taken yet: dropped at once.
    EXPECT_EQ(rocks_.ok({"remove", "vcluster", "snapshot", "dc1", "label=week1"}),
              "dc1: snapshot 'week1' was not taken yet: dropped\n");
    EXPECT_EQ(rows(), "1 installed present 0 0\n");
    rocks_.ok({"create", "vcluster", "snapshot", "dc1", "label=week1"});
    rocks_.ok({"sync", "vcluster", "now=2026-12-08T10:00:00Z", "executor=pretend"});
    EXPECT_EQ(rows(), "1 installed present 0 0\n1 week1 present 0 0\n");
    EXPECT_EQ(rocks_.ok({"remove", "vcluster", "snapshot", "dc1", "label=week1"}),
              "dc1: removal of snapshot 'week1' requested; the next rocks sync vcluster "
              "performs it\n");
    refused({"remove", "vcluster", "snapshot", "dc1", "label=week1"},
            "the removal of snapshot 'week1' of 'dc1' is already pending");
    refused({"rollback", "vcluster", "dc1", "label=week1"},
            "snapshot 'week1' of 'dc1' is being removed");
    std::string out =
        rocks_.ok({"sync", "vcluster", "now=2026-12-08T10:01:00Z", "executor=pretend"});
    EXPECT_NE(out.find("--- storage-2-0: remove-snapshot-week1 (pretend"), std::string::npos)
        << out;
    EXPECT_NE(out.find("lvremove"), std::string::npos) << out;
    EXPECT_NE(out.find("vg_vcluster/vc-dc1-frontend.week1"), std::string::npos) << out;
    EXPECT_EQ(out.find("vc-dc1-frontend.installed"), std::string::npos) << "only week1 goes";
    EXPECT_NE(out.find("dc1:     active active snapshot 'week1' removed"), std::string::npos)
        << out;
    EXPECT_EQ(rows(), "1 installed present 0 0\n");
    // The label is free again, and its new snapshot is really taken.
    rocks_.ok({"create", "vcluster", "snapshot", "dc1", "label=week1"});
    out = rocks_.ok({"sync", "vcluster", "now=2026-12-08T10:02:00Z", "executor=pretend"});
    EXPECT_NE(out.find("--- storage-2-0: snapshot-week1 (pretend"), std::string::npos) << out;
    EXPECT_EQ(out.find("already done"), std::string::npos) << out;
}
