// SPDX-License-Identifier: Apache-2.0
#include "spark/accelerator/datapath.h"

#include <fmt/format.h>

#include "spark/common/error.h"

namespace spark::accelerator {

void DatapathConfig::validate() const {
    array.validate();
    if (weight_buffer_bytes < 2) throw Error("datapath: weight_buffer_bytes must hold two halves");
    if (activation_buffer_bytes < 2) throw Error("datapath: activation_buffer_bytes must hold two halves");
    if (output_buffer_bytes < 2) throw Error("datapath: output_buffer_bytes must hold two halves");
    if (vector_lanes == 0) throw Error("datapath: vector_lanes must be positive");
    if (weight_decoders == 0) throw Error("datapath: weight_decoders must be positive");
    if (activation_decoders == 0) throw Error("datapath: activation_decoders must be positive");
    if (encoders == 0) throw Error("datapath: encoders must be positive");
    if (!(clock_mhz > 0)) throw Error(fmt::format("datapath: clock_mhz must be positive, got {}", clock_mhz));
}

}  // namespace spark::accelerator
