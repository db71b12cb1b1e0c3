// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <string>

#include "spark/workload/network.h"
#include "workload_test_util.h"

using namespace spark::workload;
using Catch::Contains;

TEST_CASE("SCALE-Sim conv topologies are read, chained where the shapes allow", "[workload][csv]") {
    const std::string path = write_test_file("mobile.csv",
                                             "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n"
                                             "\n"
                                             "Conv1, 225, 225, 3, 3, 3, 32, 2,\n"
                                             "DP2, 114, 114, 3, 3, 32, 1, 1,#dw\n"
                                             "\tConv3, 112, 112, 1, 1, 32, 64, 1,\n"
                                             "Conv4, 56, 56, 3, 3, 64, 64, 1, 1,,, notes\n"
                                             ",,,,,,,,\n"
                                             "FC, 1, 1, 1, 1, 1024, 1000, 1\n");
    const Network net = load_workload(path);
    CHECK(net.name == "mobile");
    REQUIRE(net.layers.size() == 5);
    const Layer& c1 = net.layers[0];
    CHECK(c1.output.shape == Shape{1, 32, 112, 112});  // no padding: (225 - 3) / 2 + 1
    CHECK(c1.file_line == 3);
    CHECK(c1.window.pad_h == 0);
    const Layer& dp = net.layers[1];
    CHECK(dp.groups == 32);  // "DP" in the name: depthwise, as in SCALE-Sim
    CHECK(dp.out_channels == 32);
    CHECK(dp.inputs == std::vector<std::string>{"DP2.ifmap"});  // 114x114 is not what Conv1 produced
    CHECK(dp.macs == 112 * 112 * 9 * 32);
    CHECK(net.layers[2].inputs == std::vector<std::string>{"DP2"});  // chained: DP2 gives [1, 32, 112, 112]
    CHECK(net.layers[3].inputs == std::vector<std::string>{"Conv4.ifmap"});
    CHECK(net.layers[3].output.shape == Shape{1, 64, 54, 54});
    CHECK(net.layers[4].macs == 1024 * 1000);
    CHECK(net.layers[4].weight->quant.dtype == DType::int8);
    CHECK(net.layers[4].output.quant.dtype == DType::uint8);
    CHECK(net.inputs.size() == 4);
}

TEST_CASE("SCALE-Sim GEMM topologies become linear layers", "[workload][csv]") {
    const std::string path = write_test_file("gemm.csv", "Layer, M, N, K,\nTest 1, 256, 128, 64,\nTest 2, 256, 32, 128,\n");
    const Network net = load_workload(path);
    REQUIRE(net.layers.size() == 2);
    const GemmView g = net.layers[0].gemm();
    CHECK(g.m == 256);
    CHECK(g.n == 128);
    CHECK(g.k == 64);
    CHECK(net.layers[1].inputs == std::vector<std::string>{"Test 1"});
    CHECK(net.total_macs() == 256 * 128 * 64 + 256 * 32 * 128);
}

TEST_CASE("malformed SCALE-Sim rows are reported as file:line", "[workload][csv]") {
    const std::string header = "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n";
    const std::string dir = std::string(SPARK_TEST_OUTPUT_DIR) + "/";
    CHECK_THAT(load_error("bad_cell.csv", header + "Conv1, 8, 8, 3, 3, 3, 4, 1,\nConv2, 8, 8, 3, 3, three, 4, 1,\n"),
               Contains(dir + "bad_cell.csv:3: layer 'Conv2': column 'Channels': expected a positive integer, got 'three'"));
    CHECK_THAT(load_error("short_row.csv", header + "Conv1, 8, 8, 3, 3, 3,\n"),
               Contains(dir + "short_row.csv:2: layer 'Conv1': expected 8 values (Layer name to Strides), got 6"));
    CHECK_THAT(load_error("zero.csv", header + "Conv1, 8, 8, 3, 3, 3, 4, 0,\n"),
               Contains(dir + "zero.csv:2: layer 'Conv1': column 'Strides': expected a positive integer, got '0'"));
    CHECK_THAT(load_error("big_filter.csv", header + "\nConv1, 8, 8, 9, 3, 3, 4, 1,\n"),
               Contains(dir + "big_filter.csv:3: layer 'Conv1': the 9x3 filter is larger than the 8x8 IFMAP"));
    CHECK_THAT(load_error("twice.csv", header + "Conv1, 8, 8, 3, 3, 3, 4, 1,\nConv1, 8, 8, 3, 3, 3, 4, 1,\n"),
               Contains(dir + "twice.csv:3: layer 'Conv1': the name is used twice"));
    CHECK_THAT(load_error("header.csv", "name, h, w\nConv1, 8, 8, 3, 3, 3, 4, 1,\n"),
               Contains(dir + "header.csv:1: expected a SCALE-Sim header"));
    CHECK_THAT(load_error("gemm_bad.csv", "Layer, M, N, K,\nG1, 4, -2, 8,\n"),
               Contains(dir + "gemm_bad.csv:2: layer 'G1': column 'N': expected a positive integer, got '-2'"));
    CHECK_THAT(load_error("gemm_order.csv", "Layer, M, K, N,\nG1, 4, 2, 8,\n"),
               Contains(dir + "gemm_order.csv:1: header column 3: expected 'N', got 'K'"));
    CHECK_THAT(load_error("empty.csv", ""), Contains("empty.csv: the file is empty"));
    CHECK_THAT(load_error("no_rows.csv", header), Contains("no_rows.csv: the file has a header but no layers"));
    CHECK_THAT(load_error("other.txt", "x"), Contains("other.txt: unknown workload format"));
}
