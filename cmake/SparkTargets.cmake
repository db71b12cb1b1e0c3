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
function(spark_add_library block)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC;PRIVATE" ${ARGN})
  add_library(spark_${block} ${ARG_SOURCES})
  add_library(spark::${block} ALIAS spark_${block})
  if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/include)
    target_include_directories(spark_${block} PUBLIC
      $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include> $<INSTALL_INTERFACE:include>)
  endif()
  target_link_libraries(spark_${block} PUBLIC ${ARG_PUBLIC} PRIVATE ${ARG_PRIVATE})
  spark_warnings(spark_${block})
endfunction()
