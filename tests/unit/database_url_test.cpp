// db=/ROCKS_DB: a mysql:// URL names a Rocks frontend's MariaDB database,
// anything else an SQLite file; and a Rocks frontend is recognised by its
// files when neither is given.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "db/DatabaseUrl.h"
#include "db/Schema.h"
#include "db/SqliteDatabase.h"
#include "support/Process.h"
#include "util/Error.h"

using namespace vcluster;
namespace fs = std::filesystem;

TEST(DatabaseUrl, ParsesEveryPart) {
    auto u = db::parseMysqlUrl(
        "mysql://root:s%40cret@localhost/cluster?socket=/var/opt/rocks/mysql/mysql.sock");
    EXPECT_EQ(u.user, "root");
    EXPECT_EQ(u.password, "s@cret");
    EXPECT_EQ(u.host, "localhost");
    EXPECT_EQ(u.port, 0U);
    EXPECT_EQ(u.database, "cluster");
    EXPECT_EQ(u.socket, "/var/opt/rocks/mysql/mysql.sock");

    auto tcp = db::parseMysqlUrl("mysql://frontend.example.org:40000/cluster");
    EXPECT_EQ(tcp.user, "");
    EXPECT_FALSE(tcp.password.has_value());
    EXPECT_EQ(tcp.host, "frontend.example.org");
    EXPECT_EQ(tcp.port, 40000U);
    EXPECT_EQ(tcp.socket, "");

    auto noPassword = db::parseMysqlUrl("mariadb://apache@db/cluster");
    EXPECT_EQ(noPassword.user, "apache");
    EXPECT_FALSE(noPassword.password.has_value());
    // The password is never shown again.
    EXPECT_EQ(db::describe(u),
              "mysql://root@localhost/cluster?socket=/var/opt/rocks/mysql/mysql.sock");
}

TEST(DatabaseUrl, RefusesWhatItCannotUse) {
    for (const char* bad :
         {"mysql://localhost", "mysql://localhost/", "mysql://localhost:0/cluster",
          "mysql://localhost:99999/cluster", "mysql://localhost:x/cluster",
          "mysql://localhost/cluster?sockett=/x", "mysql://u:%zz@localhost/cluster",
          "mysql:", "mysql:/cluster", "postgres://localhost/cluster"}) {
        EXPECT_TRUE(db::isDatabaseUrl(bad)) << bad;
        EXPECT_THROW(db::parseMysqlUrl(bad), Error) << bad;
    }
    EXPECT_FALSE(db::isDatabaseUrl("/var/lib/vcluster/cluster.db"));
    EXPECT_FALSE(db::isDatabaseUrl("cluster.db"));
    EXPECT_FALSE(db::isDatabaseUrl("dir:with:colons/cluster.db"));
}

// Used to be opened as an SQLite file: `rocks db=mysql://...` silently made a
// directory "mysql:" (and an empty database in it) in the working directory.
TEST(DatabaseUrl, AMysqlUrlIsNeverAFile) {
    test::TempDir dir;
    const std::string script =
        "cd \"$0\" && exec \"$1\" list host "
        "db=mysql://root@localhost/cluster?socket=\"$0\"/no.sock";
    auto r = test::runProcess({"/bin/sh", "-c", script, dir.path().string(), VCLUSTER_ROCKS_BINARY},
                              {{"ROCKS_PLUGIN_PATH", VCLUSTER_PLUGIN_DIR}});
    EXPECT_EQ(r.exitCode, 1) << r.err;
    EXPECT_EQ(test::countLines(r.err), 1U) << r.err;
    EXPECT_NE(r.err.find("cannot connect to mysql://root@localhost/cluster"), std::string::npos)
        << r.err;
    EXPECT_TRUE(fs::is_empty(dir.path()))
        << "created " << fs::directory_iterator(dir.path())->path();
}

// The same at the root, for every caller that opens the SQLite file itself.
TEST(DatabaseUrl, SqliteRefusesAUrl) {
    test::TempDir dir;
    auto cwd = fs::current_path();
    fs::current_path(dir.path());
    EXPECT_THROW(db::SqliteDatabase("mysql://root@localhost/cluster"), Error);
    EXPECT_THROW(db::SqliteDatabase("mysql:"), Error);
    fs::current_path(cwd);
    EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(RocksFrontend, RecognisedByRocksCommandAndItsDatabaseFiles) {
    test::TempDir dir;
    db::RocksFrontendPaths paths;
    paths.rocksCommand = (dir / "opt/rocks/bin/rocks").string();
    paths.rootOptionFile = (dir / "root/.rocks.my.cnf").string();
    paths.socket = (dir / "var/opt/rocks/mysql/mysql.sock").string();
    EXPECT_FALSE(db::rocksFrontendDatabase(paths)) << "no Rocks at all";
    test::writeFile(paths.rocksCommand, "#!/opt/rocks/bin/python\n");
    EXPECT_FALSE(db::rocksFrontendDatabase(paths)) << "a rocks command, but no Rocks database";
    test::writeFile(paths.rootOptionFile, "[client]\npassword = secret\n");
    auto url = db::rocksFrontendDatabase(paths);
    ASSERT_TRUE(url);
    EXPECT_EQ(url->database, "cluster");
    EXPECT_EQ(url->user, "root");
    EXPECT_EQ(url->socket, paths.socket);
    EXPECT_EQ(url->defaultsFile, paths.rootOptionFile);
    EXPECT_EQ(db::describe(*url), "mysql://root@localhost/cluster?socket=" + paths.socket +
                                      "&defaults-file=" + paths.rootOptionFile);
    EXPECT_EQ(db::parseMysqlUrl(db::describe(*url)).defaultsFile, paths.rootOptionFile);
}

// With no db= and no ROCKS_DB, `rocks` on a Rocks frontend goes to Rocks'
// database, not to the embedded default file.
TEST(RocksFrontend, RocksWithoutDbUsesRocksDatabase) {
    test::TempDir dir;
    test::writeFile(dir / "opt/rocks/bin/rocks", "#!/opt/rocks/bin/python\n");
    test::writeFile(dir / "root/.rocks.my.cnf", "[client]\npassword = secret\n");
    auto r = test::runProcess({VCLUSTER_ROCKS_BINARY, "list", "host"},
                              {{"ROCKS_PLUGIN_PATH", VCLUSTER_PLUGIN_DIR},
                               {"ROCKS_FRONTEND_ROOT", dir.path().string()},
                               {"ROCKS_DB", ""}});
    EXPECT_EQ(r.exitCode, 1) << r.err;
    EXPECT_NE(r.err.find("cannot connect to mysql://root@localhost/cluster?socket=" +
                         dir.path().string() + "/var/opt/rocks/mysql/mysql.sock"),
              std::string::npos)
        << r.err;
}
