// SPDX-License-Identifier: Apache-2.0
// sync = row: each PE row is a lock-step unit; rows exchange the values that flow down (weights when
// output-stationary, partial sums when weight-stationary) through FIFOs.
#include "synchroniser.h"

namespace spark::pe_array::detail {

class SyncRow final : public Synchroniser {
public:
    SyncMode mode() const override { return SyncMode::row; }
    ComputeTiming time(const StepTable& table, const TileView& t, unsigned fifo_depth) const override {
        return time_units(SyncShape::of(SyncMode::row, t.tile.rows, t.tile.cols, t.stream), table, t, fifo_depth);
    }
};

std::unique_ptr<Synchroniser> make_sync_row() { return std::make_unique<SyncRow>(); }

}  // namespace spark::pe_array::detail
