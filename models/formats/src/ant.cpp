// SPDX-License-Identifier: Apache-2.0
// ant: ANT's adaptive 4-bit type. Per tensor, each type of the tensor's signedness (int, flint, power of two) is
// tried with clipping values alpha = r * max|x|, r = 0.75, 0.76 .. 1.49 (ANT's default search range); the pair with
// the lowest squared error wins. Values go to the nearest level of alpha / max(level) units.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "common.h"
#include "spark/common/error.h"

namespace spark::formats {

namespace {

std::array<double, 16> make_levels(AntType type) {
    static constexpr double kFlint3[8] = {0, 1, 2, 3, 4, 6, 8, 16};
    static constexpr double kUflint4[16] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 24, 32, 64};
    std::array<double, 16> l{};
    for (int c = 0; c < 16; ++c) {
        const int mag = c & 7;
        const double sign = (c & 8) ? -1.0 : 1.0;
        switch (type) {
        case AntType::int4: l[c] = detail::nibble_to_int(static_cast<std::uint8_t>(c)); break;
        case AntType::flint4: l[c] = sign * kFlint3[mag]; break;
        case AntType::pot4: l[c] = mag ? sign * std::ldexp(1.0, mag - 1) : 0.0; break;
        case AntType::uint4: l[c] = c; break;
        case AntType::uflint4: l[c] = kUflint4[c]; break;
        case AntType::upot4: l[c] = c ? std::ldexp(1.0, c - 1) : 0.0; break;
        }
        if (l[c] == 0.0) l[c] = 0.0;  // -0 codes decode to plain zero
    }
    return l;
}

}  // namespace

std::string_view to_string(AntType type) {
    switch (type) {
    case AntType::int4: return "int4";
    case AntType::flint4: return "flint4";
    case AntType::pot4: return "pot4";
    case AntType::uint4: return "uint4";
    case AntType::uflint4: return "uflint4";
    case AntType::upot4: return "upot4";
    }
    return "?";
}

AntType parse_ant_type(std::string_view text) {
    for (const AntType t : kAntTypes)
        if (to_string(t) == text) return t;
    throw Error(fmt::format("unknown ANT type '{}' (known: int4, flint4, pot4, uint4, uflint4, upot4)", text));
}

bool is_signed(AntType type) { return type == AntType::int4 || type == AntType::flint4 || type == AntType::pot4; }

const std::array<double, 16>& ant_levels(AntType type) {
    static const std::array<std::array<double, 16>, 6> tables = {
        make_levels(AntType::int4),  make_levels(AntType::flint4),  make_levels(AntType::pot4),
        make_levels(AntType::uint4), make_levels(AntType::uflint4), make_levels(AntType::upot4)};
    return tables[static_cast<std::size_t>(type)];
}

double ant_grid_max(AntType type) {
    const auto& l = ant_levels(type);
    return *std::max_element(l.begin(), l.end());
}

namespace detail {

namespace {

constexpr std::string_view kName = "ant";

LevelTable table_of(AntType type) {
    const auto& l = ant_levels(type);
    return LevelTable(std::vector<double>(l.begin(), l.end()));
}

// Squared error of quantising the sorted values with one level table and scale, from prefix sums: the values
// between two neighbouring midpoints all go to the level between them.
class SortedErrors {
public:
    SortedErrors(const float* x, std::size_t n) : m_x(x, x + n) {
        std::sort(m_x.begin(), m_x.end());
        m_s1.assign(n + 1, 0.0);
        m_s2.assign(n + 1, 0.0);
        for (std::size_t i = 0; i < n; ++i) {
            m_s1[i + 1] = m_s1[i] + m_x[i];
            m_s2[i + 1] = m_s2[i] + m_x[i] * m_x[i];
        }
    }

