// SPDX-License-Identifier: Apache-2.0
// workload::parse_scalesim_csv (SCALE-Sim topology rows, then validation) on arbitrary text.
#include <string>

#include "fuzz_support.h"
#include "spark/workload/network.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    spark::workload::Network net;
    if (!spark::fuzz::accepts([&] { net = spark::workload::parse_scalesim_csv(text, "fuzz.csv"); })) return 0;
    net.total_macs();
    net.total_weights();
    return 0;
}
