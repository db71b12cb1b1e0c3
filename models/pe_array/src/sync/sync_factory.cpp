// SPDX-License-Identifier: Apache-2.0
#include "synchroniser.h"

#include "spark/common/error.h"

namespace spark::pe_array::detail {

std::unique_ptr<Synchroniser> make_sync_array();
std::unique_ptr<Synchroniser> make_sync_row();
std::unique_ptr<Synchroniser> make_sync_column();
std::unique_ptr<Synchroniser> make_sync_elastic();

std::unique_ptr<Synchroniser> make_synchroniser(SyncMode mode) {
    switch (mode) {
        case SyncMode::array: return make_sync_array();
        case SyncMode::row: return make_sync_row();
        case SyncMode::column: return make_sync_column();
        case SyncMode::elastic: return make_sync_elastic();
    }
    throw Error("make_synchroniser: invalid sync mode");
}

}  // namespace spark::pe_array::detail
