// ReservationPool's selections against a plain scan of every row: what
// `rocks sync vcluster` is given (only reservations with something due), and
// the interval index (reservations overlapping an interval, any span length).
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <sstream>

#include "cluster/Hosts.h"
#include "db/Schema.h"
#include "db/SqliteDatabase.h"
#include "lifecycle/SnapshotPool.h"
#include "reservation/ReservationPool.h"
#include "reservation/ReservationTables.h"
#include "support/Keys.h"
#include "support/Process.h"

using namespace vcluster;
using namespace vcluster::reservation;

namespace {

constexpr Time kNow = 1900000000;

class PoolQueries : public ::testing::Test {
  protected:
    void SetUp() override { db::migrate(db_); }

    std::int64_t add(const std::string& name, Time start, Time end, const std::string& state,
                     const std::string& repeat = {}) {
        StoredReservation s;
        s.request.name = name;
        s.request.start = start;
        s.request.end = end;
        s.request.sshKey = test::sshKeyLine("ssh-ed25519", "t@example.org");
        s.request.fqdn = name + ".example.org";
        if (!repeat.empty()) {
            s.request.repeat = parseWeeklyRepeat(repeat);
        }
        s.state = "scheduled";
        s.id = pool_.insert(s);
        if (state != "scheduled") {
            pool_.setState(s.id, state);
        }
        return s.id;
    }

    static std::set<std::string> names(const std::vector<StoredReservation>& rs) {
        std::set<std::string> out;
        for (const auto& r : rs) {
            out.insert(r.request.name);
        }
        return out;
    }

    test::TempDir dir_;
    db::SqliteDatabase db_{(dir_ / "cluster.db").string()};
    ReservationPool pool_{db_};
};

}  // namespace

TEST_F(PoolQueries, SyncIsGivenOnlyWhatIsDue) {
    const Time h = 3600;
    add("ended", kNow - 10 * h, kNow - h, "active");              // release due
    add("ended-sched", kNow - 10 * h, kNow - h, "scheduled");     // release (cancel) due
    add("releasing", kNow - 10 * h, kNow - 2 * h, "releasing");   // still releasing
    add("released", kNow - 10 * h, kNow - h, "released");         // history
    add("cancelled", kNow - 10 * h, kNow - h, "cancelled");       // history
    add("starting", kNow - h, kNow + h, "scheduled");             // provision due
    add("building", kNow - h, kNow + h, "provisioning");          // provision due
    add("installing", kNow - 2 * h, kNow + 9 * h, "installing");  // install probe due
    add("running", kNow - 100 * h, kNow + 100 * h, "active");     // nothing due
    add("year", kNow - 4000 * h, kNow + 4000 * h, "active");      // nothing due
    add("off", kNow - h, kNow + h, "powered-off");                // power state to converge
    add("course", kNow - 400 * h, kNow + 400 * h, "active", "tue@13:00-16:00");  // weekly
    auto snap = add("snap", kNow - 5 * h, kNow + 5 * h, "active");               // a snapshot asked
    lifecycle::SnapshotPool(db_, snap).request("before", "t");
    auto rb = add("rollback", kNow - 5 * h, kNow + 5 * h, "active");  // a roll-back asked
    lifecycle::SnapshotPool(db_, rb).request("a", "t");
    lifecycle::SnapshotPool(db_, rb).taken("a", "t");
    lifecycle::SnapshotPool(db_, rb).requestRollback("a");
    auto rm = add("remove", kNow - 5 * h, kNow + 5 * h, "active");  // a removal asked
    lifecycle::SnapshotPool(db_, rm).request("a", "t");
    lifecycle::SnapshotPool(db_, rm).taken("a", "t");
    lifecycle::SnapshotPool(db_, rm).requestRemoval("a", "t");
    auto done = add("done", kNow - 5 * h, kNow + 5 * h, "active");  // its snapshot is taken
    lifecycle::SnapshotPool(db_, done).request("a", "t");
    lifecycle::SnapshotPool(db_, done).taken("a", "t");
    add("future", kNow + h, kNow + 2 * h, "scheduled");  // not yet
    auto due = pool_.listDue(kNow);
    EXPECT_EQ(names(due),
              (std::set<std::string>{"ended", "ended-sched", "releasing", "starting", "building",
                                     "installing", "off", "course", "snap", "rollback", "remove"}));
    for (std::size_t i = 1; i < due.size(); ++i) {
        EXPECT_LE(due[i - 1].request.start, due[i].request.start);
    }
}

