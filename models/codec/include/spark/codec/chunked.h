// SPDX-License-Identifier: Apache-2.0
// A tensor stored as independently decodable chunks (spec section 3: a SPARK stream cannot be indexed at
// random). Each chunk (e.g. one feature-map row, one weight tile) starts on a byte boundary and the table of chunk
// offsets travels with the data, so whoever fetches a chunk pays for its table entry too.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "spark/codec/codec.h"
#include "spark/codec/stream.h"

namespace spark::codec {

// How values are laid out in memory: SPARK codes, or raw fixed-width fields (the INT8 baseline and the other
// designs compared with SPARK; "off" is a layout too).
enum class Storage : std::uint8_t { spark, raw_int8 };

// Raw storage keeps every value in `raw_bits` bits: 8 (the code itself), 2..7, or 16. Fields are packed from the
// least significant bit of each byte up, and every chunk starts on a byte boundary. Narrower than 8 bits a field
// holds the code's top bits, rounded to nearest and saturated: a p-bit quantisation with 2^(8-p) times the scale,
// read back in the code's own units. 16 bits hold the code sign-extended (signed mode) or zero-extended, losslessly.
bool valid_raw_bits(unsigned raw_bits);
std::uint64_t raw_chunk_bytes(std::uint64_t values, unsigned raw_bits);
// The code as it reads back after raw storage at raw_bits (the code itself at 8 and 16 bits).
std::uint8_t raw_store(std::uint8_t code, Mode mode, unsigned raw_bits);

struct ChunkedTensor {
    Storage storage = Storage::spark;
    Mode mode = Mode::signed_i8;
    unsigned raw_bits = 8;  // raw storage only
    std::vector<std::uint64_t> chunk_values;   // values in chunk i
    std::vector<std::uint64_t> chunk_offsets;  // byte offset of chunk i in `bytes`; one extra entry = total size
    std::vector<std::uint8_t> bytes;

    std::size_t chunks() const { return chunk_values.size(); }
    std::uint64_t chunk_bytes(std::size_t i) const { return chunk_offsets[i + 1] - chunk_offsets[i]; }
    // The offset table as it is stored beside the data: one 32-bit entry per chunk, none for raw storage
    // (raw chunks have fixed sizes, so their offsets are computed, not fetched).
    std::uint64_t table_bytes() const { return storage == Storage::spark ? 4 * chunks() : 0; }
};

class ChunkedWriter {
public:
    // Throws spark::Error when raw_bits is not a raw width (valid_raw_bits).
    ChunkedWriter(Storage storage, Mode mode, unsigned raw_bits = 8);
    // Appends one chunk of n raw values.
    void add_chunk(const std::uint8_t* raw, std::size_t n);
    ChunkedTensor take() { return std::move(m_tensor); }
    const ChunkedTensor& tensor() const { return m_tensor; }

private:
    ChunkedTensor m_tensor;
};

// Decodes chunk `index` of `bytes`/`nibbles` into `out` (n values). For the spark storage, `bytes` is the chunk's
// byte range; the nibble count is recovered from the values (a chunk ends at the first byte boundary after its
// last code). Raw chunks must be exactly raw_chunk_bytes(n, raw_bits) long. Throws spark::Error on a malformed
// chunk.
void decode_chunk(Storage storage, Mode mode, const std::uint8_t* bytes, std::size_t size_bytes, std::uint8_t* out,
                  std::size_t n, unsigned raw_bits = 8);
// Raw fields of n codes into bytes (raw_chunk_bytes(n, raw_bits) of them), and back.
void pack_raw(const std::uint8_t* codes, std::size_t n, Mode mode, unsigned raw_bits, std::uint8_t* bytes);
void unpack_raw(const std::uint8_t* bytes, std::size_t n, Mode mode, unsigned raw_bits, std::uint8_t* codes);

}  // namespace spark::codec
