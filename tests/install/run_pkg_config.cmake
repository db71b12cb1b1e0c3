# SPDX-License-Identifier: Apache-2.0
# Builds the consumer with nothing but the compiler and `pkg-config --cflags --libs spark_tlm`, then runs it.
file(REMOVE_RECURSE ${BINARY_DIR})
file(MAKE_DIRECTORY ${BINARY_DIR})
file(GLOB pc_files ${PREFIX}/lib*/pkgconfig/spark_tlm.pc ${PREFIX}/lib/*/pkgconfig/spark_tlm.pc)
if(NOT pc_files)
  message(FATAL_ERROR "no spark_tlm.pc under ${PREFIX}")
endif()
list(GET pc_files 0 pc_file)
get_filename_component(pc_dir ${pc_file} DIRECTORY)
set(ENV{PKG_CONFIG_PATH} "${pc_dir}")
execute_process(COMMAND ${PKG_CONFIG} --modversion spark_tlm OUTPUT_VARIABLE version
                OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR NOT version STREQUAL VERSION)
  message(FATAL_ERROR "pkg-config --modversion spark_tlm gave '${version}' (${rc}), expected ${VERSION}")
endif()
execute_process(COMMAND ${PKG_CONFIG} --cflags --libs spark_tlm OUTPUT_VARIABLE flags
                OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "pkg-config --cflags --libs spark_tlm failed (${rc})")
endif()
# A shared build's libraries are found at run time through the run path (harmless for static libraries).
execute_process(COMMAND ${PKG_CONFIG} --variable=libdir spark_tlm OUTPUT_VARIABLE libdir
                OUTPUT_STRIP_TRAILING_WHITESPACE)
separate_arguments(flags UNIX_COMMAND "${flags} -Wl,-rpath,${libdir} ${EXTRA_FLAGS}")
execute_process(COMMAND ${CXX} ${SOURCE} "-DSPARK_TLM_VERSION=\"${version}\"" -o ${BINARY_DIR}/consumer ${flags}
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "compiling with the pkg-config flags failed (${rc}): ${flags}")
endif()
execute_process(COMMAND ${BINARY_DIR}/consumer RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the consumer failed (${rc})")
endif()
