// SPDX-License-Identifier: Apache-2.0
// A bank of SPARK encoders between the producers of output values (the PE array's output edge, the vector unit)
// and the output buffer. A block of output chunks arrives in pieces and leaves encoded, chunk by chunk.
//
// Sockets:
//   values  target (any number of initiators): a WRITE of `length` raw values with an EncodeRequest extension.
//           The values are `positions` x `cols`; position p goes to block values [p * stride + offset,
//           p * stride + offset + cols). With `last` set the block is complete: the bank encodes its chunks and
//           writes them to the buffer at `address` (as the initiator's bus sees the buffer). b_transport, or
//           nb_transport_fw completing at BEGIN_REQ.
//   buffer  initiator, to the buffer (through the local bus).
//
// Why the bank assembles: a chunk (one output row, all channels; or one matrix row) is a single SPARK stream with
// the channels innermost, and an array tile produces only some of the channels when the weights do not fit the
// weight buffer at once. The bank keeps the block's raw values until its last tile (its staging is sized like an
// output-buffer half and counted as output-buffer traffic), then encodes.
//
// A block in the buffer (SPARK storage): `chunks` chunk-table entries (chunk_table.h) holding
// `table_base` + the chunk's end, i.e. offsets in the tensor's data as they go to memory, then the data. Raw
// storage: the values. The DMA copies both to memory without touching them.
//
// Timing: the block's values are split into `encoders` runs of equal length (the last may be shorter), one per
// encoder, and a packer joins their codes chunk by chunk (a code's length is known once it is made, so unlike
// decoding, encoding a chunk need not be sequential). An encoder emits one nibble per cycle, its first one cycle
// after the value (codec::Encoder's contract). The last write of a block takes the busiest encoder's nibbles + 1
// cycles (reported in the extension); the annotated delay becomes the later of the buffer write's completion and
// the call's delay + those cycles. Raw storage bypasses the encoders.
//
// Pin-level window (optional: a pin_level_clock in the config): `encoders` clocked codec::Encoder children
// (encoder_0, ...) on a GatedClock. A block's last write with pin_level set is served as above and also replayed
// on them from pin_level_start: each encoder takes its chunks' values as fast as in_ready allows, and the replay
// checks that the nibbles it emits are the codes written to the buffer, in the cycles the timing rule gives.
//
// Errors -> TLM_GENERIC_ERROR_RESPONSE with EncodeRequest::error: no extension, not a WRITE, a piece that does
// not fit the block, a chunk end past the table's 32-bit range; the buffer's error response is passed on.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_target_socket.h>
#include <tlm_utils/simple_initiator_socket.h>

#include "spark/codec/codec.h"
#include "spark/codec/encoder.h"
#include "spark/codec/nibble.h"
#include "spark/common/pin_level.h"

namespace spark::encoder_bank {

struct EncodeRequest : tlm::tlm_extension<EncodeRequest> {
    std::uint64_t chunks = 0;        // the block's chunks and values per chunk
    std::uint64_t chunk_values = 0;
    std::uint64_t stride = 0;        // block values per position
    std::uint64_t offset = 0;        // where this piece's first column goes in a position
    std::uint64_t cols = 0;          // values per position in this piece
    bool first = true;               // the block's first piece: the staging starts empty (zeros)
    bool last = true;                // the block's last piece: encode and write
    codec::Mode mode = codec::Mode::signed_i8;
    bool spark = true;
    unsigned raw_bits = 8;           // raw: bits per value (codec::valid_raw_bits), each chunk from a byte boundary
    std::uint64_t table_base = 0;    // SPARK: the block's first data byte in the tensor's data

    // Filled by the last write of a block.
    std::uint64_t data_bytes = 0;
    std::uint64_t table_bytes = 0;
    std::uint64_t nibbles = 0;
    std::uint64_t approximated = 0;  // values the SPARK code changed
    std::uint64_t cycles = 0;
    std::string error;
    bool pin_level = false;            // also replay the block on the clocked encoders...
    sc_core::sc_time pin_level_start;  // ...from this time (absolute)

    tlm::tlm_extension_base* clone() const override { return new EncodeRequest(*this); }
    void copy_from(const tlm::tlm_extension_base& other) override {
        *this = static_cast<const EncodeRequest&>(other);
    }
};

struct EncoderBankConfig {
    unsigned encoders = 64;
    sc_core::sc_time clock_period = sc_core::sc_time(2, sc_core::SC_NS);
    // With a clock: the pin-level window's clocked encoders, built for outputs of `pin_level_mode`.
    GatedClock* pin_level_clock = nullptr;
    codec::Mode pin_level_mode = codec::Mode::unsigned_u8;
};

struct EncoderBankStats {
    std::uint64_t blocks = 0;
    std::uint64_t values = 0;
    std::uint64_t nibbles = 0;
    std::uint64_t approximated = 0;
    std::uint64_t busy_cycles = 0;
    std::uint64_t errors = 0;
};

class EncoderBank : public sc_core::sc_module {
public:
    tlm_utils::multi_passthrough_target_socket<EncoderBank> values;
    tlm_utils::simple_initiator_socket<EncoderBank> buffer;

    EncoderBank(sc_core::sc_module_name name, const EncoderBankConfig& config);
    ~EncoderBank() override;

    const EncoderBankConfig& config() const { return m_config; }
    const EncoderBankStats& stats() const { return m_stats; }

    // The bank's cycles for a block of `n` values (the timing rule above).
    static std::uint64_t cycles(const std::uint8_t* values, std::uint64_t n, codec::Mode mode, unsigned encoders);
    // The values each encoder takes: runs of this many, in block order.
    static std::uint64_t run_values(std::uint64_t n, unsigned encoders) { return (n + encoders - 1) / encoders; }

    bool pin_level_enabled() const { return m_clock != nullptr; }
    // Adds every clocked encoder's ports (<encoder name>.in_value, .in_valid, .in_ready, .nibble, ...).
    void trace(sc_core::sc_trace_file* tf) const override;
    const std::vector<PinLevelCheck>& pin_level_checks() const { return m_checks; }

private:
    struct Lane;
    struct Replay {
        sc_core::sc_time start;
        std::vector<std::vector<std::uint8_t>> values;  // per encoder, in order
        std::vector<std::vector<codec::Beat>> beats;     // what each encoder must emit, in order
        std::uint64_t expected_cycles = 0;
        std::string what;
    };
    void replay();

    void b_transport(int id, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
    // The non-blocking path: BEGIN_REQ is served at once as b_transport (TLM_COMPLETED, the same delay);
    // END_RESP is accepted; any other phase is a protocol error (TLM_COMPLETED with an error response).
    tlm::tlm_sync_enum nb_transport_fw(int id, tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase,
                                       sc_core::sc_time& delay);
    bool write_buffer(tlm::tlm_generic_payload& trans, std::uint64_t address, std::uint8_t* data,
                      std::uint64_t length, sc_core::sc_time& delay);

    EncoderBankConfig m_config;
    EncoderBankStats m_stats;
    std::vector<std::uint8_t> m_block;     // raw values of the block being assembled
    std::vector<std::uint8_t> m_encoded;   // table and data of the finished block
    GatedClock* m_clock = nullptr;
    std::vector<std::unique_ptr<Lane>> m_lanes;
    std::deque<Replay> m_replays;
    sc_core::sc_event m_replay_added;
    std::vector<PinLevelCheck> m_checks;
};

}  // namespace spark::encoder_bank
