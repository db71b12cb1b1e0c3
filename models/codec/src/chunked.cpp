// SPDX-License-Identifier: Apache-2.0
#include "spark/codec/chunked.h"

#include <cstring>

#include <fmt/format.h>

#include "spark/common/error.h"

namespace spark::codec {

namespace {

// Whether the first `nibbles` nibbles hold exactly `n` whole codes.
bool holds_codes(const std::uint8_t* bytes, std::uint64_t nibbles, std::uint64_t n) {
    std::uint64_t codes = 0;
    std::uint64_t i = 0;
    while (i < nibbles && codes < n) {
        const std::uint8_t nibble = (i % 2 == 0) ? bytes[i / 2] >> 4 : bytes[i / 2] & 0x0F;
        i += (nibble & 0x08) ? 2 : 1;
        ++codes;
    }
    return codes == n && i == nibbles;
}

}  // namespace

ChunkedWriter::ChunkedWriter(Storage storage, Mode mode) {
    m_tensor.storage = storage;
    m_tensor.mode = mode;
    m_tensor.chunk_offsets.push_back(0);
}

void ChunkedWriter::add_chunk(const std::uint8_t* raw, std::size_t n) {
    if (m_tensor.storage == Storage::raw_int8) {
        m_tensor.bytes.insert(m_tensor.bytes.end(), raw, raw + n);
    } else {
        EncodedStream s;
        pack(raw, n, m_tensor.mode, s);
        m_tensor.bytes.insert(m_tensor.bytes.end(), s.bytes.begin(), s.bytes.end());
    }
    m_tensor.chunk_values.push_back(n);
    m_tensor.chunk_offsets.push_back(m_tensor.bytes.size());
}

void decode_chunk(Storage storage, Mode mode, const std::uint8_t* bytes, std::size_t size_bytes, std::uint8_t* out,
                  std::size_t n) {
    if (storage == Storage::raw_int8) {
        if (size_bytes != n)
            throw Error(fmt::format("raw chunk holds {} bytes, {} values expected", size_bytes, n));
        if (n > 0) std::memcpy(out, bytes, n);  // an empty chunk may come with null pointers
        return;
    }
    EncodedStream s;
    s.bytes.assign(bytes, bytes + size_bytes);
    s.values = n;
    // The chunk's nibble count is not stored. Every code is whole, so it is twice the byte count, or one less when
    // the last low half is a zero pad; a zero low half may also be the short code 0, so count the codes to decide.
    s.nibbles = 2 * size_bytes;
    if (size_bytes > 0 && (bytes[size_bytes - 1] & 0x0F) == 0 && holds_codes(bytes, 2 * size_bytes - 1, n))
        s.nibbles -= 1;
    unpack(s, mode, out, n);
}

}  // namespace spark::codec
