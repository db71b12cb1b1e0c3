// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>

namespace spark::pe_array {

// c[i * ldc + j] = sum_k a[i * kp + k] * w[j * kp + k] for i < m, j < n, exactly in int32. `kp` is a multiple of
// 16 and the rows are zero-padded up to it. 16-bit operands so that the compiler's portable vector code (SSE2
// pmaddwd on x86-64) does the widening multiply-add without -march flags.
void gemm_i16(const std::int16_t* a, const std::int16_t* w, std::size_t m, std::size_t n, std::size_t kp,
              std::int32_t* c, std::size_t ldc);

}  // namespace spark::pe_array
