// SPDX-License-Identifier: Apache-2.0
// Where tb-pe-array gets its operands. RandomOperands draws them from a distribution; a file-backed source
// (e.g. .npy tensors) implements the same interface and returns bytes in the layer's layouts (layer.h).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "spark/common/error.h"
#include "spark/pe_array/layer.h"

namespace spark::pe_array {

struct Operands {
    std::vector<std::uint8_t> weights;      // raw bytes in layer.weight_mode
    std::vector<std::uint8_t> activations;  // raw bytes in layer.activation_mode
};

class OperandSource {
public:
    virtual ~OperandSource() = default;
    virtual Operands load(const Layer& layer) = 0;
};

enum class Distribution : std::uint8_t { uniform, laplace, gaussian };

inline Distribution parse_distribution(const std::string& text) {
    if (text == "uniform") return Distribution::uniform;
    if (text == "laplace") return Distribution::laplace;
    if (text == "gaussian") return Distribution::gaussian;
    throw Error(fmt::format("--dist: unknown distribution '{}' (expected uniform, laplace or gaussian)", text));
}

// Integer values drawn around 0 with the given scale (uniform: half-width; laplace: mean absolute value;
// gaussian: standard deviation), rounded and clamped into the mode's range. Unsigned tensors take |x|, the
// shape of post-ReLU activations.
class RandomOperands final : public OperandSource {
public:
    RandomOperands(Distribution dist, double weight_scale, double activation_scale, std::uint64_t seed)
        : m_dist(dist), m_weight_scale(weight_scale), m_activation_scale(activation_scale), m_rng(seed) {
        if (!(weight_scale > 0) || !(activation_scale > 0)) throw Error("--scale: must be positive");
    }

    Operands load(const Layer& layer) override {
        Operands o;
        o.weights = draw(layer.weight_count(), layer.weight_mode, m_weight_scale);
        o.activations = draw(layer.activation_count(), layer.activation_mode, m_activation_scale);
        return o;
    }

private:
    double sample(double scale) {
        switch (m_dist) {
            case Distribution::uniform: return std::uniform_real_distribution<double>(-scale, scale)(m_rng);
            case Distribution::laplace: {
                const double mag = std::exponential_distribution<double>(1.0 / scale)(m_rng);
                return std::bernoulli_distribution(0.5)(m_rng) ? mag : -mag;
            }
            case Distribution::gaussian: return std::normal_distribution<double>(0.0, scale)(m_rng);
        }
        return 0.0;
    }

    std::vector<std::uint8_t> draw(std::size_t n, codec::Mode mode, double scale) {
        std::vector<std::uint8_t> v(n);
        for (auto& x : v) {
            double s = std::nearbyint(sample(scale));
            if (mode == codec::Mode::unsigned_u8) s = std::min(255.0, std::fabs(s));
            else s = std::clamp(s, -128.0, 127.0);
            x = static_cast<std::uint8_t>(static_cast<int>(s) & 0xFF);
        }
        return v;
    }

    Distribution m_dist;
    double m_weight_scale, m_activation_scale;
    std::mt19937_64 m_rng;
};

}  // namespace spark::pe_array
