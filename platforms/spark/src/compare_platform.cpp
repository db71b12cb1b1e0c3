// SPDX-License-Identifier: Apache-2.0
#include "spark/platform/compare_platform.h"

#include <algorithm>

#include <fmt/format.h>

#include "spark/common/error.h"

namespace spark::platform {

ArchConfig design_arch(const ArchConfig& spark, const compare::Design& design) {
    ArchConfig a = spark;
    a.energy.unit_dynamic_pj = design.energy.dynamic_pj;
    a.energy.unit_leakage_pj = design.energy.leakage_pj;
    if (design.spark) return a;
    a.name = design.name;
    a.spark_storage = false;
    auto& array = a.accelerator.datapath.array;
    array.pe_type = pe::PeType::unit;
    array.rows = design.array.rows;
    array.cols = design.array.cols;
    array.unit = {design.array.pmax_bits, design.array.pmin_bits, design.precision.bits};
    // Without a decoder the array runs in lock-step on data-independent steps: a single FIFO-free sync is exact.
    array.sync = pe_array::SyncMode::array;
    a.sync_datapath();
    try {
        a.accelerator.datapath.validate();
    } catch (const Error& e) {
        throw Error(fmt::format("design '{}': {}", design.name, e.what()));
    }
    return a;
}

StoragePlan storage_plan(const workload::Network& net, const compare::Design& design) {
    StoragePlan plan;
    std::map<std::string, unsigned> producer_bits;  // output tensor -> its array layer's precision
    for (const auto& l : net.layers) {
        if (!l.has_gemm()) continue;
        // Attention matmuls take the network's usual precision (the design's rule has no entry for them).
        const bool ruled = l.kind == workload::LayerKind::conv2d || l.kind == workload::LayerKind::linear;
        unsigned bits = ruled ? design.layer_bits(net, l) : design.precision.bits;
        if (design.array.packing(bits) == 0)
            throw Error(fmt::format("design '{}': layer '{}' at {} bits is wider than its {}-bit units", design.name,
                                    l.name, bits, design.array.pmax_bits));
        plan.layer_precision[l.name] = bits;
        producer_bits[l.output.name] = bits;
        if (l.weight) plan.tensor_bits[l.weight->name] = bits;
        for (const auto& in : l.inputs) {
            auto [it, fresh] = plan.tensor_bits.emplace(in, bits);
            if (!fresh) it->second = std::max(it->second, bits);
        }
    }
    for (const auto& [tensor, bits] : producer_bits) plan.tensor_bits.emplace(tensor, bits);
    // Everything else (vector layers' outputs read by vector layers only, inputs no array layer reads): the
    // design's usual precision.
    for (const auto& in : net.inputs) plan.tensor_bits.emplace(in.name, design.precision.bits);
    for (const auto& l : net.layers) {
        plan.tensor_bits.emplace(l.output.name, design.precision.bits);
        if (l.weight) plan.tensor_bits.emplace(l.weight->name, design.precision.bits);
    }
    return plan;
}

compare::DesignRun design_run(const compare::Design& design, const RunReport& report, const StoragePlan* plan) {
    compare::DesignRun run;
    run.design = design;
    run.clock_mhz = report.clock_mhz;
    auto cost = [](const LayerReport& l) {
        compare::LayerCost c;
        c.layer = l.name;
        c.macs = l.macs;
        c.compute_cycles = l.cycles - std::min(l.cycles, l.stall_cycles);
        c.stall_cycles = std::min(l.cycles, l.stall_cycles);
        c.stored_bits = l.bits_per_value;
        c.dram_read_bits = 8.0 * double(l.dram_read_bytes);
        c.dram_write_bits = 8.0 * double(l.dram_written_bytes);
        c.buffer_read_bits = 8.0 * double(l.buffer_read_bytes);
        c.buffer_write_bits = 8.0 * double(l.buffer_write_bytes);
        c.static_pj = l.energy.static_pj;
        c.dram_pj = l.energy.dram_pj;
        c.buffer_pj = l.energy.buffer_pj;
        c.core_pj = l.energy.pe_pj + l.energy.decoder_pj + l.energy.encoder_pj;
        return c;
    };
    for (const auto& l : report.layers) {
        compare::LayerCost c = cost(l);
        c.bits = plan ? plan->precision(l.name) : (l.macs ? design.precision.bits : 0);
        run.layers.push_back(std::move(c));
    }
    run.total = cost(report.total);
    run.total.layer = "total";
    return run;
}

compare::Comparison compare_platform(const workload::Network& network, std::vector<compare::DesignRun> runs) {
    compare::Comparison c;
    c.network = network.name;
    c.mode = "platform";
    c.batch = 1;
    c.runs = std::move(runs);
    return c;
}

}  // namespace spark::platform
