// SPDX-License-Identifier: Apache-2.0
// The host side of a run: turns a workload into what the accelerator's driver puts in memory (tensors in their
// chunked layouts, weights encoded offline, layer descriptors) and keeps the map from workload names to memory.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "spark/accelerator/descriptor.h"
#include "spark/workload/network.h"

namespace spark::platform {

// The codes of every tensor the host provides, row-major in the workload's own shapes: network inputs, weights
// (as the workload gives them, e.g. conv [OC, C/groups, KH, KW]) and the outputs of stand-in layers.
using TensorData = std::map<std::string, std::vector<std::uint8_t>>;

// Throws, naming the workload and the first layer past the limit, when the network's tensors (inputs, weights,
// every layer's output, one byte per value at least) cannot fit `capacity_bytes` of memory. Run it before
// load_tensor_data so that a shape too large for the memory is a workload error, not a failed host allocation.
void check_memory_footprint(const workload::Network& network, std::uint64_t capacity_bytes);

// Draws or reads every tensor the host provides (synthetic sources are generated; .npy sources are read and
// checked against the spec's shape and dtype).
TensorData load_tensor_data(const workload::Network& network);

// How a design other than SPARK stores and runs a network (the platform comparison): raw bits per value of each
// tensor and the precision each array layer runs at. Empty: every tensor in 8 bits, every layer at the array's own.
struct StoragePlan {
    std::map<std::string, unsigned> tensor_bits;      // by tensor name (inputs, weights, layer outputs)
    std::map<std::string, unsigned> layer_precision;  // by layer name
    unsigned bits(const std::string& tensor) const;
    unsigned precision(const std::string& layer) const;  // 0: the array's own
};

struct MemoryWrite {
    std::uint64_t address = 0;
    std::vector<std::uint8_t> bytes;
};

struct ProgramLayer {
    const workload::Layer* layer = nullptr;
    bool on_accelerator = false;    // false: a stand-in whose output the host preloads
    std::uint32_t descriptor = 0;   // index into the descriptor list when on_accelerator
    // The layer's weights as stored: values, and those the offline encoder approximated (0 with raw INT8).
    std::uint64_t weight_values = 0;
    std::uint64_t weight_approximated = 0;
};

struct Program {
    bool spark_storage = true;
    std::uint64_t descriptor_address = 0;
    std::uint32_t descriptor_count = 0;
    std::vector<MemoryWrite> image;                         // what the host writes before starting
    std::map<std::string, accelerator::TensorDesc> tensors; // every tensor by workload name
    std::vector<ProgramLayer> layers;                       // in workload order
    std::uint64_t end_address = 0;                          // first byte after everything placed
};

// Lays the network out from `base`; throws spark::Error naming the layer when a layer cannot be mapped (an
// input zero point the array cannot take, a layout conflict) or memory of `capacity_bytes` is too small.
// `plan` applies to raw storage only.
Program build_program(const workload::Network& network, const TensorData& data, bool spark_storage,
                      std::uint64_t base, std::uint64_t capacity_bytes, const StoragePlan& plan = {});

// Conv weights as the array takes them: [OC][KH][KW][C/groups] from the workload's [OC][C/groups][KH][KW].
std::vector<std::uint8_t> conv_weights_to_array_order(const workload::Layer& layer, const std::vector<std::uint8_t>& w);

}  // namespace spark::platform
