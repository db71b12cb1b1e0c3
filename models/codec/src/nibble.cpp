// SPDX-License-Identifier: Apache-2.0
#include "spark/codec/nibble.h"

#include <fmt/format.h>

#include "spark/common/error.h"

namespace spark::codec {

std::optional<std::uint8_t> NibbleDecoder::step(Beat beat) {
    const std::uint64_t index = m_beats++;
    if (beat.nibble > 0x0F) throw Error(fmt::format("decoder input {}: nibble value {} exceeds 4 bits", index, beat.nibble));
    if (m_pending) {
        if (!beat.enable)
            throw Error(fmt::format("decoder input {}: truncated long code: first half 0x{:X} is followed by a "
                                    "nibble without enable",
                                    index, *m_pending));
        const auto bits = static_cast<std::uint8_t>((*m_pending << 4) | beat.nibble);
        m_pending.reset();
        return decode(Code{bits, 8}, m_mode);
    }
    if (beat.enable)
        throw Error(fmt::format("decoder input {}: enable is set but no long code was started (nibble 0x{:X})", index,
                                beat.nibble));
    if (beat.nibble & 0x08) {
        m_pending = beat.nibble;
        return std::nullopt;
    }
    return decode(Code{beat.nibble, 4}, m_mode);
}

void NibbleDecoder::finish() const {
    if (m_pending)
        throw Error(fmt::format("decoder input ends inside a long code (first half 0x{:X} after {} nibbles)",
                                *m_pending, m_beats));
}

}  // namespace spark::codec
