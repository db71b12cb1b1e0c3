// SPDX-License-Identifier: Apache-2.0
// The chunk table: the one owner of its format. A chunked tensor in SPARK storage (descriptor.h) keeps, at its
// table address, one little-endian 32-bit entry per chunk holding the chunk's END offset, in bytes from the
// tensor's data address; chunk i spans [end(i - 1), end(i)) with end(-1) = 0. Raw INT8 storage has no table.
// The program builder, the datapath (loads and stores), the platform's read-back and the SoC driver all read and
// write tables through these functions, and the buffers hold tiles in the same form (docs/accelerator.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "spark/codec/codec.h"

namespace spark::accelerator::chunk_table {

inline constexpr std::uint64_t kEntryBytes = 4;
// Largest end offset an entry can hold: a tensor's encoded data must stay below 4 GiB.
inline constexpr std::uint64_t kMaxEnd = 0xFFFF'FFFFull;

constexpr std::uint64_t bytes(std::uint64_t chunks) { return kEntryBytes * chunks; }

// Entry `index` of a table held in `table`.
std::uint64_t end_at(const std::uint8_t* table, std::uint64_t index);
// Appends one entry; throws spark::Error when `end` exceeds kMaxEnd.
void append(std::vector<std::uint8_t>& table, std::uint64_t end);
// Writes entry `index` into `table` (which must hold it); throws spark::Error when `end` exceeds kMaxEnd.
void put(std::uint8_t* table, std::uint64_t index, std::uint64_t end);

// The entries a fetch of chunks [first, first + count) reads: the chunk before the range gives its start, so
// entries first - 1 .. first + count - 1 (0 .. count - 1 when first is 0).
struct Window {
    std::uint64_t first_entry = 0;
    std::uint64_t entries = 0;
};
Window window(std::uint64_t first, std::uint64_t count);

// The byte range of chunks [first, first + count) and each chunk's end, checked against the entries a fetch
// read (`entries` = window(first, count)). Offsets are relative to the tensor's data address.
struct Span {
    std::uint64_t begin = 0;
    std::uint64_t end = 0;
    std::vector<std::uint64_t> ends;  // count entries: end of chunk first + i
};
// A table entry that cannot be right: which entry (tensor index) and why.
struct Defect {
    std::uint64_t entry = 0;
    std::string message;
};
// Fills `span` and returns no defect when the range is ordered, every entry lies inside it, and the range is
// no longer than `max_bytes_per_chunk` x count (the largest encoding of a chunk); else names the first bad entry.
std::optional<Defect> span(const std::uint8_t* entries, std::uint64_t first, std::uint64_t count,
                           std::uint64_t max_bytes_per_chunk, Span& span);

// A whole table (`chunks` entries) as chunk ends, checked to be ordered and inside `data_bytes`.
std::optional<Defect> ends(const std::uint8_t* table, std::uint64_t chunks, std::uint64_t data_bytes,
                           std::vector<std::uint64_t>& ends);

// The table of a whole tensor as stored: one entry per chunk boundary of `offsets` (chunk_offsets of a
// codec::ChunkedTensor, whose first entry is 0). Throws spark::Error past kMaxEnd.
std::vector<std::uint8_t> from_offsets(const std::vector<std::uint64_t>& offsets);
// The data bytes of a whole tensor: its last chunk's end (0 without chunks).
std::uint64_t data_bytes(const std::uint8_t* table, std::uint64_t chunks);
// Every chunk of a tensor in SPARK storage, decoded into chunk order (chunks x chunk_values values). Throws
// spark::Error naming the chunk when the table is out of order or a chunk does not decode.
std::vector<std::uint8_t> decode_all(const std::uint8_t* table, std::uint64_t chunks, std::uint64_t chunk_values,
                                     codec::Mode mode, const std::uint8_t* data, std::uint64_t data_bytes);

}  // namespace spark::accelerator::chunk_table
