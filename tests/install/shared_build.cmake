# SPDX-License-Identifier: Apache-2.0
# cmake -DSOURCE_DIR=... -DBINARY_DIR=... -DGENERATOR=... -DVERSION=... -P shared_build.cmake: the project configured
# with BUILD_SHARED_LIBS=ON (no tests, no benchmarks), then tb-codec built and run: spark_codec_core and spark_codec
# (which links SystemC) as shared libraries with the package's soname, and an executable that loads them. The whole
# shared build takes as much compiling as the static one, too much for every test run (docs/soc-integration.md,
# "Shared libraries"); this keeps the configure step and the shared-library properties checked.
foreach(var SOURCE_DIR BINARY_DIR GENERATOR VERSION)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "shared_build.cmake: ${var} is not set")
  endif()
endforeach()
file(REMOVE_RECURSE ${BINARY_DIR})
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${BINARY_DIR} -G ${GENERATOR} -DBUILD_SHARED_LIBS=ON
                        -DSPARK_BUILD_TESTS=OFF -DSPARK_BUILD_BENCHMARKS=OFF -DCMAKE_BUILD_TYPE=Release
                OUTPUT_QUIET RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configuring with BUILD_SHARED_LIBS=ON failed (${rc})")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BINARY_DIR} -j2 --target tb-codec OUTPUT_QUIET RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "building tb-codec with BUILD_SHARED_LIBS=ON failed (${rc})")
endif()
string(REGEX MATCH "^[0-9]+[.][0-9]+" major_minor "${VERSION}")
foreach(lib codec_core codec)
  set(file ${BINARY_DIR}/models/codec/libspark_${lib}.so.${VERSION})
  if(NOT EXISTS ${file})
    message(FATAL_ERROR "no shared library ${file}")
  endif()
  if(NOT IS_SYMLINK ${BINARY_DIR}/models/codec/libspark_${lib}.so.${major_minor})
    message(FATAL_ERROR "no soname link libspark_${lib}.so.${major_minor}")
  endif()
endforeach()
execute_process(COMMAND ${BINARY_DIR}/testbenches/codec/tb-codec --random 100 --seed 1 RESULT_VARIABLE rc
                OUTPUT_VARIABLE out)
message("${out}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "tb-codec against the shared libraries failed (${rc})")
endif()
message("shared build: libspark_codec_core.so.${VERSION} and libspark_codec.so.${VERSION} (soname .so.${major_minor}) "
        "built and loaded")
