// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

#include <systemc>

#include <fmt/format.h>

namespace spark::codec {

// The whole-tensor entries charge `clock_period` per cycle; a differently clocked `clk` would make the signal-level
// and transaction-level paths disagree, so say so at the start of simulation.
inline void warn_if_clock_differs(const char* module, const sc_core::sc_in<bool>& clk, const sc_core::sc_time& period,
                                  const char* tensor_entry) {
    const auto* clock = dynamic_cast<const sc_core::sc_clock*>(clk.get_interface());
    if (clock && clock->period() != period)
        SC_REPORT_WARNING(module, fmt::format("clk period {} differs from the clock_period {} that {} charges",
                                              clock->period().to_string(), period.to_string(), tensor_entry)
                                      .c_str());
}

}  // namespace spark::codec
