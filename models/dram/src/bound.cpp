// SPDX-License-Identifier: Apache-2.0
#include "spark/dram/bound.h"

#include <algorithm>

namespace spark::dram {

TimingBound timing_bound(const DramConfig& config, const DramCounters& n, double bytes) {
    const Timing& t = config.timing;
    const Geometry& g = config.geometry;
    const double channels = g.channels;
    TimingBound b;
    const double bursts = double(n.reads + n.writes) / channels;
    b.data_bus_cycles = bursts * std::max<double>(config.burst_cycles(), t.CCD_S) +
                        double(n.write_to_read) / channels * (t.WTR_S + t.CL) +
                        double(n.read_to_write) / channels * t.RTW;
    const double acts = double(n.activates) / channels;
    b.activate_cycles = acts / g.ranks * std::max(double(t.FAW) / 4.0, double(t.RRD_S));
    b.bank_cycles = acts / (double(g.ranks) * g.banks()) * t.RC;
    const double longest = std::max({b.data_bus_cycles, b.activate_cycles, b.bank_cycles});
    b.limited_by = longest == b.data_bus_cycles ? "data bus" : longest == b.activate_cycles ? "activates" : "banks";
    b.cycles = longest;
    b.gbps = b.cycles > 0 ? bytes / (b.cycles * config.tck_ns) : 0.0;  // channels run side by side
    return b;
}

}  // namespace spark::dram
