// SPDX-License-Identifier: Apache-2.0
// Shared by the fuzz targets. The contract every reader of outside input promises (docs/reliability.md): bad input
// is a spark::Error with a message, never a crash, a hang, a leak, undefined behaviour or another exception type.
// A target therefore swallows spark::Error only; anything else escapes and libFuzzer reports it as a crash. Checks
// of properties on accepted input (a round trip, two decoders agreeing) abort with a message.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "spark/common/error.h"

namespace spark::fuzz {

[[noreturn]] inline void fail(const char* target, const std::string& what) {
    std::fprintf(stderr, "%s: property violated: %s\n", target, what.c_str());
    std::abort();
}

// Runs `body`; returns false when it rejected the input with a spark::Error.
template <class Body>
bool accepts(Body&& body) {
    try {
        body();
        return true;
    } catch (const spark::Error&) {
        return false;
    }
}

// Parses JSON the way spark::ConfigReader::parse_file does (comments allowed). Input that is not JSON is not what
// the config targets exercise, so it yields false instead of an exception.
inline bool parse_json(const std::uint8_t* data, std::size_t size, nlohmann::json& out) {
    out = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false, /*ignore_comments=*/true);
    return !out.is_discarded();
}

}  // namespace spark::fuzz
