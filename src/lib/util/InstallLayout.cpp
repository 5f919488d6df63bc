#include "util/InstallLayout.h"

namespace vcluster {

std::vector<std::filesystem::path> executablePrefixes() {
    std::error_code ec;
    auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec) {
        return {};
    }
    const auto dir = exe.parent_path();
    return {dir.parent_path(), dir.parent_path().parent_path()};
}

}  // namespace vcluster
