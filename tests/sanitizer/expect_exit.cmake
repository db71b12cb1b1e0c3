# SPDX-License-Identifier: Apache-2.0
# Runs COMMAND (arguments separated by |) and passes when it exits with EXIT and its standard error matches REGEX
# (when given) and never shows LeakSanitizer's tracer failing.
string(REPLACE "|" ";" command "${COMMAND}")
execute_process(COMMAND ${command} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 60)
if(err MATCHES "Tracer caught signal|LeakSanitizer has encountered a fatal error")
  message(FATAL_ERROR "LeakSanitizer's tracer failed:\n${out}${err}")
endif()
if(NOT rc STREQUAL EXIT)
  message(FATAL_ERROR "expected exit ${EXIT}, got '${rc}':\n${out}${err}")
endif()
if(DEFINED REGEX AND NOT err MATCHES "${REGEX}")
  message(FATAL_ERROR "standard error does not match '${REGEX}':\n${err}")
endif()
message(STATUS "${out}")
