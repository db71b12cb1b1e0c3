// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "spark/common/error.h"

namespace spark::codec_tool {

// Bad command lines: exit status 2, as opposed to 1 for bad input files.
struct UsageError : Error {
    using Error::Error;
};

}  // namespace spark::codec_tool
