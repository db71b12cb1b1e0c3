# SPDX-License-Identifier: Apache-2.0
# Install rules and the exported package, in one place: `cmake --install` puts every public header tree, the model
# and platform libraries (static and position-independent, or shared with BUILD_SHARED_LIBS), a CMake package (find_package(spark_tlm) -> spark_tlm::<block>) and a pkg-config
# file (spark_tlm.pc) under the prefix. Included once from the top CMakeLists.txt after every block is added.
#
# The exported libraries are the `spark_*` libraries defined under models/ and platforms/ (testbench and tool
# helpers are not part of the package); each is exported as spark_tlm::<name without the spark_ prefix>, the same
# name as its in-tree alias spark::<name>.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(SPARK_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/spark_tlm)

# The library targets of every folder under models/ and platforms/.
set(SPARK_EXPORTED_TARGETS)
get_property(_spark_dirs DIRECTORY ${PROJECT_SOURCE_DIR} PROPERTY SUBDIRECTORIES)
foreach(_dir ${_spark_dirs})
  file(RELATIVE_PATH _rel ${PROJECT_SOURCE_DIR} ${_dir})
  if(NOT _rel MATCHES "^(models|platforms)/")
    continue()
  endif()
  get_property(_targets DIRECTORY ${_dir} PROPERTY BUILDSYSTEM_TARGETS)
  foreach(_t ${_targets})
    get_target_property(_type ${_t} TYPE)
    if(_t MATCHES "^spark_" AND _type MATCHES "^(STATIC_LIBRARY|SHARED_LIBRARY|INTERFACE_LIBRARY)$")
      list(APPEND SPARK_EXPORTED_TARGETS ${_t})
    endif()
  endforeach()
endforeach()
list(SORT SPARK_EXPORTED_TARGETS)

# Export names, the header trees (BUILD_INTERFACE include directories inside the source tree) and which external
# packages the exported link interfaces name.
set(SPARK_PUBLIC_HEADER_DIRS)
set(_spark_export_names)
set(SPARK_EXPORT_NEEDS_BOOST OFF)
foreach(_t ${SPARK_EXPORTED_TARGETS})
  string(REGEX REPLACE "^spark_" "" _name ${_t})
  set_target_properties(${_t} PROPERTIES EXPORT_NAME ${_name})
  list(APPEND _spark_export_names spark_tlm::${_name})
  get_target_property(_includes ${_t} INTERFACE_INCLUDE_DIRECTORIES)
  if(_includes)
    string(REGEX MATCHALL "\\$<BUILD_INTERFACE:[^>]+>" _build_includes "${_includes}")
    foreach(_inc ${_build_includes})
      string(REGEX REPLACE "^\\$<BUILD_INTERFACE:(.*)>$" "\\1" _inc "${_inc}")
      # Header trees of the project: in the source tree, or generated into the build tree (spark/common/version.h).
      file(RELATIVE_PATH _inc_rel ${PROJECT_SOURCE_DIR} ${_inc})
      file(RELATIVE_PATH _inc_bin ${PROJECT_BINARY_DIR} ${_inc})
      if(NOT _inc_rel MATCHES "^\\.\\./" OR NOT _inc_bin MATCHES "^\\.\\./")
        list(APPEND SPARK_PUBLIC_HEADER_DIRS ${_inc})
      endif()
    endforeach()
  endif()
  foreach(_prop LINK_LIBRARIES INTERFACE_LINK_LIBRARIES)
    get_target_property(_libs ${_t} ${_prop})
    if(_libs MATCHES "Boost::")
      set(SPARK_EXPORT_NEEDS_BOOST ON)
    endif()
  endforeach()
