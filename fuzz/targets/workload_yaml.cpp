// SPDX-License-Identifier: Apache-2.0
// workload::parse_yaml (reading and validating a network) on arbitrary text. Relative .npy paths resolve against
// a folder that does not exist, so the reader never opens files the fuzzer names.
#include <string>

#include "fuzz_support.h"
#include "spark/workload/network.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    spark::workload::Network net;
    if (!spark::fuzz::accepts([&] { net = spark::workload::parse_yaml(text, "fuzz.yaml", "/nonexistent-spark-fuzz/"); }))
        return 0;
    net.total_macs();
    net.total_weights();
    return 0;
}
