#pragma once

#include <filesystem>
#include <vector>

namespace vcluster {

// Where the running program may have been installed from: the directory
// above its own (<prefix>/bin/rocks, the build tree's build/bin/rocks) and
// the one above that (<prefix>/libexec/vcluster/rocks, the dispatcher's
// place on a Rocks frontend, where /opt/rocks/bin/rocks is Rocks' own).
// Callers look for their files (lib/vcluster/commands, share/vcluster)
// under each in turn. Empty when /proc/self/exe cannot be read.
std::vector<std::filesystem::path> executablePrefixes();

}  // namespace vcluster
