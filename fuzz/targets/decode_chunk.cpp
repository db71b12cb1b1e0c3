// SPDX-License-Identifier: Apache-2.0
// codec::decode_chunk on arbitrary chunk bytes. A chunk that decodes holds representable values only, so writing
// them again with ChunkedWriter and decoding that chunk must give them back.
// Input: byte 0 flags (bit 0 raw INT8 storage, bit 1 signed mode), bytes 1..2 the value count, the rest the chunk.
#include <vector>

#include "fuzz_support.h"
#include "spark/codec/chunked.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace spark::codec;
    if (size < 3) return 0;
    const Storage storage = (data[0] & 1) ? Storage::raw_int8 : Storage::spark;
    const Mode mode = (data[0] & 2) ? Mode::signed_i8 : Mode::unsigned_u8;
    const std::size_t n = data[1] | (std::size_t{data[2]} << 8);
    // Exactly n slots, and a copy of exactly the chunk's bytes: ASan sees any access past either.
    std::vector<std::uint8_t> out(n);
    const std::vector<std::uint8_t> chunk(data + 3, data + size);
    if (!spark::fuzz::accepts([&] { decode_chunk(storage, mode, chunk.data(), chunk.size(), out.data(), n); }))
        return 0;

    ChunkedWriter writer(storage, mode);
    writer.add_chunk(out.data(), out.size());
    const ChunkedTensor t = writer.take();
    std::vector<std::uint8_t> again(n);
    decode_chunk(storage, mode, t.bytes.data(), t.bytes.size(), again.data(), n);
    if (again != out) spark::fuzz::fail("decode_chunk", "decoded values do not survive a re-encode");
    return 0;
}
