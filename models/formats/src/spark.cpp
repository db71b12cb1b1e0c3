// SPDX-License-Identifier: Apache-2.0
// spark: symmetric per-tensor INT8, then the project's SPARK code in signed mode (spark::codec_core), the hardware's
// rule for values it cannot represent. The stored bytes are the scale and the packed code stream itself.
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
        return "symmetric INT8 through the SPARK 4/8-bit code (signed mode, the encoder's rule)";
    }

    Encoded encode(const float* x, std::size_t n, const Options&) const override {
        check_finite(kName, x, n);
        const float scale = symmetric_scale(max_abs(x, n), 127);
        std::vector<std::uint8_t> raw(n);
        for (std::size_t i = 0; i < n; ++i) raw[i] = static_cast<std::uint8_t>(quantize_symmetric(x[i], scale, 127));
        codec::EncodedStream stream;
        codec::pack(raw.data(), raw.size(), codec::Mode::signed_i8, stream);
        Encoded e;
        e.format = std::string(kName);
        e.values = n;
        put_f32(e.bytes, scale);
        e.bytes.insert(e.bytes.end(), stream.bytes.begin(), stream.bytes.end());
        e.metadata_bits = 32 + 4 * (stream.nibbles % 2);
        e.outliers = stream.nibbles - n;  // each long code takes one nibble more than a short one
        e.detail = fmt::format("scale {:.6g}", scale);
        return e;
    }

    std::vector<float> decode(const Encoded& e) const override {
        check_format(e, kName);
        Reader r(e);
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
        const std::vector<std::uint8_t> raw = codec::unpack(stream, codec::Mode::signed_i8);
        std::vector<float> out(raw.size());
        for (std::size_t i = 0; i < raw.size(); ++i)
            out[i] = to_float(double(static_cast<std::int8_t>(raw[i])) * scale);
        return out;
    }
};

}  // namespace

std::unique_ptr<Format> make_spark() { return std::make_unique<Spark>(); }

}  // namespace spark::formats::detail
