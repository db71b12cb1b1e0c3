// SPDX-License-Identifier: Apache-2.0
// codec::unpack on arbitrary streams, checked against a nibble-by-nibble decoder written from the spec: both must
// accept the same streams and produce the same values.
// Input: byte 0 flags (bit 0 signed mode, bit 1 odd nibble count, bit 2 a nibble count that disagrees with the
// bytes), bytes 1..2 the declared value count (little-endian), the rest the stream bytes.
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "fuzz_support.h"
#include "spark/codec/stream.h"

namespace {

using spark::codec::Mode;

std::uint8_t nibble_at(const std::vector<std::uint8_t>& bytes, std::uint64_t i) {
    return i % 2 == 0 ? bytes[i / 2] >> 4 : bytes[i / 2] & 0x0F;
}

// The spec's decoding (section 2): c0 = 0 is a short code c1 c2 c3 (sign-extended in signed mode); c0 = 1 starts a
// long code whose value is b0 = c3, b1..b7 = c1..c7.
std::optional<std::vector<std::uint8_t>> reference_decode(const spark::codec::EncodedStream& s, Mode mode) {
    if ((s.nibbles + 1) / 2 != s.bytes.size()) return std::nullopt;
    std::vector<std::uint8_t> out;
    for (std::uint64_t i = 0; i < s.nibbles; ++i) {
        const std::uint8_t c = nibble_at(s.bytes, i);
        if (!(c & 0x8)) {
            const std::uint8_t v = c & 0x7;
            out.push_back(mode == Mode::signed_i8 && (v & 0x4) ? static_cast<std::uint8_t>(v | 0xF8) : v);
            continue;
        }
        if (i + 1 == s.nibbles) return std::nullopt;  // truncated long code
        const std::uint8_t low = nibble_at(s.bytes, ++i);
        const unsigned b0 = (c & 0x1) << 7;
        out.push_back(static_cast<std::uint8_t>(b0 | ((c & 0x7) << 4) | low));
    }
    if (out.size() != s.values) return std::nullopt;
    if (s.nibbles % 2 == 1 && (s.bytes.back() & 0x0F) != 0) return std::nullopt;
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 3) return 0;
    const Mode mode = (data[0] & 1) ? Mode::signed_i8 : Mode::unsigned_u8;
    spark::codec::EncodedStream s;
    s.values = data[1] | (std::uint64_t{data[2]} << 8);
    s.bytes.assign(data + 3, data + size);
    s.nibbles = 2 * s.bytes.size();
    if ((data[0] & 2) && s.nibbles > 0) --s.nibbles;
    if (data[0] & 4) s.nibbles += 2;

    std::vector<std::uint8_t> fast;
    const bool accepted = spark::fuzz::accepts([&] { fast = spark::codec::unpack(s, mode); });
    const auto reference = reference_decode(s, mode);
    if (accepted != reference.has_value())
        spark::fuzz::fail("stream_unpack", fmt::format("unpack {} a stream the reference decoder {} ({} nibbles, {} "
                                                       "values)",
                                                       accepted ? "accepted" : "rejected",
                                                       reference ? "accepts" : "rejects", s.nibbles, s.values));
    if (accepted && fast != *reference) spark::fuzz::fail("stream_unpack", "unpack and the reference decoder disagree");

    // The raw-pointer entry must honour its capacity: one slot short is an error, not a write past the end.
    if (accepted && s.values > 0) {
        std::vector<std::uint8_t> small(s.values - 1);
        if (spark::fuzz::accepts([&] { spark::codec::unpack(s, mode, small.data(), small.size()); }))
            spark::fuzz::fail("stream_unpack", "unpack wrote more values than the output holds");
    }
    return 0;
}
