// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include "spark/accelerator/descriptor.h"
#include "spark/accelerator/layout.h"
#include "spark/common/error.h"

using namespace spark::accelerator;

namespace {

TensorDesc map(std::uint32_t n, std::uint32_t c, std::uint32_t h, std::uint32_t w) {
    TensorDesc t;
    t.rank = 4;
    t.dims = {n, c, h, w};
    t.layout = Layout::feature_map;
    return t;
}

}  // namespace

TEST_CASE("a descriptor survives encode and decode", "[descriptor]") {
    LayerDescriptor d;
    d.opcode = Opcode::matmul;
    d.layer_id = 42;
    d.transpose_b = true;
    d.kernel_h = 3;
    d.pad_w = 2;
    d.groups = 7;
    d.perm = {0, 2, 1, 3};
    d.input = map(1, 8, 16, 16);
    d.input.table_address = 0x1234'5678'9ull;
    d.input.data_address = 0x100;
    d.input.scale = 0.0625;
    d.input.zero_point = -3;
    d.input2.rank = 3;
    d.input2.dims = {12, 128, 64};
    d.input2.chunk_rank = 2;
    d.output.rank = 2;
    d.output.dims = {5, 9};
    d.output.is_signed = false;
    const auto bytes = d.encode();
    const LayerDescriptor e = LayerDescriptor::decode(bytes.data(), bytes.size());
    CHECK(e.opcode == Opcode::matmul);
    CHECK(e.layer_id == 42);
    CHECK(e.transpose_b);
    CHECK_FALSE(e.relu);
    CHECK(e.kernel_h == 3);
    CHECK(e.pad_w == 2);
    CHECK(e.groups == 7);
    CHECK(e.perm == d.perm);
    CHECK(e.input.table_address == d.input.table_address);
    CHECK(e.input.scale == 0.0625);
    CHECK(e.input.zero_point == -3);
    CHECK(e.input.layout == Layout::feature_map);
    CHECK(e.input2.chunk_rank == 2);
    CHECK(e.input2.chunks() == 12 * 128);
    CHECK(e.output.is_signed == false);
    CHECK(e.output.chunks() == 5);
    CHECK(e.output.chunk_values() == 9);
}

TEST_CASE("malformed descriptors are rejected by field", "[descriptor]") {
    LayerDescriptor d;
    d.input = map(1, 2, 3, 4);
    d.output = map(1, 2, 3, 4);
    auto bytes = d.encode();
    CHECK_NOTHROW(LayerDescriptor::decode(bytes.data(), bytes.size()));
    auto broken = bytes;
    broken[0] ^= 1;
    CHECK_THROWS_WITH(LayerDescriptor::decode(broken.data(), broken.size()), Catch::Contains("magic"));
    broken = bytes;
    broken[6] = 99;  // opcode
    CHECK_THROWS_WITH(LayerDescriptor::decode(broken.data(), broken.size()), Catch::Contains("unknown opcode 99"));
    CHECK_THROWS_WITH(LayerDescriptor::decode(bytes.data(), 100), Catch::Contains("100 bytes"));
    d.stride_h = 0;
    bytes = d.encode();
    CHECK_THROWS_WITH(LayerDescriptor::decode(bytes.data(), bytes.size()), Catch::Contains("stride_h is 0"));
    d.stride_h = 1;
    d.output.rank = 3;  // a feature map of rank 3
    bytes = d.encode();
    CHECK_THROWS_WITH(LayerDescriptor::decode(bytes.data(), bytes.size()), Catch::Contains("output"));
}

TEST_CASE("feature-map chunks hold NHWC rows, the conversion round trips", "[layout]") {
    const TensorDesc t = map(2, 3, 4, 5);
    CHECK(t.chunks() == 8);
    CHECK(t.chunk_values() == 15);
    std::vector<std::uint8_t> nchw(t.elements());
    for (std::size_t i = 0; i < nchw.size(); ++i) nchw[i] = static_cast<std::uint8_t>(i);
    const auto chunked = row_major_to_chunks(t, nchw);
    // Chunk (n = 0, h = 1), element (w = 2, c = 1) is x[0][1][1][2] = (1 * 4 + 1) * 5 + 2 = 27.
    CHECK(chunked[1 * 15 + 2 * 3 + 1] == 27);
    CHECK(chunks_to_row_major(t, chunked) == nchw);
    CHECK_THROWS_AS(chunks_to_row_major(t, std::vector<std::uint8_t>(3)), spark::Error);
}

TEST_CASE("raw widths and the layer's precision survive encode and decode, and are checked", "[descriptor]") {
    LayerDescriptor d;
    d.spark_storage = false;
    d.precision_bits = 4;
    d.input = map(1, 2, 3, 4);
    d.output = map(1, 2, 3, 4);
    d.input.raw_bits = 4;
    d.output.raw_bits = 16;
    auto bytes = d.encode();
    // Header: magic, version, opcode, layer id, flags, eight 16-bit window fields, groups, perm, axis, then the
    // four raw widths (0 for 8 bits), the precision and two reserved bytes.
    CHECK(bytes[41] == 4);
    CHECK(bytes[42] == 0);
    CHECK(bytes[44] == 16);
    CHECK(bytes[45] == 4);
    const LayerDescriptor e = LayerDescriptor::decode(bytes.data(), bytes.size());
    CHECK(e.input.raw_bits == 4);
    CHECK(e.input2.raw_bits == 8);
    CHECK(e.output.raw_bits == 16);
    CHECK(e.precision_bits == 4);

    auto broken = bytes;
    broken[41] = 9;
    CHECK_THROWS_WITH(LayerDescriptor::decode(broken.data(), broken.size()), Catch::Contains("input raw width 9"));
    broken = bytes;
    broken[46] = 1;
    CHECK_THROWS_WITH(LayerDescriptor::decode(broken.data(), broken.size()), Catch::Contains("reserved"));
    d.spark_storage = true;
    bytes = d.encode();
    CHECK_THROWS_WITH(LayerDescriptor::decode(bytes.data(), bytes.size()), Catch::Contains("SPARK storage"));
}
