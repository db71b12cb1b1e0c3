# SPDX-License-Identifier: Apache-2.0
# Provides the imported target SystemC::systemc.
# Order: an existing target, SystemC's own CMake config (source builds install one), SYSTEMC_HOME,
# then pkg-config (Debian's libsystemc-dev ships only a .pc file).
if(TARGET SystemC::systemc)
  return()
endif()

find_package(SystemCLanguage CONFIG QUIET)
if(SystemCLanguage_FOUND)
  message(STATUS "SystemC: CMake config from ${SystemCLanguage_DIR}")
  return()
endif()

set(SYSTEMC_HOME "$ENV{SYSTEMC_HOME}" CACHE PATH "Root of a source-built SystemC installation")
if(SYSTEMC_HOME)
  find_path(SYSTEMC_INCLUDE_DIR systemc.h PATHS ${SYSTEMC_HOME}/include NO_DEFAULT_PATH)
  find_library(SYSTEMC_LIBRARY systemc
               PATHS ${SYSTEMC_HOME}/lib ${SYSTEMC_HOME}/lib-linux64 ${SYSTEMC_HOME}/lib64 NO_DEFAULT_PATH)
  if(SYSTEMC_INCLUDE_DIR AND SYSTEMC_LIBRARY)
    add_library(SystemC::systemc UNKNOWN IMPORTED)
    set_target_properties(SystemC::systemc PROPERTIES
      IMPORTED_LOCATION ${SYSTEMC_LIBRARY}
      INTERFACE_INCLUDE_DIRECTORIES ${SYSTEMC_INCLUDE_DIR})
    message(STATUS "SystemC: ${SYSTEMC_LIBRARY} (SYSTEMC_HOME)")
    return()
  endif()
  message(FATAL_ERROR "SYSTEMC_HOME=${SYSTEMC_HOME} holds no include/systemc.h and lib*/libsystemc")
endif()

find_package(PkgConfig QUIET)
if(PKG_CONFIG_FOUND)
  pkg_check_modules(SPARK_PC_SYSTEMC QUIET IMPORTED_TARGET GLOBAL systemc)
  if(SPARK_PC_SYSTEMC_FOUND)
    add_library(SystemC::systemc ALIAS PkgConfig::SPARK_PC_SYSTEMC)
    message(STATUS "SystemC: ${SPARK_PC_SYSTEMC_VERSION} (pkg-config)")
    return()
  endif()
endif()

message(FATAL_ERROR "SystemC not found: install libsystemc-dev (Debian), or set SYSTEMC_HOME "
                    "or SystemCLanguage_DIR to a source-built SystemC")
