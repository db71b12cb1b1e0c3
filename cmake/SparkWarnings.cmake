# SPDX-License-Identifier: Apache-2.0
# spark_warnings(target): the project's warning set, applied to its own targets only.
function(spark_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion)
  if(SPARK_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
