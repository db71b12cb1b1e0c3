// SPDX-License-Identifier: Apache-2.0
// The numeric formats of SPARK's baselines as real codecs (docs/formats.md): each encodes float values into the
// bytes a design would store (values at their width plus every piece of metadata: scales, exponent bias, type code,
// outlier lists, index) and decodes them back, so bits per value are measured from the encoded size.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "spark/formats/value_sets.h"

namespace spark::formats {

// The stored form of one tensor. The value count travels beside the bytes, as a layer descriptor gives a tensor's
// shape; everything else a decoder needs is in `bytes`.
struct Encoded {
    std::string format;               // registry name of the codec that wrote it
    std::uint64_t values = 0;
    std::vector<std::uint8_t> bytes;  // as stored, layouts in docs/formats.md
    // What the encoder found, for reports (the decoder does not read these):
    std::uint64_t metadata_bits = 0;  // the part of the bytes that is not value codes (scales, counts, index, pad)
    std::uint64_t outliers = 0;       // format-specific, see Measurement::outliers
    std::string detail;               // e.g. ANT's chosen type, OLAccel's threshold

    std::uint64_t stored_bits() const { return 8 * std::uint64_t(bytes.size()); }
};

// Knobs of the quantizers; each applies to the formats named.
struct Options {
    double olaccel_percentile = 97.0;  // olaccel: |x| above this percentile of |x| is an outlier (50 < p <= 100)
    int adafloat_exponent_bits = 4;    // adafloat: exponent field width of the 8 bits (1..6); mantissa = 7 - this
    std::optional<double> scale;       // ant, olive: this grid unit instead of the MSE search
    std::optional<AntType> ant_type;   // ant: this type instead of the MSE choice (must match the signedness)
    std::optional<double> biscaled_threshold;  // biscaled: |x| range of the fine scale instead of the search
};

class Format {
public:
    virtual ~Format() = default;
    virtual std::string_view name() const = 0;
    virtual std::string_view description() const = 0;
    // Throws spark::Error for a NaN or infinite value (naming its index) or an option out of range.
    virtual Encoded encode(const float* values, std::size_t n, const Options& options = {}) const = 0;
    // The dequantised values. Throws spark::Error when `encoded` is not this format's or its bytes are malformed.
    virtual std::vector<float> decode(const Encoded& encoded) const = 0;
};

// Registry names in report order: ant olive olaccel adafloat biscaled bitfusion4 bitfusion8 int8 int16 spark.
const std::vector<std::string_view>& format_names();
// Throws spark::Error naming the unknown format and listing the known ones.
std::unique_ptr<Format> make_format(std::string_view name);

// One encode/decode round trip against the float values, counted exactly.
struct Measurement {
    std::string format;
    std::uint64_t values = 0;
    std::uint64_t stored_bits = 0;    // the encoded bytes, metadata included
    std::uint64_t metadata_bits = 0;
    // spark: long (8-bit) codes; olive: outliers (each with a victim); olaccel: values in the 16-bit list;
    // biscaled: values on the wide scale; 0 for the others.
    std::uint64_t outliers = 0;
    double signal_energy = 0.0;  // sum of x^2
    double noise_energy = 0.0;   // sum of (x - decoded)^2
    double max_abs_error = 0.0;
    std::string detail;

    double bits_per_value() const { return values ? double(stored_bits) / double(values) : 0.0; }
    double outlier_share() const { return values ? double(outliers) / double(values) : 0.0; }
    // SQNR of the decoded values against the floats in dB: +infinity when exact, NaN without signal.
    double sqnr_db() const;
    // Pools counts and energies (totals over tensors); the detail is dropped.
    Measurement& operator+=(const Measurement& other);
};

Measurement measure(const Format& format, const float* values, std::size_t n, const Options& options = {});

}  // namespace spark::formats
