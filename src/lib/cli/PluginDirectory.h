#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cli/Command.h"

namespace vcluster::cli {

// A command plugin that loaded and passed the ABI check.
struct LoadedCommand {
    std::string file;  // e.g. rocks-list-host.so
    std::unique_ptr<Command> command;
};

struct PluginFailure {
    std::string file;
    std::string reason;
};

// The directory of command plugins. A plugin's file name encodes its command
// (rocks-list-host-interface.so is `rocks list host interface`), so finding
// the longest matching command needs a directory listing, not a dlopen of
// every plugin; `rocks help` loads them all.
class PluginDirectory {
  public:
    explicit PluginDirectory(std::filesystem::path dir);

    const std::filesystem::path& path() const { return dir_; }
    // Every command the directory offers, by file name, sorted.
    const std::vector<std::vector<std::string>>& commands() const { return commands_; }
    bool has(const std::vector<std::string>& words) const;
    // Loads one command; throws Error naming the plugin when it cannot.
    LoadedCommand load(const std::vector<std::string>& words) const;
    // Loads every plugin; those that fail are reported in `failures`.
    std::vector<LoadedCommand> loadAll(std::vector<PluginFailure>& failures) const;

    static std::string fileName(const std::vector<std::string>& words);

  private:
    LoadedCommand loadFile(const std::string& file, const std::vector<std::string>& words) const;
    std::filesystem::path dir_;
    std::vector<std::vector<std::string>> commands_;
};

// The plugin directory: $ROCKS_PLUGIN_PATH, else lib/vcluster/commands under
// the prefix the running executable is installed in (bin/rocks, or
// libexec/vcluster/rocks on a Rocks frontend; the build tree's bin/rocks
// too: executablePrefixes()), else the compiled-in install location.
std::filesystem::path defaultPluginDirectory();

}  // namespace vcluster::cli
