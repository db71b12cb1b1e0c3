// SPDX-License-Identifier: Apache-2.0
#include "spark/compare/compare.h"

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <nlohmann/json.hpp>

#include "spark/common/error.h"

namespace spark::compare {

double DesignRun::time_us() const { return clock_mhz > 0 ? double(total.cycles()) / clock_mhz : 0.0; }

namespace {

void add(LayerCost& to, const LayerCost& l) {
    to.macs += l.macs;
    to.compute_cycles += l.compute_cycles;
    to.stall_cycles += l.stall_cycles;
    to.dram_read_bits += l.dram_read_bits;
    to.dram_write_bits += l.dram_write_bits;
    to.buffer_read_bits += l.buffer_read_bits;
    to.buffer_write_bits += l.buffer_write_bits;
    to.static_pj += l.static_pj;
    to.dram_pj += l.dram_pj;
    to.buffer_pj += l.buffer_pj;
    to.core_pj += l.core_pj;
}

// Bits per value over the whole network, weighted by the values each layer moves from DRAM.
void finish_total(DesignRun& r) {
    r.total.layer = "total";
    double values = 0, bits = 0, compute_bits = 0;
    for (const auto& l : r.layers) {
        const double v = (l.dram_read_bits) / std::max(l.stored_bits, 1e-9);
        values += v;
        bits += v * l.stored_bits;
        compute_bits += v * l.bits;
    }
    r.total.stored_bits = values > 0 ? bits / values : 0;
    r.total.bits = values > 0 ? static_cast<unsigned>(std::lround(compute_bits / values)) : 0;
}

}  // namespace

Comparison compare_calibration(const workload::Network& network, const Design& spark,
                               const std::map<std::string, SparkLayerFacts>& facts, const std::vector<Design>& designs,
                               const CalibrationSetup& setup) {
    Comparison c;
    c.network = network.name;
    c.mode = "calibration";
    c.batch = setup.batch;
    const std::vector<ConvShape> shapes = calibration_layers(network, setup.batch);
    for (const auto& l : network.layers)
        if (l.kind == workload::LayerKind::matmul) c.skipped_macs += static_cast<std::uint64_t>(l.macs) * setup.batch;
    std::vector<const Design*> all{&spark};
    for (const auto& d : designs) all.push_back(&d);
    for (const Design* d : all) {
        DesignRun run;
        run.design = *d;
        run.clock_mhz = setup.clock_mhz;
        const auto dataflow =
            d->weight_stationary ? CalibrationDataflow::weight_stationary : CalibrationDataflow::output_stationary;
        for (const ConvShape& s : shapes) {
            const workload::Layer* layer = network.find_layer(s.layer);
            const unsigned bits = d->layer_bits(network, *layer);
            double stored = bits, stretch = 1.0;
            if (d->spark) {
                const auto it = facts.find(s.layer);
                if (it == facts.end())
                    throw Error(fmt::format("design '{}': the SPARK run has no figures for layer '{}'", d->name, s.layer));
                stored = it->second.stored_bits;
                if (d->spark_stall == SparkStall::measured) stretch = it->second.stall_factor;
            }
            LayerCost cost = calibration_cost(*d, s, bits, stored, setup, dataflow, stretch);
            add(run.total, cost);
            run.layers.push_back(std::move(cost));
        }
        finish_total(run);
        c.runs.push_back(std::move(run));
    }
    return c;
}

void print_comparison(std::ostream& out, const Comparison& c) {
    const DesignRun& spark = c.runs.front();
    fmt::print(out, "{} mode, {}, batch {}{}\n", c.mode, c.network, c.batch,
               c.skipped_macs ? fmt::format(" ({:.3g} GMAC of attention matmuls left out, as the cost model has none)",
                                            double(c.skipped_macs) / 1e9)
                              : "");
    fmt::print(out, "{:<10} {:>14} {:>8} {:>10} {:>10} {:>10} {:>10} {:>10} {:>6} {:>8} {:>8}\n", "design", "cycles",
               "stall%", "static_uJ", "dram_uJ", "buffer_uJ", "core_uJ", "total_uJ", "bits", "speedup", "energy");
    for (const DesignRun& r : c.runs) {
        const LayerCost& t = r.total;
        const double speedup = spark.total.cycles() ? double(t.cycles()) / double(spark.total.cycles()) : 0;
        const double energy = t.total_pj() > 0 ? spark.total.total_pj() / t.total_pj() : 0;
        fmt::print(out, "{:<10} {:>14} {:>7.1f}% {:>10.1f} {:>10.1f} {:>10.1f} {:>10.1f} {:>10.1f} {:>6.2f} {:>7.3f}x {:>8.3f}\n",
                   r.design.name, t.cycles(), t.cycles() ? 100.0 * double(t.stall_cycles) / double(t.cycles()) : 0.0,
                   t.static_pj / 1e6, t.dram_pj / 1e6, t.buffer_pj / 1e6, t.core_pj / 1e6, t.total_pj() / 1e6,
                   t.stored_bits, speedup, energy);
    }
    fmt::print(out, "speedup: the design's cycles / SPARK's; energy: SPARK's total / the design's (static included)\n");
}

void write_comparison_csv(std::ostream& out, const Comparison& c) {
    fmt::print(out,
               "mode,network,design,layer,bits,stored_bits,macs,cycles,compute_cycles,stall_cycles,time_us,"
               "dram_read_bits,dram_write_bits,buffer_read_bits,buffer_write_bits,static_pj,dram_pj,buffer_pj,core_pj,"
               "total_pj,spark_speedup,spark_energy_ratio\n");
    const DesignRun& spark = c.runs.front();
    for (const DesignRun& r : c.runs) {
        auto row = [&](const LayerCost& l, const LayerCost& s) {
            const double speedup = s.cycles() ? double(l.cycles()) / double(s.cycles()) : 0;
            const double energy = l.total_pj() > 0 ? s.total_pj() / l.total_pj() : 0;
            fmt::print(out, "{},{},{},{},{},{:.4f},{},{},{},{},{:.3f},{:.0f},{:.0f},{:.0f},{:.0f},{:.1f},{:.1f},{:.1f},{:.1f},{:.1f},{:.4f},{:.4f}\n",
                       c.mode, c.network, r.design.name, l.layer, l.bits, l.stored_bits, l.macs, l.cycles(),
                       l.compute_cycles, l.stall_cycles, double(l.cycles()) / r.clock_mhz, l.dram_read_bits,
                       l.dram_write_bits, l.buffer_read_bits, l.buffer_write_bits, l.static_pj, l.dram_pj, l.buffer_pj,
                       l.core_pj, l.total_pj(), speedup, energy);
        };
        for (std::size_t i = 0; i < r.layers.size(); ++i) row(r.layers[i], spark.layers[i]);
    }
    for (const DesignRun& r : c.runs) {
        const LayerCost& l = r.total;
        const LayerCost& s = spark.total;
        fmt::print(out, "{},{},{},total,,{:.4f},{},{},{},{},{:.3f},{:.0f},{:.0f},{:.0f},{:.0f},{:.1f},{:.1f},{:.1f},{:.1f},{:.1f},{:.4f},{:.4f}\n",
                   c.mode, c.network, r.design.name, l.stored_bits, l.macs, l.cycles(), l.compute_cycles,
                   l.stall_cycles, r.time_us(), l.dram_read_bits, l.dram_write_bits, l.buffer_read_bits,
                   l.buffer_write_bits, l.static_pj, l.dram_pj, l.buffer_pj, l.core_pj, l.total_pj(),
                   s.cycles() ? double(l.cycles()) / double(s.cycles()) : 0, l.total_pj() > 0 ? s.total_pj() / l.total_pj() : 0);
    }
}

nlohmann::json comparison_json(const Comparison& c) {
    nlohmann::json designs = nlohmann::json::array();
    const DesignRun& spark = c.runs.front();
    for (const DesignRun& r : c.runs) {
        const LayerCost& t = r.total;
        const double without_static = t.total_pj() - t.static_pj;
        const double spark_without_static = spark.total.total_pj() - spark.total.static_pj;
        designs.push_back({{"design", r.design.to_json()},
                           {"cycles", t.cycles()},
                           {"compute_cycles", t.compute_cycles},
                           {"stall_cycles", t.stall_cycles},
                           {"time_us", r.time_us()},
                           {"macs", t.macs},
                           {"stored_bits_per_value", t.stored_bits},
                           {"dram_read_bits", t.dram_read_bits},
                           {"dram_write_bits", t.dram_write_bits},
                           {"energy_pj",
                            {{"static", t.static_pj},
                             {"dram", t.dram_pj},
                             {"buffer", t.buffer_pj},
                             {"core", t.core_pj},
                             {"total", t.total_pj()},
                             {"total_without_static", without_static}}},
                           {"spark_speedup", spark.total.cycles() ? double(t.cycles()) / double(spark.total.cycles()) : 0},
                           {"spark_energy_ratio", t.total_pj() > 0 ? spark.total.total_pj() / t.total_pj() : 0},
                           {"spark_energy_ratio_without_static",
                            without_static > 0 ? spark_without_static / without_static : 0}});
    }
    return {{"mode", c.mode},
            {"network", c.network},
            {"batch", c.batch},
            {"skipped_matmul_macs", c.skipped_macs},
            {"designs", designs}};
}

}  // namespace spark::compare
