// SPDX-License-Identifier: Apache-2.0
// What the format codecs share: input checks, little-endian fields, nibble and bit packing, rounding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "spark/formats/format.h"

namespace spark::formats::detail {

// Throws spark::Error "<format>: element i is NaN; ..." for the first value that is not finite.
void check_finite(std::string_view format, const float* values, std::size_t n);
double max_abs(const float* values, std::size_t n);

// A double to the nearest float, saturating at the float range instead of overflowing to infinity.
float to_float(double v);
// round(x / scale) clamped to [-qmax, qmax], half to even; 0 for a zero scale (an all-zero tensor).
int quantize_symmetric(double x, double scale, int qmax);
// The per-tensor symmetric scale max|x| / qmax as stored (float32); quantisation uses the stored value so that a
// decoder reproduces the encoder's levels exactly.
float symmetric_scale(double max_abs_value, int qmax);

void put_f32(std::vector<std::uint8_t>& out, float v);
void put_u16(std::vector<std::uint8_t>& out, std::uint16_t v);
void put_u32(std::vector<std::uint8_t>& out, std::uint32_t v);

// Bounds-checked little-endian reads from an Encoded's bytes; a short read is a spark::Error naming the field.
class Reader {
public:
    explicit Reader(const Encoded& e) : m_e(e) {}
    float f32(std::string_view field);
    std::uint16_t u16(std::string_view field);
    std::uint32_t u32(std::string_view field);
    std::uint8_t u8(std::string_view field);
    std::size_t position() const { return m_pos; }
    std::size_t remaining() const { return m_e.bytes.size() - m_pos; }
    // Throws unless exactly `n` bytes remain.
    void expect_remaining(std::uint64_t n, std::string_view what) const;

private:
    void need(std::size_t n, std::string_view field) const;
    const Encoded& m_e;
    std::size_t m_pos = 0;
};

// Throws unless `e` was written by `format`.
void check_format(const Encoded& e, std::string_view format);
// A finite, non-negative stored scale; spark::Error otherwise.
void check_scale(const Encoded& e, float scale, std::string_view field);

// Nibble arrays: value i in the high half of byte i / 2 when i is even, the low half when odd; a zero pad nibble
// completes an odd count (the SPARK stream's order).
std::vector<std::uint8_t> pack_nibbles(const std::vector<std::uint8_t>& nibbles);
inline std::uint8_t nibble_at(const std::uint8_t* bytes, std::size_t i) {
    return (i & 1) ? bytes[i / 2] & 0x0F : bytes[i / 2] >> 4;
}
inline int nibble_to_int(std::uint8_t n) { return (n & 0x8) ? int(n) - 16 : int(n); }

// A bit stream, most significant bit first within each byte; the last byte is zero-padded.
class BitWriter {
public:
    void put(std::uint32_t value, int bits);
    std::uint64_t bit_count() const { return m_bits; }
    std::vector<std::uint8_t> finish();  // the bytes, pad bits zero

private:
    std::vector<std::uint8_t> m_bytes;
    std::uint64_t m_bits = 0;
};

class BitReader {
public:
    BitReader(const std::uint8_t* bytes, std::size_t size) : m_bytes(bytes), m_size(size) {}
    // Throws spark::Error (prefixed by `format`) when the stream ends first.
    std::uint32_t get(int bits, std::string_view format);
    std::uint64_t position() const { return m_pos; }
    std::uint64_t size_bits() const { return 8 * std::uint64_t(m_size); }
    // True when every bit from the position on is zero (the pad).
    bool rest_is_zero() const;

private:
    const std::uint8_t* m_bytes;
    std::size_t m_size;
    std::uint64_t m_pos = 0;
};

// Nearest level of a sorted table, ties to the lower level.
class LevelTable {
public:
    // `levels` per code (duplicates allowed; the first code of a level wins).
    explicit LevelTable(const std::vector<double>& levels_by_code);
    std::uint8_t nearest_code(double v) const;
    double level(std::uint8_t code) const { return m_by_code[code]; }
    const std::vector<double>& sorted_levels() const { return m_sorted; }

private:
    std::vector<double> m_by_code;
    std::vector<double> m_sorted;
    std::vector<double> m_mid;  // midpoints between neighbouring sorted levels
    std::vector<std::uint8_t> m_code;
};

std::unique_ptr<Format> make_int8();
std::unique_ptr<Format> make_int16();
std::unique_ptr<Format> make_bitfusion4();
std::unique_ptr<Format> make_bitfusion8();
std::unique_ptr<Format> make_spark();
std::unique_ptr<Format> make_ant();
std::unique_ptr<Format> make_olive();
std::unique_ptr<Format> make_olaccel();
std::unique_ptr<Format> make_adafloat();
std::unique_ptr<Format> make_biscaled();

}  // namespace spark::formats::detail
