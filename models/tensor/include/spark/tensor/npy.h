// SPDX-License-Identifier: Apache-2.0
// NumPy .npy files, format versions 1.0, 2.0 and 3.0: C-order arrays of int8 '|i1', uint8 '|u1', int32 '<i4',
// float32 '<f4' and float64 '<f8'. Reading is strict: every fault (bad magic, version, a header that does not
// parse, Fortran order, another dtype, a shape that overflows or disagrees with the data length, a truncated file)
// is a spark::Error naming the source and the fault. Sizes are checked against the bytes present before anything
// is allocated from them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "spark/tensor/tensor.h"

namespace spark::tensor {

// `source` names the data in error messages (usually the file name).
Tensor parse_npy(const std::uint8_t* data, std::size_t size, std::string_view source);
Tensor read_npy(const std::string& path);

// Writes version 1.0 when the header fits its 16-bit length field, else 2.0; the header is padded so the data
// starts at a multiple of 64 bytes, as NumPy does.
std::vector<std::uint8_t> serialize_npy(const Tensor& tensor);
void write_npy(const std::string& path, const Tensor& tensor);

}  // namespace spark::tensor
