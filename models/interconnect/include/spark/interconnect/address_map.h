// SPDX-License-Identifier: Apache-2.0
// The system address map as plain C++: named regions, each a window [base, base + size) of the bus that a router
// forwards to one of its targets, translated to the target's own address (address - base + offset).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace spark::interconnect {

struct Region {
    std::string name;
    std::uint64_t base = 0;
    std::uint64_t size_bytes = 0;
    unsigned target = 0;        // index of the router's initiator-socket binding that serves the region
    std::uint64_t offset = 0;   // target address of the region's first byte

    std::uint64_t last() const { return base + size_bytes - 1; }
    bool contains(std::uint64_t address) const { return address >= base && address - base < size_bytes; }
    std::uint64_t to_target(std::uint64_t address) const { return address - base + offset; }
    std::uint64_t from_target(std::uint64_t target_address) const { return target_address - offset + base; }
};

class AddressMap {
public:
    AddressMap() = default;
    // Throws spark::Error naming the region when one is empty, wraps past 2^64 or overlaps another.
    explicit AddressMap(std::vector<Region> regions);

    // {"regions": [{"name": "dram", "base": "0x80000000", "size_bytes": 1073741824, "target": 0,
    //               "offset": 0}, ...]}; addresses and sizes as integers or "0x" strings.
    static AddressMap from_json(const nlohmann::json& j, const std::string& source);
    static AddressMap from_file(const std::string& path);

    // The region holding all of [address, address + length) (length 0 counts as 1), or none.
    const Region* decode(std::uint64_t address, std::uint64_t length = 1) const;
    // The region holding `address`, if any, ignoring the length.
    const Region* find(std::uint64_t address) const;
    // The unmapped gap around an address no region holds: [first, last].
    std::pair<std::uint64_t, std::uint64_t> gap_around(std::uint64_t address) const;

    const std::vector<Region>& regions() const { return m_regions; }
    std::string to_string() const;  // one line per region, sorted by base

private:
    std::vector<Region> m_regions;  // sorted by base
};

}  // namespace spark::interconnect
