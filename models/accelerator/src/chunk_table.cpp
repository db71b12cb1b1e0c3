// SPDX-License-Identifier: Apache-2.0
#include "spark/accelerator/chunk_table.h"

#include <fmt/format.h>

#include "spark/codec/chunked.h"
#include "spark/common/error.h"

namespace spark::accelerator::chunk_table {

std::uint64_t end_at(const std::uint8_t* table, std::uint64_t index) {
    const std::uint8_t* p = table + kEntryBytes * index;
    return std::uint64_t{p[0]} | std::uint64_t{p[1]} << 8 | std::uint64_t{p[2]} << 16 | std::uint64_t{p[3]} << 24;
}

void put(std::uint8_t* table, std::uint64_t index, std::uint64_t end) {
    if (end > kMaxEnd)
        throw Error(fmt::format("chunk table: chunk {} ends at byte {}, past the 32-bit entry's range", index, end));
    for (std::uint64_t b = 0; b < kEntryBytes; ++b)
        table[kEntryBytes * index + b] = static_cast<std::uint8_t>(end >> (8 * b));
}

void append(std::vector<std::uint8_t>& table, std::uint64_t end) {
    const std::uint64_t index = table.size() / kEntryBytes;
    table.resize(table.size() + kEntryBytes);
    put(table.data(), index, end);
}

Window window(std::uint64_t first, std::uint64_t count) {
    const std::uint64_t first_entry = first == 0 ? 0 : first - 1;
    return {first_entry, first + count - first_entry};
}

std::optional<Defect> span(const std::uint8_t* entries, std::uint64_t first, std::uint64_t count,
                           std::uint64_t max_bytes_per_chunk, Span& s) {
    const Window w = window(first, count);
    s.begin = first == 0 ? 0 : end_at(entries, 0);
    s.end = count == 0 ? s.begin : end_at(entries, w.entries - 1);
    s.ends.assign(count, 0);
    if (s.end < s.begin || s.end - s.begin > max_bytes_per_chunk * count)
        return Defect{w.first_entry, fmt::format("chunk table entries {}..{} give the impossible range {}..{}",
                                                 w.first_entry, first + count - 1, s.begin, s.end)};
    std::uint64_t chunk_begin = s.begin;
    for (std::uint64_t c = 0; c < count; ++c) {
        const std::uint64_t chunk_end = end_at(entries, first == 0 ? c : c + 1);
        // Every entry, not only the range's last, must stay inside the range: table entries are the driver's
        // memory, and a driver bug must not make a decoder read past the bytes fetched.
        if (chunk_end < chunk_begin || chunk_end > s.end)
            return Defect{first + c, fmt::format("chunk {} ends at {}, outside {}..{} (from its start to the end of "
                                                 "chunk {})",
                                                 first + c, chunk_end, chunk_begin, s.end, first + count - 1)};
        s.ends[c] = chunk_end;
        chunk_begin = chunk_end;
    }
    return std::nullopt;
}

std::optional<Defect> ends(const std::uint8_t* table, std::uint64_t chunks, std::uint64_t data_bytes,
                           std::vector<std::uint64_t>& out) {
    out.assign(chunks, 0);
    std::uint64_t begin = 0;
    for (std::uint64_t c = 0; c < chunks; ++c) {
        const std::uint64_t end = end_at(table, c);
        if (end < begin || end > data_bytes)
            return Defect{c, fmt::format("chunk {} ends at {}, outside {}..{}", c, end, begin, data_bytes)};
        out[c] = end;
        begin = end;
    }
    return std::nullopt;
}

std::vector<std::uint8_t> from_offsets(const std::vector<std::uint64_t>& offsets) {
    std::vector<std::uint8_t> table;
    table.reserve(offsets.empty() ? 0 : kEntryBytes * (offsets.size() - 1));
    for (std::size_t i = 1; i < offsets.size(); ++i) append(table, offsets[i]);
    return table;
}

std::uint64_t data_bytes(const std::uint8_t* table, std::uint64_t chunks) {
    return chunks == 0 ? 0 : end_at(table, chunks - 1);
}

std::vector<std::uint8_t> decode_all(const std::uint8_t* table, std::uint64_t chunks, std::uint64_t chunk_values,
                                     codec::Mode mode, const std::uint8_t* data, std::uint64_t data_bytes) {
    std::vector<std::uint64_t> chunk_ends;
    if (const auto defect = ends(table, chunks, data_bytes, chunk_ends)) throw Error(defect->message);
    std::vector<std::uint8_t> values(chunks * chunk_values);
    std::uint64_t begin = 0;
    for (std::uint64_t c = 0; c < chunks; ++c) {
        try {
            codec::decode_chunk(codec::Storage::spark, mode, data + begin, chunk_ends[c] - begin,
                                values.data() + c * chunk_values, chunk_values);
        } catch (const Error& e) {
            throw Error(fmt::format("chunk {}: {}", c, e.what()));
        }
        begin = chunk_ends[c];
    }
    return values;
}

}  // namespace spark::accelerator::chunk_table
