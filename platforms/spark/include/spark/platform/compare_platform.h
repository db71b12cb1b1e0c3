// SPDX-License-Identifier: Apache-2.0
// Platform mode of the comparison: each design of platforms/spark/arch runs on this platform (the SystemC
// accelerator, its DRAM and buffers, its tiling) with its own array, units, per-layer precision and storage widths,
// beside SPARK, in one simulation.
#pragma once

#include <vector>

#include "spark/compare/compare.h"
#include "spark/compare/design.h"
#include "spark/platform/arch.h"
#include "spark/platform/program.h"
#include "spark/platform/report.h"
#include "spark/workload/network.h"

namespace spark::platform {

// The design on `spark`'s platform: the same DRAM, buffers, DMA and clock; the design's N x M array of 'unit'
// PEs, raw storage, and per-unit core energies. For SPARK's own design: `spark` with the design's per-unit
// energies, so that every design's core is costed alike.
ArchConfig design_arch(const ArchConfig& spark, const compare::Design& design);

// The precision of each array layer (the design's rule) and the raw width of each tensor: a layer's weights at
// its precision; an activation at the widest precision among the array layers that read it, else at its
// producer's, else at the design's usual precision. Throws spark::Error naming the design and the layer a design cannot run.
StoragePlan storage_plan(const workload::Network& network, const compare::Design& design);

// One design's run as a row set of the comparison (every layer of the network, vector layers included); `plan`
// gives each array layer's precision (SPARK's: null, 4 bits).
compare::DesignRun design_run(const compare::Design& design, const RunReport& report, const StoragePlan* plan);

// Platform mode: SPARK's run first, then the designs', in the order given.
compare::Comparison compare_platform(const workload::Network& network, std::vector<compare::DesignRun> runs);

}  // namespace spark::platform
