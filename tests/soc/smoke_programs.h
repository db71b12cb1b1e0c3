// SPDX-License-Identifier: Apache-2.0
// The smoke network made ready for the example SoC: its data, the golden outputs and one program per
// accelerator, each in its own slice of DRAM from the SoC's DRAM base.
#pragma once

#include <cstdint>
#include <vector>

#include "spark/platform/golden.h"
#include "spark/platform/program.h"
#include "spark/workload/network.h"

namespace spark::test {

struct SmokePrograms {
    static constexpr std::uint64_t kSliceBytes = 64ull << 20;

    workload::Network network;
    platform::TensorData data, golden;
    std::vector<platform::Program> programs;

    SmokePrograms(std::uint64_t dram_base, std::size_t accelerators)
        : network(workload::load_workload(SPARK_SMOKE_WORKLOAD)),
          data(platform::load_tensor_data(network)),
          golden(platform::golden_tensors(network, data, true)) {
        for (std::uint64_t i = 0; i < accelerators; ++i)
            programs.push_back(platform::build_program(network, data, true, dram_base + i * kSliceBytes, kSliceBytes));
    }
};

}  // namespace spark::test
