// SPDX-License-Identifier: Apache-2.0
// spark: per-tensor INT8, then the project's SPARK code (spark::codec_core) with the hardware's rule for values it
// cannot represent. A tensor with a negative value is symmetric int8 (scale max|x| / 127) in signed mode; any other
// is uint8 (scale max / 255) in unsigned mode, the source's own mode. The stored bytes are the mode, the scale and
// the packed code stream itself.
#include <algorithm>

#include <fmt/format.h>

#include "common.h"
#include "spark/codec/stream.h"
#include "spark/common/error.h"

namespace spark::formats::detail {

namespace {

constexpr std::string_view kName = "spark";

class Spark final : public Format {
public:
    std::string_view name() const override { return kName; }
    std::string_view description() const override {
        return "INT8 (uint8 for non-negative tensors) through the SPARK 4/8-bit code, the encoder's rule";
    }

    Encoded encode(const float* x, std::size_t n, const Options&) const override {
        check_finite(kName, x, n);
        const bool is_signed = std::any_of(x, x + n, [](float v) { return v < 0.0f; });
        const codec::Mode mode = is_signed ? codec::Mode::signed_i8 : codec::Mode::unsigned_u8;
        const int qmax = is_signed ? 127 : 255;
        const float scale = symmetric_scale(max_abs(x, n), qmax);
        std::vector<std::uint8_t> raw(n);
        for (std::size_t i = 0; i < n; ++i) raw[i] = static_cast<std::uint8_t>(quantize_symmetric(x[i], scale, qmax));
        codec::EncodedStream stream;
        codec::pack(raw.data(), raw.size(), mode, stream);
        Encoded e;
        e.format = std::string(kName);
        e.values = n;
        e.bytes.push_back(is_signed ? 1 : 0);
        put_f32(e.bytes, scale);
        e.bytes.insert(e.bytes.end(), stream.bytes.begin(), stream.bytes.end());
        e.metadata_bits = 8 + 32 + 4 * (stream.nibbles % 2);
        e.outliers = stream.nibbles - n;  // each long code takes one nibble more than a short one
        e.detail = fmt::format("{} mode, scale {:.6g}", codec::to_string(mode), scale);
        return e;
    }

    std::vector<float> decode(const Encoded& e) const override {
        check_format(e, kName);
        Reader r(e);
        const std::uint8_t mode_byte = r.u8("mode");
        if (mode_byte > 1)
            throw Error(fmt::format("{}: mode byte {} is neither 0 (unsigned) nor 1 (signed)", kName, mode_byte));
        const codec::Mode mode = mode_byte ? codec::Mode::signed_i8 : codec::Mode::unsigned_u8;
        const float scale = r.f32("scale");
        check_scale(e, scale, "scale");
        codec::EncodedStream stream;
        stream.bytes.assign(e.bytes.begin() + std::ptrdiff_t(r.position()), e.bytes.end());
        stream.values = e.values;
        // The value count fixes the nibble count: walk the indicators (a first nibble with its top bit set starts
        // a long code). unpack then checks the framing and the pad.
        const std::uint64_t available = 2 * std::uint64_t(stream.bytes.size());
        std::uint64_t pos = 0;
        for (std::uint64_t v = 0; v < e.values; ++v) {
            if (pos >= available)
                throw Error(fmt::format("{}: truncated: {} stream bytes end after {} of {} codes", kName,
                                        stream.bytes.size(), v, e.values));
            pos += (nibble_at(stream.bytes.data(), std::size_t(pos)) & 0x8) ? 2 : 1;
        }
        if (pos > available)
            throw Error(fmt::format("{}: truncated: the last long code is cut at nibble {}", kName, available));
        stream.nibbles = pos;
        r.expect_remaining((pos + 1) / 2, fmt::format("a stream of {} nibbles", pos));
        const std::vector<std::uint8_t> raw = codec::unpack(stream, mode);
        std::vector<float> out(raw.size());
        for (std::size_t i = 0; i < raw.size(); ++i) out[i] = to_float(double(codec::to_int(raw[i], mode)) * scale);
        return out;
    }
};

}  // namespace

std::unique_ptr<Format> make_spark() { return std::make_unique<Spark>(); }

}  // namespace spark::formats::detail
