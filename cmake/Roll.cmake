# The roll itself: node and graph XML, their RELAX NG schemas, and the
# systemd units. Included once from the top-level CMakeLists.txt.
#
# - The schemas are compiled into libvcluster-core (generated/roll/RollSchemas.h)
#   so `rocks report roll check` validates any roll tree.
# - The build tree mirrors the installed layout: build/share/vcluster/{nodes,graphs}
#   link to the sources, so build/bin/rocks finds the roll like an installed one.
# - Installed under <prefix>/share/vcluster/ (the reference copy the commands
#   read); tools/build-roll.sh also puts nodes/graphs where Rocks' kickstart
#   generator reads them (/export/profile) and the units in /usr/lib/systemd.

set(_roll_schemas "${PROJECT_SOURCE_DIR}/graphs/schema/kickstart.rng"
                  "${PROJECT_SOURCE_DIR}/graphs/schema/graph.rng")
set_property(DIRECTORY "${PROJECT_SOURCE_DIR}" APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_roll_schemas})
file(READ "${PROJECT_SOURCE_DIR}/graphs/schema/kickstart.rng" VCLUSTER_KICKSTART_RNG)
file(READ "${PROJECT_SOURCE_DIR}/graphs/schema/graph.rng" VCLUSTER_GRAPH_RNG)
configure_file("${PROJECT_SOURCE_DIR}/src/lib/roll/RollSchemas.h.in"
               "${CMAKE_BINARY_DIR}/generated/roll/RollSchemas.h" @ONLY)

set(_roll_share "${CMAKE_BINARY_DIR}/share/vcluster")
file(MAKE_DIRECTORY "${_roll_share}")
foreach(_dir nodes graphs)
    if(NOT EXISTS "${_roll_share}/${_dir}")
        file(CREATE_LINK "${PROJECT_SOURCE_DIR}/${_dir}" "${_roll_share}/${_dir}" SYMBOLIC)
    endif()
endforeach()

install(DIRECTORY "${PROJECT_SOURCE_DIR}/nodes/" DESTINATION share/vcluster/nodes
        FILES_MATCHING PATTERN "*.xml")
install(DIRECTORY "${PROJECT_SOURCE_DIR}/graphs/" DESTINATION share/vcluster/graphs
        FILES_MATCHING PATTERN "*.xml" PATTERN "*.rng")
file(GLOB _roll_units CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/src/systemd/*.service"
     "${PROJECT_SOURCE_DIR}/src/systemd/*.timer")
install(FILES ${_roll_units} DESTINATION share/vcluster/systemd)