    double squared_error(const LevelTable& table, double scale) const {
        const auto& levels = table.sorted_levels();
        double total = 0.0;
        std::size_t lo = 0;
        for (std::size_t j = 0; j < levels.size(); ++j) {
            std::size_t hi = m_x.size();
            if (j + 1 < levels.size()) {
                const double mid = 0.5 * (levels[j] + levels[j + 1]) * scale;
                hi = std::size_t(std::upper_bound(m_x.begin() + std::ptrdiff_t(lo), m_x.end(), mid) - m_x.begin());
            }
            const double y = levels[j] * scale;
            const double cnt = double(hi - lo);
            total += (m_s2[hi] - m_s2[lo]) - 2.0 * y * (m_s1[hi] - m_s1[lo]) + y * y * cnt;
            lo = hi;
        }
        return total;
    }

private:
    std::vector<double> m_x;
    std::vector<double> m_s1, m_s2;
};

class Ant final : public Format {
public:
    std::string_view name() const override { return kName; }
    std::string_view description() const override {
        return "ANT: per-tensor 4-bit int, flint or power-of-two type chosen by squared error";
    }

    Encoded encode(const float* x, std::size_t n, const Options& options) const override {
        check_finite(kName, x, n);
        const bool negative = std::any_of(x, x + n, [](float v) { return v < 0.0f; });
        if (options.ant_type && negative && !is_signed(*options.ant_type))
            throw Error(fmt::format("{}: type {} is unsigned but the tensor holds negative values", kName,
                                    to_string(*options.ant_type)));
        if (options.scale && !(std::isfinite(*options.scale) && *options.scale >= 0.0))
            throw Error(fmt::format("{}: scale {} is not a finite non-negative number", kName, *options.scale));
        std::vector<AntType> types;
        if (options.ant_type) types = {*options.ant_type};
        else if (negative) types = {AntType::int4, AntType::flint4, AntType::pot4};
        else types = {AntType::uint4, AntType::uflint4, AntType::upot4};

        const double max = max_abs(x, n);
        AntType best_type = types.front();
        float best_scale = options.scale ? to_float(*options.scale) : to_float(max / ant_grid_max(best_type));
        if (types.size() > 1 || !options.scale) {
            const SortedErrors errors(x, n);
            double best_error = INFINITY;
            for (const AntType t : types) {
                const LevelTable table = table_of(t);
                for (int percent = 75; percent < 150; ++percent) {
                    const float scale = options.scale ? to_float(*options.scale)
                                                      : to_float(max * percent / 100.0 / ant_grid_max(t));
                    const double err = errors.squared_error(table, scale);
                    if (err < best_error) {
                        best_error = err;
                        best_type = t;
                        best_scale = scale;
                    }
                    if (options.scale) break;
                }
            }
        }

        const LevelTable table = table_of(best_type);
        std::vector<std::uint8_t> codes(n);
        for (std::size_t i = 0; i < n; ++i)
            codes[i] = table.nearest_code(best_scale > 0.0f ? double(x[i]) / best_scale : 0.0);
        Encoded e;
        e.format = std::string(kName);
        e.values = n;
        e.bytes.push_back(static_cast<std::uint8_t>(best_type));
        put_f32(e.bytes, best_scale);
        const auto packed = pack_nibbles(codes);
        e.bytes.insert(e.bytes.end(), packed.begin(), packed.end());
        e.metadata_bits = 8 + 32 + 4 * (n % 2);
        e.detail = fmt::format("{}, scale {:.6g}", to_string(best_type), best_scale);
        return e;
    }

    std::vector<float> decode(const Encoded& e) const override {
        check_format(e, kName);
        Reader r(e);
        const std::uint8_t type = r.u8("type code");
        if (type >= kAntTypes.size())
            throw Error(fmt::format("{}: type code {} is not one of 0..{}", kName, type, kAntTypes.size() - 1));
        const float scale = r.f32("scale");
        check_scale(e, scale, "scale");
        const std::uint64_t payload = (e.values + 1) / 2;
        r.expect_remaining(payload, fmt::format("{} 4-bit codes", e.values));
        const std::uint8_t* p = e.bytes.data() + r.position();
        if (e.values % 2 && (p[payload - 1] & 0x0F))
            throw Error(fmt::format("{}: the pad nibble is {}, not 0", kName, p[payload - 1] & 0x0F));
        const auto& levels = ant_levels(static_cast<AntType>(type));
        std::vector<float> out(e.values);
        for (std::size_t i = 0; i < out.size(); ++i) out[i] = to_float(levels[nibble_at(p, i)] * scale);
        return out;
    }
};

}  // namespace

std::unique_ptr<Format> make_ant() { return std::make_unique<Ant>(); }

}  // namespace detail

}  // namespace spark::formats
