// SPDX-License-Identifier: Apache-2.0
// Message shapes shared by the readers and validate(): "file:line: layer 'name' (#index): field: message".
#pragma once

#include <string>

#include <fmt/format.h>

#include "spark/common/error.h"
#include "spark/workload/network.h"

namespace spark::workload::detail {

inline std::string where(const std::string& source, int line) {
    return line > 0 ? fmt::format("{}:{}", source, line) : source;
}

inline std::string layer_label(const Layer& layer) {
    return fmt::format("layer '{}' (#{})", layer.name, layer.file_index);
}

[[noreturn]] inline void layer_error(const Network& net, const Layer& layer, const std::string& field,
                                     const std::string& message) {
    throw Error(fmt::format("{}: {}: {}: {}", where(net.source, layer.file_line), layer_label(layer), field, message));
}

}  // namespace spark::workload::detail
