// SPDX-License-Identifier: Apache-2.0
#include "spark/pe_array/gemm_kernel.h"

#include <algorithm>

namespace spark::pe_array {

namespace {

// Blocks of weight rows sized to stay in L2 while every activation row passes by; 2 x 4 outputs per inner loop
// so each loaded operand vector feeds several multiply-adds.
constexpr std::size_t kBlockBytes = 192 * 1024;

inline void dot_2x4(const std::int16_t* a0, const std::int16_t* a1, const std::int16_t* w0, const std::int16_t* w1,
                    const std::int16_t* w2, const std::int16_t* w3, std::size_t kp, std::int32_t out[8]) {
    std::int32_t s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
    for (std::size_t k = 0; k < kp; ++k) {
        const std::int32_t x0 = a0[k], x1 = a1[k];
        const std::int32_t y0 = w0[k], y1 = w1[k], y2 = w2[k], y3 = w3[k];
        s00 += x0 * y0;
        s01 += x0 * y1;
        s02 += x0 * y2;
        s03 += x0 * y3;
        s10 += x1 * y0;
        s11 += x1 * y1;
        s12 += x1 * y2;
        s13 += x1 * y3;
    }
    out[0] = s00; out[1] = s01; out[2] = s02; out[3] = s03;
    out[4] = s10; out[5] = s11; out[6] = s12; out[7] = s13;
}

inline std::int32_t dot_1x1(const std::int16_t* a, const std::int16_t* w, std::size_t kp) {
    std::int32_t s = 0;
    for (std::size_t k = 0; k < kp; ++k) s += static_cast<std::int32_t>(a[k]) * w[k];
    return s;
}

}  // namespace

void gemm_i16(const std::int16_t* a, const std::int16_t* w, std::size_t m, std::size_t n, std::size_t kp,
              std::int32_t* c, std::size_t ldc) {
    const std::size_t block = std::max<std::size_t>(4, kBlockBytes / (2 * std::max<std::size_t>(kp, 1)) / 4 * 4);
    for (std::size_t j0 = 0; j0 < n; j0 += block) {
        const std::size_t j1 = std::min(n, j0 + block);
        std::size_t i = 0;
        for (; i + 2 <= m; i += 2) {
            const std::int16_t* a0 = a + i * kp;
            const std::int16_t* a1 = a0 + kp;
            std::size_t j = j0;
            for (; j + 4 <= j1; j += 4) {
                std::int32_t out[8];
                dot_2x4(a0, a1, w + j * kp, w + (j + 1) * kp, w + (j + 2) * kp, w + (j + 3) * kp, kp, out);
                std::copy(out, out + 4, c + i * ldc + j);
                std::copy(out + 4, out + 8, c + (i + 1) * ldc + j);
            }
            for (; j < j1; ++j) {
                c[i * ldc + j] = dot_1x1(a0, w + j * kp, kp);
                c[(i + 1) * ldc + j] = dot_1x1(a1, w + j * kp, kp);
            }
        }
        for (; i < m; ++i)
            for (std::size_t j = j0; j < j1; ++j) c[i * ldc + j] = dot_1x1(a + i * kp, w + j * kp, kp);
    }
}

}  // namespace spark::pe_array
