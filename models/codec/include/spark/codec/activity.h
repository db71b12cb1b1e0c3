// SPDX-License-Identifier: Apache-2.0
// What an encoder or decoder instance did, counted for the energy model. Plain C++ so that energy and report code
// can read it without a SystemC kernel; the signal-level and transaction-level paths count the same events.
#pragma once

#include <array>
#include <cstdint>

namespace spark::codec {

struct Activity {
    std::uint64_t values = 0;          // values encoded or decoded
    std::uint64_t short_codes = 0;     // 4-bit codes
    std::uint64_t long_codes = 0;      // 8-bit codes
    std::uint64_t nibbles = 0;         // nibble beats emitted (encoder) or consumed (decoder)
    std::uint64_t framing_errors = 0;  // decoder only: framing violations reported

    Activity& operator+=(const Activity& o) {
        values += o.values;
        short_codes += o.short_codes;
        long_codes += o.long_codes;
        nibbles += o.nibbles;
        framing_errors += o.framing_errors;
        return *this;
    }
    friend bool operator==(const Activity& a, const Activity& b) {
        return a.values == b.values && a.short_codes == b.short_codes && a.long_codes == b.long_codes &&
               a.nibbles == b.nibbles && a.framing_errors == b.framing_errors;
    }
    friend bool operator!=(const Activity& a, const Activity& b) { return !(a == b); }
};

// Name, unit and meaning of each counter, in the order reports print them.
struct ActivityStat {
    const char* name;
    const char* unit;
    const char* description;
    std::uint64_t Activity::*member;
};

inline constexpr std::array<ActivityStat, 5> kActivityStats{{
    {"values", "values", "values encoded or decoded", &Activity::values},
    {"short_codes", "codes", "4-bit codes", &Activity::short_codes},
    {"long_codes", "codes", "8-bit codes", &Activity::long_codes},
    {"nibbles", "nibbles", "nibble beats on the encoder output or decoder input", &Activity::nibbles},
    {"framing_errors", "events", "decoder framing violations reported", &Activity::framing_errors},
}};

}  // namespace spark::codec
