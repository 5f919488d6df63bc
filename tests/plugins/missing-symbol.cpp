// A plugin that needs a symbol no library provides: dlopen must fail, and
// only this plugin must be reported.
#include "cli/Command.h"

extern "C" int vcluster_symbol_that_does_not_exist(int);

extern "C" __attribute__((visibility("default"))) int rocks_plugin_abi() {
    return vcluster_symbol_that_does_not_exist(vcluster::cli::kPluginAbi);
}
extern "C" __attribute__((visibility("default"))) vcluster::cli::Command* rocks_plugin_create() {
    return nullptr;
}
