# SPDX-License-Identifier: Apache-2.0
# The layering rule: nothing under models/ includes a header of platforms/. The platforms build on the models
# (spark::workload, spark::platform, spark::soc), never the other way round; code both need lives in a model
# library (the vector unit's kernels are in models/vector_unit for this reason).
#
#   cmake -DMODELS_DIR=<models/> -DPLATFORMS_DIR=<platforms/> -P check_model_includes.cmake
#
# The forbidden header roots are spark/workload, spark/platform and spark/soc, plus spark/<name> for every
# platforms/*/include/spark/<name> folder, so a new platform is covered without editing this file. Fails listing
# every offending file and include line.
foreach(var MODELS_DIR PLATFORMS_DIR)
  if(NOT IS_DIRECTORY "${${var}}")
    message(FATAL_ERROR "check_model_includes: ${var} '${${var}}' is not a folder")
  endif()
endforeach()

set(roots workload platform soc)
file(GLOB platform_roots LIST_DIRECTORIES true "${PLATFORMS_DIR}/*/include/spark/*")
foreach(dir ${platform_roots})
  if(IS_DIRECTORY "${dir}")
    get_filename_component(name "${dir}" NAME)
    list(APPEND roots ${name})
  endif()
endforeach()
list(REMOVE_DUPLICATES roots)
list(SORT roots)
string(REPLACE ";" "|" roots_regex "${roots}")
# #include "spark/<root>/..." or <spark/<root>/...>, also with blanks around the '#'.
set(include_regex "^[ \t]*#[ \t]*include[ \t]*[<\"]spark/(${roots_regex})/")

file(GLOB_RECURSE sources LIST_DIRECTORIES false
  "${MODELS_DIR}/*.h" "${MODELS_DIR}/*.hh" "${MODELS_DIR}/*.hpp" "${MODELS_DIR}/*.hxx" "${MODELS_DIR}/*.inl"
  "${MODELS_DIR}/*.ipp" "${MODELS_DIR}/*.c" "${MODELS_DIR}/*.cc" "${MODELS_DIR}/*.cpp" "${MODELS_DIR}/*.cxx")
list(SORT sources)

set(offenders "")
set(count 0)
foreach(source ${sources})
  file(STRINGS "${source}" hits REGEX "${include_regex}")
  if(hits)
    file(RELATIVE_PATH rel "${MODELS_DIR}" "${source}")
    foreach(hit ${hits})
      string(STRIP "${hit}" hit)
      string(APPEND offenders "\n  models/${rel}: ${hit}")
      math(EXPR count "${count} + 1")
    endforeach()
  endif()
endforeach()

list(LENGTH sources checked)
if(count GREATER 0)
  message("Includes of a platform header (spark/{${roots_regex}}/) under models/:${offenders}\n"
          "Models must not depend on platforms/: move what both need into a model library.")
  message(FATAL_ERROR "${count} include(s) of a platform header under models/")
endif()
message(STATUS "${checked} files under models/ include no header of spark/{${roots_regex}}/")
