// SPDX-License-Identifier: Apache-2.0
// The PE array as a TLM-2.0 block: it takes tile jobs, reads its operands through the decoder banks at its two
// edges, computes with the fast model (pe_array.h: exact results and exact cycle counts) and writes its outputs
// through the encoder bank.
//
// Sockets:
//   jobs         target: a WRITE carrying a TileJob extension (the data is a 4-byte job word, ignored). The
//                decoders stream into the array as it computes: the annotated delay becomes the later of both
//                decoder reads and the call's delay + the tile's array cycles, then the encoder write's; the job's
//                results are returned in the extension.
//   weights      initiator, to the weight decoder bank: one READ with a StreamRequest for the tile's weights.
//   activations  initiator, to the activation decoder bank: one READ for the tile's activation rows.
//   outputs      initiator, to the encoder bank: one WRITE of the requantised outputs with an EncodeRequest.
// The operands the array computes on are the bytes the decoders read from the buffers, nothing else.
//
// Pin-level window (optional: a pin_level_clock at construction): a PeArrayCycleModel child (cycle_model) on a
// GatedClock. A job with pin_level set is served as above and also replayed on the cycle-level model from
// pin_level_start; its decoder reads and the encoder write carry the flag on (the encoders start when the array
// is done). The replay checks the cycle model's cycles and accumulators against the fast model's.
//
// Errors: no TileJob, not a WRITE -> TLM_GENERIC_ERROR_RESPONSE; a decoder or encoder error response is passed
// on with TileJob::fault saying which side; a tile the array refuses (pe_array::Layer::validate) ->
// TLM_GENERIC_ERROR_RESPONSE with fault = invalid_job. TileJob::error has the message.
#pragma once

#include <map>
#include <memory>

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "spark/decoder_bank/decoder_bank.h"
#include "spark/encoder_bank/encoder_bank.h"
#include "spark/common/pin_level.h"
#include "spark/pe_array/pe_array.h"
#include "spark/pe_array_sc/pe_array_sc.h"

namespace spark::pe_array {

// One operand of a tile: where its chunks sit (as the array's bus sees the buffer) and what they hold.
struct OperandRead {
    std::uint64_t address = 0;
    std::uint64_t chunks = 0;
    std::uint64_t chunk_values = 0;
    unsigned raw_bits = 8;  // raw storage: bits per value
};

struct TileJob : tlm::tlm_extension<TileJob> {
    Layer layer;        // the tile as the array runs it: geometry, operand modes, requantisation
    bool spark = true;  // operands and outputs in SPARK codes (else raw INT8 through bypassed decoders/encoders)
    OperandRead weights, activations;
    // A 'unit' PE array runs the tile at this precision (0: the array's own unit.bits); other PEs ignore it.
    unsigned precision_bits = 0;
    // The weight chunks hold [K][N] (matmul's B as stored): the array takes the operand by columns, [N][K].
    bool weights_by_rows = false;
    // Rows of zeros above and below the activation chunks (a convolution's vertical padding, made at the edge);
    // a row is one activation chunk.
    std::uint64_t zero_rows_above = 0, zero_rows_below = 0;
    bool pin_level = false;            // also replay the tile at pin level (decoders, cycle model, encoders)...
    sc_core::sc_time pin_level_start;  // ...from this time (absolute)
    std::uint64_t output_address = 0;
    encoder_bank::EncodeRequest output;  // the output block's fields (chunks, stride, offset, first, last, ...)

    enum class Fault { none, invalid_job, weights, activations, outputs };
    Fault fault = Fault::none;
    std::string error;
    ArrayStats stats;
    std::vector<TileTiming> tile_timing;
    decoder_bank::StreamRequest weight_stream, activation_stream;  // what the decoder banks reported

    tlm::tlm_extension_base* clone() const override { return new TileJob(*this); }
    void copy_from(const tlm::tlm_extension_base& other) override { *this = static_cast<const TileJob&>(other); }
};

class PeArrayModule : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<PeArrayModule> jobs;
    tlm_utils::simple_initiator_socket<PeArrayModule> weights;
    tlm_utils::simple_initiator_socket<PeArrayModule> activations;
    tlm_utils::simple_initiator_socket<PeArrayModule> outputs;

    // `config.codec_enabled` says whether the array has decoders and encoders at all; a job in SPARK codes on an
    // array without them is refused.
    PeArrayModule(sc_core::sc_module_name name, const ArrayConfig& config, sc_core::sc_time clock_period,
                  GatedClock* pin_level_clock = nullptr);

    const ArrayConfig& config() const { return m_spark.config(); }
    std::uint64_t jobs_done() const { return m_jobs_done; }

    bool pin_level_enabled() const { return m_clock != nullptr; }
    // Adds the cycle model's phase, tile, step, busy_pes and stall.
    void trace(sc_core::sc_trace_file* tf) const override;
    const std::vector<PinLevelCheck>& pin_level_checks() const { return m_checks; }

private:
    struct Replay {
        sc_core::sc_time start;
        CycleJob job;
        std::uint64_t expected_cycles = 0;
        std::vector<std::int32_t> expected_accumulators;
        std::string what;
    };
    void replay();

    void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
    // One read of decoded values; false with the job's fault set on an error.
    bool read_operand(tlm_utils::simple_initiator_socket<PeArrayModule>& socket, const OperandRead& operand,
                      codec::Mode mode, TileJob& job, TileJob::Fault side, decoder_bank::StreamRequest& stream,
                      std::vector<std::uint8_t>& values, std::uint64_t skip_values, std::uint64_t total_values,
                      tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);

    PeArray m_spark;  // with decoders and encoders (codec_enabled as configured)
    PeArray m_raw;    // the same array on raw INT8 operands (every operand 8-bit)
    // A 'unit' PE array at each precision a layer asked for (its lanes depend on the precision).
    std::map<unsigned, std::unique_ptr<PeArray>> m_units;
    const PeArray& array_for(const TileJob& job);
    sc_core::sc_time m_period;
    std::uint64_t m_jobs_done = 0;
    std::vector<std::uint8_t> m_weights, m_activations, m_transposed;
    GatedClock* m_clock = nullptr;
    std::unique_ptr<PeArrayCycleModel> m_cycle_model;
    std::deque<Replay> m_replays;
    sc_core::sc_event m_replay_added;
    std::vector<PinLevelCheck> m_checks;
};

}  // namespace spark::pe_array
