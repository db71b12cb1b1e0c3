// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <string>

#include "spark/workload/generator.h"
#include "spark/workload/network.h"
#include "spark/workload/reference.h"
#include "workload_test_util.h"

using namespace spark::workload;

namespace {

Network shipped(const std::string& name) { return load_workload(std::string(SPARK_TRACES_DIR) + "/" + name + ".yaml"); }

}  // namespace

TEST_CASE("every shipped network loads with the MAC total documented in docs/workload.md", "[workload][networks]") {
    // name, our exact total (docs/workload.md), the commonly published figure
    struct Expected {
        const char* name;
        std::int64_t macs;
        double published;
    };
    const Expected cases[] = {
        {"vgg16", 15470264320, 15.5e9},      {"resnet18", 1814073344, 1.8e9},
        {"resnet50", 4089184256, 4.1e9},     {"mobilenet_v1", 568740352, 0.57e9},
        {"bert_base", 11173625856, 11.0e9},  {"vit_b16", 17563060224, 17.6e9},
        {"smoke", 320672, 320672},
    };
    for (const Expected& e : cases) {
        INFO(e.name);
        const Network net = shipped(e.name);
        CHECK(net.name == e.name);
        CHECK(net.total_macs() == e.macs);
        CHECK(std::abs(static_cast<double>(net.total_macs()) - e.published) / e.published < 0.02);
    }
}

TEST_CASE("shipped networks carry the known weight counts and GEMM views", "[workload][networks]") {
    const Network r50 = shipped("resnet50");
    CHECK(r50.total_weights() == 25502912);  // torchvision: 25.56 M parameters incl. biases and batch norm
    const GemmView c1 = r50.find_layer("conv1")->gemm();
    CHECK(c1.batch == 1);
    CHECK(c1.m == 112 * 112);
    CHECK(c1.n == 64);
    CHECK(c1.k == 3 * 7 * 7);
    CHECK(r50.find_layer("layer3.0.downsample")->output.shape == Shape{1, 512, 28, 28});

    const Network mb = shipped("mobilenet_v1");
    const GemmView dw = mb.find_layer("conv13_dw")->gemm();
    CHECK(dw.batch == 1024);
    CHECK(dw.m == 7 * 7);
    CHECK(dw.n == 1);
    CHECK(dw.k == 9);

    const Network bert = shipped("bert_base");
    const Layer* scores = bert.find_layer("l11.scores");
    REQUIRE(scores);
    CHECK(scores->gemm().batch == 12);
    CHECK(scores->gemm().m == 128);
    CHECK(scores->gemm().n == 128);
    CHECK(scores->gemm().k == 64);
    CHECK(bert.find_layer("l11.context")->output.shape == Shape{1, 12, 128, 64});
    CHECK(bert.find_layer("l11.ffn1")->gemm().n == 3072);
    CHECK(bert.find_layer("l0.scores")->requant_scale() == Approx(0.05 * 0.05 / 0.05));

    const Network vit = shipped("vit_b16");
    CHECK(vit.find_layer("embed")->output.shape == Shape{1, 197, 768});
    CHECK(vit.find_layer("l0.q")->gemm().m == 197);
}

TEST_CASE("the smoke network chains and replays through the reference layers", "[workload][networks]") {
    const Network net = shipped("smoke");
    const std::map<std::string, Shape> shapes{
        {"conv1", {1, 16, 16, 16}}, {"relu1", {1, 16, 16, 16}}, {"pool1", {1, 16, 8, 8}},
        {"conv2_dw", {1, 16, 8, 8}}, {"conv2_pw", {1, 16, 8, 8}}, {"res", {1, 16, 8, 8}},
        {"gap", {1, 16, 1, 1}},      {"fc", {1, 10}}};
    REQUIRE(net.layers.size() == shapes.size());
    for (const Layer& l : net.layers) CHECK(l.output.shape == shapes.at(l.name));
    CHECK(net.find_layer("res")->inputs == std::vector<std::string>{"pool1", "conv2_pw"});
    CHECK(net.find_layer("conv2_dw")->groups == 16);
    CHECK(net.find_layer("relu1")->input_quants[0].dtype == DType::int8);
    CHECK(net.find_layer("relu1")->output.quant.dtype == DType::uint8);
    CHECK(net.find_layer("pool1")->output.quant == net.find_layer("relu1")->output.quant);

    // Array layers are replaced by their stand-in outputs; every other layer runs on what its producers gave.
    std::map<std::string, QTensor> values{{"image", generate(net.inputs[0])}};
    for (const Layer& l : net.layers) {
        std::vector<const QTensor*> in;
        for (const std::string& name : l.inputs) in.push_back(&values.at(name));
        const QTensor out = l.has_gemm() ? generate(l.output) : run_reference(l, in);
        CHECK(out.shape == l.output.shape);
        CHECK(out.quant == l.output.quant);
        values.emplace(l.name, out);
    }
}

