// SPDX-License-Identifier: Apache-2.0
// What the memory testbench sends (the producer side; the issuer module decides how): generated patterns and
// replayed trace files.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace spark::tb_memory {

struct Request {
    double time_ns = 0.0;  // earliest issue time
    bool write = false;
    std::uint64_t address = 0;
    std::uint32_t length = 0;
};

enum class Pattern { sequential_read, sequential_write, random_read, mixed };

Pattern parse_pattern(const std::string& name);  // seq-read, seq-write, random-read, mixed
std::string to_string(Pattern p);

// `count` requests of `length` bytes inside [0, region_bytes), all ready at time 0. Random addresses are aligned
// to `length`; mixed is random with one write in three.
std::vector<Request> generate(Pattern pattern, std::uint64_t count, std::uint32_t length, std::uint64_t region_bytes,
                              std::uint64_t seed);

// Latest request time a trace may give (about 11.6 days): simulated time in ps and DRAM cycles stay far inside
// 64 bits.
inline constexpr double kMaxTraceTimeNs = 1e15;

// Trace text: one request per line, "time_ns, R|W, address, length" (commas or blanks between fields, address
// in decimal or 0x hex, '#' starts a comment). Errors name file:line.
std::vector<Request> read_trace(const std::string& path);
std::vector<Request> parse_trace(const std::string& text, const std::string& source);

}  // namespace spark::tb_memory
