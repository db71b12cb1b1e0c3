// SPDX-License-Identifier: Apache-2.0
// int8, int16 (Eyeriss), bitfusion4 and bitfusion8: one symmetric per-tensor scale max|x| / (2^(b-1) - 1), values
// in two's complement at b bits. BitFusion picks 4 or 8 bits per layer; that choice belongs to the design, each
// width here is a codec of its own.
#include <fmt/format.h>

#include "common.h"
#include "spark/common/error.h"

namespace spark::formats::detail {

namespace {

class SymmetricInt final : public Format {
public:
    SymmetricInt(std::string_view name, int bits, std::string_view description)
        : m_name(name), m_bits(bits), m_description(description) {}

    std::string_view name() const override { return m_name; }
    std::string_view description() const override { return m_description; }

    Encoded encode(const float* x, std::size_t n, const Options&) const override {
        check_finite(m_name, x, n);
        const int qmax = (1 << (m_bits - 1)) - 1;
        const float scale = symmetric_scale(max_abs(x, n), qmax);
        Encoded e;
        e.format = std::string(m_name);
        e.values = n;
        put_f32(e.bytes, scale);
        e.metadata_bits = 32;
        std::vector<std::uint8_t> nibbles;
        if (m_bits == 4) nibbles.reserve(n);
        for (std::size_t i = 0; i < n; ++i) {
            const int q = quantize_symmetric(x[i], scale, qmax);
            if (m_bits == 4) {
                nibbles.push_back(static_cast<std::uint8_t>(q & 0x0F));
            } else if (m_bits == 8) {
                e.bytes.push_back(static_cast<std::uint8_t>(q));
            } else {
                put_u16(e.bytes, static_cast<std::uint16_t>(q));
            }
        }
        if (m_bits == 4) {
            const auto packed = pack_nibbles(nibbles);
            e.bytes.insert(e.bytes.end(), packed.begin(), packed.end());
            e.metadata_bits += 4 * (n % 2);  // the pad nibble
        }
        e.detail = fmt::format("scale {:.6g}", scale);
        return e;
    }

    std::vector<float> decode(const Encoded& e) const override {
        check_format(e, m_name);
        Reader r(e);
        const float scale = r.f32("scale");
        check_scale(e, scale, "scale");
        const std::uint64_t payload = m_bits == 4 ? (e.values + 1) / 2 : e.values * std::uint64_t(m_bits / 8);
        r.expect_remaining(payload, fmt::format("{} {}-bit codes", e.values, m_bits));
        const std::uint8_t* p = e.bytes.data() + r.position();
        if (m_bits == 4 && e.values % 2 && (p[payload - 1] & 0x0F))
            throw Error(fmt::format("{}: the pad nibble is {}, not 0", m_name, p[payload - 1] & 0x0F));
        const int qmax = (1 << (m_bits - 1)) - 1;
        std::vector<float> out(e.values);
        for (std::size_t i = 0; i < out.size(); ++i) {
            int q = 0;
            if (m_bits == 4) q = nibble_to_int(nibble_at(p, i));
            else if (m_bits == 8) q = static_cast<std::int8_t>(p[i]);
            else q = static_cast<std::int16_t>(static_cast<std::uint16_t>(p[2 * i] | (p[2 * i + 1] << 8)));
            // -2^(b-1) is never written: the range is symmetric.
            if (q < -qmax)
                throw Error(fmt::format("{}: value {} holds code {}, outside the symmetric range", m_name, i, q));
            out[i] = to_float(double(q) * scale);
        }
        return out;
    }

private:
    std::string_view m_name;
    int m_bits;
    std::string_view m_description;
};

}  // namespace

std::unique_ptr<Format> make_int8() {
    return std::make_unique<SymmetricInt>("int8", 8, "symmetric per-tensor INT8, scale max|x|/127");
}
std::unique_ptr<Format> make_int16() {
    return std::make_unique<SymmetricInt>("int16", 16, "symmetric per-tensor INT16 (Eyeriss), scale max|x|/32767");
}
std::unique_ptr<Format> make_bitfusion4() {
    return std::make_unique<SymmetricInt>("bitfusion4", 4, "BitFusion's INT4 layer: symmetric, scale max|x|/7");
}
std::unique_ptr<Format> make_bitfusion8() {
    return std::make_unique<SymmetricInt>("bitfusion8", 8, "BitFusion's INT8 layer: symmetric, scale max|x|/127");
}

}  // namespace spark::formats::detail
