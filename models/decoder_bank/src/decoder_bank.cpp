// SPDX-License-Identifier: Apache-2.0
#include "spark/decoder_bank/decoder_bank.h"

#include <algorithm>

#include <fmt/format.h>

#include "spark/accelerator/chunk_table.h"
#include "spark/codec/chunked.h"
#include "spark/codec/decoder.h"
#include "spark/codec/stream.h"
#include "spark/common/error.h"
#include "spark/common/tlm_access.h"

namespace spark::decoder_bank {

namespace table = accelerator::chunk_table;

// One clocked decoder and the signals the bank drives it with.
struct DecoderBank::Lane {
    sc_core::sc_signal<sc_dt::sc_uint<4>> nibble;
    sc_core::sc_signal<bool> enable, in_valid, out_valid;
    sc_core::sc_signal<sc_dt::sc_uint<8>> value;
    codec::Decoder decoder;

    Lane(const std::string& name, codec::Mode mode, const sc_core::sc_time& period, GatedClock& clock)
        : nibble((name + "_nibble").c_str()),
          enable((name + "_enable").c_str()),
          in_valid((name + "_in_valid").c_str()),
          out_valid((name + "_out_valid").c_str()),
          value((name + "_value").c_str()),
          decoder(name.c_str(), mode, period) {
        decoder.clk.bind(clock.clk);
        decoder.nibble.bind(nibble);
        decoder.enable.bind(enable);
        decoder.in_valid.bind(in_valid);
        decoder.value.bind(value);
        decoder.out_valid.bind(out_valid);
    }
};

DecoderBank::DecoderBank(sc_core::sc_module_name name, const DecoderBankConfig& config)
    : sc_core::sc_module(name), values("values"), buffer("buffer"), m_config(config) {
    if (m_config.decoders == 0) throw Error(fmt::format("{}: decoders must be positive", this->name()));
    values.register_b_transport(this, &DecoderBank::b_transport);
    values.register_nb_transport_fw(this, &DecoderBank::nb_transport_fw);
    if (GatedClock* clock = m_config.pin_level_clock) {
        m_clock = clock;
        for (unsigned d = 0; d < m_config.decoders; ++d)
            m_lanes.push_back(std::make_unique<Lane>(fmt::format("decoder_{}", d), m_config.pin_level_mode,
                                                     m_config.clock_period, *clock));
        SC_HAS_PROCESS(DecoderBank);
        SC_THREAD(replay);
    }
}

DecoderBank::~DecoderBank() = default;

void DecoderBank::trace(sc_core::sc_trace_file* tf) const {
    for (const auto& lane : m_lanes) lane->decoder.trace(tf);
}

void DecoderBank::schedule_replay(const StreamRequest& request, const std::vector<std::uint64_t>& ends,
                                  const std::uint8_t* data, const std::uint8_t* out) {
    Replay r;
    r.start = request.pin_level_start;
    r.expected_cycles = request.cycles;
    r.what = fmt::format("{}: {} chunks of {} values", name(), request.chunks, request.chunk_values);
    const std::size_t lanes = m_lanes.size();
    r.beats.resize(lanes);
    r.values.resize(lanes);
    std::uint64_t begin = 0;
    for (std::uint64_t c = 0; c < request.chunks; ++c) {
        // The chunk's codes as the decoder takes them: the first nibble of a byte is its high half, a long code
        // (indicator c0 = 1) takes the next nibble as its second half, with enable.
        auto& beats = r.beats[c % lanes];
        std::uint64_t nibble = 0;
        auto next = [&] {
            const std::uint8_t byte = data[begin + nibble / 2];
            return static_cast<std::uint8_t>(nibble++ % 2 == 0 ? byte >> 4 : byte & 0x0F);
        };
        for (std::uint64_t v = 0; v < request.chunk_values; ++v) {
            const std::uint8_t first = next();
            beats.push_back({first, false});
            if (first & 0x8) beats.push_back({next(), true});
        }
        const std::uint8_t* chunk_values = out + c * request.chunk_values;
        r.values[c % lanes].insert(r.values[c % lanes].end(), chunk_values, chunk_values + request.chunk_values);
        begin = ends[c];
    }
    m_clock->hold(r.start);
    m_replays.push_back(std::move(r));
    m_replay_added.notify(sc_core::SC_ZERO_TIME);
}

void DecoderBank::replay() {
    for (;;) {
        while (m_replays.empty()) wait(m_replay_added);
        const Replay r = std::move(m_replays.front());
        m_replays.pop_front();
        if (r.start > sc_core::sc_time_stamp()) wait(r.start - sc_core::sc_time_stamp());
        PinLevelCheck check;
        check.what = r.what;
        check.expected_cycles = r.expected_cycles;
        std::vector<std::size_t> next_beat(m_lanes.size(), 0), next_value(m_lanes.size(), 0);
        std::size_t remaining = 0;
        for (const auto& v : r.values) remaining += v.size();
        // Cycle k: its outputs are visible one delta after edge k, its inputs are sampled at edge k + 1.
        const std::uint64_t limit = 4 * r.expected_cycles + 16;
        std::uint64_t last = 0;
        for (std::uint64_t cycle = 0; remaining > 0 && cycle < limit; ++cycle) {
            wait(m_clock->clk.posedge_event());
            wait(sc_core::SC_ZERO_TIME);
            for (std::size_t d = 0; d < m_lanes.size(); ++d) {
                Lane& lane = *m_lanes[d];
                if (lane.out_valid.read()) {
                    const auto got = static_cast<std::uint8_t>(lane.value.read().to_uint());
                    const std::size_t i = next_value[d]++;
                    if (i >= r.values[d].size() || r.values[d][i] != got) {
                        if (check.values_match)
                            check.detail = fmt::format("decoder_{} value {}: {} from the clocked decoder", d, i, got);
                        check.values_match = false;
                    }
                    if (remaining > 0) --remaining;
                    last = cycle;
                }
                const bool more = next_beat[d] < r.beats[d].size();
                if (more) {
                    const codec::Beat b = r.beats[d][next_beat[d]++];
                    lane.nibble.write(b.nibble);
                    lane.enable.write(b.enable);
                }
                lane.in_valid.write(more);
            }
        }
        // One idle cycle, so that every decoder's out_valid is low again before the clock stops.
        for (auto& lane : m_lanes) lane->in_valid.write(false);
        wait(m_clock->clk.posedge_event());
        std::size_t total = 0;
        for (const auto& v : r.values) total += v.size();
        check.cycles = remaining == 0 && total > 0 ? last + 1 : 0;
        if (remaining > 0) {
            check.values_match = false;
            check.detail = fmt::format("{} values never came out", remaining);
        }
        m_checks.push_back(check);
        m_clock->release();
    }
}

std::uint64_t DecoderBank::cycles(const std::vector<std::uint64_t>& chunk_nibbles, unsigned decoders) {
    std::vector<std::uint64_t> load(std::min<std::size_t>(decoders, chunk_nibbles.size()), 0);
    for (std::size_t i = 0; i < chunk_nibbles.size(); ++i) load[i % load.size()] += chunk_nibbles[i];
    const std::uint64_t busiest = load.empty() ? 0 : *std::max_element(load.begin(), load.end());
    return codec::Decoder::tensor_cycles(busiest);
}

bool DecoderBank::read_buffer(tlm::tlm_generic_payload& trans, std::uint64_t address, std::uint8_t* out,
                              std::uint64_t length, sc_core::sc_time& delay) {
    if (length == 0) return true;
    const tlm::tlm_response_status status =
        tlm_access(buffer, tlm::TLM_READ_COMMAND, address, out, static_cast<unsigned>(length), delay);
    if (!is_error(status)) return true;
    ++m_stats.errors;
    trans.set_response_status(status);
    return false;
}

tlm::tlm_sync_enum DecoderBank::nb_transport_fw(int id, tlm::tlm_generic_payload& trans, tlm::tlm_phase& phase,
                                             sc_core::sc_time& delay) {
    return complete_at_begin_req(trans, phase, [&] { b_transport(id, trans, delay); });
}

void DecoderBank::b_transport(int, tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
    StreamRequest* request = nullptr;
    trans.get_extension(request);
    auto fail = [&](std::string message) {
        ++m_stats.errors;
        if (request) request->error = fmt::format("{}: {}", name(), message);
        trans.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
    };
    if (!request) return fail("a read without a StreamRequest extension");
    if (trans.get_command() != tlm::TLM_READ_COMMAND) return fail("only reads deliver decoded values");
    const char* why = nullptr;
    if (const tlm::tlm_response_status refused = unsupported_form(trans, why); refused != tlm::TLM_OK_RESPONSE) {
        fail(why);
        return trans.set_response_status(refused);
    }
    // Both counts come from the initiator: bound them before anything is sized from them.
    if (request->chunk_values != 0 && request->chunks > trans.get_data_length() / request->chunk_values)
        return fail(fmt::format("{} chunks of {} values do not fit a read of {} bytes", request->chunks,
                                request->chunk_values, trans.get_data_length()));
    const std::uint64_t count = request->chunks * request->chunk_values;
    if (trans.get_data_length() != count || trans.get_data_ptr() == nullptr)
        return fail(fmt::format("a read of {} bytes for {} chunks of {} values", trans.get_data_length(),
                                request->chunks, request->chunk_values));
    std::uint8_t* out = trans.get_data_ptr();
    const std::uint64_t base = trans.get_address();
    sc_core::sc_time at = delay;
    request->error.clear();
    request->failed_chunk = 0;
    request->nibbles = request->long_values = request->cycles = request->encoded_bytes = 0;
    if (!request->spark) {
        if (!codec::valid_raw_bits(request->raw_bits))
            return fail(fmt::format("raw values of {} bits (2..8 or 16 expected)", request->raw_bits));
        if (request->raw_bits == 8) {
            if (!read_buffer(trans, base, out, count, at)) return;
            request->encoded_bytes = count;
        } else {
            // Fixed-width fields, each chunk from a byte boundary: widened to codes without a decoder's help.
            const std::uint64_t chunk_bytes = codec::raw_chunk_bytes(request->chunk_values, request->raw_bits);
            m_encoded.resize(request->chunks * chunk_bytes);
            if (!read_buffer(trans, base, m_encoded.data(), m_encoded.size(), at)) return;
            try {
                for (std::uint64_t c = 0; c < request->chunks; ++c)
                    codec::unpack_raw(m_encoded.data() + c * chunk_bytes, request->chunk_values, request->mode,
                                      request->raw_bits, out + c * request->chunk_values);
            } catch (const Error& e) {
                return fail(e.what());
            }
            request->encoded_bytes = m_encoded.size();
        }
    } else {
        m_encoded.resize(table::bytes(request->chunks));
        if (!read_buffer(trans, base, m_encoded.data(), m_encoded.size(), at)) return;
        const std::uint64_t data_bytes = request->chunks == 0 ? 0 : table::end_at(m_encoded.data(), request->chunks - 1);
        if (data_bytes > count) return fail(fmt::format("the tile's table claims {} bytes for {} values", data_bytes, count));
        std::vector<std::uint64_t> ends;
        if (const auto defect = table::ends(m_encoded.data(), request->chunks, data_bytes, ends))
            return fail(defect->message);
        const std::uint64_t table_bytes = m_encoded.size();
        m_encoded.resize(table_bytes + data_bytes);
        if (!read_buffer(trans, base + table_bytes, m_encoded.data() + table_bytes, data_bytes, at)) return;
        request->encoded_bytes = table_bytes + data_bytes;
        m_chunk_nibbles.assign(request->chunks, 0);
        std::uint64_t begin = 0;
        for (std::uint64_t c = 0; c < request->chunks; ++c) {
            std::uint8_t* chunk_out = out + c * request->chunk_values;
            try {
                codec::decode_chunk(codec::Storage::spark, request->mode, m_encoded.data() + table_bytes + begin,
                                    ends[c] - begin, chunk_out, request->chunk_values);
            } catch (const Error& e) {
                request->failed_chunk = c;
                return fail(fmt::format("chunk {} of the tile: {}", c, e.what()));
            }
            const std::uint64_t nibbles = codec::encoded_nibbles(chunk_out, request->chunk_values, request->mode);
            m_chunk_nibbles[c] = nibbles;
            request->nibbles += nibbles;
            request->long_values += nibbles - request->chunk_values;  // a long code is two nibbles
            begin = ends[c];
        }
        request->cycles = cycles(m_chunk_nibbles, m_config.decoders);
        if (request->pin_level && m_clock) {
            if (request->mode != m_config.pin_level_mode)
                return fail("a pin-level read in another mode than the window's decoders were built for");
            schedule_replay(*request, ends, m_encoded.data() + table_bytes, out);
        }
    }
    ++m_stats.tiles;
    m_stats.values += count;
    m_stats.long_values += request->long_values;
    m_stats.nibbles += request->nibbles;
    m_stats.busy_cycles += request->cycles;
    // The bank streams while it reads: its time is the later of the buffer reads and its decoders.
    delay = std::max(at, delay + m_config.clock_period * static_cast<double>(request->cycles));
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace spark::decoder_bank
