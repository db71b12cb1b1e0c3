// SPDX-License-Identifier: Apache-2.0
// The SPARK accelerator as one SoC-ready block:
//   csr     TLM target, the register map of spark/controller/spark_accel_regs.h (relative addresses);
//   memory  TLM initiator, the DMA engine's port to system memory (descriptors, weights, activations);
//   irq     level interrupt, high while an enabled completion or error is pending; may be left unbound (a
//           driver that polls STATUS);
//   reset   active-high reset input, may be left unbound; SPARK_CTRL_RESET does the same from software.
//
// Inside, the hardware it models, every data link a TLM-2.0 socket (docs/accelerator.md draws it):
//
//   controller --(LayerExecutor)--> sequencer --pe_array-----------> pe_array
//       |                               \------vector_unit--------> vector_unit
//      dma --memory--> (out)                                        |  weights / activations / outputs
//       \--local--> local_bus --> weight_buffer                     v
//                       ^    \--> activation_buffer     weight_decoders, activation_decoders, encoders
//                       |     \-> output_buffer                     |
//                       +-------------------------------------------+ (the banks' buffer ports)
//
// No globals: any number of instances can share a simulation.
#pragma once

#include <memory>

#include <systemc>
#include <tlm>

#include "spark/accelerator/datapath.h"
#include "spark/accelerator/sequencer.h"
#include "spark/buffer/sram.h"
#include "spark/controller/controller.h"
#include "spark/decoder_bank/decoder_bank.h"
#include "spark/dma/dma_engine.h"
#include "spark/encoder_bank/encoder_bank.h"
#include "spark/interconnect/router.h"
#include "spark/pe_array_sc/pe_array_module.h"
#include "spark/vector_unit_sc/vector_unit_module.h"

namespace spark::accelerator {

// The local bus: each buffer in a 4 GiB window of its own.
inline constexpr std::uint64_t kWeightBufferBase = 0x0'0000'0000ull;
inline constexpr std::uint64_t kActivationBufferBase = 0x1'0000'0000ull;
inline constexpr std::uint64_t kOutputBufferBase = 0x2'0000'0000ull;

struct AcceleratorConfig {
    DatapathConfig datapath;
    dma::DmaConfig dma;
    // The buffers' geometry (words, banks, ports, latencies, energy). Capacity, halves and clock come from
    // `datapath`, which the tiling also reads.
    buffer::SramConfig weight_buffer = default_buffer("weight_buffer");
    buffer::SramConfig activation_buffer = default_buffer("activation_buffer");
    buffer::SramConfig output_buffer = default_buffer("output_buffer");
    sc_core::sc_time csr_access_delay = sc_core::sc_time(10, sc_core::SC_NS);
    // A pin-level window: the accelerator gets a gated clock, clocked decoders and encoders in its banks and a
    // cycle-level model in its PE array, used only for the window's tiles.
    PinLevelWindow pin_level;

    // 128-bit words in 16 banks: 256 bytes per cycle, more than a DRAM channel delivers.
    static buffer::SramConfig default_buffer(const char* name);
};

class SparkAccelerator : public sc_core::sc_module {
public:
    tlm::tlm_target_socket<> csr;
    tlm::tlm_initiator_socket<> memory;
    controller::OptionalOut irq;
    controller::OptionalIn reset;

    SparkAccelerator(sc_core::sc_module_name name, const AcceleratorConfig& config);

    Sequencer& sequencer() { return m_sequencer; }
    const controller::Controller& controller() const { return m_controller; }
    const dma::DmaEngine& dma() const { return m_dma; }
    buffer::Sram& weight_buffer() { return m_weight_buffer; }
    buffer::Sram& activation_buffer() { return m_activation_buffer; }
    buffer::Sram& output_buffer() { return m_output_buffer; }
    decoder_bank::DecoderBank& weight_decoders() { return m_weight_decoders; }
    decoder_bank::DecoderBank& activation_decoders() { return m_activation_decoders; }
    encoder_bank::EncoderBank& encoders() { return m_encoders; }
    pe_array::PeArrayModule& pe_array() { return m_pe_array; }
    vector_unit::VectorUnitModule& vector_unit() { return m_vector_unit; }
    interconnect::Router& local_bus() { return m_local_bus; }
    const AcceleratorConfig& config() const { return m_config; }

    // Pin-level window (config().pin_level): adds the gated clock, the clocked decoders and encoders and the
    // cycle model to a trace file (call during elaboration); every replay's check after the run.
    void trace_pin_level(sc_core::sc_trace_file* tf) const;
    std::vector<PinLevelCheck> pin_level_checks() const;

private:
    AcceleratorConfig m_config;
    std::unique_ptr<GatedClock> m_pin_level_clock;  // only with a pin-level window
    interconnect::Router m_local_bus;
    buffer::Sram m_weight_buffer, m_activation_buffer, m_output_buffer;
    decoder_bank::DecoderBank m_weight_decoders, m_activation_decoders;
    encoder_bank::EncoderBank m_encoders;
    pe_array::PeArrayModule m_pe_array;
    vector_unit::VectorUnitModule m_vector_unit;
    Sequencer m_sequencer;
    dma::DmaEngine m_dma;
    controller::Controller m_controller;
};

}  // namespace spark::accelerator
