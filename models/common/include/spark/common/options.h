// SPDX-License-Identifier: Apache-2.0
// Command-line values the testbenches and tools share: parsed whole and range-checked, so "-1" is an error and
// not 2^64 - 1 as boost::program_options' unsigned parsing would make it.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>

#include <fmt/format.h>

#include "spark/common/error.h"

namespace spark {

// A seed: any unsigned 64-bit integer, decimal, nothing else on the text. `option` names it in the error.
inline std::uint64_t parse_seed(const std::string& text, const char* option = "--seed") {
    std::uint64_t seed = 0;
    const char* last = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), last, seed);
    if (text.empty() || ec != std::errc() || ptr != last)
        throw Error(fmt::format("{} '{}' is not an unsigned 64-bit integer", option, text));
    return seed;
}

}  // namespace spark
