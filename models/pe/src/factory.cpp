// SPDX-License-Identifier: Apache-2.0
#include "spark/pe/factory.h"

#include <fmt/format.h>

#include "spark/common/error.h"
#include "spark/pe/pe_int4_shift.h"
#include "spark/pe/pe_int8.h"
#include "spark/pe/pe_mixed_width.h"
#include "spark/pe/pe_unit.h"

namespace spark::pe {

std::unique_ptr<ProcessingElement> make_pe(PeType type, const UnitShape& unit) {
    std::unique_ptr<ProcessingElement> pe;
    switch (type) {
        case PeType::mixed_width: pe = std::make_unique<PeMixedWidth>(); break;
        case PeType::int4_shift: pe = std::make_unique<PeInt4Shift>(); break;
        case PeType::int8: pe = std::make_unique<PeInt8>(); break;
        case PeType::unit: pe = std::make_unique<PeUnit>(unit); break;
    }
    if (!pe) throw Error("make_pe: invalid PE type");
    check_step_table(*pe);
    return pe;
}

std::unique_ptr<ProcessingElement> make_pe(std::string_view type) { return make_pe(parse_pe_type(type)); }

void check_step_table(const ProcessingElement& pe) {
    const unsigned ss = pe.step_cycles(false, false);
    const unsigned ls = pe.step_cycles(true, false);
    const unsigned sl = pe.step_cycles(false, true);
    const unsigned ll = pe.step_cycles(true, true);
    if (ss == 0 || ls < ss || sl < ss || ll < ls || ll < sl)
        throw Error(fmt::format("PE '{}': step table must be positive and monotone, got {} {} {} {}", pe.name(),
                                ss, ls, sl, ll));
    if (pe.lanes() == 0) throw Error(fmt::format("PE '{}': lanes must be positive", pe.name()));
}

}  // namespace spark::pe
