// SPDX-License-Identifier: Apache-2.0
#include "spark/codec/chunked.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "spark/common/error.h"

namespace spark::codec {

namespace {

// Whether the first `nibbles` nibbles hold exactly `n` whole codes.
bool holds_codes(const std::uint8_t* bytes, std::uint64_t nibbles, std::uint64_t n) {
    std::uint64_t codes = 0;
    std::uint64_t i = 0;
    while (i < nibbles && codes < n) {
        const std::uint8_t nibble = (i % 2 == 0) ? bytes[i / 2] >> 4 : bytes[i / 2] & 0x0F;
        i += (nibble & 0x08) ? 2 : 1;
        ++codes;
    }
    return codes == n && i == nibbles;
}

// A narrow field: the code's top raw_bits bits, rounded to nearest (half up) and saturated to the field's range.
std::uint32_t narrow_field(std::uint8_t code, Mode mode, unsigned raw_bits) {
    const int shift = 8 - static_cast<int>(raw_bits);
    const int half = 1 << (shift - 1);
    if (mode == Mode::signed_i8) {
        const int v = static_cast<std::int8_t>(code);
        const int hi = (1 << (raw_bits - 1)) - 1, lo = -(1 << (raw_bits - 1));
        const int q = std::clamp((v + half) >> shift, lo, hi);  // >> floors negative values too
        return static_cast<std::uint32_t>(q) & ((1u << raw_bits) - 1);
    }
    const int q = std::min((code + half) >> shift, (1 << raw_bits) - 1);
    return static_cast<std::uint32_t>(q);
}

std::uint8_t widen_field(std::uint32_t field, Mode mode, unsigned raw_bits) {
    const int shift = 8 - static_cast<int>(raw_bits);
    if (mode == Mode::signed_i8) {
        int q = static_cast<int>(field);
        if (q & (1 << (raw_bits - 1))) q -= 1 << raw_bits;  // sign-extend the field
        return static_cast<std::uint8_t>(static_cast<std::int8_t>(q * (1 << shift)));
    }
    return static_cast<std::uint8_t>(field << shift);
}

}  // namespace

bool valid_raw_bits(unsigned raw_bits) { return (raw_bits >= 2 && raw_bits <= 8) || raw_bits == 16; }

std::uint64_t raw_chunk_bytes(std::uint64_t values, unsigned raw_bits) { return (values * raw_bits + 7) / 8; }

std::uint8_t raw_store(std::uint8_t code, Mode mode, unsigned raw_bits) {
    if (raw_bits >= 8) return code;
    return widen_field(narrow_field(code, mode, raw_bits), mode, raw_bits);
}

void pack_raw(const std::uint8_t* codes, std::size_t n, Mode mode, unsigned raw_bits, std::uint8_t* bytes) {
    if (raw_bits == 8) {
        if (n > 0) std::memcpy(bytes, codes, n);
        return;
    }
    if (raw_bits == 16) {
        for (std::size_t i = 0; i < n; ++i) {
            const auto v = static_cast<std::uint16_t>(mode == Mode::signed_i8 ? static_cast<std::int8_t>(codes[i])
                                                                              : static_cast<int>(codes[i]));
            bytes[2 * i] = static_cast<std::uint8_t>(v & 0xFF);
            bytes[2 * i + 1] = static_cast<std::uint8_t>(v >> 8);
        }
        return;
    }
    std::memset(bytes, 0, raw_chunk_bytes(n, raw_bits));
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint32_t f = narrow_field(codes[i], mode, raw_bits);
        const std::uint64_t bit = std::uint64_t{i} * raw_bits;
        // A field spans at most two bytes (raw_bits <= 7).
        const std::uint32_t shifted = f << (bit % 8);
        bytes[bit / 8] |= static_cast<std::uint8_t>(shifted & 0xFF);
        if ((bit % 8) + raw_bits > 8) bytes[bit / 8 + 1] |= static_cast<std::uint8_t>(shifted >> 8);
    }
}

