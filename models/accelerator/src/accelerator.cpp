// SPDX-License-Identifier: Apache-2.0
#include "spark/accelerator/accelerator.h"

namespace spark::accelerator {

namespace {

dma::DmaConfig clocked(dma::DmaConfig dma, const DatapathConfig& datapath) {
    dma.clock_period = datapath.clock_period();
    return dma;
}

buffer::SramConfig sized(buffer::SramConfig c, std::uint64_t bytes, bool double_buffered, double clock_mhz) {
    c.capacity_bytes = bytes;
    c.double_buffered = double_buffered;
    c.clock_mhz = clock_mhz;
    return c;
}

buffer::SramConfig weight_sram(const AcceleratorConfig& c) {
    return sized(c.weight_buffer, c.datapath.weight_buffer_bytes, c.datapath.weight_double_buffered,
                 c.datapath.clock_mhz);
}
buffer::SramConfig activation_sram(const AcceleratorConfig& c) {
    return sized(c.activation_buffer, c.datapath.activation_buffer_bytes, c.datapath.activation_double_buffered,
                 c.datapath.clock_mhz);
}
buffer::SramConfig output_sram(const AcceleratorConfig& c) {
    return sized(c.output_buffer, c.datapath.output_buffer_bytes, c.datapath.output_double_buffered,
                 c.datapath.clock_mhz);
}

interconnect::RouterConfig local_map(const DatapathConfig& d) {
    return {interconnect::AddressMap({{"weight_buffer", kWeightBufferBase, d.weight_buffer_bytes, 0, 0},
                                      {"activation_buffer", kActivationBufferBase, d.activation_buffer_bytes, 1, 0},
                                      {"output_buffer", kOutputBufferBase, d.output_buffer_bytes, 2, 0}}),
            sc_core::SC_ZERO_TIME};
}

BufferLayout layout(const DatapathConfig& d) {
    return {{kWeightBufferBase, d.weight_buffer_bytes, d.weight_double_buffered},
            {kActivationBufferBase, d.activation_buffer_bytes, d.activation_double_buffered},
            {kOutputBufferBase, d.output_buffer_bytes, d.output_double_buffered}};
}

}  // namespace

buffer::SramConfig AcceleratorConfig::default_buffer(const char* name) {
    buffer::SramConfig c;
    c.name = name;
    c.word_bits = 128;
    c.banks = 16;
    c.double_buffered = true;
    return c;
}

SparkAccelerator::SparkAccelerator(sc_core::sc_module_name name, const AcceleratorConfig& config)
    : sc_core::sc_module(name),
      csr("csr"),
      memory("memory"),
      irq("irq"),
      reset("reset"),
      m_config(config),
      m_pin_level_clock(config.pin_level.enabled
                            ? std::make_unique<GatedClock>("pin_level_clock", config.datapath.clock_period())
                            : nullptr),
      m_local_bus("local_bus", local_map(config.datapath)),
      m_weight_buffer("weight_buffer", weight_sram(config)),
      m_activation_buffer("activation_buffer", activation_sram(config)),
      m_output_buffer("output_buffer", output_sram(config)),
      m_weight_decoders("weight_decoders", {config.datapath.weight_decoders, config.datapath.clock_period(),
                                            m_pin_level_clock.get(), config.pin_level.weight_mode}),
      m_activation_decoders("activation_decoders",
                            {config.datapath.activation_decoders, config.datapath.clock_period(),
                             m_pin_level_clock.get(), config.pin_level.activation_mode}),
      m_encoders("encoders", {config.datapath.encoders, config.datapath.clock_period(), m_pin_level_clock.get(),
                              config.pin_level.output_mode}),
      m_pe_array("pe_array", config.datapath.array, config.datapath.clock_period(), m_pin_level_clock.get()),
      m_vector_unit("vector_unit", {config.datapath.vector_lanes, config.datapath.clock_period()}),
      m_sequencer("sequencer", config.datapath, layout(config.datapath), config.pin_level),
      m_dma("dma", clocked(config.dma, config.datapath)),
      m_controller("controller", m_dma, m_sequencer, config.datapath.clock_period(), config.csr_access_delay) {
    csr.bind(m_controller.csr);
    m_dma.memory.bind(memory);
    m_controller.irq.bind(irq);
    m_controller.reset.bind(reset);

    // The local bus: the DMA and the banks' buffer ports in, the three buffers out (in the map's target order).
    m_dma.local.bind(m_local_bus.target_socket);
    m_weight_decoders.buffer.bind(m_local_bus.target_socket);
    m_activation_decoders.buffer.bind(m_local_bus.target_socket);
    m_encoders.buffer.bind(m_local_bus.target_socket);
    m_local_bus.initiator_socket.bind(m_weight_buffer.socket);
    m_local_bus.initiator_socket.bind(m_activation_buffer.socket);
    m_local_bus.initiator_socket.bind(m_output_buffer.socket);

    // The compute blocks and the banks at their edges.
    m_sequencer.pe_array.bind(m_pe_array.jobs);
    m_sequencer.vector_unit.bind(m_vector_unit.jobs);
    m_pe_array.weights.bind(m_weight_decoders.values);
    m_pe_array.activations.bind(m_activation_decoders.values);
    m_pe_array.outputs.bind(m_encoders.values);
    m_vector_unit.input.bind(m_activation_decoders.values);
    m_vector_unit.input2.bind(m_weight_decoders.values);
    m_vector_unit.output.bind(m_encoders.values);
}

void SparkAccelerator::trace_pin_level(sc_core::sc_trace_file* tf) const {
    if (!m_pin_level_clock) return;
    sc_core::sc_trace(tf, m_pin_level_clock->clk, m_pin_level_clock->clk.name());
    m_weight_decoders.trace(tf);
    m_activation_decoders.trace(tf);
    m_pe_array.trace(tf);
    m_encoders.trace(tf);
}

std::vector<PinLevelCheck> SparkAccelerator::pin_level_checks() const {
    std::vector<PinLevelCheck> all;
    for (const auto* checks : {&m_weight_decoders.pin_level_checks(), &m_activation_decoders.pin_level_checks(),
                               &m_pe_array.pin_level_checks(), &m_encoders.pin_level_checks()})
        all.insert(all.end(), checks->begin(), checks->end());
    return all;
}

}  // namespace spark::accelerator
