// SPDX-License-Identifier: Apache-2.0
// The preset JSON files, compiled in by CMake (presets_embedded.cpp is generated) so that a preset name works
// without knowing where the source tree is.
#pragma once

#include <string>
#include <vector>

namespace spark::dram {

const char* find_embedded_preset(const std::string& name);  // nullptr when unknown
std::vector<std::string> embedded_preset_names();

}  // namespace spark::dram
