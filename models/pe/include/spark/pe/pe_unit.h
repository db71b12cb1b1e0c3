// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spark/pe/pe.h"

namespace spark::pe {

// A precision-scalable unit of the designs SPARK is compared with (BitFusion's fusion unit as ANT's simulator
// models it): one pmax-bit MAC per cycle, or f^2 narrower ones with f = floor(pmax / max(bits, pmin)) operands
// packed on each side. Here the f^2 MACs of a cycle are consecutive pairs along the reduction (its lanes), one
// cycle whatever the data. `bits` is the precision of the layer it runs.
class PeUnit final : public ProcessingElement {
public:
    explicit PeUnit(UnitShape shape);

    PeType type() const override { return PeType::unit; }
    std::string_view name() const override { return "unit"; }
    unsigned lanes() const override { return m_lanes; }
    unsigned step_cycles(bool, bool) const override { return 1; }
    unsigned peak_4bit_macs_per_cycle() const override;
    std::int32_t multiply(int weight, int activation, bool, bool) const override { return weight * activation; }

private:
    UnitShape m_shape;
    unsigned m_lanes;
};

}  // namespace spark::pe
