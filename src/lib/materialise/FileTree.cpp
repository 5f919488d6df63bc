#include "materialise/FileTree.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "util/Error.h"

namespace vcluster::materialise {

void FileTree::add(const std::string& path, std::string content, unsigned mode) {
    if (path.empty() || path.front() == '/' || path.find("..") != std::string::npos) {
        throw Error("generated file path '" + path + "' must be relative and stay inside its tree");
    }
    if (!files_.emplace(path, GeneratedFile{std::move(content), mode}).second) {
        throw Error("generated file '" + path + "' is produced twice");
    }
}

void FileTree::merge(const std::string& prefix, const FileTree& other) {
    for (const auto& [path, file] : other.files_) {
        std::string full = prefix;
        full += '/';
        full += path;
        add(full, file.content, file.mode);
    }
}

const GeneratedFile* FileTree::find(const std::string& path) const {
    auto it = files_.find(path);
    return it == files_.end() ? nullptr : &it->second;
}

void FileTree::writeTo(const std::filesystem::path& directory) const {
    for (const auto& [path, file] : files_) {
        std::filesystem::path target = directory / path;
        std::filesystem::create_directories(target.parent_path());
        // Created with the final mode (and re-chmod'ed if it existed), so a
        // secret is never readable by others, not even for a moment.
        int fd = ::open(target.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, file.mode);
        if (fd < 0) {
            throw Error("cannot write " + target.string() + ": " + std::strerror(errno));
        }
        bool ok = ::fchmod(fd, file.mode) == 0;
        const char* p = file.content.data();
        std::size_t left = file.content.size();
        while (ok && left > 0) {
            ssize_t n = ::write(fd, p, left);
            if (n < 0 && errno == EINTR) {
                continue;
            }
            ok = n > 0;
            if (ok) {
                p += n;
                left -= static_cast<std::size_t>(n);
            }
        }
        int saved = errno;
        ::close(fd);
        if (!ok) {
            throw Error("cannot write " + target.string() + ": " + std::strerror(saved));
        }
    }
}

}  // namespace vcluster::materialise
