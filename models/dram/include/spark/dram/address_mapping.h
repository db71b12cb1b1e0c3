// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <vector>

#include "spark/dram/config.h"

namespace spark::dram {

// Where one burst lives. `column` counts bursts inside the row, `bank` counts inside the bank group.
struct DecodedAddress {
    unsigned channel = 0;
    unsigned rank = 0;
    unsigned bank_group = 0;
    unsigned bank = 0;
    std::uint32_t row = 0;
    unsigned column = 0;
};

// Splits a byte address into bit fields, most significant first in the configured order; the lowest
// log2(burst_bytes) bits are the byte offset inside a burst. Every field is a power of two, so the map is a
// bijection over [0, size_bytes).
class AddressMapping {
public:
    explicit AddressMapping(const DramConfig& config);

    DecodedAddress decode(std::uint64_t address) const;
    std::uint64_t encode(const DecodedAddress& where) const;  // burst-aligned byte address
    unsigned offset_bits() const { return m_offset_bits; }

private:
    struct Field {
        AddressField kind;
        unsigned shift;
        unsigned bits;
        unsigned value_shift;  // where these bits sit in the field's value (column pieces)
    };
    std::vector<Field> m_fields;
    unsigned m_offset_bits = 0;
};

}  // namespace spark::dram
