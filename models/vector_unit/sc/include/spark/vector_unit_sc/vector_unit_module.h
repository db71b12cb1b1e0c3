// SPDX-License-Identifier: Apache-2.0
// The vector unit as a TLM-2.0 block: pooling, element-wise and layout layers (kernels.h) on values that arrive
// through the decoder banks and leave through the encoder bank.
//
// Sockets:
//   jobs    target: a WRITE carrying a VectorJob extension (the data is a 4-byte job word, ignored).
//   input   initiator, to the activation decoder bank: the first operand's chunks.
//   input2  initiator, to the weight decoder bank: the second operand's (add, concat).
//   output  initiator, to the encoder bank: the output chunks, one block.
//
// A job covers the whole layer, or part of it (plan.h): for pooling, a strip of one image's output rows with the
// input rows its windows read; for global_avg_pool, a block of one image's rows (the unit keeps a sum per channel
// until the image's last block, then writes its output chunk); for relu and add, a block of chunks. Timing: `lanes` output or input elements per cycle, whichever are more; the delay grows
// by that and the cycles are reported in the job.
//
// Errors -> an error response with VectorJob::error: no job, not a WRITE, a decoder or encoder error (passed on),
// a kernel that refuses the layer (shapes, opcode) or an output whose shape is not the descriptor's.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "spark/accelerator/descriptor.h"
#include "spark/decoder_bank/decoder_bank.h"
#include "spark/encoder_bank/encoder_bank.h"

namespace spark::vector_unit {

struct VectorOperand {
    std::uint64_t address = 0;      // the chunks' place in the buffer, as the unit's bus sees it
    std::uint64_t first_chunk = 0;  // which chunks of the tensor they are
    std::uint64_t chunks = 0;
};

struct VectorJob : tlm::tlm_extension<VectorJob> {
    accelerator::LayerDescriptor layer;  // opcode, window, permutation, axis; the tensors' shapes and quantisation
    bool spark = true;
    bool part = false;                   // a part of the layer (plan.h), not the whole of it
    VectorOperand input, input2;
    std::uint64_t output_first_chunk = 0, output_chunks = 0;
    std::uint64_t output_address = 0;
    encoder_bank::EncodeRequest output;

    enum class Fault { none, invalid_job, input, input2, output };
    Fault fault = Fault::none;
    std::string error;
    std::uint64_t cycles = 0;
    std::uint64_t elements = 0;  // output elements produced
    decoder_bank::StreamRequest input_stream, input2_stream;

    tlm::tlm_extension_base* clone() const override { return new VectorJob(*this); }
    void copy_from(const tlm::tlm_extension_base& other) override { *this = static_cast<const VectorJob&>(other); }
};

struct VectorUnitConfig {
    unsigned lanes = 32;
    sc_core::sc_time clock_period = sc_core::sc_time(2, sc_core::SC_NS);
};

class VectorUnitModule : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<VectorUnitModule> jobs;
    tlm_utils::simple_initiator_socket<VectorUnitModule> input;
    tlm_utils::simple_initiator_socket<VectorUnitModule> input2;
    tlm_utils::simple_initiator_socket<VectorUnitModule> output;

    VectorUnitModule(sc_core::sc_module_name name, const VectorUnitConfig& config);

    const VectorUnitConfig& config() const { return m_config; }

private:
    void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
    void run(VectorJob& job, sc_core::sc_time& delay);  // throws the job's fault
    // One strip of a pooling layer: its output rows from its input rows, nothing sized by the whole image.
    void run_pool_strip(VectorJob& job, std::vector<std::uint8_t> rows, sc_core::sc_time& delay, sc_core::sc_time in_time);
    // One block of an image's rows for global_avg_pool: sums per channel, the output chunk with the last block.
    void run_global_part(VectorJob& job, const std::vector<std::uint8_t>& rows, sc_core::sc_time& delay,
                         sc_core::sc_time in_time);
    // Writes the output block through the encoders, from `at`; returns when the write is done.
    sc_core::sc_time write_output(VectorJob& job, std::vector<std::uint8_t>& values, sc_core::sc_time at);
    std::vector<std::uint8_t> read(tlm_utils::simple_initiator_socket<VectorUnitModule>& socket,
                                   const accelerator::TensorDesc& t, const VectorOperand& operand, bool spark,
                                   decoder_bank::StreamRequest& stream, VectorJob::Fault side, sc_core::sc_time& delay);

    VectorUnitConfig m_config;
    std::vector<std::int64_t> m_channel_sums;  // global_avg_pool across the parts of an image
};

}  // namespace spark::vector_unit
