// SPDX-License-Identifier: Apache-2.0
// Tensors as nibble-aligned SPARK streams (spec section 3): codes back to back, the high nibble of a long code
// first, the first nibble of a byte in its high half. An odd nibble count leaves a zero pad nibble at the end.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "spark/codec/codec.h"

namespace spark::codec {

struct EncodedStream {
    std::vector<std::uint8_t> bytes;  // ceil(nibbles / 2) bytes
    std::uint64_t nibbles = 0;        // code nibbles, pad excluded
    std::uint64_t values = 0;         // codes in the stream

    std::uint64_t size_bits() const { return nibbles * 4; }
};

// Appends the codes of n raw values to `out` (which may already hold codes).
void pack(const std::uint8_t* raw, std::size_t n, Mode mode, EncodedStream& out);
EncodedStream pack(const std::vector<std::uint8_t>& raw, Mode mode);

// Number of nibbles the codes of n values take, without building the stream.
std::uint64_t encoded_nibbles(const std::uint8_t* raw, std::size_t n, Mode mode);

// Decodes `stream` into raw values. Validates the framing: the nibble count must fit the bytes, every long code
// must be complete, the codes must number exactly `stream.values`, and the pad nibble must be zero. Errors are
// spark::Error naming the nibble offset.
std::vector<std::uint8_t> unpack(const EncodedStream& stream, Mode mode);
void unpack(const EncodedStream& stream, Mode mode, std::uint8_t* out, std::size_t out_capacity);

}  // namespace spark::codec
