// SPDX-License-Identifier: Apache-2.0
// A bank of SPARK decoders at one edge of the PE array (weights or activations): it reads a tile's encoded chunks
// from its buffer and delivers the decoded values to whoever asked (the PE array, the vector unit).
//
// Sockets:
//   values  target (any number of initiators): a READ of `length` bytes at `address` with a StreamRequest
//           extension returns the tile's values, chunk after chunk, in `data`. `address` is the tile's place in
//           the buffer, as the initiator's own bus sees the buffer (the bank forwards it unchanged). b_transport,
//           or nb_transport_fw completing at BEGIN_REQ.
//   buffer  initiator, to the buffer (through the local bus): the bank reads the tile's chunk table, then its data.
//
// A tile in a buffer (SPARK storage): `chunks` little-endian 32-bit chunk end offsets (chunk_table.h, relative to
// the first data byte), then the data; chunk i starts where chunk i - 1 ends. Raw storage: the values themselves.
//
// Timing: a chunk is one sequential stream of codes (no index, spec section 3), so it goes to one decoder; chunk i
// goes to decoder i mod `decoders`, each decoder consumes one nibble per cycle and presents a code's value one
// cycle after its last nibble (codec::Decoder's contract). The bank takes the busiest decoder's nibbles + 1
// cycles (reported in the extension). It decodes while it reads, so the annotated delay becomes the later of its
// buffer reads' completion and the call's delay + those cycles. Raw storage bypasses the decoders (no cycles).
//
// Pin-level window (optional: a pin_level_clock in the config): the bank gets `decoders` clocked
// codec::Decoder children (decoder_0, decoder_1, ...) on a GatedClock. A read whose StreamRequest has pin_level
// set is served as above and also replayed on them from pin_level_start: each decoder takes its chunks' nibbles
// from the buffer bytes, one beat per cycle without bubbles, and the replay checks that they deliver the same
// values in the cycles the timing rule gives (pin_level_checks()).
//
// Errors: no extension, a command other than READ, or a length that is not chunks x chunk_values ->
// TLM_GENERIC_ERROR_RESPONSE; the buffer's error response is passed on; a table or chunk that does not decode ->
// TLM_GENERIC_ERROR_RESPONSE with StreamRequest::error saying which chunk and why.
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
#include "spark/codec/decoder.h"
#include "spark/codec/nibble.h"
#include "spark/common/pin_level.h"

namespace spark::decoder_bank {

// What a read of decoded values needs besides address and length; the bank fills the second half.
struct StreamRequest : tlm::tlm_extension<StreamRequest> {
    std::uint64_t chunks = 0;
    std::uint64_t chunk_values = 0;
    codec::Mode mode = codec::Mode::signed_i8;
    bool spark = true;  // SPARK codes with a chunk table, else raw fixed-width values
    unsigned raw_bits = 8;  // raw: bits per value (codec::valid_raw_bits); chunks start on byte boundaries

    std::uint64_t encoded_bytes = 0;  // table and data bytes read from the buffer
    std::uint64_t nibbles = 0;        // code nibbles through the decoders
    std::uint64_t long_values = 0;
    std::uint64_t cycles = 0;         // the bank's busy cycles for this tile
    std::string error;
    std::uint64_t failed_chunk = 0;   // with an error: the tile's chunk that did not decode
    bool pin_level = false;           // also replay this read on the clocked decoders...
    sc_core::sc_time pin_level_start;  // ...from this time (absolute)

    tlm::tlm_extension_base* clone() const override { return new StreamRequest(*this); }
    void copy_from(const tlm::tlm_extension_base& other) override {
        *this = static_cast<const StreamRequest&>(other);
    }
};

struct DecoderBankConfig {
    unsigned decoders = 64;
    sc_core::sc_time clock_period = sc_core::sc_time(2, sc_core::SC_NS);
    // With a clock: the pin-level window's clocked decoders, built for operands of `pin_level_mode`.
    GatedClock* pin_level_clock = nullptr;
    codec::Mode pin_level_mode = codec::Mode::signed_i8;
};

struct DecoderBankStats {
    std::uint64_t tiles = 0;
    std::uint64_t values = 0;
    std::uint64_t long_values = 0;
    std::uint64_t nibbles = 0;
    std::uint64_t busy_cycles = 0;
    std::uint64_t errors = 0;
};

class DecoderBank : public sc_core::sc_module {
public:
    tlm_utils::multi_passthrough_target_socket<DecoderBank> values;
    tlm_utils::simple_initiator_socket<DecoderBank> buffer;

    DecoderBank(sc_core::sc_module_name name, const DecoderBankConfig& config);
    ~DecoderBank() override;

    const DecoderBankConfig& config() const { return m_config; }
    const DecoderBankStats& stats() const { return m_stats; }

    // The bank's cycles for chunks whose codes take `chunk_nibbles[i]` nibbles (the timing rule above).
    static std::uint64_t cycles(const std::vector<std::uint64_t>& chunk_nibbles, unsigned decoders);

    bool pin_level_enabled() const { return m_clock != nullptr; }
    // Adds every clocked decoder's ports (<decoder name>.nibble, .enable, .in_valid, .value, .out_valid).
    void trace(sc_core::sc_trace_file* tf) const override;
    const std::vector<PinLevelCheck>& pin_level_checks() const { return m_checks; }

private:
    struct Lane;
    struct Replay {
        sc_core::sc_time start;
        std::vector<std::vector<codec::Beat>> beats;        // per decoder, in order
        std::vector<std::vector<std::uint8_t>> values;      // what each decoder must deliver, in order
        std::uint64_t expected_cycles = 0;
        std::string what;
    };
    void schedule_replay(const StreamRequest& request, const std::vector<std::uint64_t>& ends,
                         const std::uint8_t* data, const std::uint8_t* values);
    void replay();

    void b_transport(int id, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
    // The non-blocking path: BEGIN_REQ is served at once as b_transport (TLM_COMPLETED, the same delay);
    // END_RESP is accepted; any other phase is a protocol error (TLM_COMPLETED with an error response).
    tlm::tlm_sync_enum nb_transport_fw(int id, tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase,
                                       sc_core::sc_time& delay);
    // Reads [address, address + length) of the buffer into `out`; false (status passed on) on an error response.
    bool read_buffer(tlm::tlm_generic_payload& trans, std::uint64_t address, std::uint8_t* out, std::uint64_t length,
                     sc_core::sc_time& delay);

    DecoderBankConfig m_config;
    DecoderBankStats m_stats;
    std::vector<std::uint8_t> m_encoded;
    std::vector<std::uint64_t> m_chunk_nibbles;
    GatedClock* m_clock = nullptr;
    std::vector<std::unique_ptr<Lane>> m_lanes;
    std::deque<Replay> m_replays;
    sc_core::sc_event m_replay_added;
    std::vector<PinLevelCheck> m_checks;
};

}  // namespace spark::decoder_bank