TEST_F(PoolQueries, OverlappingAgreesWithAScanForEverySpanLength) {
    std::mt19937_64 rng(3);
    struct Span {
        std::string name;
        Time start;
        Time end;
    };
    std::vector<Span> spans;
    for (int i = 0; i < 400; ++i) {
        // Lengths from a second to 20 years, starts over 30 years.
        Time length = 1 + static_cast<Time>(rng() % 40) * static_cast<Time>(rng() % 16000000);
        Time start = kNow - 500000000 + static_cast<Time>(rng() % 1000000000);
        spans.push_back({"r" + std::to_string(i), start, start + length});
        add(spans.back().name, start, start + length, i % 7 == 0 ? "released" : "scheduled");
    }
    for (int q = 0; q < 200; ++q) {
        Time a = kNow - 500000000 + static_cast<Time>(rng() % 1000000000);
        Time b = a + 1 + static_cast<Time>(rng() % 100000000) / (1 + q % 50);
        std::set<std::string> expected;
        for (std::size_t i = 0; i < spans.size(); ++i) {
            if (i % 7 != 0 && spans[i].start < b && a < spans[i].end) {
                expected.insert(spans[i].name);
            }
        }
        EXPECT_EQ(names(pool_.listOverlapping({a, b})), expected) << a << " " << b;
        ReservationPool::ListFilter f;
        f.from = a;
        f.to = b;
        f.state = "scheduled";
        EXPECT_EQ(names(pool_.list(f)), expected);
    }
}

TEST_F(PoolQueries, TheBriefListingPrintsWhatTheFullOnePrints) {
    // rocks list vcluster reads the brief rows: its tables must not change.
    const Time h = 3600;
    add("z", kNow + 5 * h, kNow + 6 * h, "scheduled");  // booked first, listed last
    add("a", kNow, kNow + h, "scheduled");
    add("b", kNow - h, kNow + 9 * h, "installing");
    add("a2", kNow, kNow + h, "scheduled");  // the same start: by name
    add("c", kNow - h, kNow + 900 * h, "powered-off", "tue,thu@13:00-16:00");
    auto failed = add("d", kNow - 2 * h, kNow + h, "failed");
    pool_.setFailureReason(failed, "storage-2-0: storage failed (exit 5): no space");
    add("e", kNow - 20 * h, kNow - 10 * h, "released");
    add("f", kNow, kNow + h, "cancelled");
    auto render = [](const cli::Table& t) {
        std::ostringstream out;
        t.render(out, cli::OutputFormat::Json);
        t.render(out, cli::OutputFormat::Text);
        return out.str();
    };
    auto listed = [&](const ReservationPool::ListFilter& f, bool history) {
        ListingTable t(history);
        pool_.eachListed(f, history, [&](const StoredReservation& r) { t.add(r); });
        return t.table();
    };
    ReservationPool::ListFilter all;
    EXPECT_EQ(render(listed(all, false)), render(listTable(pool_.list(all))));
    EXPECT_EQ(pool_.list(all).size(), 6U);  // z, a, b, a2, c, d: not vacuous
    EXPECT_EQ(pool_.listAll().size(), 8U);
    EXPECT_EQ(render(listed(all, true)), render(historyTable(pool_.listAll())));
    ReservationPool::ListFilter owned;
    owned.owner = "nobody";
    EXPECT_EQ(render(listed(owned, true)), render(historyTable({})));
    ReservationPool::ListFilter released;
    released.state = "released";
    EXPECT_EQ(render(listed(released, false)), render(listTable(pool_.list(released))));
}

// The nodes of a load are read by reservation ID, some hundreds a statement:
// past the first statement's IDs (and the last, shorter one) each still gets
// its own hosts, at their indices.
TEST_F(PoolQueries, ALoadOfManyReservationsReadsEveryOnesNodes) {
    HostPool hosts(db_);
    for (int h = 0; h < 7; ++h) {
        Host host;
        host.name = "vm-server-0-" + std::to_string(h);
        host.membership = "VM Server";
        hosts.add(host);
    }
    const int count = 1234;
    std::map<std::string, std::vector<std::string>> placed;
    for (int i = 0; i < count; ++i) {
        StoredReservation s;
        s.request.name = "r" + std::to_string(i);
        s.request.start = kNow + i * 60;
        s.request.end = s.request.start + 3600;
        s.request.nodes = 1 + i % 3;
        s.request.sshKey = test::sshKeyLine("ssh-ed25519", "t@example.org");
        s.request.fqdn = s.request.name + ".example.org";
        for (int n = 0; n < s.request.nodes; ++n) {
            s.nodeHosts.push_back("vm-server-0-" + std::to_string((i + 2 * n) % 7));
        }
        s.state = "scheduled";
        placed[s.request.name] = s.nodeHosts;
        pool_.insert(s);
    }
    auto live = pool_.listLive();
    ASSERT_EQ(live.size(), static_cast<std::size_t>(count));
    for (const auto& r : live) {
        EXPECT_EQ(r.nodeHosts, placed[r.request.name]) << r.request.name;
    }
    auto some = pool_.listOverlapping({kNow + 600 * 60, kNow + 601 * 60});
    ASSERT_FALSE(some.empty());
    for (const auto& r : some) {
        EXPECT_EQ(r.nodeHosts, placed[r.request.name]) << r.request.name;
    }
}
