// SPDX-License-Identifier: Apache-2.0
#include "spark/decoder_bank/decoder_bank.h"

#include <algorithm>

#include <fmt/format.h>

#include "spark/accelerator/chunk_table.h"
#include "spark/codec/chunked.h"
#include "spark/codec/decoder.h"
#include "spark/codec/stream.h"
#include "spark/common/error.h"

namespace spark::decoder_bank {

namespace table = accelerator::chunk_table;

DecoderBank::DecoderBank(sc_core::sc_module_name name, const DecoderBankConfig& config)
    : sc_core::sc_module(name), values("values"), buffer("buffer"), m_config(config) {
    if (m_config.decoders == 0) throw Error(fmt::format("{}: decoders must be positive", this->name()));
    values.register_b_transport(this, &DecoderBank::b_transport);
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
    tlm::tlm_generic_payload read;
    read.set_command(tlm::TLM_READ_COMMAND);
    read.set_address(address);
    read.set_data_ptr(out);
    read.set_data_length(static_cast<unsigned>(length));
    read.set_streaming_width(static_cast<unsigned>(length));
    read.set_byte_enable_ptr(nullptr);
    read.set_dmi_allowed(false);
    read.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    buffer->b_transport(read, delay);
    if (!read.is_response_error()) return true;
    trans.set_response_status(read.get_response_status());
    return false;
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
        if (!read_buffer(trans, base, out, count, at)) return;
        request->encoded_bytes = count;
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