TEST_CASE("inputs default to the previous layer, may point forward and are ordered topologically",
          "[workload][format]") {
    const std::string path = write_test_file("forward.yaml", R"(network: forward
inputs:
  - {name: x, shape: [1, 4, 8, 8]}
layers:
  - {name: sum, kind: add, inputs: [a, b]}
  - {name: a, kind: conv2d, out_channels: 4, kernel: 3, padding: 1, inputs: x}
  - {name: b, kind: conv2d, out_channels: 4, kernel: 1}
  - {name: pool, kind: avg_pool, kernel: 2, inputs: sum}
)");
    const Network net = load_workload(path);
    REQUIRE(net.layers.size() == 4);
    CHECK(net.layers[0].name == "a");
    CHECK(net.layers[1].name == "b");
    CHECK(net.layers[1].inputs == std::vector<std::string>{"a"});  // the previous layer in the file
    CHECK(net.layers[2].name == "sum");
    CHECK(net.layers[2].file_index == 0);
    CHECK(net.layers[2].file_line == 5);
    CHECK(net.layers[3].output.shape == Shape{1, 4, 4, 4});
    CHECK(net.layers[3].window.stride_h == 2);  // pools step by their kernel
}

TEST_CASE("defaults, overrides and derived seeds", "[workload][format]") {
    write_test_file("weights.npy", std::string("\x93NUMPY\x01\x00", 8));
    const std::string path = write_test_file("defaults.yaml", R"(network: d
seed: 5
defaults:
  weight: {scale: 0.02, data: {distribution: gaussian, scale: 0.05}}
  activation: {dtype: int8, scale: 0.1, zero_point: -3}
inputs:
  - {name: x, shape: [2, 16], data: {distribution: uniform, low: -1, high: 1, seed: 99}}
layers:
  - {name: fc1, kind: linear, out_features: 8}
  - {name: fc2, kind: linear, out_features: 8, weight: {dtype: uint8, zero_point: 128, data: {seed: 3}}}
  - {name: fc3, kind: linear, out_features: 4, weight: {data: {npy: weights.npy}}, output: {scale: 0.5}}
)");
    const Network net = load_workload(path);
    const Layer& fc1 = net.layers[0];
    CHECK(fc1.weight->quant == Quant{DType::int8, 0.02, 0});
    CHECK(fc1.weight->data.synthetic.distribution == Distribution::gaussian);
    CHECK(fc1.weight->data.synthetic.scale == 0.05);
    CHECK(fc1.weight->data.synthetic.seed == derive_seed(5, "fc1.weight"));
    CHECK(fc1.weight->shape == Shape{8, 16});
    CHECK(fc1.output.quant == Quant{DType::int8, 0.1, -3});
    CHECK(fc1.output.data.synthetic.seed == derive_seed(5, "fc1"));
    CHECK(net.inputs[0].data.synthetic.seed == 99);
    CHECK(net.inputs[0].data.synthetic.distribution == Distribution::uniform);
    const Layer& fc2 = net.layers[1];
    CHECK(fc2.weight->quant == Quant{DType::uint8, 0.02, 128});
    CHECK(fc2.weight->data.synthetic.seed == 3);
    CHECK(fc2.weight->data.synthetic.distribution == Distribution::gaussian);  // the rest from the default
    const Layer& fc3 = net.layers[2];
    CHECK(fc3.weight->data.kind == DataSource::Kind::npy);
    CHECK(fc3.weight->data.npy_path == std::string(SPARK_TEST_OUTPUT_DIR) + "/weights.npy");
    CHECK(fc3.weight->shape == Shape{4, 8});
    CHECK(fc3.output.quant.scale == 0.5);
    CHECK(fc3.requant_scale() == Approx(0.1 * 0.02 / 0.5));
    CHECK(derive_seed(5, "fc1.weight") != derive_seed(5, "fc2.weight"));
    CHECK(derive_seed(1, "conv1.weight") == 0x13270f9292cbed3bull);  // by hand from the definition
}
