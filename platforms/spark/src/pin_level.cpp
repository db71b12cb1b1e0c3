// SPDX-License-Identifier: Apache-2.0
#include "spark/platform/pin_level.h"

#include <fmt/format.h>

#include "spark/accelerator/plan.h"
#include "spark/common/error.h"

namespace spark::platform {

PinLevelChoice parse_pin_level(const std::string& text) {
    PinLevelChoice c;
    const auto colon = text.rfind(':');
    c.layer = text.substr(0, colon);
    if (c.layer.empty()) throw Error(fmt::format("--pin-level '{}': a layer name is needed", text));
    if (colon != std::string::npos) {
        const std::string tile = text.substr(colon + 1);
        std::size_t used = 0;
        unsigned long long value = 0;
        try {
            value = std::stoull(tile, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (tile.empty() || used != tile.size() || tile[0] == '-')
            throw Error(fmt::format("--pin-level '{}': the tile '{}' is not a number", text, tile));
        c.tile = value;
    }
    return c;
}

accelerator::LayerDescriptor program_descriptor(const Program& program, std::uint32_t index) {
    const std::uint64_t address = program.descriptor_address + std::uint64_t{index} * accelerator::LayerDescriptor::kBytes;
    for (const MemoryWrite& w : program.image)
        if (address >= w.address && address - w.address + accelerator::LayerDescriptor::kBytes <= w.bytes.size())
            return accelerator::LayerDescriptor::decode(w.bytes.data() + (address - w.address),
                                                        accelerator::LayerDescriptor::kBytes);
    throw Error(fmt::format("the program holds no descriptor {}", index));
}

accelerator::PinLevelWindow resolve_pin_level(const PinLevelChoice& choice, const workload::Network& network,
                                              const Program& program, const ArchConfig& arch, std::uint64_t max_macs) {
    const ProgramLayer* found = nullptr;
    for (const ProgramLayer& pl : program.layers)
        if (pl.layer->name == choice.layer) found = &pl;
    if (!found) throw Error(fmt::format("--pin-level: {} has no layer '{}'", network.source, choice.layer));
    if (!found->on_accelerator)
        throw Error(fmt::format("--pin-level: layer '{}' is a stand-in the accelerator does not run", choice.layer));
    const accelerator::LayerDescriptor d = program_descriptor(program, found->descriptor);
    if (!accelerator::runs_on_array(d.opcode))
        throw Error(fmt::format("--pin-level: layer '{}' ({}) runs on the vector unit; a pin-level window covers "
                                "layers on the PE array (conv2d, linear, matmul)",
                                choice.layer, accelerator::to_string(d.opcode)));
    const accelerator::DatapathConfig& dp = arch.accelerator.datapath;
    const accelerator::TileBudget budget{dp.weight_tile_bytes(),   dp.activation_tile_bytes(),  dp.output_tile_bytes(),
                                         dp.weight_buffer_bytes,   dp.activation_buffer_bytes, dp.output_buffer_bytes};
    const accelerator::LayerPlan plan = accelerator::plan_layer(d, budget);
    const std::uint64_t tiles = plan.tiles.size();
    if (choice.tile && *choice.tile >= tiles)
        throw Error(fmt::format("--pin-level: layer '{}' has {} tile(s), 0..{}; tile {} does not exist", choice.layer,
                                tiles, tiles - 1, *choice.tile));
    std::uint64_t macs = 0;
    for (std::uint64_t t = 0; t < tiles; ++t)
        if (!choice.tile || *choice.tile == t) macs += plan.tiles[t].layer.macs();
    if (macs > max_macs)
        throw Error(fmt::format("--pin-level: {} holds {} MACs; a pin-level window holds at most {} "
                                "(the cycle-level array visits every PE every cycle){}",
                                choice.tile ? fmt::format("tile {} of layer '{}'", *choice.tile, choice.layer)
                                            : fmt::format("layer '{}' as a whole", choice.layer),
                                macs, max_macs,
                                choice.tile ? std::string() : fmt::format(": pick one of its {} tiles, '{}:0'..'{}:{}'",
                                                                          tiles, choice.layer, choice.layer, tiles - 1)));
    accelerator::PinLevelWindow w;
    w.enabled = true;
    w.layer_id = d.layer_id;
    w.tile = choice.tile;
    const accelerator::TensorDesc& b = d.opcode == accelerator::Opcode::conv2d || d.opcode == accelerator::Opcode::linear
                                           ? d.weights
                                           : d.input2;
    auto mode = [](const accelerator::TensorDesc& t) {
        return t.is_signed ? codec::Mode::signed_i8 : codec::Mode::unsigned_u8;
    };
    w.weight_mode = mode(b);
    w.activation_mode = mode(d.input);
    w.output_mode = mode(d.output);
    return w;
}

}  // namespace spark::platform
