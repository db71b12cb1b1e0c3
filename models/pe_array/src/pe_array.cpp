// SPDX-License-Identifier: Apache-2.0
#include "spark/pe_array/pe_array.h"

#include "spark/pe/factory.h"
#include "spark/pe_array/gemm_kernel.h"

namespace spark::pe_array {

PeArray::PeArray(const ArrayConfig& cfg) : m_cfg(cfg) {
    m_cfg.validate();
    m_pe = pe::make_pe(m_cfg.pe_type, m_cfg.unit);
}

PreparedLayer PeArray::prepare(const Layer& layer, ConstBytes weights, ConstBytes activations) const {
    return prepare_layer(layer, weights, activations, m_pe->lanes(), m_cfg.codec_enabled);
}

std::vector<std::int32_t> PeArray::accumulate(const PreparedLayer& p) const {
    const Layer& l = p.layer;
    std::vector<std::int32_t> acc(l.output_count(), 0);
    for (std::size_t g = 0; g < p.instances.size(); ++g) {
        const GemmInstance& inst = p.instances[g];
        // Where instance g's [m][n] lands in the output layout.
        std::size_t base = 0, ldc = inst.n;
        if (l.kind == LayerKind::conv2d) {
            base = g * inst.n;
            ldc = static_cast<std::size_t>(l.out_c);
        } else {
            base = g * inst.m * inst.n;
        }
        gemm_i16(inst.a_value.data(), inst.w_value.data(), inst.m, inst.n, inst.k_padded, acc.data() + base, ldc);
    }
    if (m_cfg.fault && m_cfg.fault->accumulator < acc.size()) {
        auto& a = acc[static_cast<std::size_t>(m_cfg.fault->accumulator)];
        a = static_cast<std::int32_t>(static_cast<std::uint32_t>(a) ^ (std::uint32_t{1} << m_cfg.fault->bit));
    }
    return acc;
}

std::vector<std::uint8_t> PeArray::requantise(const Layer& layer, const std::vector<std::int32_t>& acc) const {
    std::vector<std::uint8_t> out(acc.size());
    const auto channels = static_cast<std::size_t>(layer.output_channels());
    for (std::size_t i = 0; i < acc.size(); ++i) out[i] = layer.requant.apply(acc[i], i % channels);
    return out;
}

LayerResult PeArray::run(const Layer& layer, ConstBytes weights, ConstBytes activations) const {
    const PreparedLayer p = prepare(layer, weights, activations);
    LayerResult r;
    std::vector<std::int32_t> acc = accumulate(p);
    r.output = requantise(layer, acc);
    if (layer.keep_accumulators) r.accumulators = std::move(acc);

    r.stats.pe_count = std::uint64_t{m_cfg.rows} * m_cfg.cols;
    r.stats.peak_macs_per_cycle = r.stats.pe_count * m_pe->lanes() / m_pe->step_cycles(false, false);
    r.tiles = plan(p);
    r.tile_timing.reserve(r.tiles.size());
    for (const Tile& t : r.tiles) {
        r.tile_timing.push_back(time(p, t));
        r.stats.add_tile(r.tile_timing.back(), m_cfg.codec_enabled);
    }
    for (const GemmInstance& inst : p.instances) r.stats.macs += inst.macs;
    r.stats.output_values = r.output.size();
    if (m_cfg.codec_enabled) {
        r.stats.encoder_values = r.output.size();
        for (std::uint8_t v : r.output)
            r.stats.encoder_nibbles += codec::is_short(v, layer.requant.output_mode) ? 1 : 2;
    }
    return r;
}

}  // namespace spark::pe_array
