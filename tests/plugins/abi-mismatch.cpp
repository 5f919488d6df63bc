// A plugin built against another plugin ABI: must be refused by name.
#include "cli/Command.h"

extern "C" __attribute__((visibility("default"))) int rocks_plugin_abi() {
    return vcluster::cli::kPluginAbi + 100;
}
extern "C" __attribute__((visibility("default"))) vcluster::cli::Command* rocks_plugin_create() {
    return nullptr;
}
