// SPDX-License-Identifier: Apache-2.0
// spark-sim's pin-level window: which layer (or one tile of it) runs through the clocked decoders, the
// cycle-level PE array and the clocked encoders while every other layer runs in fast mode.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "spark/accelerator/sequencer.h"
#include "spark/common/pin_level.h"
#include "spark/platform/arch.h"
#include "spark/platform/program.h"
#include "spark/workload/network.h"

namespace spark::platform {

// The most MACs a window may hold: the cycle-level array visits every PE in every cycle, so a window of this
// size takes seconds; a bigger layer is run one tile at a time.
inline constexpr std::uint64_t kPinLevelMaxMacs = std::uint64_t{1} << 28;

struct PinLevelChoice {
    std::string layer;
    std::optional<std::uint64_t> tile;
};

// "LAYER" or "LAYER:TILE"; throws spark::Error naming the text.
PinLevelChoice parse_pin_level(const std::string& text);

// The window for `choice`, checked against the workload and the program built for `arch`: the layer exists
// and runs on the array, the tile is in range, the window holds at most `max_macs` MACs. Throws spark::Error
// saying which and what the limit is.
accelerator::PinLevelWindow resolve_pin_level(const PinLevelChoice& choice, const workload::Network& network,
                                              const Program& program, const ArchConfig& arch,
                                              std::uint64_t max_macs = kPinLevelMaxMacs);

// The layer descriptor the program holds at `index`.
accelerator::LayerDescriptor program_descriptor(const Program& program, std::uint32_t index);

}  // namespace spark::platform
