// SPDX-License-Identifier: Apache-2.0
// The thread stack AddressSanitizer has on record, read and set through its fiber interface (systemc_main_stack.cpp;
// README.md beside it says why a sanitized SystemC program needs this). Without ASan the functions do nothing.
#pragma once

#include <cstddef>

namespace spark::sanitizer {

struct StackRange {
    const void* bottom = nullptr;
    std::size_t size_bytes = 0;
    bool holds(const void* address) const;
};

// The range ASan takes for the calling thread's stack (LeakSanitizer scans it at exit).
StackRange recorded_stack();
// Tells ASan the calling thread now runs on `range`.
void record_stack(StackRange range);

}  // namespace spark::sanitizer
