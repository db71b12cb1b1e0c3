// SPDX-License-Identifier: Apache-2.0
// The sequencer: for each layer descriptor the controller hands it, it plans the layer (plan.h), plays the plan
// on the timeline (timeline.h) and carries out every step over the accelerator's sockets:
//   loads    the DMA engine reads the chunk table entries, checks them, and streams the chunks into a ping-pong
//            half of the weight or activation buffer (the buffer holds the tile as table + data);
//   tiles    a TileJob to the PE array, which reads its operands through the decoder banks and writes its
//            outputs through the encoder bank into the output buffer; or a VectorJob to the vector unit;
//   stores   the DMA engine streams a finished output block (data, then its table entries) to memory.
// Cycles come from the timeline; each module's own annotated delay is what it would tell any other initiator.
//
// Sockets: pe_array and vector_unit (initiators, to the two compute blocks). The DMA engine is the controller's
// and the sequencer's shared mover, called as the controller calls it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "spark/accelerator/datapath.h"
#include "spark/accelerator/plan.h"
#include "spark/controller/controller.h"

namespace spark::accelerator {

// Where a buffer sits on the local bus.
struct BufferWindow {
    std::uint64_t base = 0;
    std::uint64_t bytes = 0;
    bool double_buffered = true;
};
struct BufferLayout {
    BufferWindow weight, activation, output;
};

// The pin-level window: which array tiles also run through the clocked decoders, the cycle-level PE array and
// the clocked encoders (the modules must have their pin-level parts, see SparkAccelerator).
struct PinLevelWindow {
    bool enabled = false;
    std::uint32_t layer_id = 0;           // the descriptor's layer_id
    std::optional<std::uint64_t> tile;    // one tile of the layer (plan order), or every tile
    // The window's clocked decoders and encoders are built for the layer's modes.
    codec::Mode weight_mode = codec::Mode::signed_i8;
    codec::Mode activation_mode = codec::Mode::unsigned_u8;
    codec::Mode output_mode = codec::Mode::unsigned_u8;
};

// What the sequencer is about to run, for observers (a test that disturbs a buffer mid-run, a tracer).
struct TileEvent {
    std::uint32_t layer_id = 0;
    std::uint64_t index = 0;  // tile of the layer
    const TileStep* tile = nullptr;
    std::uint64_t weight_address = 0, activation_address = 0;  // the operands' places on the local bus
};

class Sequencer : public sc_core::sc_module, public controller::LayerExecutor {
public:
    tlm_utils::simple_initiator_socket<Sequencer> pe_array;
    tlm_utils::simple_initiator_socket<Sequencer> vector_unit;

    Sequencer(sc_core::sc_module_name name, const DatapathConfig& config, const BufferLayout& layout,
              const PinLevelWindow& window = {});

    std::uint32_t descriptor_bytes() const override { return LayerDescriptor::kBytes; }
    controller::LayerOutcome run_layer(const std::vector<std::uint8_t>& descriptor, std::uint64_t descriptor_address,
                                       dma::DmaEngine& dma, sc_core::sc_time& delay) override;

    const DatapathConfig& config() const { return m_config; }
    const BufferLayout& layout() const { return m_layout; }
    TileBudget budget(const LayerDescriptor& d) const;
    // Array tiles sent with the pin-level flag so far, and the replays they owe: both decoder banks and the array
    // for each, the encoder bank for each that finished a block (a block's earlier pieces have no encoder replay).
    std::uint64_t pin_level_tiles() const { return m_pin_level_tiles; }
    std::uint64_t pin_level_replays() const { return m_pin_level_replays; }

    // Called after every layer, in simulation context, before the controller advances time.
    std::function<void(const LayerRecord&)> on_layer_done;
    // Called before each tile job is sent.
    std::function<void(const TileEvent&)> on_tile;

private:
    class Steps;

    DatapathConfig m_config;
    BufferLayout m_layout;
    PinLevelWindow m_window;
    std::uint64_t m_pin_level_tiles = 0;
    std::uint64_t m_pin_level_replays = 0;
};

}  // namespace spark::accelerator
