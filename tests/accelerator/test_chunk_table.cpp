// SPDX-License-Identifier: Apache-2.0
// The chunk table's one owner: entries, the window a fetch reads, the checks on what memory holds.
#include <catch2/catch.hpp>

#include "spark/accelerator/chunk_table.h"
#include "spark/codec/chunked.h"
#include "spark/codec/codec.h"
#include "spark/common/error.h"

namespace table = spark::accelerator::chunk_table;

namespace {

std::vector<std::uint8_t> table_of(std::initializer_list<std::uint64_t> ends) {
    std::vector<std::uint8_t> t;
    for (std::uint64_t e : ends) table::append(t, e);
    return t;
}

}  // namespace

TEST_CASE("entries are little-endian 32-bit chunk ends") {
    const auto t = table_of({3, 0x01020304});
    REQUIRE(t.size() == 8);
    CHECK(t[4] == 0x04);
    CHECK(t[7] == 0x01);
    CHECK(table::end_at(t.data(), 1) == 0x01020304);
    CHECK(table::data_bytes(t.data(), 2) == 0x01020304);
    CHECK(table::data_bytes(t.data(), 0) == 0);
    std::vector<std::uint8_t> big;
    CHECK_THROWS_WITH(table::append(big, table::kMaxEnd + 1), Catch::Contains("32-bit"));
}

TEST_CASE("a fetch reads the entry before its range") {
    CHECK(table::window(0, 3).first_entry == 0);
    CHECK(table::window(0, 3).entries == 3);
    CHECK(table::window(5, 2).first_entry == 4);
    CHECK(table::window(5, 2).entries == 3);
}

TEST_CASE("span checks every entry of the fetched range") {
    // Chunks of 4 values: at most 4 bytes each.
    const auto t = table_of({2, 5, 9});
    table::Span s;
    REQUIRE_FALSE(table::span(t.data(), 0, 3, 4, s));
    CHECK(s.begin == 0);
    CHECK(s.end == 9);
    CHECK(s.ends == std::vector<std::uint64_t>{2, 5, 9});
    // Chunks 1..2: entries 0..2, the range starts at chunk 0's end.
    REQUIRE_FALSE(table::span(t.data(), 1, 2, 4, s));
    CHECK(s.begin == 2);
    CHECK(s.ends == std::vector<std::uint64_t>{5, 9});

    const auto backwards = table_of({2, 1, 9});
    const auto d = table::span(backwards.data(), 0, 3, 4, s);
    REQUIRE(d);
    CHECK(d->entry == 1);
    const auto too_long = table_of({2, 5, 99});
    const auto e = table::span(too_long.data(), 0, 3, 4, s);
    REQUIRE(e);
    CHECK_THAT(e->message, Catch::Contains("impossible range"));
    // An inner entry past the last one's end.
    const auto past = table_of({2, 50, 9});
    const auto f = table::span(past.data(), 0, 3, 4, s);
    REQUIRE(f);
    CHECK(f->entry == 1);
}

TEST_CASE("decode_all gives every chunk back, and names the chunk that does not decode") {
    spark::codec::ChunkedWriter w(spark::codec::Storage::spark, spark::codec::Mode::signed_i8);
    const std::vector<std::uint8_t> a{1, 2, 3, 100}, b{0xFF, 7, 0x80, 3};
    w.add_chunk(a.data(), a.size());
    w.add_chunk(b.data(), b.size());
    const spark::codec::ChunkedTensor ct = w.take();
    const auto t = table::from_offsets(ct.chunk_offsets);
    REQUIRE(t.size() == 8);
    const auto values = table::decode_all(t.data(), 2, 4, spark::codec::Mode::signed_i8, ct.bytes.data(), ct.bytes.size());
    std::vector<std::uint8_t> want;
    for (const auto* chunk : {&a, &b})
        for (std::uint8_t v : *chunk) want.push_back(spark::codec::approximate(v, spark::codec::Mode::signed_i8));
    CHECK(values == want);
    // The first chunk cut short: its codes end before its 4 values.
    auto short_table = t;
    table::put(short_table.data(), 0, 1);
    CHECK_THROWS_WITH(table::decode_all(short_table.data(), 2, 4, spark::codec::Mode::signed_i8, ct.bytes.data(),
                                        ct.bytes.size()),
                      Catch::Contains("chunk 0"));
}
