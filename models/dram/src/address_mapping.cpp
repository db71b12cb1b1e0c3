// SPDX-License-Identifier: Apache-2.0
#include "spark/dram/address_mapping.h"

namespace spark::dram {
namespace {

unsigned log2_exact(std::uint64_t v) {
    unsigned bits = 0;
    while ((std::uint64_t(1) << bits) < v) ++bits;
    return bits;
}

unsigned field_count(const Geometry& g, AddressField f) {
    switch (f) {
    case AddressField::channel: return g.channels;
    case AddressField::rank: return g.ranks;
    case AddressField::bank_group: return g.bank_groups;
    case AddressField::bank: return g.banks_per_group;
    case AddressField::row: return g.rows;
    case AddressField::column: return g.bursts_per_row();
    }
    return 1;
}

}  // namespace

AddressMapping::AddressMapping(const DramConfig& config) {
    m_offset_bits = log2_exact(config.geometry.burst_bytes());
    unsigned shift = m_offset_bits;
    // The list is MSB first; lay the fields out from the LSB up.
    const auto& order = config.controller.address_mapping;
    unsigned pieces = 0;  // column bits the "column:N" pieces take
    for (const auto& f : order)
        if (f.field == AddressField::column) pieces += f.bits;
    unsigned column_done = 0;
    // Column pieces nearest the LSB take the column's low bits; plain "column" takes what is left, in place.
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
        unsigned bits = log2_exact(field_count(config.geometry, it->field));
        unsigned value_shift = 0;
        if (it->field == AddressField::column) {
            bits = it->bits ? it->bits : bits - pieces;
            value_shift = column_done;
            column_done += bits;
        }
        m_fields.push_back({it->field, shift, bits, value_shift});
        shift += bits;
    }
}

DecodedAddress AddressMapping::decode(std::uint64_t address) const {
    DecodedAddress d;
    for (const auto& f : m_fields) {
        const auto value = unsigned((address >> f.shift) & ((std::uint64_t(1) << f.bits) - 1));
        switch (f.kind) {
        case AddressField::channel: d.channel = value; break;
        case AddressField::rank: d.rank = value; break;
        case AddressField::bank_group: d.bank_group = value; break;
        case AddressField::bank: d.bank = value; break;
        case AddressField::row: d.row = value; break;
        case AddressField::column: d.column |= value << f.value_shift; break;
        }
    }
    return d;
}

std::uint64_t AddressMapping::encode(const DecodedAddress& d) const {
    std::uint64_t address = 0;
    for (const auto& f : m_fields) {
        std::uint64_t value = 0;
        switch (f.kind) {
        case AddressField::channel: value = d.channel; break;
        case AddressField::rank: value = d.rank; break;
        case AddressField::bank_group: value = d.bank_group; break;
        case AddressField::bank: value = d.bank; break;
        case AddressField::row: value = d.row; break;
        case AddressField::column: value = (d.column >> f.value_shift) & ((std::uint64_t(1) << f.bits) - 1); break;
        }
        address |= value << f.shift;
    }
    return address;
}

}  // namespace spark::dram
