// SPDX-License-Identifier: Apache-2.0
// Every malformed file gives one message naming the file, the line, the layer (name and index) and the field.
#include <catch2/catch.hpp>

#include <string>

#include "workload_test_util.h"

using Catch::Contains;

namespace {

// A valid network whose fourth line onwards are the layers; `layers` replaces them.
std::string with_layers(const std::string& layers) {
    return "network: bad\n"
           "inputs:\n"
           "  - {name: x, shape: [1, 3, 8, 8]}\n"
           "layers:\n" +
           layers;
}

const std::string kConv0 = "  - {name: c0, kind: conv2d, out_channels: 4, kernel: 3, padding: 1}\n";

// Loads the text as `<name>.yaml` and checks that the message holds the path with the line, then each part.
void expect_error(const std::string& name, const std::string& text, int line, const std::vector<std::string>& parts) {
    const std::string message = load_error(name + ".yaml", text);
    INFO(message);
    REQUIRE_FALSE(message.empty());
    CHECK_THAT(message, Contains(std::string(SPARK_TEST_OUTPUT_DIR) + "/" + name + ".yaml:" + std::to_string(line) + ":"));
    for (const std::string& p : parts) CHECK_THAT(message, Contains(p));
}

}  // namespace

TEST_CASE("the valid base file loads", "[workload][errors]") {
    CHECK(load_error("good.yaml", with_layers(kConv0)).empty());
}

TEST_CASE("unknown keys are rejected", "[workload][errors]") {
    expect_error("unknown_key", with_layers(kConv0 + "  - {name: c1, kind: conv2d, out_channels: 4, kernel: 3, strid: 2}\n"),
                 6, {"layer 'c1' (#1)", "strid: unknown field"});
    // A field of another kind is unknown too.
    expect_error("foreign_key", with_layers(kConv0 + "  - {name: fc, kind: linear, out_features: 4, stride: 2}\n"), 6,
                 {"layer 'fc' (#1)", "stride: unknown field"});
    expect_error("unknown_nested", with_layers("  - {name: c0, kind: conv2d, out_channels: 4, kernel: 3,\n"
                                               "     weight: {scale: 0.1, data: {distribution: laplace, sigma: 2}}}\n"),
                 6, {"layer 'c0' (#0)", "weight.data.sigma: unknown field"});
    expect_error("unknown_top", "network: bad\nlayerz: []\ninputs:\n  - {name: x, shape: [1, 3, 8, 8]}\nlayers:\n" + kConv0,
                 2, {"layerz: unknown field"});
    expect_error("duplicate_key", with_layers("  - {name: c0, kind: conv2d, out_channels: 4, out_channels: 8, kernel: 3}\n"),
                 5, {"layer 'c0' (#0)", "out_channels: field is given twice"});
}

TEST_CASE("missing fields are reported", "[workload][errors]") {
    expect_error("missing_out", with_layers("  - {name: c0, kind: conv2d, kernel: 3}\n"), 5,
                 {"layer 'c0' (#0)", "out_channels: required field is missing"});
    expect_error("missing_name", with_layers(kConv0 + "  - {kind: relu}\n"), 6, {"layer #1", "name: required field is missing"});
    expect_error("missing_kind", with_layers(kConv0 + "  - {name: r}\n"), 6, {"layer 'r' (#1)", "kind: required field"});
    expect_error("missing_operands", with_layers(kConv0 + "  - {name: s, kind: add}\n"), 6,
                 {"layer 's' (#1)", "inputs: required field is missing"});
    expect_error("missing_layers", "network: bad\ninputs:\n  - {name: x, shape: [1, 3, 8, 8]}\n", 1,
                 {"layers: required field is missing"});
}

