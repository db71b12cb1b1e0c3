// SPDX-License-Identifier: Apache-2.0
#include "spark/pe/pe.h"

#include <fmt/format.h>

#include "spark/common/error.h"

namespace spark::pe {

std::string_view to_string(PeType type) {
    switch (type) {
        case PeType::mixed_width: return "mixed_width";
        case PeType::int4_shift: return "int4_shift";
        case PeType::int8: return "int8";
        case PeType::unit: return "unit";
    }
    return "?";
}

PeType parse_pe_type(std::string_view text) {
    if (text == "mixed" || text == "mixed_width" || text == "spark") return PeType::mixed_width;
    if (text == "int4" || text == "int4_shift") return PeType::int4_shift;
    if (text == "int8") return PeType::int8;
    if (text == "unit") return PeType::unit;
    throw Error(fmt::format("unknown PE type '{}' (expected 'mixed', 'int4', 'int8' or 'unit')", text));
}

PeRun ProcessingElement::run(const OperandPair* pairs, std::size_t count, const OperandModes& modes) const {
    PeRun out;
    const std::size_t step_lanes = lanes();
    for (std::size_t first = 0; first < count; first += step_lanes) {
        const std::size_t last = std::min(count, first + step_lanes);
        bool weight_long = false;
        bool activation_long = false;
        for (std::size_t p = first; p < last; ++p) {
            const bool wl = is_long(pairs[p].weight, modes.weight, modes.codec_enabled);
            const bool al = is_long(pairs[p].activation, modes.activation, modes.codec_enabled);
            weight_long |= wl;
            activation_long |= al;
            if (wl && al) ++out.macs.long_long;
            else if (wl || al) ++out.macs.short_long;
            else ++out.macs.short_short;
            const std::uint8_t w = modes.codec_enabled ? codec::approximate(pairs[p].weight, modes.weight) : pairs[p].weight;
            const std::uint8_t a = modes.codec_enabled ? codec::approximate(pairs[p].activation, modes.activation)
                                                       : pairs[p].activation;
            out.accumulator += multiply(codec::to_int(w, modes.weight), codec::to_int(a, modes.activation), wl, al);
        }
        out.cycles += step_cycles(weight_long, activation_long);
        ++out.steps;
    }
    return out;
}

}  // namespace spark::pe