void unpack_raw(const std::uint8_t* bytes, std::size_t n, Mode mode, unsigned raw_bits, std::uint8_t* codes) {
    if (raw_bits == 8) {
        if (n > 0) std::memcpy(codes, bytes, n);
        return;
    }
    if (raw_bits == 16) {
        for (std::size_t i = 0; i < n; ++i) {
            const auto v = static_cast<std::uint16_t>(bytes[2 * i] | (bytes[2 * i + 1] << 8));
            const int value = mode == Mode::signed_i8 ? static_cast<std::int16_t>(v) : static_cast<int>(v);
            const int lo = mode == Mode::signed_i8 ? -128 : 0, hi = mode == Mode::signed_i8 ? 127 : 255;
            if (value < lo || value > hi)
                throw Error(fmt::format("16-bit raw value {} at index {} is not an 8-bit code of its mode", value, i));
            codes[i] = static_cast<std::uint8_t>(value);
        }
        return;
    }
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint64_t bit = std::uint64_t{i} * raw_bits;
        std::uint32_t word = bytes[bit / 8];
        if ((bit % 8) + raw_bits > 8) word |= std::uint32_t{bytes[bit / 8 + 1]} << 8;
        codes[i] = widen_field((word >> (bit % 8)) & ((1u << raw_bits) - 1), mode, raw_bits);
    }
}

ChunkedWriter::ChunkedWriter(Storage storage, Mode mode, unsigned raw_bits) {
    if (storage == Storage::raw_int8 && !valid_raw_bits(raw_bits))
        throw Error(fmt::format("raw storage of {} bits per value (2..8 or 16 expected)", raw_bits));
    m_tensor.storage = storage;
    m_tensor.mode = mode;
    m_tensor.raw_bits = storage == Storage::raw_int8 ? raw_bits : 8;
    m_tensor.chunk_offsets.push_back(0);
}

void ChunkedWriter::add_chunk(const std::uint8_t* raw, std::size_t n) {
    if (m_tensor.storage == Storage::raw_int8) {
        const std::size_t at = m_tensor.bytes.size();
        m_tensor.bytes.resize(at + raw_chunk_bytes(n, m_tensor.raw_bits));
        pack_raw(raw, n, m_tensor.mode, m_tensor.raw_bits, m_tensor.bytes.data() + at);
    } else {
        EncodedStream s;
        pack(raw, n, m_tensor.mode, s);
        m_tensor.bytes.insert(m_tensor.bytes.end(), s.bytes.begin(), s.bytes.end());
    }
    m_tensor.chunk_values.push_back(n);
    m_tensor.chunk_offsets.push_back(m_tensor.bytes.size());
}

void decode_chunk(Storage storage, Mode mode, const std::uint8_t* bytes, std::size_t size_bytes, std::uint8_t* out,
                  std::size_t n, unsigned raw_bits) {
    if (storage == Storage::raw_int8) {
        if (!valid_raw_bits(raw_bits))
            throw Error(fmt::format("raw storage of {} bits per value (2..8 or 16 expected)", raw_bits));
        if (size_bytes != raw_chunk_bytes(n, raw_bits))
            throw Error(fmt::format("raw chunk holds {} bytes, {} values of {} bits expected", size_bytes, n, raw_bits));
        if (n > 0) unpack_raw(bytes, n, mode, raw_bits, out);  // an empty chunk may come with null pointers
        return;
    }
    EncodedStream s;
    s.bytes.assign(bytes, bytes + size_bytes);
    s.values = n;
    // The chunk's nibble count is not stored. Every code is whole, so it is twice the byte count, or one less when
    // the last low half is a zero pad; a zero low half may also be the short code 0, so count the codes to decide.
    s.nibbles = 2 * size_bytes;
    if (size_bytes > 0 && (bytes[size_bytes - 1] & 0x0F) == 0 && holds_codes(bytes, 2 * size_bytes - 1, n))
        s.nibbles -= 1;
    unpack(s, mode, out, n);
}

}  // namespace spark::codec
