// SPDX-License-Identifier: Apache-2.0
// Readable Activity values in Catch2 failure messages.
#pragma once

#include <string>

#include <catch2/catch.hpp>

#include "spark/codec/activity.h"

namespace Catch {
template <>
struct StringMaker<spark::codec::Activity> {
    static std::string convert(const spark::codec::Activity& a) {
        return "{values " + std::to_string(a.values) + ", short " + std::to_string(a.short_codes) + ", long " +
               std::to_string(a.long_codes) + ", nibbles " + std::to_string(a.nibbles) + ", framing_errors " +
               std::to_string(a.framing_errors) + "}";
    }
};
}  // namespace Catch
