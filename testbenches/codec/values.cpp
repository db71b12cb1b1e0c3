// SPDX-License-Identifier: Apache-2.0
#include "values.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <random>

#include <fmt/format.h>

#include "spark/common/error.h"
#include "spark/common/file.h"

namespace spark::codec::bench {

namespace {

int min_value(Mode mode) { return mode == Mode::signed_i8 ? -128 : 0; }
int max_value(Mode mode) { return mode == Mode::signed_i8 ? 127 : 255; }

bool is_separator(char c) { return c == ',' || c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Appends the integers of one line; `where` prefixes every error ("values.txt:3" or "--values").
void parse_line(std::string_view line, Mode mode, const std::string& where, std::vector<std::uint8_t>& out) {
    std::size_t i = 0;
    while (i < line.size()) {
        if (is_separator(line[i])) {
            ++i;
            continue;
        }
        std::size_t end = i;
        while (end < line.size() && !is_separator(line[end])) ++end;
        const std::string_view token = line.substr(i, end - i);
        long long v = 0;
        const char* first = token.data();
        const char* last = token.data() + token.size();
        if (!token.empty() && *first == '+') ++first;  // from_chars takes no '+'
        const auto [ptr, ec] = std::from_chars(first, last, v);
        if (ec == std::errc::result_out_of_range || (ec == std::errc() && ptr == last &&
                                                      (v < min_value(mode) || v > max_value(mode))))
            throw Error(fmt::format("{}: value '{}' is outside the {} range {}..{}", where, token, to_string(mode),
                                    min_value(mode), max_value(mode)));
        if (ec != std::errc() || ptr != last || first == last)
            throw Error(fmt::format("{}: '{}' is not an integer", where, token));
        out.push_back(static_cast<std::uint8_t>(static_cast<int>(v) & 0xFF));
        i = end;
    }
}

}  // namespace

Distribution parse_distribution(std::string_view text) {
    if (text == "uniform") return Distribution::uniform;
    if (text == "laplace") return Distribution::laplace;
    if (text == "gaussian") return Distribution::gaussian;
    throw Error(fmt::format("unknown distribution '{}' (expected uniform, laplace or gaussian)", text));
}

std::string_view to_string(Distribution d) {
    switch (d) {
        case Distribution::uniform: return "uniform";
        case Distribution::laplace: return "laplace";
        case Distribution::gaussian: return "gaussian";
    }
    return "?";
}

std::vector<std::uint8_t> parse_values(std::string_view text, Mode mode, std::string_view source) {
    std::vector<std::uint8_t> out;
    parse_line(text, mode, std::string(source), out);
    if (out.empty()) throw Error(fmt::format("{}: no values given", source));
    return out;
}

std::vector<std::uint8_t> read_values_file(const std::string& path, Mode mode) {
    require_not_directory(path);
    std::ifstream in(path);
    if (!in) throw Error(fmt::format("cannot open values file '{}'", path));
    std::vector<std::uint8_t> out;
    std::string line;
    for (std::size_t number = 1; std::getline(in, line); ++number) {
        std::string_view view(line);
        if (const auto hash = view.find('#'); hash != std::string_view::npos) view = view.substr(0, hash);
        parse_line(view, mode, fmt::format("{}:{}", path, number), out);
    }
    if (in.bad()) throw Error(fmt::format("{}: read error", path));
    if (out.empty()) throw Error(fmt::format("{}: holds no values", path));
    return out;
}

std::vector<std::uint8_t> random_values(std::size_t n, std::uint64_t seed, Distribution distribution, double scale,
                                        Mode mode) {
    if (n == 0) throw Error("random: the value count must be at least 1");
    if (!(scale > 0.0) || !std::isfinite(scale))
        throw Error(fmt::format("random: scale {} must be a positive finite number", scale));
    std::mt19937_64 rng(seed);
    // Inverse transforms on our own uniform draw keep the sequence the same on every standard library, except
    // for the gaussian, which uses std::normal_distribution.
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::normal_distribution<double> normal(0.0, scale);
    std::vector<std::uint8_t> out;
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        double x = 0.0;
        switch (distribution) {
            case Distribution::uniform: x = scale * (2.0 * unit(rng) - 1.0); break;
            case Distribution::laplace: {
                const double u = unit(rng) - 0.5;
                x = -scale * std::copysign(1.0, u) * std::log(1.0 - 2.0 * std::fabs(u));
                break;
            }
            case Distribution::gaussian: x = normal(rng); break;
        }
        if (mode == Mode::unsigned_u8) x = std::fabs(x);
        const double clamped = std::clamp(std::nearbyint(x), double(min_value(mode)), double(max_value(mode)));
        out.push_back(static_cast<std::uint8_t>(static_cast<int>(clamped) & 0xFF));
    }
    return out;
}

}  // namespace spark::codec::bench
