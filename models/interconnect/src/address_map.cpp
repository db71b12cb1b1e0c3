// SPDX-License-Identifier: Apache-2.0
#include "spark/interconnect/address_map.h"

#include <algorithm>
#include <limits>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "spark/common/config_reader.h"
#include "spark/common/error.h"

namespace spark::interconnect {

namespace {

std::uint64_t address_field(ConfigReader& r, const std::string& key, std::optional<std::uint64_t> fallback) {
    if (!r.has(key)) {
        if (fallback) return *fallback;
        r.fail(key, "required field is missing");
    }
    const nlohmann::json& v = r.raw(key);
    if (v.is_number_unsigned() || (v.is_number_integer() && v.get<long long>() >= 0)) return v.get<std::uint64_t>();
    if (v.is_string()) {
        const std::string s = v.get<std::string>();
        std::size_t used = 0;
        try {
            const std::uint64_t value = std::stoull(s, &used, 0);
            if (used == s.size() && !s.empty() && s[0] != '-') return value;
        } catch (const std::exception&) {
        }
    }
    r.fail(key, fmt::format("expected a non-negative integer or a \"0x\" string, got {}", v.dump()));
}

}  // namespace

AddressMap::AddressMap(std::vector<Region> regions) : m_regions(std::move(regions)) {
    std::sort(m_regions.begin(), m_regions.end(), [](const Region& a, const Region& b) { return a.base < b.base; });
    for (std::size_t i = 0; i < m_regions.size(); ++i) {
        const Region& r = m_regions[i];
        if (r.size_bytes == 0) throw Error(fmt::format("address map: region '{}' has size 0", r.name));
        if (r.base > std::numeric_limits<std::uint64_t>::max() - (r.size_bytes - 1))
            throw Error(fmt::format("address map: region '{}' at 0x{:X} of 0x{:X} bytes runs past the end of the "
                                    "64-bit address space",
                                    r.name, r.base, r.size_bytes));
        if (r.offset > std::numeric_limits<std::uint64_t>::max() - (r.size_bytes - 1))
            throw Error(fmt::format("address map: region '{}': offset 0x{:X} runs past the end of the target's "
                                    "address space",
                                    r.name, r.offset));
        if (i > 0 && m_regions[i - 1].last() >= r.base)
            throw Error(fmt::format("address map: region '{}' [0x{:X}, 0x{:X}] overlaps '{}' [0x{:X}, 0x{:X}]", r.name,
                                    r.base, r.last(), m_regions[i - 1].name, m_regions[i - 1].base,
                                    m_regions[i - 1].last()));
    }
}

AddressMap AddressMap::from_json(const nlohmann::json& j, const std::string& source) {
    ConfigReader top(j, source);
    const nlohmann::json& list = top.raw("regions");
    if (!list.is_array()) top.fail("regions", fmt::format("expected an array, got {}", list.type_name()));
    std::vector<Region> regions;
    for (std::size_t i = 0; i < list.size(); ++i) {
        ConfigReader r(list[i], source, fmt::format("regions[{}]", i));
        Region region;
        region.name = r.require<std::string>("name");
        region.base = address_field(r, "base", std::nullopt);
        region.size_bytes = address_field(r, "size_bytes", std::nullopt);
        region.target = r.require<unsigned>("target");
        region.offset = address_field(r, "offset", 0);
        r.finish();
        regions.push_back(std::move(region));
    }
    top.finish();
    try {
        return AddressMap(std::move(regions));
    } catch (const Error& e) {
        throw Error(fmt::format("{}: {}", source, e.what()));
    }
}

AddressMap AddressMap::from_file(const std::string& path) { return from_json(ConfigReader::parse_file(path), path); }

const Region* AddressMap::find(std::uint64_t address) const {
    auto it = std::upper_bound(m_regions.begin(), m_regions.end(), address,
                               [](std::uint64_t a, const Region& r) { return a < r.base; });
    if (it == m_regions.begin()) return nullptr;
    --it;
    return it->contains(address) ? &*it : nullptr;
}

const Region* AddressMap::decode(std::uint64_t address, std::uint64_t length) const {
    const Region* r = find(address);
    if (r == nullptr) return nullptr;
    const std::uint64_t n = std::max<std::uint64_t>(length, 1);
    return n - 1 <= r->last() - address ? r : nullptr;
}

std::pair<std::uint64_t, std::uint64_t> AddressMap::gap_around(std::uint64_t address) const {
    std::uint64_t first = 0, last = std::numeric_limits<std::uint64_t>::max();
    for (const Region& r : m_regions) {
        if (r.last() < address) first = std::max(first, r.last() + 1);
        if (r.base > address) last = std::min(last, r.base - 1);
    }
    return {first, last};
}

std::string AddressMap::to_string() const {
    std::string out;
    for (const Region& r : m_regions)
        out += fmt::format("0x{:010X}-0x{:010X}  {:<14} target {} at 0x{:X}\n", r.base, r.last(), r.name, r.target,
                           r.offset);
    return out;
}

}  // namespace spark::interconnect
