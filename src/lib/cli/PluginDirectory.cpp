#include "cli/PluginDirectory.h"

#include <dlfcn.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "cli/BuildInfo.h"
#include "util/Error.h"
#include "util/InstallLayout.h"
#include "util/Strings.h"

namespace vcluster::cli {

namespace {
constexpr std::string_view kPrefix = "rocks-";
constexpr std::string_view kSuffix = ".so";
}  // namespace

PluginDirectory::PluginDirectory(std::filesystem::path dir) : dir_(std::move(dir)) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
        std::string name = entry.path().filename().string();
        if (startsWith(name, kPrefix) && endsWith(name, kSuffix)) {
            std::string stem =
                name.substr(kPrefix.size(), name.size() - kPrefix.size() - kSuffix.size());
            commands_.push_back(split(stem, '-'));
        }
    }
    if (ec) {
        throw Error("cannot read plugin directory " + dir_.string() + ": " + ec.message());
    }
    std::sort(commands_.begin(), commands_.end());
}

std::string PluginDirectory::fileName(const std::vector<std::string>& words) {
    return std::string(kPrefix) + join(words, "-") + std::string(kSuffix);
}

bool PluginDirectory::has(const std::vector<std::string>& words) const {
    return std::binary_search(commands_.begin(), commands_.end(), words);
}

LoadedCommand PluginDirectory::loadFile(const std::string& file,
                                        const std::vector<std::string>& words) const {
    std::string path = (dir_ / file).string();
    // RTLD_LOCAL keeps one plugin's symbols from shadowing another's.
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
        const char* why = dlerror();
        throw Error("plugin " + file +
                    " failed to load: " + (why != nullptr ? why : "unknown reason"));
    }
    auto abi = reinterpret_cast<RocksPluginAbiFn>(dlsym(handle, "rocks_plugin_abi"));
    auto create = reinterpret_cast<RocksPluginCreateFn>(dlsym(handle, "rocks_plugin_create"));
    if (abi == nullptr || create == nullptr) {
        dlclose(handle);
        throw Error("plugin " + file +
                    " is not a rocks command plugin (no rocks_plugin_abi/rocks_plugin_create)");
    }
    if (int version = abi(); version != kPluginAbi) {
        dlclose(handle);
        throw Error("plugin " + file + " was built for plugin ABI " + std::to_string(version) +
                    ", this rocks uses " + std::to_string(kPluginAbi) + "; rebuild it");
    }
    std::unique_ptr<Command> command(create());
    if (!command || command->words() != words) {
        throw Error("plugin " + file + " does not implement the command its file name promises");
    }
    // The handle stays open for the life of the process: the command's code lives there.
    return {file, std::move(command)};
}

LoadedCommand PluginDirectory::load(const std::vector<std::string>& words) const {
    return loadFile(fileName(words), words);
}

std::vector<LoadedCommand> PluginDirectory::loadAll(std::vector<PluginFailure>& failures) const {
    std::vector<LoadedCommand> loaded;
    for (const auto& words : commands_) {
        try {
            loaded.push_back(load(words));
        } catch (const Error& e) {
            failures.push_back({fileName(words), e.what()});
        }
    }
    return loaded;
}

std::filesystem::path defaultPluginDirectory() {
    if (const char* env = std::getenv("ROCKS_PLUGIN_PATH"); env != nullptr && *env != '\0') {
        return env;
    }
    std::error_code ec;
    for (const auto& prefix : executablePrefixes()) {
        auto candidate = prefix / build::kPluginSubdir;
        if (std::filesystem::is_directory(candidate, ec)) {
            return candidate;
        }
    }
    return std::filesystem::path(build::kPrefix) / build::kPluginSubdir;
}

}  // namespace vcluster::cli
