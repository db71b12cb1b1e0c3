// SPDX-License-Identifier: Apache-2.0
// A layer lowered to GEMM instances the way the array sees them: one per conv group or matmul batch, each
// out[m][n] = sum_k A[m][k] * W[n][k]. Convolution is lowered by im2col: row m = (image, out_y, out_x), column
// k = (kernel_y, kernel_x, channel within the group), padding positions hold 0 (a short code).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "spark/pe/pe.h"
#include "spark/pe_array/layer.h"

namespace spark::pe_array {

// A read-only view of operand bytes (raw bits in the layer's modes).
struct ConstBytes {
    const std::uint8_t* data = nullptr;
    std::size_t size = 0;

    ConstBytes() = default;
    ConstBytes(const std::uint8_t* d, std::size_t s) : data(d), size(s) {}
    ConstBytes(const std::vector<std::uint8_t>& v) : data(v.data()), size(v.size()) {}  // NOLINT: implicit on purpose
};

struct GemmInstance {
    std::size_t m = 0, n = 0, k = 0;
    std::size_t k_padded = 0;  // row stride of a_value / w_value: k rounded up for the vector kernel
    std::vector<std::uint8_t> a_raw;     // [m][k] raw bytes as stored (im2col for conv)
    std::vector<std::uint8_t> w_raw;     // [n][k]
    std::vector<std::int16_t> a_value;   // [m][k_padded] the values the decoders deliver, zero-padded
    std::vector<std::int16_t> w_value;   // [n][k_padded]
    // Long-code counts per PE step: group t covers k in [t*lanes, (t+1)*lanes). Stored step-major so that a
    // tile's rows or columns are contiguous.
    std::size_t groups = 0;
    std::vector<std::uint8_t> a_long;    // [groups][m]: long activations in row m's group t
    std::vector<std::uint8_t> w_long;    // [groups][n]: long weights in column n's group t
    pe::MacCounts macs;                  // exact MAC classes of the whole instance
};

struct PreparedLayer {
    Layer layer;
    pe::OperandModes modes;
    unsigned lanes = 1;
    std::vector<GemmInstance> instances;
};

// Where element (m, n) of GEMM instance g lands in the layer's output layout.
std::size_t output_index(const Layer& layer, std::size_t g, std::size_t m, std::size_t n);

// Checks the layer and the operand sizes, lowers the layer and classifies every operand. `lanes` is the PE's
// lanes(); with the codec off every operand is long and no value is approximated.
PreparedLayer prepare_layer(const Layer& layer, ConstBytes weights, ConstBytes activations, unsigned lanes,
                            bool codec_enabled);

}  // namespace spark::pe_array
