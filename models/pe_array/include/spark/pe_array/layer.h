// SPDX-License-Identifier: Apache-2.0
// What the array computes: GEMM, 2-D convolution or batched matmul on 8-bit operands, accumulated exactly in
// int32 and requantised to 8 bits.
//
// Layouts (row-major, innermost last):
//   gemm            activations [m][k], weights [n][k] (a Linear layer's [out][in]), output [m][n]
//   batched_matmul  activations [batch][m][k], second operand ("weights") [batch][n][k], output [batch][m][n];
//                   for attention, Q.K^T takes K as it is stored; P.V needs V transposed to [n][k] by the caller
//   conv2d          activations NHWC [batch][in_h][in_w][in_c], weights [out_c][kernel_h][kernel_w][in_c/groups],
//                   output NHWC [batch][out_h][out_w][out_c]; padding is symmetric and pads with 0
// Input zero points are 0 (symmetric weights; activations signed-symmetric or unsigned after ReLU), which is
// the setting of the SPARK code; the output may carry a zero point.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "spark/codec/codec.h"

namespace spark::pe_array {

enum class LayerKind : std::uint8_t { gemm, conv2d, batched_matmul };
std::string_view to_string(LayerKind kind);
LayerKind parse_layer_kind(std::string_view text);  // "gemm", "conv"/"conv2d", "bmm"/"batched_matmul"

// out = clamp(round((acc + bias[c]) * scale[c]) + zero_point) into the output mode's range, with the lower bound
// raised to zero_point when relu is set. One scale applies to every output channel, or one per output channel.
struct Requant {
    enum class Scale : std::uint8_t { float_multiplier, fixed_point };

    Scale kind = Scale::float_multiplier;
    // float_multiplier: scale as a float, rounded to nearest, ties to even.
    std::vector<float> scale{1.0f};
    // fixed_point: scale = multiplier * 2^-shift, rounded to nearest, ties up: (x * multiplier + 2^(shift-1)) >> shift.
    std::vector<std::int32_t> multiplier;
    std::vector<int> shift;
    std::vector<std::int32_t> bias;  // empty, or one per output channel
    int zero_point = 0;
    bool relu = false;
    codec::Mode output_mode = codec::Mode::signed_i8;

    std::uint8_t apply(std::int32_t acc, std::size_t channel) const;
};

struct Layer {
    std::string name = "layer";
    LayerKind kind = LayerKind::gemm;

    // gemm and batched_matmul
    std::int64_t m = 1, n = 1, k = 1;
    // batched_matmul and conv2d
    std::int64_t batch = 1;
    // conv2d
    std::int64_t in_h = 1, in_w = 1, in_c = 1, out_c = 1;
    std::int64_t kernel_h = 1, kernel_w = 1;
    std::int64_t stride_h = 1, stride_w = 1;
    std::int64_t pad_h = 0, pad_w = 0;
    std::int64_t dilation_h = 1, dilation_w = 1;
    std::int64_t groups = 1;

    codec::Mode weight_mode = codec::Mode::signed_i8;
    codec::Mode activation_mode = codec::Mode::unsigned_u8;
    Requant requant;
    bool keep_accumulators = false;  // also return the int32 accumulators (before bias and requantisation)

    static Layer gemm(std::string name, std::int64_t m, std::int64_t n, std::int64_t k);
    static Layer batched_matmul(std::string name, std::int64_t batch, std::int64_t m, std::int64_t n,
                                std::int64_t k);
    static Layer conv2d(std::string name, std::int64_t batch, std::int64_t in_h, std::int64_t in_w,
                        std::int64_t in_c, std::int64_t out_c, std::int64_t kernel, std::int64_t stride = 1,
                        std::int64_t pad = 0, std::int64_t dilation = 1, std::int64_t groups = 1);

    // Throws spark::Error "layer '<name>': <field>: ..." for zero/negative sizes, kernels larger than the padded
    // input, channels not divisible by groups, and requantisation tables of the wrong length.
    void validate() const;

    std::int64_t out_h() const;
    std::int64_t out_w() const;
    std::int64_t output_channels() const;  // n, or out_c
    std::size_t weight_count() const;
    std::size_t activation_count() const;
    std::size_t output_count() const;
    // As GEMM instances: count x (M x N x K).
    std::int64_t gemm_count() const;
    std::int64_t gemm_m() const;
    std::int64_t gemm_n() const;
    std::int64_t gemm_k() const;
    std::uint64_t macs() const;
};

}  // namespace spark::pe_array
