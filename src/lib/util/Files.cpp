#include "util/Files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "util/Error.h"

namespace vcluster {

std::string readSmallFile(const std::string& path, std::size_t maxBytes, std::string_view what) {
    std::string name = std::string(what) + " '" + path + "'";
    // O_NONBLOCK: opening a FIFO must not wait for a writer.
    int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        throw Error("cannot read " + name + ": " + std::strerror(errno));
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        throw Error(name + " is not a regular file");
    }
    if (static_cast<unsigned long long>(st.st_size) > maxBytes) {
        ::close(fd);
        throw Error(name + " is larger than " + std::to_string(maxBytes) + " bytes");
    }
    std::string text;
    char buffer[8192];
    while (true) {
        ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            int e = errno;
            ::close(fd);
            throw Error("cannot read " + name + ": " + std::strerror(e));
        }
        if (n == 0) {
            break;
        }
        text.append(buffer, static_cast<std::size_t>(n));
        if (text.size() > maxBytes) {  // it grew while read
            ::close(fd);
            throw Error(name + " is larger than " + std::to_string(maxBytes) + " bytes");
        }
    }
    ::close(fd);
    return text;
}

}  // namespace vcluster