TEST_CASE("wrong types and values are reported", "[workload][errors]") {
    expect_error("bad_int", with_layers("  - {name: c0, kind: conv2d, out_channels: four, kernel: 3}\n"), 5,
                 {"layer 'c0' (#0)", "out_channels: expected an integer, got 'four'"});
    expect_error("bad_list", with_layers("  - {name: c0, kind: conv2d, out_channels: 4, kernel: [3, 3, 3]}\n"), 5,
                 {"layer 'c0' (#0)", "kernel: expected an integer or [height, width]"});
    expect_error("bad_bool", with_layers(kConv0 + "  - {name: m, kind: matmul, inputs: [c0, c0], transpose_b: 1}\n"), 6,
                 {"layer 'm' (#1)", "transpose_b: expected true or false"});
    expect_error("bad_kind", with_layers("  - {name: c0, kind: conv3d}\n"), 5, {"layer 'c0' (#0)", "kind: unknown kind 'conv3d'"});
    expect_error("bad_dtype", with_layers("  - {name: c0, kind: conv2d, out_channels: 4, kernel: 3, output: {dtype: int4}}\n"),
                 5, {"layer 'c0' (#0)", "output.dtype: unknown dtype 'int4'"});
    expect_error("bad_zero_point",
                 with_layers("  - {name: c0, kind: conv2d, out_channels: 4, kernel: 3, output: {dtype: uint8, zero_point: -1}}\n"),
                 5, {"layer 'c0' (#0)", "output.zero_point: -1 is outside the uint8 range"});
    expect_error("bad_scale", with_layers("  - {name: c0, kind: conv2d, out_channels: 4, kernel: 3, weight: {scale: 0}}\n"),
                 5, {"layer 'c0' (#0)", "weight.scale: must be positive"});
    expect_error("bad_distribution",
                 with_layers("  - {name: c0, kind: conv2d, out_channels: 4, kernel: 3, weight: {data: {distribution: cauchy}}}\n"),
                 5, {"layer 'c0' (#0)", "weight.data.distribution: unknown distribution 'cauchy'"});
    expect_error("bad_uniform",
                 with_layers("  - {name: c0, kind: conv2d, out_channels: 4, kernel: 3, weight: {data: {distribution: uniform, low: 1, high: 1}}}\n"),
                 5, {"layer 'c0' (#0)", "weight.data.high: uniform needs low < high"});
    expect_error("bad_npy", with_layers("  - {name: c0, kind: conv2d, out_channels: 4, kernel: 3, weight: {data: {npy: nothere.npy}}}\n"),
                 5, {"layer 'c0' (#0)", "weight.data.npy: cannot open", "nothere.npy"});
    expect_error("bad_stride", with_layers("  - {name: c0, kind: conv2d, out_channels: 4, kernel: 3, stride: 0}\n"), 5,
                 {"layer 'c0' (#0)", "stride: must be positive"});
    expect_error("bad_seed", "network: bad\ndefaults:\n  weight: {data: {seed: 4}}\ninputs:\n  - {name: x, shape: [1, 3, 8, 8]}\nlayers:\n" + kConv0,
                 3, {"defaults.weight.data.seed: a default seed"});
    expect_error("bad_input_shape", "network: bad\ninputs:\n  - {name: x, shape: [1, 0, 8, 8]}\nlayers:\n" + kConv0, 3,
                 {"input 'x'", "shape: dimensions must be positive"});
    expect_error("bad_yaml", with_layers("  - {name: c0, kind: conv2d, out_channels: 4, kernel: [3, 3}\n"), 5, {"not valid YAML"});
}

