// SPDX-License-Identifier: Apache-2.0
// Deterministic synthetic tensors: the same seed gives the same bytes with every compiler, standard library and
// CPU. Hence our own PRNG (splitmix64), our own logarithm and our own distribution transforms; std::*_distribution
// and std::log are not specified bit-exactly.
#pragma once

#include <cstdint>
#include <vector>

#include "spark/workload/network.h"

namespace spark::workload {

// splitmix64: state += 0x9E3779B97F4A7C15, then the output mix of Steele, Lea and Flood.
class SplitMix64 {
public:
    explicit SplitMix64(std::uint64_t seed) : m_state(seed) {}
    std::uint64_t next();
    // (k + 0.5) / 2^53 with k the top 53 bits of next(): strictly inside (0, 1).
    double next_open01();

private:
    std::uint64_t m_state;
};

// Natural logarithm from +, -, *, / only (frexp split plus an atanh series), accurate to about 1 ulp and
// identical on every IEEE-754 machine. x must be positive and finite.
double portable_log(double x);

// One draw from the distribution in real units. laplace: inverse CDF of one uniform; gaussian: Marsaglia's polar
// method (rejection, std::sqrt is correctly rounded by IEEE-754); uniform: low + (high - low) * u.
double draw(const Synthetic& dist, SplitMix64& rng);

// Quantises one real value: clamp(round_half_away(x / scale) + zero_point) to the dtype's range.
std::int32_t quantize(double x, const Quant& quant);

// A quantised tensor, one byte per element: the vector unit's (spark/vector_unit/qtensor.h).
using vector_unit::QTensor;

// `count` codes drawn from `dist` (seeded with dist.seed) and quantised with `quant`.
std::vector<std::uint8_t> generate_codes(const Synthetic& dist, const Quant& quant, std::size_t count);
// The tensor for a spec whose data source is synthetic; throws spark::Error for an .npy source.
QTensor generate(const TensorSpec& spec);

}  // namespace spark::workload
