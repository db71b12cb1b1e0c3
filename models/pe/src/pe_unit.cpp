// SPDX-License-Identifier: Apache-2.0
#include "spark/pe/pe_unit.h"

#include <algorithm>

#include <fmt/format.h>

#include "spark/common/error.h"

namespace spark::pe {

unsigned UnitShape::packing(unsigned width) const { return pmax_bits / std::max(width, pmin_bits); }

void UnitShape::validate() const {
    if (pmax_bits == 0 || pmax_bits > 32) throw Error(fmt::format("unit: pmax_bits must be 1..32, got {}", pmax_bits));
    if (pmin_bits == 0 || pmin_bits > pmax_bits)
        throw Error(fmt::format("unit: pmin_bits must be 1..pmax_bits ({}), got {}", pmax_bits, pmin_bits));
    if (bits == 0 || packing(bits) == 0)
        throw Error(fmt::format("unit: {}-bit operands do not fit a {}-bit unit", bits, pmax_bits));
}

PeUnit::PeUnit(UnitShape shape) : m_shape(shape) {
    m_shape.validate();
    const unsigned f = m_shape.packing(m_shape.bits);
    m_lanes = f * f;
}

unsigned PeUnit::peak_4bit_macs_per_cycle() const {
    const unsigned f = m_shape.packing(4);
    return std::max(1u, f * f);
}

}  // namespace spark::pe
