// SPDX-License-Identifier: Apache-2.0
#include "spark/codec/stream.h"

#include <fmt/format.h>

#include "spark/common/error.h"

namespace spark::codec {

namespace {

void put_nibble(EncodedStream& s, std::uint8_t nibble) {
    if (s.nibbles % 2 == 0)
        s.bytes.push_back(static_cast<std::uint8_t>(nibble << 4));
    else
        s.bytes.back() = static_cast<std::uint8_t>(s.bytes.back() | nibble);
    ++s.nibbles;
}

std::uint8_t get_nibble(const std::vector<std::uint8_t>& bytes, std::uint64_t index) {
    const std::uint8_t byte = bytes[index / 2];
    return index % 2 == 0 ? static_cast<std::uint8_t>(byte >> 4) : static_cast<std::uint8_t>(byte & 0x0F);
}

}  // namespace

void pack(const std::uint8_t* raw, std::size_t n, Mode mode, EncodedStream& out) {
    out.bytes.reserve(out.bytes.size() + n);
    for (std::size_t i = 0; i < n; ++i) {
        const Code code = encode(raw[i], mode);
        if (code.is_long()) put_nibble(out, code.first_nibble());
        put_nibble(out, code.second_nibble());
    }
    out.values += n;
}

EncodedStream pack(const std::vector<std::uint8_t>& raw, Mode mode) {
    EncodedStream s;
    pack(raw.data(), raw.size(), mode, s);
    return s;
}

std::uint64_t encoded_nibbles(const std::uint8_t* raw, std::size_t n, Mode mode) {
    std::uint64_t nibbles = 0;
    for (std::size_t i = 0; i < n; ++i) nibbles += encode(raw[i], mode).length_bits / 4;
    return nibbles;
}

void unpack(const EncodedStream& s, Mode mode, std::uint8_t* out, std::size_t out_capacity) {
    if ((s.nibbles + 1) / 2 != s.bytes.size())
        throw Error(fmt::format("encoded stream: {} nibbles need {} bytes but {} are present", s.nibbles,
                                (s.nibbles + 1) / 2, s.bytes.size()));
    if (s.values > out_capacity)
        throw Error(fmt::format("encoded stream: {} values do not fit an output of {}", s.values, out_capacity));
    std::uint64_t produced = 0;
    for (std::uint64_t i = 0; i < s.nibbles; ++i) {
        const std::uint8_t first = get_nibble(s.bytes, i);
        Code code{first, 4};
        if (first & 0x08) {
            if (i + 1 >= s.nibbles)
                throw Error(fmt::format("encoded stream: truncated long code at nibble {} (stream has {} nibbles)", i,
                                        s.nibbles));
            code = Code{static_cast<std::uint8_t>((first << 4) | get_nibble(s.bytes, ++i)), 8};
        }
        if (produced == s.values)
            throw Error(fmt::format("encoded stream: more codes than the {} values declared (extra code at nibble {})",
                                    s.values, code.is_long() ? i - 1 : i));
        out[produced++] = decode(code, mode);
    }
    if (produced != s.values)
        throw Error(fmt::format("encoded stream: {} values declared but {} nibbles hold only {}", s.values, s.nibbles,
                                produced));
    if (s.nibbles % 2 == 1 && (s.bytes.back() & 0x0F) != 0)
        throw Error(fmt::format("encoded stream: pad nibble after nibble {} is 0x{:X}, not 0", s.nibbles - 1,
                                s.bytes.back() & 0x0F));
}

std::vector<std::uint8_t> unpack(const EncodedStream& s, Mode mode) {
    // Each value needs at least one nibble, so a declared count beyond the nibbles is caught before allocating.
    if (s.values > s.nibbles)
        throw Error(fmt::format("encoded stream: {} values declared but only {} nibbles present", s.values, s.nibbles));
    std::vector<std::uint8_t> out(s.values);
    unpack(s, mode, out.data(), out.size());
    return out;
}

}  // namespace spark::codec
