// SPDX-License-Identifier: Apache-2.0
// sync = column: each PE column is a lock-step unit; columns exchange the activations that flow right
// (in both dataflows) through FIFOs.
#include "synchroniser.h"

namespace spark::pe_array::detail {

class SyncColumn final : public Synchroniser {
public:
    SyncMode mode() const override { return SyncMode::column; }
    ComputeTiming time(const StepTable& table, const TileView& t, unsigned fifo_depth) const override {
        return time_units(SyncShape::of(SyncMode::column, t.tile.rows, t.tile.cols, t.stream), table, t, fifo_depth);
    }
};

std::unique_ptr<Synchroniser> make_sync_column() { return std::make_unique<SyncColumn>(); }

}  // namespace spark::pe_array::detail
