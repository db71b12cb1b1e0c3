// SPDX-License-Identifier: Apache-2.0
#include "spark/buffer/sram_core.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "spark/common/config_reader.h"
#include "spark/common/error.h"

namespace spark::buffer {

// 64-bit word, one bank. Horowitz (ISSCC 2014) lists 45 nm SRAM reads of 64 bits at 10 pJ (8 KB), 20 pJ (32 KB)
// and 100 pJ (1 MB); halved for 28 nm (lower supply and capacitance), with sqrt(capacity) growth between and
// beyond those points; writes taken as 1.2x reads. CACTI at 28 nm gives values of the same order; replace the
// table with CACTI output for a specific macro when one is at hand.
std::vector<EnergyPoint> default_energy_table_28nm() {
    return {
        {2 * 1024, 2.5, 3.0},       {8 * 1024, 5.0, 6.0},        {32 * 1024, 10.0, 12.0},
        {128 * 1024, 20.0, 24.0},   {512 * 1024, 35.0, 42.0},    {1024 * 1024, 50.0, 60.0},
        {4096 * 1024, 100.0, 120.0},
    };
}

namespace {

bool power_of_two(std::uint64_t v) { return v && !(v & (v - 1)); }

// Log-log interpolation in bank capacity; clamped at the table ends.
double interpolate(const std::vector<EnergyPoint>& table, std::uint64_t bank_bytes, bool write) {
    const auto value = [write](const EnergyPoint& p) { return write ? p.write_pj : p.read_pj; };
    if (bank_bytes <= table.front().bank_bytes) return value(table.front());
    if (bank_bytes >= table.back().bank_bytes) return value(table.back());
    for (std::size_t i = 1; i < table.size(); ++i) {
        if (bank_bytes > table[i].bank_bytes) continue;
        const double x0 = std::log(double(table[i - 1].bank_bytes)), x1 = std::log(double(table[i].bank_bytes));
        const double y0 = std::log(value(table[i - 1])), y1 = std::log(value(table[i]));
        const double f = (std::log(double(bank_bytes)) - x0) / (x1 - x0);
        return std::exp(y0 + f * (y1 - y0));
    }
    return value(table.back());
}

}  // namespace

void SramConfig::validate(const std::string& source) const {
    const auto fail = [&](const char* field, const std::string& msg) {
        throw Error(fmt::format("{}: {}: {}", source, field, msg));
    };
    if (capacity_bytes == 0) fail("capacity_bytes", "must be positive, got 0");
    // On-chip SRAM: the model holds the contents in host memory, and no buffer comes near 4 GiB.
    if (capacity_bytes > (std::uint64_t{1} << 32))
        fail("capacity_bytes", fmt::format("must be at most 4 GiB (4294967296) for an on-chip buffer, got {}", capacity_bytes));
    if (word_bits == 0 || word_bits % 8) fail("word_bits", fmt::format("must be a positive multiple of 8, got {}", word_bits));
    if (!power_of_two(banks)) fail("banks", fmt::format("must be a power of two, got {}", banks));
    if (ports == 0) fail("ports", "must be positive, got 0");
    if (read_latency_cycles == 0) fail("read_latency_cycles", "must be positive, got 0");
    if (write_latency_cycles == 0) fail("write_latency_cycles", "must be positive, got 0");
    if (!(clock_mhz > 0)) fail("clock_mhz", fmt::format("must be positive, got {}", clock_mhz));
    if (capacity_bytes % (std::uint64_t(word_bytes()) * banks))
        fail("capacity_bytes", fmt::format("{} is not a whole number of words in each of {} banks", capacity_bytes, banks));
    if (double_buffered && capacity_bytes % (2ull * word_bytes() * banks))
        fail("double_buffered", fmt::format("capacity {} does not split into two halves of whole words per bank", capacity_bytes));
    if (energy_table.empty()) fail("energy_table", "must not be empty");
    for (std::size_t i = 0; i < energy_table.size(); ++i) {
        const auto& p = energy_table[i];
        if (p.bank_bytes == 0 || !(p.read_pj > 0 && p.write_pj > 0))
            fail("energy_table", fmt::format("entry {} needs positive bank_bytes, read_pj and write_pj", i));
        if (i && p.bank_bytes <= energy_table[i - 1].bank_bytes)
            fail("energy_table", fmt::format("entry {}: bank_bytes must increase, got {} after {}", i, p.bank_bytes,
                                             energy_table[i - 1].bank_bytes));
    }
}

SramConfig SramConfig::from_json(const nlohmann::json& j, const std::string& source) {
    ConfigReader r(j, source);
    r.require<std::uint64_t>("capacity_bytes");  // a standalone buffer description must size the buffer
    return from_json(j, source, SramConfig{});
}

SramConfig SramConfig::from_json(const nlohmann::json& j, const std::string& source, const SramConfig& base) {
    ConfigReader r(j, source);
    SramConfig c = base;
    c.name = r.get<std::string>("name", c.name);
    c.capacity_bytes = r.get<std::uint64_t>("capacity_bytes", c.capacity_bytes);
    c.word_bits = r.get<unsigned>("word_bits", c.word_bits);
    c.banks = r.get<unsigned>("banks", c.banks);
    c.ports = r.get<unsigned>("ports", c.ports);
    c.read_latency_cycles = r.get<unsigned>("read_latency_cycles", c.read_latency_cycles);
    c.write_latency_cycles = r.get<unsigned>("write_latency_cycles", c.write_latency_cycles);
    c.clock_mhz = r.get<double>("clock_mhz", c.clock_mhz);
    c.double_buffered = r.get<bool>("double_buffered", c.double_buffered);
    if (r.has("energy_table")) {
        const auto& t = r.raw("energy_table");
        if (!t.is_array()) r.fail("energy_table", "expected an array of {bank_bytes, read_pj, write_pj}");
        c.energy_table.clear();
        for (std::size_t i = 0; i < t.size(); ++i) {
            ConfigReader e(t[i], source, fmt::format("energy_table[{}]", i));
            c.energy_table.push_back({e.require<std::uint64_t>("bank_bytes"), e.require<double>("read_pj"), e.require<double>("write_pj")});
            e.finish();
        }
    }
    r.finish();
    c.validate(source);
    return c;
}

std::vector<SramStat> describe(const SramCounters& n) {
    return {
        {"reads", "accesses", "read transactions", double(n.reads)},
        {"writes", "accesses", "write transactions", double(n.writes)},
        {"words_read", "words", "bank words read", double(n.words_read)},
        {"words_written", "words", "bank words written", double(n.words_written)},
        {"bytes_read", "bytes", "payload bytes read", double(n.bytes_read)},
        {"bytes_written", "bytes", "payload bytes written", double(n.bytes_written)},
        {"busy_cycles", "cycles", "sum of access cycles", double(n.busy_cycles)},
        {"read_energy_pj", "pJ", "read energy", n.read_energy_pj},
        {"write_energy_pj", "pJ", "write energy", n.write_energy_pj},
        {"energy_pj", "pJ", "read + write energy", n.energy_pj()},
    };
}

SramCore::SramCore(SramConfig config) : m_config(std::move(config)) {
    m_config.validate(m_config.name);
    const double width = double(m_config.word_bits) / 64.0;
    m_read_pj = interpolate(m_config.energy_table, m_config.bank_bytes(), false) * width;
    m_write_pj = interpolate(m_config.energy_table, m_config.bank_bytes(), true) * width;
}

SramAccess SramCore::cost(bool write, std::uint64_t address, std::uint64_t length) const {
    SramAccess a;
    if (length == 0) return a;
    const std::uint64_t wb = m_config.word_bytes();
    a.words = (address + length - 1) / wb - address / wb + 1;
    const std::uint64_t per_bank = (a.words + m_config.banks - 1) / m_config.banks;
    const std::uint64_t beats = (per_bank + m_config.ports - 1) / m_config.ports;
    a.cycles = (write ? m_config.write_latency_cycles : m_config.read_latency_cycles) + beats - 1;
    a.energy_pj = double(a.words) * (write ? m_write_pj : m_read_pj);
    return a;
}

SramAccess SramCore::access(bool write, std::uint64_t address, std::uint64_t length) {
    if (!in_range(address, length))
        throw Error(fmt::format("{}: access of {} bytes at 0x{:x} leaves the {} bytes of the buffer", m_config.name,
                                length, address, m_config.capacity_bytes));
    const SramAccess a = cost(write, address, length);
    auto& n = m_counters;
    if (write) {
        ++n.writes;
        n.words_written += a.words;
        n.bytes_written += length;
        n.write_energy_pj += a.energy_pj;
    } else {
        ++n.reads;
        n.words_read += a.words;
        n.bytes_read += length;
        n.read_energy_pj += a.energy_pj;
    }
    n.busy_cycles += a.cycles;
    return a;
}

void SramCore::swap() {
    if (!m_config.double_buffered) throw Error(fmt::format("{}: swap() on a buffer that is not double-buffered", m_config.name));
    m_fill = compute_half();
    ++m_swaps;
}

}  // namespace spark::buffer
