// SPDX-License-Identifier: Apache-2.0
// codec::NibbleDecoder fed arbitrary beats, resuming after each framing error the way the SystemC decoder does.
// Input: one beat per byte: bits 0..3 the nibble, bit 4 enable; a byte with bits 5..7 all set is passed whole as
// an over-wide nibble, which must be rejected.
#include <fmt/format.h>

#include "fuzz_support.h"
#include "spark/codec/nibble.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using spark::codec::Mode;
    if (size == 0) return 0;
    const Mode mode = (data[0] & 1) ? Mode::signed_i8 : Mode::unsigned_u8;
    spark::codec::NibbleDecoder decoder(mode);
    std::optional<std::uint8_t> first;  // the model of the decoder's state
    for (std::size_t i = 1; i < size; ++i) {
        const std::uint8_t b = data[i];
        spark::codec::Beat beat{static_cast<std::uint8_t>((b & 0xE0) == 0xE0 ? b : b & 0x0F), (b & 0x10) != 0};
        std::optional<std::uint8_t> value;
        const bool ok = spark::fuzz::accepts([&] { value = decoder.step(beat); });
        const bool legal = beat.nibble <= 0x0F && beat.enable == first.has_value();
        if (ok != legal)
            spark::fuzz::fail("nibble_decoder", fmt::format("beat {} (nibble {}, enable {}) {} but should be {}", i,
                                                            beat.nibble, beat.enable, ok ? "accepted" : "rejected",
                                                            legal ? "accepted" : "rejected"));
        if (!ok) {
            decoder.drop_first_half();
            first.reset();
            continue;
        }
        if (first) {
            const std::uint8_t bits = static_cast<std::uint8_t>((*first << 4) | beat.nibble);
            const std::uint8_t expected = static_cast<std::uint8_t>((bits & 0x7F) | ((*first & 1) << 7));
            if (value != expected) spark::fuzz::fail("nibble_decoder", "wrong long value");
            first.reset();
        } else if (beat.nibble & 0x8) {
            if (value) spark::fuzz::fail("nibble_decoder", "a first half produced a value");
            first = beat.nibble;
        } else {
            const std::uint8_t v = beat.nibble & 0x7;
            const std::uint8_t expected = mode == Mode::signed_i8 && (v & 4) ? static_cast<std::uint8_t>(v | 0xF8) : v;
            if (value != expected) spark::fuzz::fail("nibble_decoder", "wrong short value");
        }
        if (decoder.holds_first_half() != first.has_value()) spark::fuzz::fail("nibble_decoder", "state mismatch");
    }
    const bool finished = spark::fuzz::accepts([&] { decoder.finish(); });
    if (finished == first.has_value()) spark::fuzz::fail("nibble_decoder", "finish() disagrees with the state");
    return 0;
}
