// SPDX-License-Identifier: Apache-2.0
// The fast model of the PE array: exact int32 results and exact cycle counts from the actual operand widths,
// without per-cycle events. This is the API the platform calls (no SystemC).
//
//   spark::pe_array::PeArray array(spark::pe_array::ArrayConfig::defaults_for(spark::pe::PeType::mixed_width));
//   auto layer = spark::pe_array::Layer::conv2d("conv1", 1, 56, 56, 64, 64, 3, 1, 1);
//   spark::pe_array::LayerResult r = array.run(layer, weights, activations);
//   r.output, r.stats.cycles, r.stats.table(), r.tiles / r.tile_timing (per-tile, to interleave DMA)
#pragma once

#include <memory>
#include <vector>

#include "spark/pe/pe.h"
#include "spark/pe_array/array_config.h"
#include "spark/pe_array/layer.h"
#include "spark/pe_array/prepared.h"
#include "spark/pe_array/stats.h"
#include "spark/pe_array/timing.h"

namespace spark::pe_array {

struct LayerResult {
    std::vector<std::uint8_t> output;         // requantised, raw bytes in layer.requant.output_mode; layer layout
    std::vector<std::int32_t> accumulators;   // layer.keep_accumulators: int32 sums before bias, same layout
    ArrayStats stats;
    std::vector<Tile> tiles;                  // in execution order
    std::vector<TileTiming> tile_timing;      // one per tile
};

class PeArray {
public:
    explicit PeArray(const ArrayConfig& cfg);

    const ArrayConfig& config() const { return m_cfg; }
    const pe::ProcessingElement& pe() const { return *m_pe; }

    // The steps of run(), for a caller that interleaves tiles with its own DMA.
    PreparedLayer prepare(const Layer& layer, ConstBytes weights, ConstBytes activations) const;
    std::vector<Tile> plan(const PreparedLayer& layer) const { return plan_tiles(m_cfg, layer); }
    TileTiming time(const PreparedLayer& layer, const Tile& tile) const { return time_tile(m_cfg, *m_pe, layer, tile); }
    // Exact int32 accumulators of the whole layer in the layer's output layout (before bias).
    std::vector<std::int32_t> accumulate(const PreparedLayer& layer) const;
    std::vector<std::uint8_t> requantise(const Layer& layer, const std::vector<std::int32_t>& acc) const;

    LayerResult run(const Layer& layer, ConstBytes weights, ConstBytes activations) const;

private:
    ArrayConfig m_cfg;
    std::unique_ptr<pe::ProcessingElement> m_pe;
};

inline LayerResult run_layer(const ArrayConfig& cfg, const Layer& layer, ConstBytes weights, ConstBytes activations) {
    return PeArray(cfg).run(layer, weights, activations);
}

}  // namespace spark::pe_array
