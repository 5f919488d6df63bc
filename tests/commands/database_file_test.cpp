// The embedded database file (issue 17, item 10): created only when asked,
// read-only for the commands that only read, checked after an unclean end,
// and a full disk said as such. The real `rocks` against files in a
// temporary directory (SQLite only: the MariaDB pass has no file).
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "db/SqliteDatabase.h"
#include "support/Process.h"
#include "support/TestDatabase.h"

using namespace vcluster::test;
namespace fs = std::filesystem;

namespace {

class DatabaseFile : public ::testing::Test {
  protected:
    void SetUp() override {
        if (onMariaDb()) {
            GTEST_SKIP() << "the embedded database's file only";
        }
    }
    // `rocks ARGS db=DB`, nothing else chosen for it (no ROCKS_DB).
    static ProcessResult rocks(std::vector<std::string> args, const fs::path& db,
                               std::vector<std::string> prefix = {}) {
        std::vector<std::string> argv = std::move(prefix);
        argv.emplace_back(VCLUSTER_ROCKS_BINARY);
        argv.insert(argv.end(), args.begin(), args.end());
        argv.push_back("db=" + db.string());
        return runProcess(argv, {{"ROCKS_PLUGIN_PATH", VCLUSTER_PLUGIN_DIR}});
    }
    static void expectError(const ProcessResult& r, const std::string& text) {
        EXPECT_EQ(r.exitCode, 1) << r.err;
        EXPECT_EQ(r.out, "");
        EXPECT_EQ(countLines(r.err), 1U) << r.err;
        EXPECT_EQ(r.err.rfind("error - ", 0), 0U) << r.err;
        EXPECT_NE(r.err.find(text), std::string::npos) << r.err;
    }
    TempDir dir_;
};

// A typo in db= used to make the directory and a new, empty database, and
// the command then ran on it: now every command but `rocks create vcluster
// database` refuses a file that is not there, and makes nothing.
TEST_F(DatabaseFile, AMissingFileIsRefusedAndNothingIsMade) {
    const fs::path typo = dir_ / "nonexistent/dir/x.db";
    for (const auto& args :
         std::vector<std::vector<std::string>>{{"add", "host", "compute-0-0", "membership=Compute"},
                                               {"list", "host"},
                                               {"set", "attr", "vc_vlan_range", "100-199"}}) {
        expectError(rocks(args, typo), "error - database " + typo.string() +
                                           " does not exist (`rocks create vcluster database` "
                                           "makes a new one)");
    }
    EXPECT_FALSE(fs::exists(dir_ / "nonexistent"));
}

TEST_F(DatabaseFile, CreateVclusterDatabaseMakesItOnceAndThenUpgradesOnly) {
    const fs::path db = dir_ / "new/dir/cluster.db";
    auto r = rocks({"create", "vcluster", "database"}, db);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(r.out.rfind(db.string() + ": schema version ", 0), 0U) << r.out;
    struct stat st {};
    ASSERT_EQ(::stat(db.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600U) << "it holds secrets";
    ASSERT_EQ(rocks({"add", "host", "compute-0-0", "membership=Compute"}, db).exitCode, 0);
    r = rocks({"create", "vcluster", "database"}, db);
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(rocks({"list", "host"}, db).out.find("compute-0-0"), std::string::npos)
        << "an existing database is kept";
}

// A database its user may read but not write is listed (it used to fail:
// opened for writing, WAL mode set on open). Root writes any file, so the
// reader here is `nobody` (setpriv) when the test runs as root.
TEST_F(DatabaseFile, AReadOnlyDatabaseIsListedAndWritesToItFailWithOneLine) {
    const fs::path db = dir_ / "cluster.db";
    ASSERT_EQ(rocks({"create", "vcluster", "database"}, db).exitCode, 0);
    ASSERT_EQ(rocks({"add", "host", "compute-0-0", "membership=Compute"}, db).exitCode, 0);
    fs::permissions(dir_.path(), fs::perms::owner_all | fs::perms::group_read |
                                     fs::perms::group_exec | fs::perms::others_read |
                                     fs::perms::others_exec);
    fs::permissions(db, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
    std::vector<std::string> as;
    if (::geteuid() == 0) {
        as = {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"};
    }
    auto r = rocks({"list", "host"}, db, as);
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_NE(r.out.find("compute-0-0"), std::string::npos) << r.out;
    r = rocks({"list", "host", "output-format=json"}, db, as);
    EXPECT_EQ(r.exitCode, 0) << r.err;
    expectError(rocks({"add", "host", "compute-0-1", "membership=Compute"}, db, as), "database");
    fs::permissions(db, fs::perms::owner_read | fs::perms::owner_write);
    EXPECT_EQ(rocks({"list", "host"}, db).out.find("compute-0-1"), std::string::npos);
}

namespace {

// What a process killed while it had the database open leaves: a WAL with
// committed pages not yet copied back, and no process holding it.
void leaveAnUncleanEnd(const fs::path& db, const std::string& sql) {
    pid_t child = fork();
    if (child == 0) {
        sqlite3* h = nullptr;
        if (sqlite3_open(db.c_str(), &h) != SQLITE_OK ||
            sqlite3_exec(h, "PRAGMA wal_autocheckpoint=0;", nullptr, nullptr, nullptr) !=
                SQLITE_OK ||
            sqlite3_exec(h, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
            _exit(1);
        }
        _exit(0);  // no sqlite3_close: the WAL stays
    }
    int status = 0;
    waitpid(child, &status, 0);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    ASSERT_GT(fs::file_size(db.string() + "-wal"), 0U);
}

// Overwrites the root page of `table` in the file with garbage: a page that
// `rocks add host` never reads.
void damageTable(const fs::path& db, const std::string& table) {
    std::int64_t page = 0;
    std::int64_t pageSize = 0;
    {
        sqlite3* h = nullptr;
        ASSERT_EQ(sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
        sqlite3_stmt* s = nullptr;
        const std::string sql =
            "SELECT rootpage, (SELECT page_size FROM pragma_page_size) FROM "
            "sqlite_master WHERE name = '" +
            table + "'";
        ASSERT_EQ(sqlite3_prepare_v2(h, sql.c_str(), -1, &s, nullptr), SQLITE_OK);
        ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
        page = sqlite3_column_int64(s, 0);
        pageSize = sqlite3_column_int64(s, 1);
        sqlite3_finalize(s);
        sqlite3_close(h);
    }
    ASSERT_GT(page, 1);
    std::fstream f(db, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp((page - 1) * pageSize);
    const std::string garbage(static_cast<std::size_t>(pageSize), '\xa5');
    f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
}

}  // namespace

// After an unclean end a writer runs PRAGMA quick_check first: a damaged
// file gives a non-zero exit and changes nothing (it used to give exit 0 on
// a write that did not read the damaged page, while reads said "malformed");
// a sound one is written to as usual.
TEST_F(DatabaseFile, AWriteAfterAnUncleanEndChecksTheFileFirst) {
    const fs::path sound = dir_ / "sound.db";
    ASSERT_EQ(rocks({"create", "vcluster", "database"}, sound).exitCode, 0);
    leaveAnUncleanEnd(sound,
                      "INSERT INTO vc_chap_secrets (Cluster, User, Secret) "
                      "VALUES ('c', 'vc-c', 'x');");
    EXPECT_EQ(rocks({"add", "host", "compute-0-0", "membership=Compute"}, sound).exitCode, 0);

    const fs::path damaged = dir_ / "damaged.db";
    ASSERT_EQ(rocks({"create", "vcluster", "database"}, damaged).exitCode, 0);
    damageTable(damaged, "vc_chap_secrets");
    leaveAnUncleanEnd(damaged, "CREATE TABLE probe (x); INSERT INTO probe VALUES (1);");
    expectError(rocks({"add", "host", "compute-0-0", "membership=Compute"}, damaged),
                "error - database " + damaged.string() +
                    " is damaged (PRAGMA quick_check after an unclean end: ");
    EXPECT_NE(rocks({"add", "host", "compute-0-0", "membership=Compute"}, damaged)
                  .err.find("restore it from a backup"),
              std::string::npos);
}

// A full disk is said as such, not as "disk I/O error": the database on a
// small tmpfs, filled up, in a mount namespace of its own (root only).
TEST_F(DatabaseFile, AFullDiskIsSaidAsSuch) {
    if (::geteuid() != 0 || runProcess({"unshare", "-m", "true"}).exitCode != 0) {
        GTEST_SKIP() << "needs root and mount namespaces";
    }
    const fs::path mnt = dir_ / "small";
    fs::create_directories(mnt);
    const std::string rocksBin = VCLUSTER_ROCKS_BINARY;
    const std::string db = (mnt / "cluster.db").string();
    const std::string script =
        "set -e; mount -t tmpfs -o size=1m tmpfs '" + mnt.string() + "'; '" + rocksBin +
        "' create vcluster database db='" + db + "' >/dev/null; dd if=/dev/zero of='" +
        mnt.string() + "/fill' bs=4k status=none 2>/dev/null || true; set +e; '" + rocksBin +
        "' set attr Info_Note '" + std::string(3000, 'x') + "' db='" + db + "'; echo \"exit $?\"";
    auto r = runProcess({"unshare", "-m", "--propagation", "private", "bash", "-c", script},
                        {{"ROCKS_PLUGIN_PATH", VCLUSTER_PLUGIN_DIR}});
    EXPECT_NE(r.out.find("exit 1"), std::string::npos) << r.out << r.err;
    EXPECT_EQ(countLines(r.err), 1U) << r.err;
    EXPECT_NE(r.err.find("disk full"), std::string::npos) << r.err;
}

}  // namespace
