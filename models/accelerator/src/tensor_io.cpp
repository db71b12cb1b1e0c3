// SPDX-License-Identifier: Apache-2.0
#include "spark/accelerator/tensor_io.h"

#include <fmt/format.h>

#include "spark/codec/chunked.h"
#include "spark/codec/stats.h"
#include "spark/codec/stream.h"
#include "spark/common/error.h"

namespace spark::accelerator {

namespace {

std::uint32_t le32(const std::uint8_t* p) {
    return std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 | std::uint32_t{p[3]} << 24;
}

bool bus_fault(const dma::DmaResult& r, const char* what, TransferFault& fault) {
    if (r.ok) return false;
    fault.bus = true;
    fault.address = r.fault_address;
    fault.message = fmt::format("{}: bus error at 0x{:X}", what, r.fault_address);
    return true;
}

}  // namespace

bool fetch_chunks(dma::DmaEngine& dma, const TensorDesc& t, bool spark_storage, std::uint64_t first,
                  std::uint64_t count, std::vector<std::uint8_t>& values, sc_core::sc_time& delay,
                  TransferCount& moved, TransferFault& fault) {
    const std::uint64_t per_chunk = t.chunk_values();
    if (count > t.chunks() || first > t.chunks() - count) {  // written so that no sum can wrap
        fault = {false, t.data_address,
                 fmt::format("{} chunks from chunk {} requested from a tensor of {}", count, first, t.chunks())};
        return false;
    }
    values.resize(count * per_chunk);
    if (count == 0) return true;
    if (!spark_storage) {
        const std::uint64_t bytes = count * per_chunk;
        if (bus_fault(dma.read(t.data_address + first * per_chunk, values.data(), bytes, delay), "tensor data", fault))
            return false;
        moved.data_bytes += bytes;
        moved.values += bytes;
        moved.nibbles += 2 * bytes;
        return true;
    }
    // End offsets of chunks first-1 .. first+count-1: the first chunk's start is the previous chunk's end.
    const std::uint64_t table_first = first == 0 ? 0 : first - 1;
    const std::uint64_t entries = first + count - table_first;
    std::vector<std::uint8_t> table(4 * entries);
    if (bus_fault(dma.read(t.table_address + 4 * table_first, table.data(), table.size(), delay), "chunk table",
                  fault))
        return false;
    moved.table_bytes += table.size();
    std::vector<std::uint64_t> ends(entries);
    for (std::uint64_t i = 0; i < entries; ++i) ends[i] = le32(&table[4 * i]);
    const std::uint64_t begin = first == 0 ? 0 : ends[0];
    const std::uint64_t end = ends.back();
    if (end < begin || end - begin > count * per_chunk + count) {
        fault = {false, t.table_address + 4 * table_first,
                 fmt::format("chunk table entries {}..{} give the impossible range {}..{}", table_first,
                             first + count - 1, begin, end)};
        return false;
    }
    std::vector<std::uint8_t> data(end - begin);
    if (bus_fault(dma.read(t.data_address + begin, data.data(), data.size(), delay), "tensor data", fault))
        return false;
    moved.data_bytes += data.size();
    moved.values += count * per_chunk;
    const codec::Mode mode = mode_of(t);
    std::uint64_t chunk_begin = begin;
    for (std::uint64_t c = 0; c < count; ++c) {
        const std::uint64_t chunk_end = ends[first == 0 ? c : c + 1];
        // Every entry, not only the range's last, must stay inside the bytes just fetched: table entries are the
        // driver's memory, and a driver bug must not make the decoder read past them.
        if (chunk_end < chunk_begin || chunk_end > end) {
            fault = {false, t.table_address + 4 * (first + c),
                     fmt::format("chunk {} ends at {}, outside {}..{} (from its start to the end of chunk {})",
                                 first + c, chunk_end, chunk_begin, end, first + count - 1)};
            return false;
        }
        try {
            codec::decode_chunk(codec::Storage::spark, mode, data.data() + (chunk_begin - begin),
                                chunk_end - chunk_begin, values.data() + c * per_chunk, per_chunk);
        } catch (const Error& e) {
            fault = {false, t.data_address + chunk_begin, fmt::format("chunk {}: {}", first + c, e.what())};
            return false;
        }
        chunk_begin = chunk_end;
    }
    moved.nibbles += codec::encoded_nibbles(values.data(), values.size(), mode);
    return true;
}

bool ChunkStorer::store(dma::DmaEngine& dma, const std::uint8_t* values, std::uint64_t count, sc_core::sc_time& delay,
                        TransferCount& moved, TransferFault& fault) {
    const std::uint64_t per_chunk = m_tensor.chunk_values();
    if (m_next + count > m_tensor.chunks()) {
        fault = {false, m_tensor.data_address,
                 fmt::format("output chunks {}..{} exceed the tensor's {}", m_next, m_next + count, m_tensor.chunks())};
        return false;
    }
    if (!m_spark) {
        const std::uint64_t bytes = count * per_chunk;
        if (bus_fault(dma.write(m_tensor.data_address + m_next * per_chunk, values, bytes, delay), "output data",
                      fault))
            return false;
        moved.data_bytes += bytes;
        moved.values += bytes;
        moved.nibbles += 2 * bytes;
        m_next += count;
        return true;
    }
    const codec::Mode mode = mode_of(m_tensor);
    moved.approximated += codec::measure(values, count * per_chunk, mode).approximated;
    std::vector<std::uint8_t> data;
    std::vector<std::uint8_t> table(4 * count);
    codec::EncodedStream s;
    for (std::uint64_t c = 0; c < count; ++c) {
        s.bytes.clear();
        s.nibbles = 0;
        s.values = 0;
        codec::pack(values + c * per_chunk, per_chunk, mode, s);
        data.insert(data.end(), s.bytes.begin(), s.bytes.end());
        moved.nibbles += s.nibbles;
        const std::uint64_t end = m_data_offset + data.size();
        for (int b = 0; b < 4; ++b) table[4 * c + b] = static_cast<std::uint8_t>(end >> (8 * b));
    }
    // Data first, then the table entries that point into it.
    if (bus_fault(dma.write(m_tensor.data_address + m_data_offset, data.data(), data.size(), delay), "output data",
                  fault))
        return false;
    if (bus_fault(dma.write(m_tensor.table_address + 4 * m_next, table.data(), table.size(), delay),
                  "output chunk table", fault))
        return false;
    moved.data_bytes += data.size();
    moved.table_bytes += table.size();
    moved.values += count * per_chunk;
    m_data_offset += data.size();
    m_next += count;
    return true;
}

}  // namespace spark::accelerator
