// SPDX-License-Identifier: Apache-2.0
// The product as a sum of nibble partial products, the way the 4-bit datapaths form it. A short operand is one
// digit (its value, -4..7); a long one is two: the low nibble (0..15, weight 1) and the high nibble (weight 16,
// -8..7 in signed mode, 0..15 in unsigned). Digits are 5-bit signed, i.e. each 4-bit multiplier carries a
// sign-extension bit so that both modes share it.
#pragma once

#include <cstdint>

#include "spark/common/error.h"

namespace spark::pe::detail {

struct Digits {
    int value[2] = {0, 0};
    int count = 1;
};

inline Digits split(int v, bool is_long) {
    Digits d;
    if (!is_long) {
        d.value[0] = v;
        return d;
    }
    d.value[0] = v & 0x0F;
    d.value[1] = v >> 4;  // arithmetic shift: the sign stays in the high digit
    d.count = 2;
    return d;
}

inline std::int32_t nibble_product(int w, int a, bool w_long, bool a_long) {
    const Digits dw = split(w, w_long);
    const Digits da = split(a, a_long);
    std::int32_t sum = 0;
    for (int i = 0; i < dw.count; ++i)
        for (int j = 0; j < da.count; ++j) {
            if (dw.value[i] < -16 || dw.value[i] > 15 || da.value[j] < -16 || da.value[j] > 15)
                throw Error("nibble product: digit exceeds the 5-bit signed multiplier input");
            sum += (dw.value[i] * da.value[j]) * (1 << (4 * (i + j)));
        }
    return sum;
}

}  // namespace spark::pe::detail
