# SPDX-License-Identifier: Apache-2.0
# A sanitized build (SPARK_SANITIZE) links scripts/sanitizers/systemc_main_stack.cpp into every executable it
# defines: LeakSanitizer needs the main thread's real stack at exit, and Debian's SystemC leaves ASan's record of
# it wrong (scripts/sanitizers/README.md). Called once, after every folder is added, so new executables need
# nothing of their own.
add_library(spark_sanitizer_runtime OBJECT ${PROJECT_SOURCE_DIR}/scripts/sanitizers/systemc_main_stack.cpp)
spark_warnings(spark_sanitizer_runtime)
# Nothing of the C++ runtime in it, so the install test's consumer can link it into its C compiler check too.
target_compile_options(spark_sanitizer_runtime PRIVATE -fno-exceptions -fno-rtti)

function(spark_link_sanitizer_runtime dir)
  get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
  foreach(target ${targets})
    get_target_property(type ${target} TYPE)
    if(type STREQUAL "EXECUTABLE")
      target_sources(${target} PRIVATE $<TARGET_OBJECTS:spark_sanitizer_runtime>)
    endif()
  endforeach()
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  foreach(subdir ${subdirs})
    spark_link_sanitizer_runtime(${subdir})
  endforeach()
endfunction()
