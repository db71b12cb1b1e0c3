// SPDX-License-Identifier: Apache-2.0
// platform::ArchConfig::from_json on arbitrary JSON text (text that is not JSON is skipped: nlohmann's parser is
// not ours). An accepted architecture must survive to_json and a second read unchanged.
#include <fmt/format.h>

#include "fuzz_support.h"
#include "spark/platform/arch.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using spark::platform::ArchConfig;
    nlohmann::json j;
    if (!spark::fuzz::parse_json(data, size, j)) return 0;
    ArchConfig arch;
    if (!spark::fuzz::accepts([&] { arch = ArchConfig::from_json(j, "fuzz.json"); })) return 0;
    const nlohmann::json once = arch.to_json();
    nlohmann::json twice;
    if (!spark::fuzz::accepts([&] { twice = ArchConfig::from_json(once, "to_json").to_json(); }))
        spark::fuzz::fail("arch_config", fmt::format("to_json output is rejected: {}", once.dump()));
    if (once != twice) spark::fuzz::fail("arch_config", fmt::format("to_json does not round-trip: {}", once.dump()));
    return 0;
}
