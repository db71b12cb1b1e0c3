# SPDX-License-Identifier: Apache-2.0
# Provides the imported target SystemC::systemc, the one name the spark-tlm libraries (and their exported link
# interfaces) use for SystemC. Included by the build and, installed, by spark_tlmConfig.cmake. In this order:
#   1. a target SystemC::systemc that already exists: the virtual platform defined it, or found SystemC's own
#      CMake package (SystemCLanguage) before spark_tlm;
#   2. SystemC's CMake config (source builds install one): SystemCLanguage_DIR, or CMAKE_PREFIX_PATH and the
#      default paths; with SYSTEMC_HOME set, only under SYSTEMC_HOME;
#   3. SYSTEMC_HOME (CMake variable or environment): include/systemc.h and lib*/libsystemc of an autotools build;
#   4. pkg-config's `systemc` (Debian's libsystemc-dev ships only a .pc file).
# In case 4 SystemC::systemc is an INTERFACE IMPORTED target holding what pkg-config reported, so that no
# PkgConfig:: name reaches the exported targets. The target is local to the directory that includes this file,
# as the targets of any package config are.
if(TARGET SystemC::systemc)
  if(NOT SPARK_SYSTEMC_SOURCE)
    set(SPARK_SYSTEMC_SOURCE "target")
    message(STATUS "SystemC: the existing target SystemC::systemc")
  endif()
  return()
endif()

set(SYSTEMC_HOME "$ENV{SYSTEMC_HOME}" CACHE PATH "Root of a source-built SystemC installation")

if(SYSTEMC_HOME AND NOT SystemCLanguage_DIR)
  find_package(SystemCLanguage CONFIG QUIET PATHS ${SYSTEMC_HOME} NO_DEFAULT_PATH)
else()
  find_package(SystemCLanguage CONFIG QUIET)
endif()
if(SystemCLanguage_FOUND)
  if(NOT TARGET SystemC::systemc)
    message(FATAL_ERROR "SystemC's CMake config ${SystemCLanguage_CONFIG} defines no target SystemC::systemc; "
                        "point SystemCLanguage_DIR at a SystemC installation's lib/cmake/SystemCLanguage")
  endif()
  set(SPARK_SYSTEMC_SOURCE "config")
  message(STATUS "SystemC: CMake config from ${SystemCLanguage_DIR}")
  return()
endif()

if(SYSTEMC_HOME)
  find_path(SYSTEMC_INCLUDE_DIR systemc.h PATHS ${SYSTEMC_HOME}/include NO_DEFAULT_PATH)
  find_library(SYSTEMC_LIBRARY systemc
               PATHS ${SYSTEMC_HOME}/lib ${SYSTEMC_HOME}/lib-linux64 ${SYSTEMC_HOME}/lib64 NO_DEFAULT_PATH)
  if(SYSTEMC_INCLUDE_DIR AND SYSTEMC_LIBRARY)
    add_library(SystemC::systemc UNKNOWN IMPORTED)
    set_target_properties(SystemC::systemc PROPERTIES
      IMPORTED_LOCATION ${SYSTEMC_LIBRARY}
      INTERFACE_INCLUDE_DIRECTORIES ${SYSTEMC_INCLUDE_DIR})
    set(SPARK_SYSTEMC_SOURCE "SYSTEMC_HOME")
    message(STATUS "SystemC: ${SYSTEMC_LIBRARY} (SYSTEMC_HOME)")
    return()
  endif()
  message(FATAL_ERROR "SYSTEMC_HOME=${SYSTEMC_HOME} holds no include/systemc.h and lib*/libsystemc "
                      "(and no lib/cmake/SystemCLanguage)")
endif()

find_package(PkgConfig QUIET)
if(PKG_CONFIG_FOUND)
  pkg_check_modules(SPARK_PC_SYSTEMC QUIET systemc)
  if(SPARK_PC_SYSTEMC_FOUND)
    add_library(SystemC::systemc INTERFACE IMPORTED)
    if(SPARK_PC_SYSTEMC_INCLUDE_DIRS)
      set_property(TARGET SystemC::systemc PROPERTY INTERFACE_INCLUDE_DIRECTORIES "${SPARK_PC_SYSTEMC_INCLUDE_DIRS}")
    endif()
    set_property(TARGET SystemC::systemc PROPERTY INTERFACE_LINK_LIBRARIES "${SPARK_PC_SYSTEMC_LINK_LIBRARIES}")
    if(SPARK_PC_SYSTEMC_LDFLAGS_OTHER)
      set_property(TARGET SystemC::systemc PROPERTY INTERFACE_LINK_OPTIONS "${SPARK_PC_SYSTEMC_LDFLAGS_OTHER}")
    endif()
    if(SPARK_PC_SYSTEMC_CFLAGS_OTHER)
      set_property(TARGET SystemC::systemc PROPERTY INTERFACE_COMPILE_OPTIONS "${SPARK_PC_SYSTEMC_CFLAGS_OTHER}")
    endif()
    set(SPARK_SYSTEMC_SOURCE "pkg-config")
    message(STATUS "SystemC: ${SPARK_PC_SYSTEMC_VERSION} (pkg-config: ${SPARK_PC_SYSTEMC_LINK_LIBRARIES})")
    return()
  endif()
endif()

message(FATAL_ERROR "SystemC not found: install libsystemc-dev (Debian), define the target SystemC::systemc "
                    "before this point, or set SystemCLanguage_DIR (SystemC's CMake config) or SYSTEMC_HOME "
                    "to a source-built SystemC")
