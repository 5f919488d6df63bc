#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "roll/RollTree.h"
#include "support/Process.h"

namespace vcluster::test {

// A copy of the roll's nodes/ and graphs/ in a temporary directory, to break
// one thing at a time.
class RollCopy {
  public:
    RollCopy() {
        namespace fs = std::filesystem;
        fs::path src(VCLUSTER_SOURCE_DIR);
        fs::copy(src / "nodes", dir_.path() / "nodes", fs::copy_options::recursive);
        fs::copy(src / "graphs", dir_.path() / "graphs", fs::copy_options::recursive);
    }
    const std::filesystem::path& path() const { return dir_.path(); }

    void write(const std::string& file, const std::string& text) const {
        writeFile(dir_.path() / file, text);
    }
    // Replaces the first `from` in `file`; fails the test when it is absent.
    void replace(const std::string& file, const std::string& from, const std::string& to) const {
        std::string text = readFile(dir_.path() / file);
        auto at = text.find(from);
        ASSERT_NE(at, std::string::npos) << from << " not in " << file;
        text.replace(at, from.size(), to);
        writeFile(dir_.path() / file, text);
    }
    // The 1-based line of the first line containing `needle`.
    long lineOf(const std::string& file, const std::string& needle) const {
        std::string text = readFile(dir_.path() / file);
        auto at = text.find(needle);
        EXPECT_NE(at, std::string::npos) << needle << " not in " << file;
        return 1 + std::count(text.begin(), text.begin() + static_cast<long>(at), '\n');
    }

    std::vector<roll::Problem> check() const { return roll::RollTree::load(dir_.path()).check(); }

  private:
    TempDir dir_;
};

// "file:line: message" of each problem, for readable failures.
inline std::string describe(const std::vector<roll::Problem>& problems) {
    std::string out;
    for (const auto& p : problems) {
        out += p.text() + "\n";
    }
    return out;
}

// True when some problem is at file:line and its message contains `words`.
inline bool hasProblem(const std::vector<roll::Problem>& problems, const std::string& file,
                       long line, const std::string& words) {
    return std::any_of(problems.begin(), problems.end(), [&](const roll::Problem& p) {
        return p.where.file == file && p.where.line == line &&
               p.message.find(words) != std::string::npos;
    });
}

}  // namespace vcluster::test
