// SPDX-License-Identifier: Apache-2.0
// The cycle-level model of the PE array: a clocked SystemC module that plays the synchronisation rules of sync.h
// one clock edge at a time. The PEs are grouped into units (the whole array, a row, a column or one PE, as the
// job's ArrayConfig::sync says); a unit loads its next step when its own previous step is released and the FIFOs
// from the units above and to the left hold that step's values, each PE counts down the cycles its PE type needs
// for the widths it holds, and the unit releases the step once all its PEs are done and the FIFOs to the units
// below and to the right have room. FIFOs are occupancy counters (steps pushed minus steps taken). It also
// accumulates the products, so results and timing can both be checked against the fast model. Meant for small
// arrays and layers (every PE is visited every cycle).
//
// Jobs run back to back in the order enqueued; `done` is notified whenever the queue runs empty. Jobs enqueued
// later (while the simulation runs) start at the next clock edge. One module can run jobs of different array
// configurations.
#pragma once

#include <systemc>

#include <deque>
#include <memory>
#include <vector>

#include "spark/pe/pe.h"
#include "spark/pe_array/array_config.h"
#include "spark/pe_array/prepared.h"

namespace spark::pe_array {

struct CycleJob {
    ArrayConfig cfg;
    PreparedLayer layer;
};

struct CycleResult {
    std::uint64_t cycles = 0;          // clock edges from the job's first to its last cycle
    std::uint64_t setup_cycles = 0;
    std::uint64_t compute_cycles = 0;
    std::uint64_t drain_cycles = 0;
    std::uint64_t steps = 0;
    std::uint64_t busy_pe_cycles = 0;
    std::uint64_t stalled_pe_cycles = 0;
    std::uint64_t idle_pe_cycles = 0;
    pe::MacCounts macs;
    std::vector<std::int32_t> accumulators;  // layer output layout, before bias
    sc_core::sc_time elapsed;                // simulated time the job took
};

class PeArrayCycleModel : public sc_core::sc_module {
public:
    sc_core::sc_in<bool> clk;

    // Observable state, one value per cycle (what the VCD shows).
    sc_core::sc_signal<unsigned> phase;      // 0 idle, 1 weight load, 2 compute, 3 drain
    sc_core::sc_signal<unsigned> tile;       // index of the tile in the job
    sc_core::sc_signal<unsigned> step;       // local step of the first unit (the array's step with sync = array)
    sc_core::sc_signal<unsigned> busy_pes;   // PEs working on their own step this cycle
    sc_core::sc_signal<bool> stall;          // some PE between its first and last element is not busy
    sc_core::sc_event done;

    // traced_rows x traced_cols per-PE busy signals are created for the VCD (keep them small).
    PeArrayCycleModel(const sc_core::sc_module_name& name, unsigned traced_rows = 0, unsigned traced_cols = 0);

    void enqueue(CycleJob job);
    void trace(sc_core::sc_trace_file* tf) const override;

    bool finished() const { return m_finished; }
    const std::vector<CycleResult>& results() const { return m_results; }

private:
    struct PeState {
        unsigned remaining = 0;        // cycles left of the current step
        bool in_span = false;          // between the start of its first element and the release of its last
        std::int64_t accumulator = 0;
    };

    void run();
    CycleResult run_job(const CycleJob& job);
    // One clock cycle of the compute phase.
    void clock_cycle(std::vector<PeState>& pes, std::size_t rows, std::size_t cols, unsigned total_pes,
                     CycleResult& r);
    void idle_cycle(unsigned total_pes, CycleResult& r);

    std::deque<CycleJob> m_jobs;
    sc_core::sc_event m_job_added;
    std::vector<CycleResult> m_results;
    bool m_finished = false;
    unsigned m_traced_rows, m_traced_cols;
    std::vector<std::unique_ptr<sc_core::sc_signal<bool>>> m_pe_busy;
};

}  // namespace spark::pe_array
