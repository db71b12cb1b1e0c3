// SPDX-License-Identifier: Apache-2.0
#include "common.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <numeric>

#include <fmt/format.h>

#include "spark/common/error.h"

namespace spark::formats::detail {

void check_finite(std::string_view format, const float* values, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
        if (std::isfinite(values[i])) continue;
        const char* what = std::isnan(values[i]) ? "NaN" : (values[i] > 0 ? "+Inf" : "-Inf");
        throw Error(fmt::format("{}: element {} is {}; the format needs finite values", format, i, what));
    }
}

double max_abs(const float* values, std::size_t n) {
    float m = 0.0f;
    for (std::size_t i = 0; i < n; ++i) m = std::max(m, std::fabs(values[i]));
    return m;
}

float to_float(double v) {
    return static_cast<float>(std::clamp(v, -double(FLT_MAX), double(FLT_MAX)));
}

int quantize_symmetric(double x, double scale, int qmax) {
    if (scale == 0.0) return 0;
    // Clamp before converting: x / scale may exceed the int range (or be infinite) for a denormal scale.
    return static_cast<int>(std::clamp(std::nearbyint(x / scale), -double(qmax), double(qmax)));
}

float symmetric_scale(double max_abs_value, int qmax) { return to_float(max_abs_value / qmax); }

void put_f32(std::vector<std::uint8_t>& out, float v) {
    std::uint32_t u = 0;
    std::memcpy(&u, &v, 4);
    put_u32(out, u);
}

void put_u16(std::vector<std::uint8_t>& out, std::uint16_t v) {
    out.push_back(static_cast<std::uint8_t>(v));
    out.push_back(static_cast<std::uint8_t>(v >> 8));
}

void put_u32(std::vector<std::uint8_t>& out, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

void Reader::need(std::size_t n, std::string_view field) const {
    if (m_e.bytes.size() - m_pos < n)
        throw Error(fmt::format("{}: truncated: {} bytes end inside the {} at byte {}", m_e.format, m_e.bytes.size(),
                                field, m_pos));
}

std::uint8_t Reader::u8(std::string_view field) {
    need(1, field);
    return m_e.bytes[m_pos++];
}

std::uint16_t Reader::u16(std::string_view field) {
    need(2, field);
    const auto v = static_cast<std::uint16_t>(m_e.bytes[m_pos] | (m_e.bytes[m_pos + 1] << 8));
    m_pos += 2;
    return v;
}

std::uint32_t Reader::u32(std::string_view field) {
    need(4, field);
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= std::uint32_t(m_e.bytes[m_pos + std::size_t(i)]) << (8 * i);
    m_pos += 4;
    return v;
}

float Reader::f32(std::string_view field) {
    const std::uint32_t u = u32(field);
    float v = 0.0f;
    std::memcpy(&v, &u, 4);
    return v;
}

void Reader::expect_remaining(std::uint64_t n, std::string_view what) const {
    if (remaining() != n)
        throw Error(fmt::format("{}: {} bytes for {} values: {} needs {} bytes after byte {}, {} remain", m_e.format,
                                m_e.bytes.size(), m_e.values, what, n, m_pos, remaining()));
}

void check_format(const Encoded& e, std::string_view format) {
    if (e.format != format)
        throw Error(fmt::format("{}: cannot decode data written by format '{}'", format, e.format));
}

void check_scale(const Encoded& e, float scale, std::string_view field) {
    if (!(std::isfinite(scale) && scale >= 0.0f))
        throw Error(fmt::format("{}: {} {} is not a finite non-negative number", e.format, field, scale));
}

std::vector<std::uint8_t> pack_nibbles(const std::vector<std::uint8_t>& nibbles) {
    std::vector<std::uint8_t> out((nibbles.size() + 1) / 2, 0);
    for (std::size_t i = 0; i < nibbles.size(); ++i)
        out[i / 2] |= static_cast<std::uint8_t>((i & 1) ? (nibbles[i] & 0x0F) : (nibbles[i] << 4));
    return out;
}

void BitWriter::put(std::uint32_t value, int bits) {
    for (int b = bits - 1; b >= 0; --b) {
        if (m_bits % 8 == 0) m_bytes.push_back(0);
        if ((value >> b) & 1u) m_bytes.back() |= static_cast<std::uint8_t>(0x80u >> (m_bits % 8));
        ++m_bits;
    }
}

std::vector<std::uint8_t> BitWriter::finish() { return std::move(m_bytes); }

std::uint32_t BitReader::get(int bits, std::string_view format) {
    if (m_pos + std::uint64_t(bits) > size_bits())
        throw Error(fmt::format("{}: truncated: the bit stream of {} bits ends inside a {}-bit field at bit {}", format,
                                size_bits(), bits, m_pos));
    std::uint32_t v = 0;
    for (int b = 0; b < bits; ++b, ++m_pos) v = (v << 1) | ((m_bytes[m_pos / 8] >> (7 - m_pos % 8)) & 1u);
    return v;
}

bool BitReader::rest_is_zero() const {
    for (std::uint64_t p = m_pos; p < size_bits(); ++p)
        if ((m_bytes[p / 8] >> (7 - p % 8)) & 1u) return false;
    return true;
}

LevelTable::LevelTable(const std::vector<double>& levels_by_code) : m_by_code(levels_by_code) {
    std::vector<std::size_t> order(levels_by_code.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return levels_by_code[a] < levels_by_code[b]; });
    for (const std::size_t c : order) {
        if (!m_sorted.empty() && m_sorted.back() == levels_by_code[c]) continue;
        m_sorted.push_back(levels_by_code[c]);
        m_code.push_back(static_cast<std::uint8_t>(c));
    }
    for (std::size_t i = 1; i < m_sorted.size(); ++i) m_mid.push_back(0.5 * (m_sorted[i - 1] + m_sorted[i]));
}

std::uint8_t LevelTable::nearest_code(double v) const {
    // The count of midpoints strictly below v is the level's index; v on a midpoint stays on the lower level.
    const auto i = std::size_t(std::lower_bound(m_mid.begin(), m_mid.end(), v) - m_mid.begin());
    return m_code[i];
}

}  // namespace spark::formats::detail
