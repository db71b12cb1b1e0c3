// SPDX-License-Identifier: Apache-2.0
#include "spark/encoder_bank/encoder_bank.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "spark/accelerator/chunk_table.h"
#include "spark/codec/chunked.h"
#include "spark/codec/encoder.h"
#include "spark/codec/stats.h"
#include "spark/codec/stream.h"
#include "spark/common/error.h"
#include "spark/common/tlm_access.h"

namespace spark::encoder_bank {

namespace table = accelerator::chunk_table;

// One clocked encoder and the signals the bank drives it with.
struct EncoderBank::Lane {
    sc_core::sc_signal<sc_dt::sc_uint<8>> in_value;
    sc_core::sc_signal<bool> in_valid, in_ready, enable, out_valid;
    sc_core::sc_signal<sc_dt::sc_uint<4>> nibble;
    codec::Encoder encoder;

    Lane(const std::string& name, codec::Mode mode, const sc_core::sc_time& period, GatedClock& clock)
        : in_value((name + "_in_value").c_str()),
          in_valid((name + "_in_valid").c_str()),
          in_ready((name + "_in_ready").c_str()),
          enable((name + "_enable").c_str()),
          out_valid((name + "_out_valid").c_str()),
          nibble((name + "_nibble").c_str()),
          encoder(name.c_str(), mode, period) {
        encoder.clk.bind(clock.clk);
        encoder.in_value.bind(in_value);
        encoder.in_valid.bind(in_valid);
        encoder.in_ready.bind(in_ready);
        encoder.nibble.bind(nibble);
        encoder.enable.bind(enable);
        encoder.out_valid.bind(out_valid);
    }
};

EncoderBank::EncoderBank(sc_core::sc_module_name name, const EncoderBankConfig& config)
    : sc_core::sc_module(name), values("values"), buffer("buffer"), m_config(config) {
    if (m_config.encoders == 0) throw Error(fmt::format("{}: encoders must be positive", this->name()));
    values.register_b_transport(this, &EncoderBank::b_transport);
    values.register_nb_transport_fw(this, &EncoderBank::nb_transport_fw);
    if (GatedClock* clock = m_config.pin_level_clock) {
        m_clock = clock;
        for (unsigned e = 0; e < m_config.encoders; ++e)
            m_lanes.push_back(std::make_unique<Lane>(fmt::format("encoder_{}", e), m_config.pin_level_mode,
                                                     m_config.clock_period, *clock));
        SC_HAS_PROCESS(EncoderBank);
        SC_THREAD(replay);
    }
}

EncoderBank::~EncoderBank() = default;

void EncoderBank::trace(sc_core::sc_trace_file* tf) const {
    for (const auto& lane : m_lanes) lane->encoder.trace(tf);
}

void EncoderBank::replay() {
    for (;;) {
        while (m_replays.empty()) wait(m_replay_added);
        const Replay r = std::move(m_replays.front());
        m_replays.pop_front();
        if (r.start > sc_core::sc_time_stamp()) wait(r.start - sc_core::sc_time_stamp());
        PinLevelCheck check;
        check.what = r.what;
        check.expected_cycles = r.expected_cycles;
        const std::size_t lanes = m_lanes.size();
        std::vector<std::size_t> next_value(lanes, 0), next_beat(lanes, 0);
        std::size_t remaining = 0;
        for (const auto& b : r.beats) remaining += b.size();
        const std::uint64_t limit = 4 * r.expected_cycles + 16;
        std::uint64_t last = 0;
        // Cycle k: outputs (in_ready, nibbles) visible one delta after edge k; inputs sampled at edge k + 1.
        for (std::uint64_t cycle = 0; remaining > 0 && cycle < limit; ++cycle) {
            wait(m_clock->clk.posedge_event());
            wait(sc_core::SC_ZERO_TIME);
            for (std::size_t e = 0; e < lanes; ++e) {
                Lane& lane = *m_lanes[e];
                if (lane.out_valid.read()) {
                    const codec::Beat got{static_cast<std::uint8_t>(lane.nibble.read().to_uint()), lane.enable.read()};
                    const std::size_t i = next_beat[e]++;
                    if (i >= r.beats[e].size() || !(r.beats[e][i] == got)) {
                        if (check.values_match)
                            check.detail = fmt::format("encoder_{} nibble {}: 0x{:X} (enable {}) from the clocked encoder",
                                                       e, i, got.nibble, got.enable);
                        check.values_match = false;
                    }
                    if (remaining > 0) --remaining;
                    last = cycle;
                }
                const bool more = next_value[e] < r.values[e].size() && lane.in_ready.read();
                if (more) lane.in_value.write(r.values[e][next_value[e]++]);
                lane.in_valid.write(more);
            }
        }
        // One idle cycle, so that every encoder's out_valid is low again before the clock stops.
        for (auto& lane : m_lanes) lane->in_valid.write(false);
        wait(m_clock->clk.posedge_event());
        std::size_t total = 0;
        for (const auto& b : r.beats) total += b.size();
        check.cycles = remaining == 0 && total > 0 ? last + 1 : 0;
        if (remaining > 0) {
            check.values_match = false;
            check.detail = fmt::format("{} nibbles never came out", remaining);
        }
        m_checks.push_back(check);
        m_clock->release();
    }
}

std::uint64_t EncoderBank::cycles(const std::uint8_t* values, std::uint64_t n, codec::Mode mode, unsigned encoders) {
    const std::uint64_t run = run_values(n, encoders);
    std::uint64_t busiest = 0;
    for (std::uint64_t first = 0; first < n; first += run)
        busiest = std::max(busiest, codec::encoded_nibbles(values + first, std::min(run, n - first), mode));
    return codec::Encoder::tensor_cycles(busiest);
}

bool EncoderBank::write_buffer(tlm::tlm_generic_payload& trans, std::uint64_t address, std::uint8_t* data,
                               std::uint64_t length, sc_core::sc_time& delay) {
    if (length == 0) return true;
    const tlm::tlm_response_status status =
        tlm_access(buffer, tlm::TLM_WRITE_COMMAND, address, data, static_cast<unsigned>(length), delay);
    if (!is_error(status)) return true;
    ++m_stats.errors;
    trans.set_response_status(status);
    return false;
}

tlm::tlm_sync_enum EncoderBank::nb_transport_fw(int id, tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase,
                                             sc_core::sc_time& delay) {
    return complete_at_begin_req(trans, phase, [&] { b_transport(id, trans, delay); });
}

void EncoderBank::b_transport(int, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
    EncodeRequest* request = nullptr;
    trans.get_extension(request);
    auto fail = [&](std::string message) {
        ++m_stats.errors;
        if (request) request->error = fmt::format("{}: {}", name(), message);
        trans.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
    };
    if (!request) return fail("a write without an EncodeRequest extension");
    if (trans.get_command() != tlm::TLM_WRITE_COMMAND) return fail("only writes take values to encode");
    const char* why = nullptr;
    if (const tlm::tlm_response_status refused = unsupported_form(trans, why); refused != tlm::TLM_OK_RESPONSE) {
        fail(why);
        return trans.set_response_status(refused);
    }
    // The block's size comes from the initiator: bound it before the staging is sized from it (no block holds
    // more values than the 32-bit chunk table can address).
    if (request->chunk_values != 0 && request->chunks > table::kMaxEnd / request->chunk_values)
        return fail(fmt::format("a block of {} chunks of {} values is larger than a chunk table addresses",
                                request->chunks, request->chunk_values));
    request->error.clear();
    const std::uint64_t block_values = request->chunks * request->chunk_values;
    const std::uint64_t length = trans.get_data_length();
    if (request->cols == 0 || length % request->cols != 0 || (length > 0 && trans.get_data_ptr() == nullptr))
        return fail(fmt::format("{} values are not whole positions of {}", length, request->cols));
    const std::uint64_t positions = length / request->cols;
    if (request->offset + request->cols > request->stride ||
        (positions > 0 && (positions - 1) * request->stride + request->offset + request->cols > block_values))
        return fail(fmt::format("{} positions of {} values at offset {} (stride {}) do not fit a block of {} values",
                                positions, request->cols, request->offset, request->stride, block_values));
    if (request->first) m_block.assign(block_values, 0);
    if (m_block.size() != block_values) return fail("a piece of a block that was never started");
    const std::uint8_t* in = trans.get_data_ptr();
    for (std::uint64_t p = 0; p < positions; ++p)
        std::memcpy(m_block.data() + p * request->stride + request->offset, in + p * request->cols, request->cols);
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
    if (!request->last) return;

    if (request->pin_level && m_clock && request->spark && request->mode != m_config.pin_level_mode)
        return fail("a pin-level block in another mode than the window's encoders were built for");
    sc_core::sc_time at = delay;
    const std::uint64_t address = trans.get_address();
    request->nibbles = request->approximated = request->cycles = 0;
    if (!request->spark) {
        if (!codec::valid_raw_bits(request->raw_bits))
            return fail(fmt::format("raw values of {} bits (2..8 or 16 expected)", request->raw_bits));
        request->table_bytes = 0;
        if (request->raw_bits == 8) {
            request->data_bytes = block_values;
            if (!write_buffer(trans, address, m_block.data(), block_values, at)) return;
        } else {
            // Narrowed (or widened) to fixed-width fields, each chunk from a byte boundary; no encoder at work.
            const std::uint64_t chunk_bytes = codec::raw_chunk_bytes(request->chunk_values, request->raw_bits);
            m_encoded.assign(request->chunks * chunk_bytes, 0);
            for (std::uint64_t c = 0; c < request->chunks; ++c)
                codec::pack_raw(m_block.data() + c * request->chunk_values, request->chunk_values, request->mode,
                                request->raw_bits, m_encoded.data() + c * chunk_bytes);
            request->data_bytes = m_encoded.size();
            if (!write_buffer(trans, address, m_encoded.data(), m_encoded.size(), at)) return;
        }
    } else {
        const std::uint64_t table_bytes = table::bytes(request->chunks);
        m_encoded.assign(table_bytes, 0);
        codec::EncodedStream s;
        for (std::uint64_t c = 0; c < request->chunks; ++c) {
            s.bytes.clear();
            s.nibbles = 0;
            s.values = 0;
            codec::pack(m_block.data() + c * request->chunk_values, request->chunk_values, request->mode, s);
            m_encoded.insert(m_encoded.end(), s.bytes.begin(), s.bytes.end());
            request->nibbles += s.nibbles;
            try {
                table::put(m_encoded.data(), c, request->table_base + (m_encoded.size() - table_bytes));
            } catch (const Error& e) {
                return fail(e.what());
            }
        }
        request->approximated = codec::measure(m_block.data(), block_values, request->mode).approximated;
        request->table_bytes = table_bytes;
        request->data_bytes = m_encoded.size() - table_bytes;
        request->cycles = cycles(m_block.data(), block_values, request->mode, m_config.encoders);
        if (!write_buffer(trans, address, m_encoded.data(), m_encoded.size(), at)) return;
        if (request->pin_level && m_clock) {
            Replay r;
            r.start = request->pin_level_start;
            r.expected_cycles = request->cycles;
            r.what = fmt::format("{}: {} chunks of {} values", name(), request->chunks, request->chunk_values);
            r.values.resize(m_lanes.size());
            r.beats.resize(m_lanes.size());
            const std::uint64_t run = run_values(block_values, m_config.encoders);
            for (std::uint64_t i = 0; i < block_values; ++i) {
                const std::size_t lane = static_cast<std::size_t>(i / run);
                r.values[lane].push_back(m_block[i]);
                const codec::Beats b = codec::to_beats(codec::encode(m_block[i], request->mode));
                for (std::uint8_t k = 0; k < b.count; ++k) r.beats[lane].push_back(b.beat[k]);
            }
            m_clock->hold(r.start);
            m_replays.push_back(std::move(r));
            m_replay_added.notify(sc_core::SC_ZERO_TIME);
        }
    }
    ++m_stats.blocks;
    m_stats.values += block_values;
    m_stats.nibbles += request->nibbles;
    m_stats.approximated += request->approximated;
    m_stats.busy_cycles += request->cycles;
    delay = std::max(at, delay + m_config.clock_period * static_cast<double>(request->cycles));
    m_block.clear();
}

}  // namespace spark::encoder_bank
