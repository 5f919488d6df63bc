#include "support/Process.h"

#include "db/DatabaseUrl.h"
#include "execute/Executor.h"
#include "support/TestDatabase.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace vcluster::test {

ProcessResult runProcess(const std::vector<std::string>& argv,
                         const std::map<std::string, std::string>& env, const std::string& input) {
    execute::StepResult r = execute::runCommand(argv, input, env);
    return {r.exitCode, std::move(r.output), std::move(r.error)};
}

TempDir::TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "vcluster-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error("mkdtemp failed");
    }
    path_ = pattern;
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

Rocks::Rocks(const std::filesystem::path& db) : db_(databaseFor(db)) {}

ProcessResult Rocks::operator()(const std::vector<std::string>& args,
                                const std::map<std::string, std::string>& env) const {
    // Commands need their database to exist (only `rocks create vcluster
    // database` makes one): a test's is made, empty, before its first command.
    if (!db::isDatabaseUrl(db_.string()) && !std::filesystem::exists(db_)) {
        db::openDatabase(db_.string(), db::Access::Create);
    }
    std::vector<std::string> argv{VCLUSTER_ROCKS_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    std::map<std::string, std::string> e{{"ROCKS_DB", db_.string()},
                                         {"ROCKS_PLUGIN_PATH", VCLUSTER_PLUGIN_DIR}};
    for (const auto& [k, v] : env) {
        e[k] = v;
    }
    return runProcess(argv, e);
}

std::string Rocks::ok(const std::vector<std::string>& args) const {
    ProcessResult r = (*this)(args);
    std::string line;
    for (const auto& a : args) {
        line += a + " ";
    }
    EXPECT_EQ(r.exitCode, 0) << "rocks " << line << "\nstderr: " << r.err;
    return r.out;
}

ProcessResult Rocks::loadSampleCluster() const {
    return runProcess({"bash", std::string(VCLUSTER_SOURCE_DIR) + "/tools/sample-cluster.sh",
                       VCLUSTER_ROCKS_BINARY},
                      {{"ROCKS_DB", db_.string()}, {"ROCKS_PLUGIN_PATH", VCLUSTER_PLUGIN_DIR}});
}

std::string readFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void writeFile(const std::filesystem::path& path, const std::string& text) {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << text;
}

std::size_t countLines(const std::string& text) {
    std::size_t n = 0;
    for (char c : text) {
        n += c == '\n' ? 1 : 0;
    }
    return n;
}

}  // namespace vcluster::test
