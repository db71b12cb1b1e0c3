// SPDX-License-Identifier: Apache-2.0
// sync = elastic: every PE is its own unit, with FIFOs on the edges to its neighbours: it starts a
// step when both inputs hold its element and releases it when both outputs have room.
#include "synchroniser.h"

namespace spark::pe_array::detail {

class SyncElastic final : public Synchroniser {
public:
    SyncMode mode() const override { return SyncMode::elastic; }
    ComputeTiming time(const StepTable& table, const TileView& t, unsigned fifo_depth) const override {
        return time_units(SyncShape::of(SyncMode::elastic, t.tile.rows, t.tile.cols, t.stream), table, t, fifo_depth);
    }
};

std::unique_ptr<Synchroniser> make_sync_elastic() { return std::make_unique<SyncElastic>(); }

}  // namespace spark::pe_array::detail
