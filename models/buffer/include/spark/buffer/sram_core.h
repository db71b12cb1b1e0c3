// SPDX-License-Identifier: Apache-2.0
// On-chip SRAM buffer (weight, activation or output buffer) without SystemC: geometry, access cycles and
// energy per access. The SystemC module Sram and the platform's fast path both call it.
//
// Timing contract: words are interleaved over banks (word i in bank i % banks); each bank serves `ports` words
// per cycle. An access touching n words takes latency + ceil(ceil(n / banks) / ports) - 1 cycles, latency being
// read_latency_cycles or write_latency_cycles.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace spark::buffer {

// Energy of one access to one word of 64 bits in one bank of `bank_bytes`; other word widths scale linearly.
struct EnergyPoint {
    std::uint64_t bank_bytes = 0;
    double read_pj = 0.0;
    double write_pj = 0.0;
};

// The default 28 nm table (see docs/buffer.md for its derivation); configurable through "energy_table".
std::vector<EnergyPoint> default_energy_table_28nm();

struct SramConfig {
    std::string name = "sram";
    std::uint64_t capacity_bytes = 64 * 1024;
    unsigned word_bits = 64;
    unsigned banks = 4;
    unsigned ports = 1;                 // words per bank per cycle
    unsigned read_latency_cycles = 1;
    unsigned write_latency_cycles = 1;
    double clock_mhz = 500.0;
    bool double_buffered = false;       // split into two halves: one filled by DMA while compute reads the other
    std::vector<EnergyPoint> energy_table = default_energy_table_28nm();

    unsigned word_bytes() const { return word_bits / 8; }
    std::uint64_t bank_bytes() const { return capacity_bytes / banks; }
    double clock_period_ns() const { return 1000.0 / clock_mhz; }

    // Throws spark::Error naming the field and value when the geometry is inconsistent.
    void validate(const std::string& source = "sram config") const;
    // {"capacity_bytes": ..., "word_bits": ..., ...}; unknown keys are errors.
    static SramConfig from_json(const nlohmann::json& j, const std::string& source);
    // The same over `base`: every field the object leaves out keeps base's value (capacity_bytes included).
    static SramConfig from_json(const nlohmann::json& j, const std::string& source, const SramConfig& base);
};

struct SramCounters {
    std::uint64_t reads = 0;          // read accesses (transactions)
    std::uint64_t writes = 0;
    std::uint64_t words_read = 0;
    std::uint64_t words_written = 0;
    std::uint64_t bytes_read = 0;
    std::uint64_t bytes_written = 0;
    std::uint64_t busy_cycles = 0;    // sum of access cycles
    double read_energy_pj = 0.0;
    double write_energy_pj = 0.0;
    double energy_pj() const { return read_energy_pj + write_energy_pj; }
};

struct SramStat {
    std::string name;
    std::string unit;
    std::string description;
    double value = 0.0;
};
std::vector<SramStat> describe(const SramCounters& counters);

struct SramAccess {
    std::uint64_t cycles = 0;
    std::uint64_t words = 0;
    double energy_pj = 0.0;
};

enum class Half { lower = 0, upper = 1 };

class SramCore {
public:
    explicit SramCore(SramConfig config);

    const SramConfig& config() const { return m_config; }
    std::uint64_t size_bytes() const { return m_config.capacity_bytes; }
    bool in_range(std::uint64_t address, std::uint64_t length) const {
        return length <= m_config.capacity_bytes && address <= m_config.capacity_bytes - length;
    }
    // Cost of an access without recording it.
    SramAccess cost(bool write, std::uint64_t address, std::uint64_t length) const;
    // Cost of an access, recorded in the counters. Throws spark::Error when it leaves the buffer.
    SramAccess access(bool write, std::uint64_t address, std::uint64_t length);
    double read_pj_per_word() const { return m_read_pj; }
    double write_pj_per_word() const { return m_write_pj; }
    const SramCounters& counters() const { return m_counters; }

    // Ping-pong halves (double_buffered only): the fill half takes DMA writes, the compute half feeds the array.
    Half fill_half() const { return m_fill; }
    Half compute_half() const { return m_fill == Half::lower ? Half::upper : Half::lower; }
    std::uint64_t half_bytes() const { return m_config.capacity_bytes / 2; }
    std::uint64_t half_base(Half h) const { return h == Half::lower ? 0 : half_bytes(); }
    void swap();
    std::uint64_t swaps() const { return m_swaps; }

private:
    SramConfig m_config;
    double m_read_pj = 0.0, m_write_pj = 0.0;
    SramCounters m_counters;
    Half m_fill = Half::lower;
    std::uint64_t m_swaps = 0;
};

}  // namespace spark::buffer
