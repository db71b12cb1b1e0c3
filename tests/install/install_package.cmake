# SPDX-License-Identifier: Apache-2.0
# cmake -DBUILD_DIR=... -DPREFIX=... -DLIBDIR=lib -DDOCDIR=share/doc/spark_tlm -DSHARED=OFF -DEXPECTED_HEADERS=a.h,b.h
#       -P install_package.cmake:
# a fresh install of the build tree into PREFIX, holding exactly the public headers (the ones the build compiles
# alone) and no test code, the libraries (static or, with SHARED, shared), the CMake package, whose exported
# targets name SystemC as SystemC::systemc and nothing of pkg-config, the .pc file, and the docs with the example
# projects.
file(REMOVE_RECURSE ${PREFIX})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX} RESULT_VARIABLE rc
                OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install failed (${rc})")
endif()
file(GLOB_RECURSE installed RELATIVE ${PREFIX}/include ${PREFIX}/include/*)
list(SORT installed)
string(REPLACE "," ";" expected "${EXPECTED_HEADERS}")
list(SORT expected)
if(NOT installed STREQUAL expected)
  set(missing ${expected})
  list(REMOVE_ITEM missing ${installed})
  set(extra ${installed})
  list(REMOVE_ITEM extra ${expected})
  message(FATAL_ERROR "installed headers differ from the public headers; missing: ${missing}; extra: ${extra}")
endif()
foreach(h ${installed})
  file(STRINGS ${PREFIX}/include/${h} bad REGEX "#[ \t]*include[ \t]*[<\"](tests|testbenches|catch2)/")
  if(bad)
    message(FATAL_ERROR "${h} includes test code: ${bad}")
  endif()
endforeach()
if(SHARED)
  set(library libspark_accelerator.so)
else()
  set(library libspark_accelerator.a)
endif()
foreach(f ${LIBDIR}/cmake/spark_tlm/spark_tlmConfig.cmake ${LIBDIR}/cmake/spark_tlm/spark_tlmConfigVersion.cmake
          ${LIBDIR}/cmake/spark_tlm/FindSparkSystemC.cmake ${LIBDIR}/pkgconfig/spark_tlm.pc ${LIBDIR}/${library}
          ${DOCDIR}/README.md ${DOCDIR}/LICENSE ${DOCDIR}/docs/soc-integration.md ${DOCDIR}/docs/accelerator.md
          ${DOCDIR}/examples/consumer/CMakeLists.txt ${DOCDIR}/examples/consumer/main.cpp
          ${DOCDIR}/examples/plugin/CMakeLists.txt ${DOCDIR}/examples/plugin/host.cpp
          ${DOCDIR}/examples/plugin/plugin.cpp ${DOCDIR}/examples/plugin/spark_plugin.h)
  if(NOT EXISTS ${PREFIX}/${f})
    message(FATAL_ERROR "${f} was not installed")
  endif()
endforeach()
# The exported link interfaces name SystemC::systemc, whichever way this build found SystemC, so that a platform's
# own SystemC target is what they link; a PkgConfig:: name would fail to configure in a platform without it.
file(GLOB target_files ${PREFIX}/${LIBDIR}/cmake/spark_tlm/spark_tlmTargets*.cmake)
set(names_systemc OFF)
foreach(f ${target_files})
  file(STRINGS ${f} pkgconfig_lines REGEX "PkgConfig::")
  if(pkgconfig_lines)
    message(FATAL_ERROR "${f} names a pkg-config target: ${pkgconfig_lines}")
  endif()
  file(STRINGS ${f} systemc_lines REGEX "INTERFACE_LINK_LIBRARIES.*SystemC::systemc")
  if(systemc_lines)
    set(names_systemc ON)
  endif()
endforeach()
if(NOT names_systemc)
  message(FATAL_ERROR "no exported link interface names SystemC::systemc (${target_files})")
endif()
list(LENGTH installed n)
message(STATUS "installed ${n} headers into ${PREFIX}")
