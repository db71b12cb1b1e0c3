// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spark/pe/pe.h"

namespace spark::pe {

// The paper's INT4 PE: 8-bit W and A registers, one INT4 multiplier and a shifter. A long operand is split into
// its high and low nibble, so a step (one pair) takes one cycle per nibble product: short x short 1 cycle,
// short x long 2, long x long 4.
class PeInt4Shift final : public ProcessingElement {
public:
    PeType type() const override { return PeType::int4_shift; }
    std::string_view name() const override { return "int4_shift"; }
    unsigned lanes() const override { return 1; }
    unsigned step_cycles(bool weight_long, bool activation_long) const override {
        return (weight_long ? 2u : 1u) * (activation_long ? 2u : 1u);
    }
    unsigned peak_4bit_macs_per_cycle() const override { return 1; }
    std::int32_t multiply(int weight, int activation, bool weight_long, bool activation_long) const override;
};

}  // namespace spark::pe
