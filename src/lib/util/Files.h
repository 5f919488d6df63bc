#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace vcluster {

// The contents of a file named on a command line or in a request: a regular
// file (after symlinks) of at most `maxBytes`, else an Error naming `what`
// ("sshkey", "password file"). A device (/dev/zero, /dev/urandom), FIFO or
// directory is refused without reading it, so no argument makes a command
// read without end or hang.
std::string readSmallFile(const std::string& path, std::size_t maxBytes, std::string_view what);

}  // namespace vcluster
