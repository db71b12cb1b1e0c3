// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <string_view>

#include "spark/pe/pe.h"

namespace spark::pe {

// `unit` shapes a PeType::unit (ignored by the other types).
std::unique_ptr<ProcessingElement> make_pe(PeType type, const UnitShape& unit = {});
// From a config string ("mixed", "int4", "int8", ...); throws spark::Error naming the text.
std::unique_ptr<ProcessingElement> make_pe(std::string_view type);

// Throws spark::Error unless the step table is monotone in both operands (the array's lock-step max relies on it).
void check_step_table(const ProcessingElement& pe);

}  // namespace spark::pe
