// SPDX-License-Identifier: Apache-2.0
// The decoder's input protocol at nibble level: 4 bits per cycle plus `enable` (spec section 4). The same rules
// drive the signal-level SystemC decoder and the checks on untrusted streams.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "spark/codec/codec.h"

namespace spark::codec {

// One decoder input cycle. enable = 1 marks the nibble as the second half of a long code.
struct Beat {
    std::uint8_t nibble = 0;
    bool enable = false;
    friend constexpr bool operator==(Beat a, Beat b) { return a.nibble == b.nibble && a.enable == b.enable; }
};

// The beats an encoder emits for one code: one for a short code, two for a long one.
struct Beats {
    Beat beat[2];
    std::uint8_t count = 0;
};

constexpr Beats to_beats(Code code) {
    if (!code.is_long()) return Beats{{Beat{code.bits, false}, Beat{}}, 1};
    return Beats{{Beat{code.first_nibble(), false}, Beat{code.second_nibble(), true}}, 2};
}

// The decoder's state between cycles: empty, or holding the first nibble of a long code.
class NibbleDecoder {
public:
    explicit NibbleDecoder(Mode mode) : m_mode(mode) {}

    // Consumes one beat; returns the raw value when one completes. Throws spark::Error on a framing
    // violation: enable = 1 with no long code started, or enable = 0 while a long code waits for its second half.
    std::optional<std::uint8_t> step(Beat beat);

    bool holds_first_half() const { return m_pending.has_value(); }
    // Drops a half-received long code, keeping the beat count: how a decoder resumes after a truncated one.
    void drop_first_half() { m_pending.reset(); }
    // Throws spark::Error if the input ended inside a long code.
    void finish() const;
    std::uint64_t beats_seen() const { return m_beats; }
    Mode mode() const { return m_mode; }

private:
    Mode m_mode;
    std::optional<std::uint8_t> m_pending;
    std::uint64_t m_beats = 0;
};

}  // namespace spark::codec
