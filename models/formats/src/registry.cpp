// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "common.h"
#include "spark/common/error.h"

namespace spark::formats {

const std::vector<std::string_view>& format_names() {
    static const std::vector<std::string_view> names = {"ant",        "olive",      "olaccel", "adafloat", "biscaled",
                                                        "bitfusion4", "bitfusion8", "int8",    "int16",    "spark"};
    return names;
}

std::unique_ptr<Format> make_format(std::string_view name) {
    using namespace detail;
    if (name == "ant") return make_ant();
    if (name == "olive") return make_olive();
    if (name == "olaccel") return make_olaccel();
    if (name == "adafloat") return make_adafloat();
    if (name == "biscaled") return make_biscaled();
    if (name == "bitfusion4") return make_bitfusion4();
    if (name == "bitfusion8") return make_bitfusion8();
    if (name == "int8") return make_int8();
    if (name == "int16") return make_int16();
    if (name == "spark") return make_spark();
    throw Error(fmt::format("unknown format '{}' (known: {})", name, fmt::join(format_names(), ", ")));
}

double Measurement::sqnr_db() const {
    if (signal_energy == 0.0) return std::numeric_limits<double>::quiet_NaN();
    if (noise_energy == 0.0) return std::numeric_limits<double>::infinity();
    return 10.0 * std::log10(signal_energy / noise_energy);
}

Measurement& Measurement::operator+=(const Measurement& o) {
    if (format.empty()) format = o.format;
    values += o.values;
    stored_bits += o.stored_bits;
    metadata_bits += o.metadata_bits;
    outliers += o.outliers;
    signal_energy += o.signal_energy;
    noise_energy += o.noise_energy;
    max_abs_error = std::max(max_abs_error, o.max_abs_error);
    detail.clear();
    return *this;
}

Measurement measure(const Format& format, const float* values, std::size_t n, const Options& options) {
    const Encoded e = format.encode(values, n, options);
    const std::vector<float> back = format.decode(e);
    if (back.size() != n)
        throw Error(fmt::format("{}: decoded {} values from an encoding of {}", format.name(), back.size(), n));
    Measurement m;
    m.format = std::string(format.name());
    m.values = n;
    m.stored_bits = e.stored_bits();
    m.metadata_bits = e.metadata_bits;
    m.outliers = e.outliers;
    m.detail = e.detail;
    for (std::size_t i = 0; i < n; ++i) {
        const double x = values[i];
        const double d = x - double(back[i]);
        m.signal_energy += x * x;
        m.noise_energy += d * d;
        m.max_abs_error = std::max(m.max_abs_error, std::fabs(d));
    }
    return m;
}

}  // namespace spark::formats
