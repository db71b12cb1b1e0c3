// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spark/pe/pe.h"

namespace spark::pe {

// The SPARK mixed-width PE: four 4-bit multipliers, paired two by two into 8-bit multipliers when needed. A step
// takes four consecutive pairs (four slots). A pair is a 4-bit MAC iff both operands have short codes and then
// uses one slot; any pair with a long operand is an 8-bit MAC and uses two. A cycle offers four slots, so a step
// takes ceil(slots / 4) cycles: 1 when all four pairs are 4-bit, else 2 (two 8-bit MACs per cycle).
class PeMixedWidth final : public ProcessingElement {
public:
    PeType type() const override { return PeType::mixed_width; }
    std::string_view name() const override { return "mixed_width"; }
    unsigned lanes() const override { return 4; }
    unsigned step_cycles(bool weight_long, bool activation_long) const override {
        return (weight_long || activation_long) ? 2 : 1;
    }
    unsigned peak_4bit_macs_per_cycle() const override { return 4; }
    std::int32_t multiply(int weight, int activation, bool weight_long, bool activation_long) const override;
};

}  // namespace spark::pe
