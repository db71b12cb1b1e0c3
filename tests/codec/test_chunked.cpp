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

TEST_CASE("raw storage narrower than 8 bits keeps each code's top bits, rounded and saturated", "[chunked]") {
    using spark::codec::raw_store;
    // 4 bits signed: steps of 16, fields -8..7.
    CHECK(raw_store(0x00, Mode::signed_i8, 4) == 0x00);
    CHECK(static_cast<std::int8_t>(raw_store(7, Mode::signed_i8, 4)) == 0);
    CHECK(static_cast<std::int8_t>(raw_store(8, Mode::signed_i8, 4)) == 16);
    CHECK(static_cast<std::int8_t>(raw_store(static_cast<std::uint8_t>(-9), Mode::signed_i8, 4)) == -16);
    CHECK(static_cast<std::int8_t>(raw_store(static_cast<std::uint8_t>(-8), Mode::signed_i8, 4)) == 0);
    CHECK(static_cast<std::int8_t>(raw_store(127, Mode::signed_i8, 4)) == 112);  // saturates at 7 x 16
    CHECK(static_cast<std::int8_t>(raw_store(static_cast<std::uint8_t>(-128), Mode::signed_i8, 4)) == -128);
    // 4 bits unsigned: 0..15 steps of 16; 6 bits: steps of 4.
    CHECK(raw_store(255, Mode::unsigned_u8, 4) == 240);
    CHECK(raw_store(24, Mode::unsigned_u8, 4) == 32);
    CHECK(raw_store(23, Mode::unsigned_u8, 4) == 16);
    CHECK(raw_store(6, Mode::unsigned_u8, 6) == 8);
    CHECK(raw_store(200, Mode::unsigned_u8, 8) == 200);
    CHECK(raw_store(200, Mode::unsigned_u8, 16) == 200);
}

TEST_CASE("raw chunks of every width round-trip what raw_store keeps, in raw_chunk_bytes bytes", "[chunked]") {
    for (Mode mode : {Mode::signed_i8, Mode::unsigned_u8}) {
        for (unsigned bits : {2u, 3u, 4u, 5u, 6u, 7u, 8u, 16u}) {
            std::vector<std::uint8_t> codes(257);
            for (std::size_t i = 0; i < codes.size(); ++i) codes[i] = static_cast<std::uint8_t>(i * 37 + 11);
            ChunkedWriter writer(Storage::raw_int8, mode, bits);
            writer.add_chunk(codes.data(), codes.size());
            writer.add_chunk(codes.data(), 3);
            const ChunkedTensor t = writer.take();
            INFO("bits " << bits);
            REQUIRE(t.chunk_bytes(0) == (257 * bits + 7) / 8);
            REQUIRE(t.chunk_bytes(1) == (3 * bits + 7) / 8);
            std::vector<std::uint8_t> out(257);
            decode_chunk(Storage::raw_int8, mode, t.bytes.data(), t.chunk_bytes(0), out.data(), out.size(), bits);
            for (std::size_t i = 0; i < codes.size(); ++i)
                REQUIRE(out[i] == spark::codec::raw_store(codes[i], mode, bits));
        }
    }
    std::uint8_t out[4];
    const std::uint8_t bytes[4] = {0, 0, 0, 0};
    CHECK_NOTHROW(decode_chunk(Storage::raw_int8, Mode::signed_i8, bytes, 2, out, 4, 4));  // 4 x 4 bits: 2 bytes
    CHECK_THROWS_AS(decode_chunk(Storage::raw_int8, Mode::signed_i8, bytes, 3, out, 4, 4), spark::Error);
    CHECK_THROWS_AS(ChunkedWriter(Storage::raw_int8, Mode::signed_i8, 9), spark::Error);
    const std::uint8_t wide[2] = {0x00, 0x01};  // 256: not an 8-bit code
    CHECK_THROWS_AS(decode_chunk(Storage::raw_int8, Mode::unsigned_u8, wide, 2, out, 1, 16), spark::Error);
}
