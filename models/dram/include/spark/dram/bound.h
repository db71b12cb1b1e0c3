// SPDX-License-Identifier: Apache-2.0
// The bandwidth a preset's timing allows for the traffic a run made: no controller can move its bytes faster.
// From the run's counts (bursts, activates, turnarounds), per channel:
//   data bus      every burst takes max(BL/2, tCCD_S) cycles; a read after a write leaves the bus idle
//                 tWTR_S + CL, a write after a read tRTW
//   activates     at most four per tFAW and one per tRRD_S in each rank: activates / ranks x max(tFAW / 4, tRRD_S)
//   banks         one activate per tRC in each bank: activates / banks x tRC (activates spread evenly)
// The bound is the bytes over the longest of the three times. Refresh is left out: a controller may postpone
// refreshes past the end of a short run (JEDEC allows eight), so no refresh time is certain to fall inside it;
// over a long run refresh costs about tRFC / tREFI of the bound (4.5 % on DDR4-2400, 5.6 % on HBM2). Its share is measured
// bandwidth / bound. Traffic that hits open rows is bounded by the data bus; random traffic by the activates.
#pragma once

#include <string>

#include "spark/dram/config.h"
#include "spark/dram/stats.h"

namespace spark::dram {

struct TimingBound {
    double data_bus_cycles = 0.0;
    double activate_cycles = 0.0;
    double bank_cycles = 0.0;
    double cycles = 0.0;       // the longest of the three (per channel)
    double gbps = 0.0;         // bytes / (cycles x tCK)
    std::string limited_by;    // "data bus", "activates" or "banks"
};

// `bytes`: the payload the run moved. Channels are taken as evenly loaded.
TimingBound timing_bound(const DramConfig& config, const DramCounters& counters, double bytes);

}  // namespace spark::dram
