# SPDX-License-Identifier: Apache-2.0
# cmake -DSOURCE_DIR=... -DBINARY_DIR=... -DPREFIX=... -DGENERATOR=... -DVERSION=... [options] -P run_consumer.cmake:
# configures, builds and runs a project outside the tree (the consumer, the plugin host) against the package
# installed in PREFIX, as a virtual platform would. Options:
#   RUN                      the executable to run, in BINARY_DIR (default: consumer)
#   EXTRA_FLAGS              compile flags a sanitized package needs
#   EXTRA_LINK_FLAGS         its link flags and objects for executables
#   EXTRA_MODULE_LINK_FLAGS  its link flags for shared libraries and modules
#   CONFIGURE_ARGS           more -D arguments for the project, separated by '|'
#   EXPECT_CONFIGURE         a regular expression the configure output must match
#   SYSTEMC_STANDIN_LIBRARY, SYSTEMC_STANDIN_INCLUDE_DIR
#                            write a stand-in for the CMake config a source-built SystemC installs
#                            (SystemCLanguageConfig.cmake defining SystemC::systemc on this library) into a folder
#                            beside BINARY_DIR and put it first in CMAKE_PREFIX_PATH. Debian ships no such config.
foreach(var SOURCE_DIR BINARY_DIR PREFIX GENERATOR VERSION)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "run_consumer.cmake: ${var} is not set")
  endif()
endforeach()
if(NOT RUN)
  set(RUN consumer)
endif()
file(REMOVE_RECURSE ${BINARY_DIR})

set(prefix_path ${PREFIX})
if(SYSTEMC_STANDIN_LIBRARY)
  set(standin ${BINARY_DIR}_systemc)
  file(REMOVE_RECURSE ${standin})
  # The definition SPARK_TEST_SYSTEMC_FROM lets the consumer print which SystemC target it was compiled with.
  file(WRITE ${standin}/lib/cmake/SystemCLanguage/SystemCLanguageConfig.cmake
"# SPDX-License-Identifier: Apache-2.0
# Stand-in for SystemC's own CMake package config, written by tests/install/run_consumer.cmake.
if(NOT TARGET SystemC::systemc)
  add_library(SystemC::systemc SHARED IMPORTED)
  set_target_properties(SystemC::systemc PROPERTIES
    IMPORTED_LOCATION \"${SYSTEMC_STANDIN_LIBRARY}\"
    INTERFACE_INCLUDE_DIRECTORIES \"${SYSTEMC_STANDIN_INCLUDE_DIR}\"
    INTERFACE_COMPILE_DEFINITIONS \"SPARK_TEST_SYSTEMC_FROM=\\\"SystemCLanguage\\\"\")
endif()
set(SystemCLanguage_VERSION 2.3)
")
  list(PREPEND prefix_path ${standin})
endif()

set(configure_args)
if(CONFIGURE_ARGS)
  string(REPLACE "|" ";" configure_args "${CONFIGURE_ARGS}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${BINARY_DIR} -G ${GENERATOR}
                        "-DCMAKE_PREFIX_PATH=${prefix_path}" -DSPARK_EXPECTED_VERSION=${VERSION}
                        "-DCMAKE_CXX_FLAGS=${EXTRA_FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${EXTRA_LINK_FLAGS}"
                        "-DCMAKE_MODULE_LINKER_FLAGS=${EXTRA_MODULE_LINK_FLAGS}"
                        "-DCMAKE_SHARED_LINKER_FLAGS=${EXTRA_MODULE_LINK_FLAGS}" ${configure_args}
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
message("${out}${err}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configuring ${SOURCE_DIR} failed (${rc})")
endif()
if(EXPECT_CONFIGURE AND NOT "${out}" MATCHES "${EXPECT_CONFIGURE}")
  message(FATAL_ERROR "configuring ${SOURCE_DIR} did not print '${EXPECT_CONFIGURE}'")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BINARY_DIR} -j2 RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "building ${SOURCE_DIR} failed (${rc})")
endif()
execute_process(COMMAND ${BINARY_DIR}/${RUN} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${RUN} failed (${rc})")
endif()
