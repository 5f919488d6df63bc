#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace vcluster::test {

struct ProcessResult {
    int exitCode = -1;
    std::string out;
    std::string err;
};

// Runs a program with arguments (no shell) and extra environment variables,
// capturing its output. Used to test the real `rocks` binary.
ProcessResult runProcess(const std::vector<std::string>& argv,
                         const std::map<std::string, std::string>& env = {},
                         const std::string& input = "");

// A directory removed (recursively) when it goes out of scope.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

  private:
    std::filesystem::path path_;
};

// Runs `rocks <args...>` from the build tree against `db` (in the MariaDB
// pass, against the database that stands for that file: TestDatabase.h).
class Rocks {
  public:
    explicit Rocks(const std::filesystem::path& db);
    ProcessResult operator()(const std::vector<std::string>& args,
                             const std::map<std::string, std::string>& env = {}) const;
    // Runs and fails the current test unless the exit code is 0.
    std::string ok(const std::vector<std::string>& args) const;
    // Builds the sample physical cluster (tools/sample-cluster.sh) in db().
    ProcessResult loadSampleCluster() const;
    const std::filesystem::path& db() const { return db_; }

  private:
    std::filesystem::path db_;
};

std::string readFile(const std::filesystem::path& path);
void writeFile(const std::filesystem::path& path, const std::string& text);
std::size_t countLines(const std::string& text);

}  // namespace vcluster::test
