// SPDX-License-Identifier: Apache-2.0
// The functional reference of a whole network: every tensor's codes as the accelerator must leave them in
// memory, computed layer by layer without tiling, DMA or chunking. With SPARK storage every stored tensor is
// replaced by what its code represents (spark::codec::approximate), exactly where the hardware's encoders sit;
// with raw storage narrower than 8 bits, by what its field keeps (spark::codec::raw_store).
#pragma once

#include "spark/platform/program.h"
#include "spark/workload/network.h"

namespace spark::platform {

// Row-major codes of every tensor (inputs, weights, layer outputs), in the workload's shapes.
TensorData golden_tensors(const workload::Network& network, const TensorData& data, bool spark_storage,
                          const StoragePlan& plan = {});

}  // namespace spark::platform
