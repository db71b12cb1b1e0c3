// SPDX-License-Identifier: Apache-2.0
// `spark-codec report`: encoding statistics of every tensor of a set of .npy files, folders or a workload, per
// encoding variant, with totals (docs/real-data.md); with --format, the baselines' numeric formats measured on the
// same tensors instead (docs/formats.md).
#pragma once

#include <string>
#include <vector>

namespace spark::codec_tool {

// Parses the report's options from `args` (the words after "report") and prints the report; returns the exit
// status. Throws spark::Error for bad input and UsageErrorFn's type for a bad command line.
int run_report(const std::vector<std::string>& args);

}  // namespace spark::codec_tool
