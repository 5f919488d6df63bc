# The roll's commands inside Rocks' own `rocks` (cli/PythonShims.h): once
# every plugin is linked, rocks-python-shims writes a Python module per
# command Rocks does not have into build/rocks-python/site-packages, from the
# plugins' own help; installed into Rocks' site-packages. The modules run the
# installed dispatcher (<prefix>/libexec/vcluster/rocks).
# build/rocks-python/owned-dirs.txt lists the directories the roll owns there
# (tools/build-roll.sh turns it into the RPM's file list).
# Included once from the top-level CMakeLists.txt, after rocks-commands/.

set(VCLUSTER_ROCKS_PACKAGES "${PROJECT_SOURCE_DIR}/src/rocks-python/rocks-owned-commands.txt")
set(_shims_out "${CMAKE_BINARY_DIR}/rocks-python")
get_property(_plugins GLOBAL PROPERTY VCLUSTER_PLUGIN_TARGETS)
add_custom_command(
    OUTPUT "${_shims_out}/owned-dirs.txt"
    COMMAND rocks-python-shims --plugin-dir "${VCLUSTER_PLUGIN_OUTPUT}"
            --rocks-packages "${VCLUSTER_ROCKS_PACKAGES}"
            --dispatcher "${VCLUSTER_PREFIX}/${VCLUSTER_DISPATCHER_SUBDIR}/rocks"
            --out "${_shims_out}/site-packages" --owned-list "${_shims_out}/owned-dirs.txt"
    DEPENDS rocks-python-shims ${_plugins} "${VCLUSTER_ROCKS_PACKAGES}"
    COMMENT "Rocks command modules for the roll's commands"
    VERBATIM)
add_custom_target(rocks-python ALL DEPENDS "${_shims_out}/owned-dirs.txt")
install(DIRECTORY "${_shims_out}/site-packages/" DESTINATION "${VCLUSTER_ROCKS_PYTHON_SUBDIR}")
