// SPDX-License-Identifier: Apache-2.0
// run_reference: a workload layer dispatched onto the vector unit's kernels (their own cases are in
// tests/vector_unit), and the vector unit's names still reachable as spark::workload::*.
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <type_traits>
#include <vector>

#include "spark/workload/reference.h"
#include "workload_test_util.h"

using namespace spark::workload;
namespace vu = spark::vector_unit;

static_assert(std::is_same_v<QTensor, vu::QTensor>);
static_assert(std::is_same_v<Quant, vu::Quant>);
static_assert(std::is_same_v<Shape, vu::Shape>);
static_assert(std::is_same_v<DType, vu::DType>);
static_assert(std::is_same_v<Window2d, vu::Window2d>);
static_assert(std::is_same_v<FixedMultiplier, vu::FixedMultiplier>);

TEST_CASE("the workload names are the vector unit's kernels", "[workload][reference]") {
    using TensorRequant = QTensor (*)(const QTensor&, const Quant&);
    using ValueRequant = std::int32_t (*)(std::int64_t, const FixedMultiplier&, const Quant&);
    CHECK(static_cast<TensorRequant>(&requantize) == static_cast<TensorRequant>(&vu::requantize));
    CHECK(static_cast<ValueRequant>(&requantize) == static_cast<ValueRequant>(&vu::requantize));
    CHECK(&max_pool == &vu::max_pool);
    CHECK(&concat == &vu::concat);
    CHECK(&make_multiplier == &vu::make_multiplier);
    CHECK(to_string(Shape{2, 3}) == "[2, 3]");
    CHECK(parse_dtype("uint8") == DType::uint8);
}

TEST_CASE("run_reference dispatches each kind onto its kernel", "[workload][reference]") {
    const std::string path = write_test_file("reference_kinds.yaml", R"(network: reference_kinds
seed: 5
defaults:
  activation: {dtype: int8, scale: 0.1, zero_point: 2, data: {distribution: laplace, scale: 1.0}}
inputs:
  - {name: x, shape: [1, 4, 6, 6]}
  - {name: y, shape: [1, 4, 6, 6], dtype: uint8, scale: 0.05, zero_point: 7}
layers:
  - {name: mp, kind: max_pool, kernel: 3, stride: 2, padding: 1, inputs: x, output: {dtype: uint8, scale: 0.2}}
  - {name: ap, kind: avg_pool, kernel: 3, stride: 2, padding: 1, inputs: x}
  - {name: gap, kind: global_avg_pool, inputs: y, output: {scale: 0.03}}
  - {name: sum, kind: add, inputs: [x, y], output: {scale: 0.15, zero_point: -4}}
  - {name: r, kind: relu, inputs: x, output: {dtype: uint8, scale: 0.07}}
  - {name: flat, kind: reshape, shape: [1, -1], inputs: y, output: {scale: 0.06}}
  - {name: tr, kind: transpose, perm: [0, 2, 3, 1], inputs: x}
  - {name: cat, kind: concat, inputs: [x, y], axis: 1}
  - {name: sm, kind: softmax, inputs: x}
)");
    const Network net = load_workload(path);
    const QTensor x = generate(*net.find_input("x"));
    const QTensor y = generate(*net.find_input("y"));
    const auto run = [&](const std::string& name, const std::vector<const QTensor*>& in) {
        const Layer& l = *net.find_layer(name);
        QTensor out = run_reference(l, in);
        CHECK(out.shape == l.output.shape);
        CHECK(out.quant == l.output.quant);
        return out;
    };
    const auto quant = [&](const std::string& name) { return net.find_layer(name)->output.quant; };
    const Window2d w = net.find_layer("mp")->window;

    CHECK(run("mp", {&x}).bytes == vu::max_pool(x, w, quant("mp")).bytes);
    CHECK(run("ap", {&x}).bytes == vu::avg_pool(x, w, quant("ap")).bytes);
    CHECK(run("gap", {&y}).bytes == vu::global_avg_pool(y, quant("gap")).bytes);
    CHECK(run("sum", {&x, &y}).bytes == vu::add(x, y, quant("sum")).bytes);
    CHECK(run("r", {&x}).bytes == vu::relu(x, quant("r")).bytes);
    CHECK(run("flat", {&y}).bytes == vu::requantize(vu::reshape(y, {1, 144}), quant("flat")).bytes);
    CHECK(run("tr", {&x}).bytes == vu::transpose(x, {0, 2, 3, 1}).bytes);
    CHECK(run("cat", {&x, &y}).bytes == vu::concat({&x, &y}, 1, quant("cat")).bytes);
    CHECK(run("sm", {&x}).bytes == generate(net.find_layer("sm")->output).bytes);  // a stand-in
}

TEST_CASE("run_reference refuses array layers and inputs that do not match the layer", "[workload][reference]") {
    const Network net = load_workload(SPARK_TRACES_DIR "/smoke.yaml");
    const QTensor image = generate(net.inputs[0]);
    CHECK_THROWS_WITH(run_reference(*net.find_layer("conv1"), {&image}),
                      Catch::Contains("layer 'conv1': a conv2d layer runs on the PE array"));
    const Layer& relu1 = *net.find_layer("relu1");
    CHECK_THROWS_WITH(run_reference(relu1, {}), Catch::Contains("expected 1 input tensors, got 0"));
    CHECK_THROWS_WITH(run_reference(relu1, {&image}), Catch::Contains("input 'conv1' has shape [1, 8, 16, 16]"));
}
