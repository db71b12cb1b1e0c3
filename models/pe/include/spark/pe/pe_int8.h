// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spark/pe/pe.h"

namespace spark::pe {

// The conventional INT8 PE of the baseline: two 8-bit multipliers, two pairs per step, one cycle whatever the
// data, the same peak 8-bit throughput as the mixed-width PE.
class PeInt8 final : public ProcessingElement {
public:
    PeType type() const override { return PeType::int8; }
    std::string_view name() const override { return "int8"; }
    unsigned lanes() const override { return 2; }
    unsigned step_cycles(bool, bool) const override { return 1; }
    unsigned peak_4bit_macs_per_cycle() const override { return 2; }
    std::int32_t multiply(int weight, int activation, bool, bool) const override { return weight * activation; }
};

}  // namespace spark::pe
