// SPDX-License-Identifier: Apache-2.0
// Shared by the RTL co-simulation tests: options, seeded value draws, and the mismatch log that prints what
// reproduces a failure.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include <systemc>

#include "spark/codec/codec.h"

namespace spark::rtl_test {

inline const sc_core::sc_time kPeriod(5, sc_core::SC_NS);

// Options of the co-simulation executables, taken out of argv before the Catch2 session sees it:
//   --random N    random values (PEs: random operand pairs) per mode after the exhaustive part (default 10^6)
//   --seed S      seed of the draws and of Verilator's random initial state (default 1)
//   --vcd FILE    write RTL and model signals side by side into FILE (.vcd appended by SystemC)
//   --sweep N     PEs: only the first N steps of the 256 x 256 operand sweep (for short waveforms)
struct Options {
    std::uint64_t random_values = 1000000;
    std::uint64_t seed = 1;
    std::string vcd;
    std::uint64_t sweep_steps = UINT64_MAX;
};

inline Options take_options(int& argc, char** argv) {
    Options o;
    int out = 1;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if ((arg == "--random" || arg == "--seed" || arg == "--vcd" || arg == "--sweep") && i + 1 < argc) {
            const std::string value = argv[++i];
            if (arg == "--random") o.random_values = std::stoull(value);
            else if (arg == "--seed") o.seed = std::stoull(value);
            else if (arg == "--sweep") o.sweep_steps = std::stoull(value);
            else o.vcd = value;
        } else {
            argv[out++] = argv[i];
        }
    }
    argc = out;
    return o;
}

// Raw bytes of a mode: `long_tailed` draws a Laplace value of scale 8 around 0 (unsigned mode: its magnitude),
// clamped to the mode's range, as tb-codec does; otherwise uniform over all 256 bytes.
class ValueDraw {
public:
    ValueDraw(std::uint64_t seed, codec::Mode mode) : m_rng(seed), m_mode(mode) {}

    std::uint8_t next(bool long_tailed) {
        if (!long_tailed) return static_cast<std::uint8_t>(m_rng() & 0xFF);
        std::exponential_distribution<double> magnitude(1.0 / 8.0);
        double v = std::round(magnitude(m_rng));
        if (m_mode == codec::Mode::unsigned_u8) return static_cast<std::uint8_t>(std::min(v, 255.0));
        if (m_rng() & 1) v = -v;
        const int clamped = static_cast<int>(std::max(-128.0, std::min(127.0, v)));
        return static_cast<std::uint8_t>(static_cast<std::int8_t>(clamped));
    }
    std::uint64_t bits() { return m_rng(); }

private:
    std::mt19937_64 m_rng;
    codec::Mode m_mode;
};

// What the bench presented in one cycle, kept raw (formatted only when a mismatch is printed); the meaning of
// `field` is the test's own, given by its describe function.
struct Stimulus {
    std::uint64_t cycle = 0;
    std::uint64_t field[6] = {0, 0, 0, 0, 0, 0};
};

// Counts mismatches and prints the first few with the cycle, the signal, both values and the recent stimulus
// (the last kHistory cycles), plus the command line that replays the run.
class MismatchLog {
public:
    static constexpr std::size_t kHistory = 8;
    static constexpr std::uint64_t kPrinted = 10;
    using Describe = std::string (*)(const Stimulus&);

    MismatchLog(std::string test, std::string lane, const Options& o, Describe describe)
        : m_test(std::move(test)), m_lane(std::move(lane)), m_options(o), m_describe(describe) {}

    void stimulus(const Stimulus& s) { m_history[m_recorded++ % kHistory] = s; }

    template <typename A, typename B>
    void compare(std::uint64_t cycle, const char* signal, const A& rtl, const B& model) {
        ++m_compared;
        if (static_cast<std::uint64_t>(rtl) == static_cast<std::uint64_t>(model)) return;
        report(cycle, fmt::format("{}: RTL {} != model {}", signal, static_cast<std::uint64_t>(rtl),
                                  static_cast<std::uint64_t>(model)));
    }

    void report(std::uint64_t cycle, const std::string& what) {
        if (++m_count > kPrinted) return;
        std::string text = fmt::format("MISMATCH {} [{}] cycle {}: {}\n  stimulus of the last cycles:\n", m_test,
                                       m_lane, cycle, what);
        const std::uint64_t first = m_recorded > kHistory ? m_recorded - kHistory : 0;
        for (std::uint64_t i = first; i < m_recorded; ++i) {
            const Stimulus& s = m_history[i % kHistory];
            text += fmt::format("  cycle {}: {}\n", s.cycle, m_describe(s));
        }
        text += fmt::format("  reproduce: {} --random {} --seed {}\n", m_test, m_options.random_values,
                            m_options.seed);
        fmt::print(stderr, "{}", text);
    }

    std::uint64_t count() const { return m_count; }
    std::uint64_t compared() const { return m_compared; }

private:
    std::string m_test;
    std::string m_lane;
    Options m_options;
    Describe m_describe;
    Stimulus m_history[kHistory];
    std::uint64_t m_recorded = 0;
    std::uint64_t m_count = 0;
    std::uint64_t m_compared = 0;
};

}  // namespace spark::rtl_test
