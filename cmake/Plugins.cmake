# One plugin per directory under rocks-commands/<verb>/<noun...>/: every .cpp
# there is compiled into rocks-<verb>-<noun...>.so in the plugin directory.
# Adding a command needs no edit to any CMake file.
function(vcluster_add_plugins root)
    file(GLOB_RECURSE _sources CONFIGURE_DEPENDS "${root}/*.cpp")
    set(_dirs "")
    foreach(_src IN LISTS _sources)
        get_filename_component(_dir "${_src}" DIRECTORY)
        list(APPEND _dirs "${_dir}")
    endforeach()
    list(REMOVE_DUPLICATES _dirs)
    foreach(_dir IN LISTS _dirs)
        file(RELATIVE_PATH _rel "${root}" "${_dir}")
        string(REPLACE "/" "-" _name "${_rel}")
        file(GLOB _plugin_sources CONFIGURE_DEPENDS "${_dir}/*.cpp")
        set(_target "rocks-${_name}")
        add_library(${_target} MODULE ${_plugin_sources})
        target_link_libraries(${_target} PRIVATE vcluster-core)
        set_target_properties(${_target} PROPERTIES
            PREFIX ""
            LIBRARY_OUTPUT_DIRECTORY "${VCLUSTER_PLUGIN_OUTPUT}"
            BUILD_RPATH "$ORIGIN/../.."
            INSTALL_RPATH "$ORIGIN/../..")
        install(TARGETS ${_target} LIBRARY DESTINATION "${VCLUSTER_PLUGIN_SUBDIR}")
        set_property(GLOBAL APPEND PROPERTY VCLUSTER_PLUGIN_TARGETS ${_target})
    endforeach()
endfunction()
