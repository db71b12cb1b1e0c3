// SPDX-License-Identifier: Apache-2.0
// spark::dram::DramConfig::from_json on arbitrary JSON text (text that is not JSON is skipped: nlohmann's parser is not ours).
#include "fuzz_support.h"
#include "spark/dram/config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    nlohmann::json j;
    if (!spark::fuzz::parse_json(data, size, j)) return 0;
    spark::fuzz::accepts([&] { spark::dram::DramConfig::from_json(j, "fuzz.json"); });
    return 0;
}