TEST_CASE("shapes that do not chain are reported", "[workload][errors]") {
    expect_error("channels", with_layers(kConv0 + "  - {name: c1, kind: conv2d, in_channels: 8, out_channels: 4, kernel: 1}\n"),
                 6, {"layer 'c1' (#1)", "in_channels: 8 does not match input 'c0' with 4 channels"});
    expect_error("features", with_layers(kConv0 + "  - {name: fc, kind: linear, in_features: 100, out_features: 4}\n"), 6,
                 {"layer 'fc' (#1)", "in_features: 100 does not match input 'c0' with 256 features"});
    expect_error("spatial", with_layers(kConv0 + "  - {name: p, kind: max_pool, kernel: 2}\n"
                                                 "  - {name: s, kind: add, inputs: [c0, p]}\n"),
                 7, {"layer 's' (#2)", "inputs: shapes differ: 'c0' [1, 4, 8, 8] and 'p' [1, 4, 4, 4]"});
    expect_error("inner", "network: bad\ninputs:\n  - {name: a, shape: [2, 4, 8]}\n  - {name: b, shape: [2, 4, 8]}\nlayers:\n"
                          "  - {name: m, kind: matmul, inputs: [a, b]}\n",
                 6, {"layer 'm' (#0)", "inputs: inner dimensions differ: 'a' [2, 4, 8] has K=8, 'b' [2, 4, 8] has K=4"});
    expect_error("batch", "network: bad\ninputs:\n  - {name: a, shape: [2, 4, 8]}\n  - {name: b, shape: [3, 8, 4]}\nlayers:\n"
                          "  - {name: m, kind: matmul, inputs: [a, b]}\n",
                 6, {"layer 'm' (#0)", "inputs: batch dimensions differ"});
    expect_error("kernel_too_big", with_layers("  - {name: c0, kind: conv2d, out_channels: 4, kernel: 11}\n"), 5,
                 {"layer 'c0' (#0)", "kernel: the 11x11 kernel (dilation 1x1) is larger than the padded 8x8 input"});
    expect_error("groups", with_layers("  - {name: c0, kind: conv2d, out_channels: 4, kernel: 3, groups: 2}\n"), 5,
                 {"layer 'c0' (#0)", "groups: 2 does not divide the 3 input channels"});
    expect_error("rank", with_layers(kConv0 + "  - {name: fc, kind: linear, out_features: 4}\n"
                                              "  - {name: p, kind: max_pool, kernel: 2}\n"),
                 7, {"layer 'p' (#2)", "inputs: 'fc' has shape [1, 4], a max_pool layer needs rank 4"});
    expect_error("reshape", with_layers(kConv0 + "  - {name: r, kind: reshape, shape: [1, 5, -1]}\n"), 6,
                 {"layer 'r' (#1)", "shape: [1, 5, -1] cannot hold the 256 elements"});
    expect_error("perm", with_layers(kConv0 + "  - {name: t, kind: transpose, perm: [0, 1, 1, 2]}\n"), 6,
                 {"layer 't' (#1)", "perm: [0, 1, 1, 2] is not a permutation"});
}

TEST_CASE("a shape whose element count overflows names the layer", "[workload][errors]") {
    // element_count (the vector unit's) throws ShapeOverflow; validate() turns it into the layer's error.
    expect_error("overflow", "network: bad\ninputs:\n  - {name: x, shape: [4294967296, 4294967296]}\nlayers:\n"
                             "  - {name: r, kind: relu}\n",
                 5, {"layer 'r' (#0)", "shape: shape [4294967296, 4294967296] has more elements than 64 bits count"});
}

TEST_CASE("unknown references, duplicate names and cycles are reported", "[workload][errors]") {
    expect_error("unknown_ref", with_layers(kConv0 + "  - {name: s, kind: add, inputs: [c0, c9]}\n"), 6,
                 {"layer 's' (#1)", "inputs: no layer or input named 'c9'"});
    expect_error("duplicate_name", with_layers(kConv0 + "  - {name: c0, kind: relu}\n"), 6,
                 {"layer 'c0' (#1)", "name: 'c0' is already the name"});
    expect_error("input_name", with_layers("  - {name: x, kind: relu}\n"), 5, {"layer 'x' (#0)", "name: 'x' is already the name"});
    expect_error("self_cycle", with_layers(kConv0 + "  - {name: r, kind: relu, inputs: r}\n"), 6,
                 {"layer 'r' (#1)", "inputs: cycle: 'r' takes itself"});
    expect_error("cycle", with_layers(kConv0 + "  - {name: a, kind: add, inputs: [c0, b]}\n"
                                               "  - {name: b, kind: relu, inputs: a}\n"),
                 6, {"layer 'a' (#1)", "inputs: cycle: a <- b <- a"});
}
