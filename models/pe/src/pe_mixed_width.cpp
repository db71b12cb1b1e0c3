// SPDX-License-Identifier: Apache-2.0
#include "spark/pe/pe_mixed_width.h"

#include "nibble_product.h"

namespace spark::pe {

// A 4-bit MAC uses one multiplier; an 8-bit MAC gangs the partial products of a multiplier pair in one cycle.
std::int32_t PeMixedWidth::multiply(int weight, int activation, bool weight_long, bool activation_long) const {
    return detail::nibble_product(weight, activation, weight_long, activation_long);
}

}  // namespace spark::pe
