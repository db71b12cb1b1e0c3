# SPDX-License-Identifier: Apache-2.0
# spark_warnings(target): the project's warning set, applied to its own targets only.
function(spark_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion)
  if(SPARK_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# spark_add_library(<block> SOURCES ... [PUBLIC deps...] [PRIVATE deps...]): the library spark_<block> with the
# alias spark::<block>, the folder's include/ as its public headers and the project's warning set.
# Static by default, shared with -DBUILD_SHARED_LIBS=ON. Always position-independent: a virtual platform that
# loads its models from shared libraries links the installed static archives into its own .so (tests/install,
# install.plugin), which code built as Debian's default PIE cannot go into.
function(spark_add_library block)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC;PRIVATE" ${ARGN})
  add_library(spark_${block} ${ARG_SOURCES})
  add_library(spark::${block} ALIAS spark_${block})
  set_target_properties(spark_${block} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  get_target_property(_type spark_${block} TYPE)
  if(_type STREQUAL "SHARED_LIBRARY")
    # 0.x: a minor version may break the interface, so the soname carries major.minor. Installed, each library
    # finds the spark libraries it needs beside itself ($ORIGIN), so a moved prefix still loads.
    set_target_properties(spark_${block} PROPERTIES
      VERSION ${PROJECT_VERSION} SOVERSION ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR}
      INSTALL_RPATH "$ORIGIN")
  endif()
  if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/include)
    target_include_directories(spark_${block} PUBLIC
      $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include> $<INSTALL_INTERFACE:include>)
  endif()
  target_link_libraries(spark_${block} PUBLIC ${ARG_PUBLIC} PRIVATE ${ARG_PRIVATE})
  spark_warnings(spark_${block})
endfunction()
