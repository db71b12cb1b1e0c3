// SPDX-License-Identifier: Apache-2.0
#include "spark/codec/codec.h"

#include <fmt/format.h>

#include "spark/common/error.h"

namespace spark::codec {

std::string_view to_string(Mode mode) { return mode == Mode::unsigned_u8 ? "unsigned" : "signed"; }

Mode parse_mode(std::string_view text) {
    if (text == "unsigned" || text == "u8" || text == "uint8") return Mode::unsigned_u8;
    if (text == "signed" || text == "i8" || text == "int8") return Mode::signed_i8;
    throw Error(fmt::format("unknown codec mode '{}' (expected 'signed' or 'unsigned')", text));
}

}  // namespace spark::codec
