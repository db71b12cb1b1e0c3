// SPDX-License-Identifier: Apache-2.0
// Between a tensor's chunk order in memory (descriptor.h) and plain row-major (NCHW) order.
#pragma once

#include <cstdint>
#include <vector>

#include "spark/accelerator/descriptor.h"

namespace spark::accelerator {

// `chunked` holds all chunks of `t` back to back; the result is the same values in row-major order of t.dims.
std::vector<std::uint8_t> chunks_to_row_major(const TensorDesc& t, const std::vector<std::uint8_t>& chunked);
std::vector<std::uint8_t> row_major_to_chunks(const TensorDesc& t, const std::vector<std::uint8_t>& row_major);

}  // namespace spark::accelerator
