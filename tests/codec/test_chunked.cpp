// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <random>

#include "spark/codec/chunked.h"
#include "spark/common/error.h"

using namespace spark::codec;

TEST_CASE("chunks decode independently, whatever their nibble parity", "[chunked]") {
    std::mt19937 rng(7);
    for (Storage storage : {Storage::spark, Storage::raw_int8}) {
        ChunkedWriter writer(storage, Mode::signed_i8);
        std::vector<std::vector<std::uint8_t>> chunks;
        for (std::size_t n : {0u, 1u, 2u, 5u, 17u, 64u, 3u}) {
            std::vector<std::uint8_t> raw(n);
            for (auto& r : raw) r = static_cast<std::uint8_t>(rng() % 3 ? rng() % 8 : rng());
            if (n == 5) raw.back() = 0;  // a short code 0 last: the low half of the last byte is a real code
            writer.add_chunk(raw.data(), raw.size());
            chunks.push_back(raw);
        }
        const ChunkedTensor t = writer.take();
        REQUIRE(t.chunks() == chunks.size());
        CHECK(t.table_bytes() == (storage == Storage::spark ? 4 * chunks.size() : 0));
        for (std::size_t i = 0; i < t.chunks(); ++i) {
            std::vector<std::uint8_t> out(t.chunk_values[i]);
            decode_chunk(storage, t.mode, t.bytes.data() + t.chunk_offsets[i], t.chunk_bytes(i), out.data(), out.size());
            for (std::size_t k = 0; k < out.size(); ++k)
                REQUIRE(out[k] == (storage == Storage::spark ? approximate(chunks[i][k], t.mode) : chunks[i][k]));
        }
    }
}

TEST_CASE("a chunk of one zero value is one byte with its pad", "[chunked]") {
    ChunkedWriter writer(Storage::spark, Mode::unsigned_u8);
    const std::uint8_t zero = 0;
    writer.add_chunk(&zero, 1);
    const ChunkedTensor t = writer.take();
    CHECK(t.bytes == std::vector<std::uint8_t>{0x00});
    std::uint8_t out = 99;
    decode_chunk(Storage::spark, Mode::unsigned_u8, t.bytes.data(), 1, &out, 1);
    CHECK(out == 0);
}

TEST_CASE("a chunk with the wrong size is rejected", "[chunked]") {
    const std::uint8_t bytes[] = {0x12, 0x34};
    std::uint8_t out[4];
    CHECK_THROWS_AS(decode_chunk(Storage::raw_int8, Mode::signed_i8, bytes, 2, out, 3), spark::Error);
    CHECK_THROWS_AS(decode_chunk(Storage::spark, Mode::signed_i8, bytes, 2, out, 3), spark::Error);
    const std::uint8_t cut[] = {0x9F};  // a long code whose second half is missing? 9,F is one long code
    CHECK_THROWS_AS(decode_chunk(Storage::spark, Mode::signed_i8, cut, 1, out, 2), spark::Error);
}
