// SPDX-License-Identifier: Apache-2.0
// A clock that runs only while some block needs it: the pin-level window of a fast simulation. A block asks for
// the clock from a given time with hold(at) and gives it back with release(); the clock rises at the earliest
// time asked for and toggles every half period until the last release, then stays low. Outside windows nothing
// toggles, so a simulation with no window left ends by itself and a VCD holds only the windows.
#pragma once

#include <cstdint>
#include <string>

#include <systemc>

namespace spark {

// What one block's pin-level replay of a fast-mode job found: its clocked modules' cycles against the cycles
// the fast model charged, and whether they produced the same values.
struct PinLevelCheck {
    std::string what;  // "<module>: <job>"
    std::uint64_t cycles = 0;
    std::uint64_t expected_cycles = 0;
    bool values_match = true;
    std::string detail;  // the first difference, when there is one
    bool ok() const { return cycles == expected_cycles && values_match; }
};

class GatedClock : public sc_core::sc_module {
public:
    sc_core::sc_signal<bool> clk;

    GatedClock(const sc_core::sc_module_name& name, const sc_core::sc_time& period)
        : sc_core::sc_module(name), clk("clk", false), m_period(period) {
        SC_HAS_PROCESS(GatedClock);
        SC_THREAD(run);
    }

    const sc_core::sc_time& period() const { return m_period; }

    // The clock runs from `at` (absolute, not in the past) until this holder releases it.
    void hold(const sc_core::sc_time& at) {
        ++m_holders;
        if (!m_running) m_start.notify(at > sc_core::sc_time_stamp() ? at - sc_core::sc_time_stamp() : sc_core::SC_ZERO_TIME);
    }
    void release() {
        if (m_holders > 0) --m_holders;
    }

private:
    void run() {
        for (;;) {
            wait(m_start);
            m_running = true;
            while (m_holders > 0) {
                clk.write(true);
                wait(m_period / 2);
                clk.write(false);
                wait(m_period / 2);
            }
            m_running = false;
        }
    }

    sc_core::sc_time m_period;
    unsigned m_holders = 0;
    bool m_running = false;
    sc_core::sc_event m_start;
};

}  // namespace spark
