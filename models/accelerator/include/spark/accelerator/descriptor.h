// SPDX-License-Identifier: Apache-2.0
// The layer descriptor: what a driver writes to memory and the controller fetches, one per layer, 256 bytes,
// little-endian (byte map in docs/accelerator.md). Tensors live in memory as chunks, each decodable on its own:
//   feature_map  a rank-4 NCHW tensor stored as N*H chunks, chunk (n, h) holding x[n, :, h, :] in (w, c) order
//                (one NHWC row), so a convolution fetches whole input rows;
//   matrix       any rank, stored as one chunk per index of the first `chunk_rank` dimensions, holding the rest
//                (by default all but the last dimension index chunks; a linear layer reading an NCHW map flattens
//                C, H and W into one chunk per image).
// With SPARK storage each chunk is a SPARK stream starting on a byte boundary and a table of 32-bit chunk end
// offsets (relative to the data address) sits at the table address: fetching chunks a..b costs table entries
// a-1..b as well. With raw INT8 storage chunks have a fixed size and no table exists.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace spark::accelerator {

enum class Opcode : std::uint16_t {
    conv2d = 1,
    linear = 2,            // rows x in_features times [out_features, in_features]
    matmul = 3,            // batched; input2 is B, given as [.., N, K] with transpose_b, else [.., K, N]
    max_pool = 16,         // the vector unit, below
    avg_pool = 17,
    global_avg_pool = 18,
    add = 19,
    relu = 20,
    reshape = 21,
    transpose = 22,
    concat = 23,
};

std::string to_string(Opcode op);
constexpr bool runs_on_array(Opcode op) { return op == Opcode::conv2d || op == Opcode::linear || op == Opcode::matmul; }

enum class Layout : std::uint8_t { feature_map = 1, matrix = 2 };

struct TensorDesc {
    static constexpr std::size_t kBytes = 48;

    std::uint64_t table_address = 0;
    std::uint64_t data_address = 0;
    std::array<std::uint32_t, 4> dims{};
    std::uint8_t rank = 0;
    std::uint8_t chunk_rank = 0;  // matrix layout: leading dimensions that index chunks (0 means rank - 1)
    Layout layout = Layout::matrix;
    bool is_signed = true;
    std::int32_t zero_point = 0;
    double scale = 1.0;
    // Raw storage: bits per value (codec::valid_raw_bits). Kept in the descriptor header, not in these 48 bytes.
    std::uint8_t raw_bits = 8;

    std::uint64_t elements() const;
    std::uint64_t chunks() const;
    std::uint64_t chunk_values() const;
};

struct LayerDescriptor {
    static constexpr std::uint32_t kMagic = 0x444C5053;  // "SPLD"
    static constexpr std::uint16_t kVersion = 1;
    static constexpr std::uint32_t kBytes = 256;

    Opcode opcode = Opcode::conv2d;
    std::uint32_t layer_id = 0;  // the driver's index, echoed in logs and reports
    bool spark_storage = true;   // SPARK codes in memory, else raw INT8
    bool relu = false;           // conv2d / linear / matmul output
    bool transpose_b = false;    // matmul
    // The precision the array's units run this layer at (a 'unit' PE array; 0: the array's own).
    std::uint8_t precision_bits = 0;

    std::uint16_t kernel_h = 1, kernel_w = 1, stride_h = 1, stride_w = 1;
    std::uint16_t pad_h = 0, pad_w = 0, dilation_h = 1, dilation_w = 1;
    std::uint32_t groups = 1;
    std::array<std::uint8_t, 4> perm{0, 1, 2, 3};  // transpose
    std::uint8_t axis = 0;                         // concat

    // input: the activation (matmul A); input2: matmul B, the add's or concat's second operand; weights: conv2d
    // [OC, KH*KW*C/groups] in (kh, kw, c) order, linear [out, in], both as matrix chunks of one output channel.
    TensorDesc input, input2, weights, output;

    std::array<std::uint8_t, kBytes> encode() const;
    // Throws spark::Error naming the field when the magic, version, opcode, a rank or a layout is wrong.
    static LayerDescriptor decode(const std::uint8_t* bytes, std::size_t size);
};

}  // namespace spark::accelerator
