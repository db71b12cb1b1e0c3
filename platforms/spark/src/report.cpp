// SPDX-License-Identifier: Apache-2.0
#include "spark/platform/report.h"

#include <cmath>

#include <nlohmann/json.hpp>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "spark/buffer/sram_core.h"

namespace spark::platform {

namespace {

double buffer_pj(const buffer::SramConfig& c, const accelerator::BufferTraffic& t) {
    const buffer::SramCore core(c);
    const double word = c.word_bytes();
    return std::ceil(double(t.read_bytes) / word) * core.read_pj_per_word() +
           std::ceil(double(t.write_bytes) / word) * core.write_pj_per_word();
}

void add(LayerReport& total, const LayerReport& l) {
    total.macs += l.macs;
    total.macs_short_short += l.macs_short_short;
    total.macs_short_long += l.macs_short_long;
    total.macs_long_long += l.macs_long_long;
    total.cycles += l.cycles;
    total.stall_cycles += l.stall_cycles;
    total.time_us += l.time_us;
    total.dram_read_bytes += l.dram_read_bytes;
    total.dram_written_bytes += l.dram_written_bytes;
    total.buffer_read_bytes += l.buffer_read_bytes;
    total.buffer_write_bytes += l.buffer_write_bytes;
    total.energy += l.energy;
}

nlohmann::json layer_json(const LayerReport& l) {
    return {{"name", l.name},
            {"kind", l.kind},
            {"stand_in", l.stand_in},
            {"macs", l.macs},
            {"macs_short_short", l.macs_short_short},
            {"macs_short_long", l.macs_short_long},
            {"macs_long_long", l.macs_long_long},
            {"cycles", l.cycles},
            {"stall_cycles", l.stall_cycles},
            {"time_us", l.time_us},
            {"mac_utilisation", l.mac_utilisation},
            {"dram_read_bytes", l.dram_read_bytes},
            {"dram_written_bytes", l.dram_written_bytes},
            {"buffer_read_bytes", l.buffer_read_bytes},
            {"buffer_write_bytes", l.buffer_write_bytes},
            {"bits_per_value", l.bits_per_value},
            {"share_approximated", l.share_approximated},
            {"weight_share_approximated", l.weight_share_approximated},
            {"energy_pj",
             {{"dram", l.energy.dram_pj},
              {"buffer", l.energy.buffer_pj},
              {"core", l.energy.core_pj()},
              {"pe", l.energy.pe_pj},
              {"decoder", l.energy.decoder_pj},
              {"encoder", l.energy.encoder_pj},
              {"static", l.energy.static_pj},
              {"total", l.energy.total_pj()}}}};
}

}  // namespace

RunReport make_report(const std::string& config, const Program& program,
                      const ArchConfig& arch, const SystemResult& result) {
    RunReport r;
    r.config = config;
    r.arch_name = arch.name;
    r.clock_mhz = arch.accelerator.datapath.clock_mhz;
    r.ok = result.ok;
    const auto& e = arch.energy;
    std::uint64_t moved_values = 0, moved_nibbles = 0, out_values = 0, out_approx = 0;
    std::uint64_t weight_values = 0, weight_approx = 0;
    double peak_mac_cycles = 0.0;  // peak MACs per cycle x array-busy cycles, over the layers
    for (const ProgramLayer& pl : program.layers) {
        LayerReport l;
        l.name = pl.layer->name;
        l.kind = std::string(workload::to_string(pl.layer->kind));
        l.stand_in = !pl.on_accelerator;
        if (pl.on_accelerator && pl.descriptor < result.layers.size()) {
            const LayerRun& run = result.layers[pl.descriptor];
            const accelerator::LayerRecord& rec = run.record;
            const pe::MacCounts& m = rec.array.macs;
            l.macs = m.total();
            l.macs_short_short = m.short_short;
            l.macs_short_long = m.short_long;
            l.macs_long_long = m.long_long;
            l.cycles = rec.cycles;
            l.stall_cycles = rec.stall_cycles;
            l.time_us = double(rec.cycles) / r.clock_mhz;
            l.mac_utilisation = rec.array.mac_utilisation();
            peak_mac_cycles += double(rec.array.peak_macs_per_cycle) * double(rec.array.cycles);
            l.dram_read_bytes = rec.dram_bytes_read();
            l.dram_written_bytes = rec.dram_bytes_written();
            l.buffer_read_bytes =
                rec.weight_buffer.read_bytes + rec.activation_buffer.read_bytes + rec.output_buffer.read_bytes;
            l.buffer_write_bytes =
                rec.weight_buffer.write_bytes + rec.activation_buffer.write_bytes + rec.output_buffer.write_bytes;
            const std::uint64_t values = rec.weights_in.values + rec.activations_in.values + rec.outputs_out.values;
            const std::uint64_t nibbles = rec.weights_in.nibbles + rec.activations_in.nibbles + rec.outputs_out.nibbles;
            l.bits_per_value = values ? 4.0 * double(nibbles) / double(values) : 0.0;
            l.share_approximated =
                rec.outputs_out.values ? double(rec.outputs_out.approximated) / double(rec.outputs_out.values) : 0.0;
            moved_values += values;
            moved_nibbles += nibbles;
            out_values += rec.outputs_out.values;
            out_approx += rec.outputs_out.approximated;
            l.weight_share_approximated =
                pl.weight_values ? double(pl.weight_approximated) / double(pl.weight_values) : 0.0;
            weight_values += pl.weight_values;
            weight_approx += pl.weight_approximated;

            l.energy.dram_pj = run.dram_delta.energy.total_pj();
            l.energy.buffer_pj = buffer_pj(arch.weight_buffer, rec.weight_buffer) +
                                 buffer_pj(arch.activation_buffer, rec.activation_buffer) +
                                 buffer_pj(arch.output_buffer, rec.output_buffer);
            if (e.per_unit())
                l.energy.pe_pj = double(rec.array.busy_pe_cycles) * e.unit_dynamic_pj +
                                 double(arch.accelerator.datapath.array.rows) * arch.accelerator.datapath.array.cols *
                                     double(rec.cycles) * e.unit_leakage_pj;
            else
                l.energy.pe_pj = double(m.short_short) * e.mac_4x4_pj + double(m.short_long) * e.mac_4x8_pj +
                                 double(m.long_long) * e.mac_8x8_pj;
            if (arch.spark_storage) {
                // Array layers: every operand value entering the array passes an edge decoder; the vector unit
                // decodes what it reads. Every stored output passes an encoder.
                const std::uint64_t decoded_nibbles =
                    accelerator::runs_on_array(rec.opcode) ? rec.array.decoder_nibbles : rec.activations_in.nibbles;
                l.energy.decoder_pj = double(decoded_nibbles) * e.decoder_pj_per_nibble;
                l.energy.encoder_pj = double(rec.outputs_out.values) * e.encoder_pj_per_value;
            }
            l.energy.static_pj = energy::static_energy_pj(e.core_static_mw, double(rec.cycles), r.clock_mhz);
        }
        add(r.total, l);
        r.layers.push_back(std::move(l));
    }
    r.total.name = "total";
    r.total.kind = "network";
    r.total.bits_per_value = moved_values ? 4.0 * double(moved_nibbles) / double(moved_values) : 0.0;
    r.total.share_approximated = out_values ? double(out_approx) / double(out_values) : 0.0;
    r.total.weight_share_approximated = weight_values ? double(weight_approx) / double(weight_values) : 0.0;
    // The same ratio as a layer's, over the whole network: MACs / (peak x array-busy cycles).
    r.total.mac_utilisation = peak_mac_cycles > 0 ? double(r.total.macs) / peak_mac_cycles : 0.0;
    return r;
}

void write_layers_csv(std::ostream& out, const std::vector<const RunReport*>& runs) {
    fmt::print(out,
               "config,layer,kind,stand_in,macs,macs_short_short,macs_short_long,macs_long_long,cycles,stall_cycles,"
               "time_us,mac_utilisation,dram_read_bytes,dram_written_bytes,buffer_read_bytes,buffer_write_bytes,"
               "bits_per_value,share_approximated,weight_share_approximated,energy_dram_pj,energy_buffer_pj,"
               "energy_core_pj,energy_pe_pj,energy_decoder_pj,energy_encoder_pj,energy_static_pj,energy_total_pj\n");
    for (const RunReport* r : runs) {
        std::vector<const LayerReport*> rows;
        for (const auto& l : r->layers) rows.push_back(&l);
        rows.push_back(&r->total);
        for (const LayerReport* l : rows)
            fmt::print(out, "{},{},{},{},{},{},{},{},{},{},{:.4f},{:.4f},{},{},{},{},{:.4f},{:.6f},{:.6f},{:.1f},{:.1f},{:.1f},"
                            "{:.1f},{:.1f},{:.1f},{:.1f},{:.1f}\n",
                       r->config, l->name, l->kind, l->stand_in ? 1 : 0, l->macs, l->macs_short_short,
                       l->macs_short_long, l->macs_long_long, l->cycles, l->stall_cycles, l->time_us,
                       l->mac_utilisation, l->dram_read_bytes, l->dram_written_bytes, l->buffer_read_bytes,
                       l->buffer_write_bytes, l->bits_per_value, l->share_approximated, l->weight_share_approximated,
                       l->energy.dram_pj, l->energy.buffer_pj, l->energy.core_pj(), l->energy.pe_pj, l->energy.decoder_pj,
                       l->energy.encoder_pj, l->energy.static_pj, l->energy.total_pj());
    }
}

nlohmann::json summary_json(const workload::Network& net, const RunReport& spark, const RunReport* baseline) {
    auto run_json = [](const RunReport& r) {
        nlohmann::json j = layer_json(r.total);
        j.erase("name");
        j.erase("kind");
        j.erase("stand_in");
        j["config"] = r.config;
        j["arch"] = r.arch_name;
        j["clock_mhz"] = r.clock_mhz;
        j["ok"] = r.ok;
        j["layers"] = r.layers.size();
        return j;
    };
    nlohmann::json j = {{"network", net.name}, {"workload", net.source}, {"spark", run_json(spark)}};
    if (baseline) {
        j["baseline"] = run_json(*baseline);
        j["speedup"] = spark.total.cycles ? double(baseline->total.cycles) / double(spark.total.cycles) : 0.0;
        j["energy_ratio"] =
            baseline->total.energy.total_pj() > 0 ? spark.total.energy.total_pj() / baseline->total.energy.total_pj()
                                                  : 0.0;
        j["dram_bytes_ratio"] =
            double(spark.total.dram_read_bytes + spark.total.dram_written_bytes) /
            std::max(1.0, double(baseline->total.dram_read_bytes + baseline->total.dram_written_bytes));
    }
    return j;
}

void print_table(std::ostream& out, const workload::Network& net, const RunReport& spark, const RunReport* baseline,
                 std::size_t max_rows) {
    fmt::print(out, "{} ({} layers) on {} at {} MHz{}\n", net.name, spark.layers.size(), spark.arch_name,
               spark.clock_mhz, baseline ? fmt::format(", against {}", baseline->arch_name) : "");
    fmt::print(out, "{:<24} {:<16} {:>11} {:>12} {:>6} {:>12} {:>8}", "layer", "kind", "MACs", "cycles", "bits",
               "energy uJ", "approx%");
    if (baseline) fmt::print(out, " {:>12} {:>8} {:>7}", "base cycles", "speedup", "energy");
    fmt::print(out, "\n");
    auto row = [&](const LayerReport& s, const LayerReport* b) {
        fmt::print(out, "{:<24.24} {:<16.16} {:>11} {:>12} {:>6.2f} {:>12.3f} {:>8.2f}", s.name,
                   s.stand_in ? s.kind + "*" : s.kind, s.macs, s.cycles, s.bits_per_value, s.energy.total_pj() / 1e6,
                   100.0 * s.share_approximated);
        if (b)
            fmt::print(out, " {:>12} {:>8.3f} {:>7.3f}", b->cycles,
                       s.cycles ? double(b->cycles) / double(s.cycles) : 0.0,
                       b->energy.total_pj() > 0 ? s.energy.total_pj() / b->energy.total_pj() : 0.0);
        fmt::print(out, "\n");
    };
    // The first rows and the last ones, max_rows in all (the first half rounded up), and a line for the rest.
    const std::size_t n = spark.layers.size();
    const bool cut = max_rows && n > max_rows;
    const std::size_t head = cut ? (max_rows + 1) / 2 : n;
    const std::size_t tail = cut ? max_rows - head : 0;
    for (std::size_t i = 0; i < head; ++i) row(spark.layers[i], baseline ? &baseline->layers[i] : nullptr);
    if (cut) {
        fmt::print(out, "{:<24} ({} more layers; all rows are in layers.csv)\n", "...", n - max_rows);
        for (std::size_t i = n - tail; i < n; ++i) row(spark.layers[i], baseline ? &baseline->layers[i] : nullptr);
    }
    row(spark.total, baseline ? &baseline->total : nullptr);
    fmt::print(out, "* stand-in layer: not modelled, its output is preloaded by the host\n");
    const auto& e = spark.total.energy;
    fmt::print(out, "energy split (SPARK): DRAM {:.1f} uJ, buffers {:.1f} uJ, core {:.1f} uJ (PE {:.1f}, decoders {:.1f}, "
                    "encoders {:.1f}, static {:.1f})\n",
               e.dram_pj / 1e6, e.buffer_pj / 1e6, e.core_pj() / 1e6, e.pe_pj / 1e6, e.decoder_pj / 1e6,
               e.encoder_pj / 1e6, e.static_pj / 1e6);
    if (baseline) {
        const auto& be = baseline->total.energy;
        fmt::print(out, "energy split (INT8): DRAM {:.1f} uJ, buffers {:.1f} uJ, core {:.1f} uJ (PE {:.1f}, static {:.1f})\n",
                   be.dram_pj / 1e6, be.buffer_pj / 1e6, be.core_pj() / 1e6, be.pe_pj / 1e6, be.static_pj / 1e6);
        fmt::print(out, "speedup {:.3f}x, energy {:.3f}x of the baseline, DRAM traffic {:.3f}x\n",
                   double(baseline->total.cycles) / double(std::max<std::uint64_t>(1, spark.total.cycles)),
                   e.total_pj() / std::max(1e-9, be.total_pj()),
                   double(spark.total.dram_read_bytes + spark.total.dram_written_bytes) /
                       std::max(1.0, double(baseline->total.dram_read_bytes + baseline->total.dram_written_bytes)));
    }
}

}  // namespace spark::platform
