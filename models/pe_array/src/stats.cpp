// SPDX-License-Identifier: Apache-2.0
#include "spark/pe_array/stats.h"

namespace spark::pe_array {

double ArrayStats::pe_utilisation() const {
    return cycles && pe_count ? double(busy_pe_cycles) / (double(pe_count) * double(cycles)) : 0.0;
}

double ArrayStats::mac_utilisation() const {
    return cycles && peak_macs_per_cycle ? double(macs.total()) / (double(peak_macs_per_cycle) * double(cycles))
                                         : 0.0;
}

void ArrayStats::add_tile(const TileTiming& t, bool codec_enabled) {
    ++tiles;
    cycles += t.cycles;
    setup_cycles += t.setup_cycles;
    compute_cycles += t.compute_cycles;
    drain_cycles += t.drain_cycles;
    steps += t.steps;
    busy_pe_cycles += t.busy_pe_cycles;
    stalled_pe_cycles += t.stalled_pe_cycles;
    idle_pe_cycles += t.idle_pe_cycles;
    weight_values_in += t.weight_values;
    activation_values_in += t.activation_values;
    if (codec_enabled) {
        decoder_values += t.weight_values + t.activation_values;
        decoder_nibbles += t.weight_values + t.weight_long_values + t.activation_values + t.activation_long_values;
    }
}

ArrayStats& ArrayStats::operator+=(const ArrayStats& o) {
    pe_count = o.pe_count;
    peak_macs_per_cycle = o.peak_macs_per_cycle;
    tiles += o.tiles;
    cycles += o.cycles;
    setup_cycles += o.setup_cycles;
    compute_cycles += o.compute_cycles;
    drain_cycles += o.drain_cycles;
    steps += o.steps;
    macs += o.macs;
    busy_pe_cycles += o.busy_pe_cycles;
    stalled_pe_cycles += o.stalled_pe_cycles;
    idle_pe_cycles += o.idle_pe_cycles;
    weight_values_in += o.weight_values_in;
    activation_values_in += o.activation_values_in;
    decoder_values += o.decoder_values;
    decoder_nibbles += o.decoder_nibbles;
    encoder_values += o.encoder_values;
    encoder_nibbles += o.encoder_nibbles;
    output_values += o.output_values;
    return *this;
}

std::vector<Stat> ArrayStats::table() const {
    const auto d = [](std::uint64_t v) { return static_cast<double>(v); };
    return {
        {"pe_count", "PEs", "processing elements in the array", d(pe_count)},
        {"peak_macs_per_cycle", "MACs/cycle", "array MACs per cycle when every operand is short", d(peak_macs_per_cycle)},
        {"tiles", "tiles", "passes of the array", d(tiles)},
        {"cycles", "cycles", "array clock cycles, setup and drain included", d(cycles)},
        {"setup_cycles", "cycles", "weight loading (weight-stationary)", d(setup_cycles)},
        {"compute_cycles", "cycles", "compute phase including skew fill and drain", d(compute_cycles)},
        {"drain_cycles", "cycles", "accumulator drain (output-stationary)", d(drain_cycles)},
        {"steps", "steps", "steps of the synchronisation units, summed over units (lock-step steps with sync = array)", d(steps)},
        {"macs", "MACs", "multiply-accumulates (padding positions of a convolution included)", d(macs.total())},
        {"macs_short_short", "MACs", "MACs with both operands in short (4-bit) codes", d(macs.short_short)},
        {"macs_short_long", "MACs", "MACs with one short and one long operand", d(macs.short_long)},
        {"macs_long_long", "MACs", "MACs with both operands in long (8-bit) codes", d(macs.long_long)},
        {"busy_pe_cycles", "PE-cycles", "PE-cycles spent on the PE's own step", d(busy_pe_cycles)},
        {"stalled_pe_cycles", "PE-cycles", "PE-cycles a PE between its first and last element waits (slower PE of its unit, an operand, FIFO room)", d(stalled_pe_cycles)},
        {"idle_pe_cycles", "PE-cycles", "PE-cycles with no work (skew, edge tiles, setup, drain)", d(idle_pe_cycles)},
        {"pe_utilisation", "ratio", "busy PE-cycles / (PEs x cycles)", pe_utilisation()},
        {"mac_utilisation", "ratio", "MACs / (peak MACs per cycle x cycles)", mac_utilisation()},
        {"weight_values_in", "values", "weight-side operand values entering the array", d(weight_values_in)},
        {"activation_values_in", "values", "activation-side operand values entering the array", d(activation_values_in)},
        {"decoder_values", "values", "values decoded by the edge decoders (0 with the codec off)", d(decoder_values)},
        {"decoder_nibbles", "nibbles", "nibbles consumed by the edge decoders", d(decoder_nibbles)},
        {"encoder_values", "values", "outputs encoded by the output encoders (0 with the codec off)", d(encoder_values)},
        {"encoder_nibbles", "nibbles", "nibbles produced by the output encoders", d(encoder_nibbles)},
        {"output_values", "values", "final output values leaving the array", d(output_values)},
    };
}

}  // namespace spark::pe_array
