// SPDX-License-Identifier: Apache-2.0
#include "spark/dram/stats.h"

namespace spark::dram {

DramCounters& DramCounters::operator+=(const DramCounters& o) {
    activates += o.activates;
    precharges += o.precharges;
    reads += o.reads;
    writes += o.writes;
    refreshes += o.refreshes;
    row_hits += o.row_hits;
    row_misses += o.row_misses;
    row_conflicts += o.row_conflicts;
    read_to_write += o.read_to_write;
    write_to_read += o.write_to_read;
    bytes_read += o.bytes_read;
    bytes_written += o.bytes_written;
    active_standby_cycles += o.active_standby_cycles;
    precharged_standby_cycles += o.precharged_standby_cycles;
    return *this;
}

// mA * V * ns = pJ. Each rail of each device contributes; a rank has devices_per_rank devices.
CommandEnergy command_energy(const DramConfig& c) {
    const auto& t = c.timing;
    const double tck = c.tck_ns;
    const double devices = c.geometry.devices_per_rank;
    CommandEnergy e;
    for (const auto& r : c.rails) {
        const double v = r.voltage_v * devices;
        e.act_pj += v * (r.idd0_ma - r.idd3n_ma) * t.RAS * tck;
        e.pre_pj += v * (r.idd0_ma - r.idd2n_ma) * (t.RC - t.RAS) * tck;
        e.read_pj += v * (r.idd4r_ma - r.idd3n_ma) * c.burst_cycles() * tck;
        e.write_pj += v * (r.idd4w_ma - r.idd3n_ma) * c.burst_cycles() * tck;
        e.refresh_pj += v * (r.idd5b_ma - r.idd3n_ma) * t.RFC * tck;
        e.active_standby_pj_per_cycle += v * r.idd3n_ma * tck;
        e.precharged_standby_pj_per_cycle += v * r.idd2n_ma * tck;
    }
    return e;
}

DramEnergy compute_energy(const DramConfig& config, const DramCounters& n) {
    const CommandEnergy e = command_energy(config);
    DramEnergy out;
    out.act_pj = e.act_pj * double(n.activates);
    out.pre_pj = e.pre_pj * double(n.precharges);
    out.read_pj = e.read_pj * double(n.reads);
    out.write_pj = e.write_pj * double(n.writes);
    out.refresh_pj = e.refresh_pj * double(n.refreshes);
    out.active_background_pj = e.active_standby_pj_per_cycle * double(n.active_standby_cycles);
    out.precharged_background_pj = e.precharged_standby_pj_per_cycle * double(n.precharged_standby_cycles);
    return out;
}

std::vector<Stat> describe(const DramStats& s) {
    const auto& n = s.counters;
    const auto& e = s.energy;
    return {
        {"activates", "commands", "ACT commands", double(n.activates)},
        {"precharges", "banks", "banks precharged (PRE, or PRE-all before REF)", double(n.precharges)},
        {"reads", "bursts", "read bursts", double(n.reads)},
        {"writes", "bursts", "write bursts", double(n.writes)},
        {"refreshes", "commands", "all-bank REF commands", double(n.refreshes)},
        {"row_hits", "bursts", "bursts that found their row open", double(n.row_hits)},
        {"row_misses", "bursts", "bursts to a closed bank (ACT)", double(n.row_misses)},
        {"row_conflicts", "bursts", "bursts to a bank with another row open (PRE + ACT)", double(n.row_conflicts)},
        {"read_to_write", "turnarounds", "write bursts that follow a read burst on the data bus", double(n.read_to_write)},
        {"write_to_read", "turnarounds", "read bursts that follow a write burst on the data bus", double(n.write_to_read)},
        {"bytes_read", "bytes", "payload bytes read", double(n.bytes_read)},
        {"bytes_written", "bytes", "payload bytes written", double(n.bytes_written)},
        {"active_standby_cycles", "cycles", "rank-cycles with a bank open", double(n.active_standby_cycles)},
        {"precharged_standby_cycles", "cycles", "rank-cycles with all banks closed", double(n.precharged_standby_cycles)},
        {"sim_cycles", "cycles", "memory clock cycles covered", double(s.sim_cycles)},
        {"energy_act_pj", "pJ", "ACT energy", e.act_pj},
        {"energy_pre_pj", "pJ", "PRE energy", e.pre_pj},
        {"energy_read_pj", "pJ", "read burst energy", e.read_pj},
        {"energy_write_pj", "pJ", "write burst energy", e.write_pj},
        {"energy_refresh_pj", "pJ", "refresh energy", e.refresh_pj},
        {"energy_active_background_pj", "pJ", "active standby energy", e.active_background_pj},
        {"energy_precharged_background_pj", "pJ", "precharged standby energy", e.precharged_background_pj},
        {"energy_total_pj", "pJ", "sum of all categories", e.total_pj()},
    };
}

}  // namespace spark::dram
