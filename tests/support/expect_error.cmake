# SPDX-License-Identifier: Apache-2.0
# Runs COMMAND (arguments separated by |) and passes when it exits with a plain non-zero status (not a signal) and its standard
# error matches REGEX: bad input must be a named error, never a crash or a success.
string(REPLACE "|" ";" command "${COMMAND}")
execute_process(COMMAND ${command} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
if(rc EQUAL 0)
  message(FATAL_ERROR "expected a failure, the command succeeded:\n${out}${err}")
endif()
if(NOT rc MATCHES "^[0-9]+$" OR rc GREATER 127)
  message(FATAL_ERROR "expected an error exit, got '${rc}' (a crash or a timeout):\n${err}")
endif()
# A sanitizer report is a fault, whatever the exit code (scripts/lib/common.sh sets 86 for it).
if(rc EQUAL 86 OR err MATCHES "Sanitizer|runtime error:")
  message(FATAL_ERROR "a sanitizer report, not a clean error exit:\n${err}")
endif()
if(NOT err MATCHES "${REGEX}")
  message(FATAL_ERROR "standard error does not match '${REGEX}':\n${err}")
endif()
