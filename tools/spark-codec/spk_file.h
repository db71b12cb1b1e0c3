// SPDX-License-Identifier: Apache-2.0
// The .spk file: one tensor as a SPARK code stream, with what is needed to decode it (mode, integer type, shape)
// and, for a tensor quantised from float32, the scale and zero point to dequantise it. All fields little-endian:
//
//   offset  size     field
//   0       4        magic 0x89 'S' 'P' 'K'
//   4       2        format version, 1
//   6       1        codec mode: 0 unsigned, 1 signed
//   7       1        integer type of the decoded values: 1 int8, 2 uint8
//   8       1        quantisation: 0 none (integer source), 1 symmetric, 2 asymmetric (float32 source)
//   9       1        ndim, 0..32
//   10      2        reserved, 0
//   12      4        zero point, int32 (0 without quantisation)
//   16      8        scale, float64 (0 without quantisation)
//   24      8        value count, uint64 (the product of the shape)
//   32      8        nibble count, uint64 (value count .. 2 x value count)
//   40      8*ndim   shape, uint64 each, C order
//   ...     ceil(nibbles/2)  the packed stream (stream.h layout, zero pad nibble when odd)
//   end-4   4        CRC-32 (IEEE 802.3, as zlib.crc32) of every byte before it
//
// Reading checks every field and the exact file length before it allocates anything, and names the file and the
// fault in each error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "spark/codec/stream.h"
#include "spark/tensor/quantize.h"
#include "spark/tensor/tensor.h"

namespace spark::spk {

inline constexpr std::uint16_t kVersion = 1;
inline constexpr std::size_t kFixedHeaderBytes = 40;
inline constexpr std::size_t kMaxDims = 32;

enum class Quantisation : std::uint8_t { none = 0, symmetric = 1, asymmetric = 2 };

struct SpkFile {
    codec::Mode mode = codec::Mode::signed_i8;
    tensor::DType dtype = tensor::DType::int8;  // int8 or uint8
    Quantisation quantisation = Quantisation::none;
    double scale = 0.0;
    std::int32_t zero_point = 0;
    tensor::Shape shape;
    codec::EncodedStream stream;

    // The parameters to dequantise with; throws spark::Error when the file holds plain integers.
    tensor::QuantParams quant_params() const;
};

std::uint32_t crc32(const std::uint8_t* data, std::size_t size);

std::vector<std::uint8_t> serialize_spk(const SpkFile& file);
SpkFile parse_spk(const std::uint8_t* data, std::size_t size, std::string_view source);
void write_spk(const std::string& path, const SpkFile& file);
SpkFile read_spk(const std::string& path);

// The decoded integers as a tensor of the file's shape and dtype; stream faults name `source` and the nibble.
tensor::Tensor decode_values(const SpkFile& file, std::string_view source);

}  // namespace spark::spk
