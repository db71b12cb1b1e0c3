// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <stdexcept>
#include <string>

namespace spark {

// The one exception type of the project's plain-C++ cores. The message names the file, field,
// value or address at fault; SystemC shells turn it into an sc_report or a TLM error response.
class Error : public std::runtime_error {
public:
    explicit Error(const std::string& what) : std::runtime_error(what) {}
};

}  // namespace spark
