#pragma once

#include <filesystem>
#include <map>
#include <string>

namespace vcluster::materialise {

struct GeneratedFile {
    std::string content;
    unsigned mode = 0644;  // 0600 for anything holding a secret, 0755 for scripts
};

// Generated files keyed by relative path ("storage-2-0/apply.sh"). Writing
// creates directories as needed and sets each file's mode before any byte
// of a secret reaches the disk.
class FileTree {
  public:
    void add(const std::string& path, std::string content, unsigned mode = 0644);
    // Adds every file of `other` under `prefix/`.
    void merge(const std::string& prefix, const FileTree& other);
    const std::map<std::string, GeneratedFile>& files() const { return files_; }
    const GeneratedFile* find(const std::string& path) const;
    std::size_t size() const { return files_.size(); }
    void writeTo(const std::filesystem::path& directory) const;

  private:
    std::map<std::string, GeneratedFile> files_;
};

}  // namespace vcluster::materialise
