// SPDX-License-Identifier: Apache-2.0
#include "spark/pe/pe_int4_shift.h"

#include "nibble_product.h"

namespace spark::pe {

// The single INT4 multiplier forms one nibble product per cycle and the shifter aligns it (by 0, 4 or 8 bits)
// before it enters the 16-bit partial sum; step_cycles() counts exactly these nibble products.
std::int32_t PeInt4Shift::multiply(int weight, int activation, bool weight_long, bool activation_long) const {
    return detail::nibble_product(weight, activation, weight_long, activation_long);
}

}  // namespace spark::pe
