// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "spark/dram/config.h"

namespace spark::dram {

// Commands and cycles as the controller issued them. Energy is a pure function of these and the config.
struct DramCounters {
    std::uint64_t activates = 0;
    std::uint64_t precharges = 0;         // banks closed, by PRE or by the PRE-all before a refresh
    std::uint64_t reads = 0;              // read bursts
    std::uint64_t writes = 0;             // write bursts
    std::uint64_t refreshes = 0;          // all-bank REF commands, summed over ranks
    std::uint64_t row_hits = 0;           // burst found its row open
    std::uint64_t row_misses = 0;         // bank was closed: ACT only
    std::uint64_t row_conflicts = 0;      // another row was open: PRE and ACT
    std::uint64_t read_to_write = 0;      // a write burst after a read burst (data-bus turnaround, tRTW)
    std::uint64_t write_to_read = 0;      // a read burst after a write burst (tWTR)
    std::uint64_t bytes_read = 0;         // payload bytes the initiators asked for
    std::uint64_t bytes_written = 0;
    Cycle active_standby_cycles = 0;      // rank-cycles with at least one bank open (including tRFC)
    Cycle precharged_standby_cycles = 0;  // rank-cycles with every bank closed

    DramCounters& operator+=(const DramCounters& o);
};

// Energy in pJ per category, the DRAMPower way (see docs/dram.md for the equations).
struct DramEnergy {
    double act_pj = 0.0;
    double pre_pj = 0.0;
    double read_pj = 0.0;
    double write_pj = 0.0;
    double refresh_pj = 0.0;
    double active_background_pj = 0.0;
    double precharged_background_pj = 0.0;

    double total_pj() const {
        return act_pj + pre_pj + read_pj + write_pj + refresh_pj + active_background_pj + precharged_background_pj;
    }
};

// Energy of one command of each kind for a whole rank (all devices, all rails), in pJ.
struct CommandEnergy {
    double act_pj = 0.0, pre_pj = 0.0, read_pj = 0.0, write_pj = 0.0, refresh_pj = 0.0;
    double active_standby_pj_per_cycle = 0.0, precharged_standby_pj_per_cycle = 0.0;
};

CommandEnergy command_energy(const DramConfig& config);
DramEnergy compute_energy(const DramConfig& config, const DramCounters& counters);

struct DramStats {
    DramCounters counters;
    DramEnergy energy;
    Cycle sim_cycles = 0;  // memory clock cycles simulated (time of the last stats update)
};

struct Stat {
    std::string name;
    std::string unit;
    std::string description;
    double value = 0.0;
};
std::vector<Stat> describe(const DramStats& stats);

}  // namespace spark::dram