endforeach()
list(REMOVE_DUPLICATES SPARK_PUBLIC_HEADER_DIRS)
# Every public header, as its include path ("spark/dram/dram.h"), for the header checks in tests/install.
set(SPARK_PUBLIC_HEADERS)
foreach(_inc ${SPARK_PUBLIC_HEADER_DIRS})
  file(GLOB_RECURSE _headers RELATIVE ${_inc} CONFIGURE_DEPENDS ${_inc}/*.h ${_inc}/*.hpp)
  list(APPEND SPARK_PUBLIC_HEADERS ${_headers})
endforeach()
list(SORT SPARK_PUBLIC_HEADERS)

install(TARGETS ${SPARK_EXPORTED_TARGETS}
  EXPORT spark_tlmTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
foreach(_inc ${SPARK_PUBLIC_HEADER_DIRS})
  install(DIRECTORY ${_inc}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h" PATTERN "*.hpp")
endforeach()

install(EXPORT spark_tlmTargets NAMESPACE spark_tlm:: DESTINATION ${SPARK_INSTALL_CMAKEDIR})

# The consumer finds SystemC the way this build did; a SYSTEMC_HOME or SystemC CMake config used here becomes the
# consumer's default.
set(SPARK_SYSTEMC_HOME "${SYSTEMC_HOME}")
set(SPARK_SYSTEMC_CONFIG_DIR "")
if(SPARK_SYSTEMC_SOURCE STREQUAL "config")
  set(SPARK_SYSTEMC_CONFIG_DIR "${SystemCLanguage_DIR}")
endif()
string(REPLACE ";" " " SPARK_EXPORTED_NAMES "${_spark_export_names}")
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/spark_tlmConfig.cmake.in
  ${PROJECT_BINARY_DIR}/package/spark_tlmConfig.cmake
  INSTALL_DESTINATION ${SPARK_INSTALL_CMAKEDIR}
  PATH_VARS CMAKE_INSTALL_INCLUDEDIR)
# 0.x releases: a minor version may break the interface.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/package/spark_tlmConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES
  ${PROJECT_BINARY_DIR}/package/spark_tlmConfig.cmake
  ${PROJECT_BINARY_DIR}/package/spark_tlmConfigVersion.cmake
  ${CMAKE_CURRENT_LIST_DIR}/FindSparkSystemC.cmake
  DESTINATION ${SPARK_INSTALL_CMAKEDIR})

# The documentation and the example projects beside it (CMAKE_INSTALL_DOCDIR, share/doc/spark_tlm): the docs with
# the README that links them, and the projects the install tests build against the installed prefix: the consumer
# (find_package, the accelerator on a DRAM) and the plugin (a shared library holding the accelerator, loaded by a
# host that links only SystemC).
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs FILES_MATCHING PATTERN "*.md")
install(FILES ${PROJECT_SOURCE_DIR}/tests/install/consumer/CMakeLists.txt
              ${PROJECT_SOURCE_DIR}/tests/install/consumer/main.cpp
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples/consumer)
install(FILES ${PROJECT_SOURCE_DIR}/tests/install/plugin/CMakeLists.txt
              ${PROJECT_SOURCE_DIR}/tests/install/plugin/spark_plugin.h
              ${PROJECT_SOURCE_DIR}/tests/install/plugin/plugin.cpp
              ${PROJECT_SOURCE_DIR}/tests/install/plugin/host.cpp
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples/plugin)

# pkg-config: static libraries must be listed dependents first, so order the exported targets by their links
# (depth-first post-order over in-project links, reversed).
set_property(GLOBAL PROPERTY SPARK_LINK_ORDER "")
function(_spark_link_order_visit target)
  get_property(_done GLOBAL PROPERTY SPARK_LINK_ORDER)
  if(target IN_LIST _done)
    return()
  endif()
  get_target_property(_type ${target} TYPE)
  set(_links)
  if(NOT _type STREQUAL "INTERFACE_LIBRARY")
    get_target_property(_l ${target} LINK_LIBRARIES)
    if(_l)
      list(APPEND _links ${_l})
    endif()
  endif()
  get_target_property(_l ${target} INTERFACE_LINK_LIBRARIES)
  if(_l)
    list(APPEND _links ${_l})
  endif()
  foreach(_dep ${_links})
    if(TARGET ${_dep})
      get_target_property(_aliased ${_dep} ALIASED_TARGET)
      if(_aliased)
        set(_dep ${_aliased})
      endif()
      if(_dep IN_LIST SPARK_EXPORTED_TARGETS)
        _spark_link_order_visit(${_dep})
      endif()
    endif()
  endforeach()
  set_property(GLOBAL APPEND PROPERTY SPARK_LINK_ORDER ${target})
endfunction()
foreach(_t ${SPARK_EXPORTED_TARGETS})
  _spark_link_order_visit(${_t})
endforeach()
get_property(_order GLOBAL PROPERTY SPARK_LINK_ORDER)
list(REVERSE _order)
set(SPARK_PC_LIBS)
foreach(_t ${_order})
  get_target_property(_type ${_t} TYPE)
  if(NOT _type STREQUAL "INTERFACE_LIBRARY")
    string(APPEND SPARK_PC_LIBS " -l${_t}")
  endif()
endforeach()
string(STRIP "${SPARK_PC_LIBS}" SPARK_PC_LIBS)
# The .pc file locates the prefix from its own directory, so an installed tree can be moved.
file(RELATIVE_PATH SPARK_PC_PREFIX_FROM_PCFILEDIR /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
string(REGEX REPLACE "/$" "" SPARK_PC_PREFIX_FROM_PCFILEDIR "${SPARK_PC_PREFIX_FROM_PCFILEDIR}")
configure_file(${CMAKE_CURRENT_LIST_DIR}/spark_tlm.pc.in ${PROJECT_BINARY_DIR}/package/spark_tlm.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/package/spark_tlm.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
