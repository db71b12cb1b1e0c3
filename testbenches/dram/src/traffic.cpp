// SPDX-License-Identifier: Apache-2.0
#include "spark/tb_memory/traffic.h"

#include <cmath>
#include <fstream>
#include <random>
#include <sstream>

#include <fmt/format.h>

#include "spark/common/error.h"
#include "spark/common/file.h"

namespace spark::tb_memory {

Pattern parse_pattern(const std::string& name) {
    if (name == "seq-read") return Pattern::sequential_read;
    if (name == "seq-write") return Pattern::sequential_write;
    if (name == "random-read") return Pattern::random_read;
    if (name == "mixed") return Pattern::mixed;
    throw Error(fmt::format("--pattern: unknown pattern \"{}\" (seq-read, seq-write, random-read, mixed)", name));
}

std::string to_string(Pattern p) {
    switch (p) {
    case Pattern::sequential_read: return "seq-read";
    case Pattern::sequential_write: return "seq-write";
    case Pattern::random_read: return "random-read";
    case Pattern::mixed: return "mixed";
    }
    return "?";
}

std::vector<Request> generate(Pattern pattern, std::uint64_t count, std::uint32_t length, std::uint64_t region_bytes,
                              std::uint64_t seed) {
    if (length == 0) throw Error("--length: must be positive, got 0");
    if (region_bytes < length) throw Error(fmt::format("--size: region of {} bytes is smaller than one request of {}", region_bytes, length));
    std::mt19937_64 rng(seed);
    const std::uint64_t slots = region_bytes / length;
    std::vector<Request> out;
    out.reserve(count);
    for (std::uint64_t i = 0; i < count; ++i) {
        Request r;
        r.length = length;
        switch (pattern) {
        case Pattern::sequential_read:
        case Pattern::sequential_write:
            r.address = (i % slots) * length;
            r.write = pattern == Pattern::sequential_write;
            break;
        case Pattern::random_read:
            r.address = (rng() % slots) * length;
            break;
        case Pattern::mixed:
            r.address = (rng() % slots) * length;
            r.write = rng() % 3 == 0;
            break;
        }
        out.push_back(r);
    }
    return out;
}

std::vector<Request> parse_trace(const std::string& text, const std::string& source) {
    std::vector<Request> out;
    std::istringstream in(text);
    std::string line;
    for (unsigned number = 1; std::getline(in, line); ++number) {
        if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
        for (char& c : line)
            if (c == ',' || c == '\t' || c == '\r') c = ' ';
        std::istringstream fields(line);
        std::string time, kind, address, length, extra;
        if (!(fields >> time)) continue;  // blank or comment
        const auto fail = [&](const std::string& what) {
            throw Error(fmt::format("{}:{}: {} (expected \"time_ns, R|W, address, length\")", source, number, what));
        };
        if (!(fields >> kind >> address >> length)) fail("too few fields");
        if (fields >> extra) fail(fmt::format("unexpected field \"{}\"", extra));
        Request r;
        try {
            std::size_t used = 0;
            r.time_ns = std::stod(time, &used);
            if (used != time.size() || !std::isfinite(r.time_ns) || r.time_ns < 0 || r.time_ns > kMaxTraceTimeNs) throw std::invalid_argument("");
        } catch (const std::exception&) {
            fail(fmt::format("bad time \"{}\" (0 .. {:g} ns)", time, kMaxTraceTimeNs));
        }
        if (kind == "R" || kind == "r") r.write = false;
        else if (kind == "W" || kind == "w") r.write = true;
        else fail(fmt::format("bad command \"{}\" (R or W)", kind));
        try {
            std::size_t used = 0;
            r.address = std::stoull(address, &used, 0);
            if (used != address.size() || address[0] == '-') throw std::invalid_argument("");
        } catch (const std::exception&) {
            fail(fmt::format("bad address \"{}\"", address));
        }
        try {
            std::size_t used = 0;
            const auto n = std::stoul(length, &used, 0);
            if (used != length.size() || n == 0 || n > 1u << 24 || length[0] == '-') throw std::invalid_argument("");
            r.length = std::uint32_t(n);
        } catch (const std::exception&) {
            fail(fmt::format("bad length \"{}\" (1 .. 16 MiB)", length));
        }
        if (!out.empty() && r.time_ns < out.back().time_ns) fail(fmt::format("time {} goes backwards", time));
        out.push_back(r);
    }
    return out;
}

std::vector<Request> read_trace(const std::string& path) {
    require_not_directory(path);
    std::ifstream in(path);
    if (!in) throw Error(fmt::format("{}: cannot open trace file", path));
    std::stringstream text;
    text << in.rdbuf();
    return parse_trace(text.str(), path);
}

}  // namespace spark::tb_memory
