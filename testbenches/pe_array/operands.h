// SPDX-License-Identifier: Apache-2.0
// Where tb-pe-array gets its operands. RandomOperands draws them from a distribution; NpyOperands reads .npy
// tensors (an architect's own weights and activations) in the layer's layouts (layer.h), drawing any operand no
// file is given for.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "spark/common/error.h"
#include "spark/pe_array/layer.h"
#include "spark/tensor/npy.h"

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

// The shape each operand has in the layer's layout (layer.h).
inline std::vector<std::uint64_t> weight_shape(const Layer& l) {
    auto u = [](std::int64_t v) { return static_cast<std::uint64_t>(v); };
    switch (l.kind) {
        case LayerKind::gemm: return {u(l.n), u(l.k)};
        case LayerKind::batched_matmul: return {u(l.batch), u(l.n), u(l.k)};
        case LayerKind::conv2d: return {u(l.out_c), u(l.kernel_h), u(l.kernel_w), u(l.in_c / l.groups)};
    }
    return {};
}

inline std::vector<std::uint64_t> activation_shape(const Layer& l) {
    auto u = [](std::int64_t v) { return static_cast<std::uint64_t>(v); };
    switch (l.kind) {
        case LayerKind::gemm: return {u(l.m), u(l.k)};
        case LayerKind::batched_matmul: return {u(l.batch), u(l.m), u(l.k)};
        case LayerKind::conv2d: return {u(l.batch), u(l.in_h), u(l.in_w), u(l.in_c)};
    }
    return {};
}

// Operands from .npy files where given (`option` names the command-line option in errors), the rest from
// `fallback`. A file must hold exactly the operand's shape, as int8 for a signed operand and uint8 for an
// unsigned one.
class NpyOperands final : public OperandSource {
public:
    NpyOperands(std::optional<std::string> weights, std::optional<std::string> activations, OperandSource& fallback)
        : m_weights(std::move(weights)), m_activations(std::move(activations)), m_fallback(fallback) {}

    Operands load(const Layer& layer) override {
        Operands o;
        if (!m_weights || !m_activations) o = m_fallback.load(layer);
        if (m_weights) o.weights = read(*m_weights, "--weights", weight_shape(layer), layer.weight_mode, layer);
        if (m_activations)
            o.activations = read(*m_activations, "--activations", activation_shape(layer), layer.activation_mode, layer);
        return o;
    }

private:
    static std::vector<std::uint8_t> read(const std::string& path, const char* option,
                                          const std::vector<std::uint64_t>& shape, codec::Mode mode,
                                          const Layer& layer) {
        const tensor::Tensor t = tensor::read_npy(path);
        const tensor::DType want = mode == codec::Mode::signed_i8 ? tensor::DType::int8 : tensor::DType::uint8;
        if (t.dtype() != want)
            throw Error(fmt::format("{} {}: layer '{}' takes {} operands here, the file holds {}", option, path,
                                    layer.name, tensor::to_string(want), tensor::to_string(t.dtype())));
        if (t.shape() != shape)
            throw Error(fmt::format("{} {}: layer '{}' needs shape {}, the file holds {}", option, path, layer.name,
                                    tensor::shape_to_string(shape), tensor::shape_to_string(t.shape())));
        return std::vector<std::uint8_t>(t.bytes(), t.bytes() + t.size_bytes());
    }

    std::optional<std::string> m_weights, m_activations;
    OperandSource& m_fallback;
};

}  // namespace spark::pe_array
