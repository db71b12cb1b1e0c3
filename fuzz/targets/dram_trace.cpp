// SPDX-License-Identifier: Apache-2.0
// tb_memory::parse_trace (tb-dram --trace) on arbitrary text. An accepted trace must hold what the issuer relies
// on (finite times in 0 .. kMaxTraceTimeNs, non-decreasing; lengths 1 .. 16 MiB) and survive being written back out.
#include <cmath>
#include <string>

#include <fmt/format.h>

#include "fuzz_support.h"
#include "spark/tb_memory/traffic.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace spark::tb_memory;
    const std::string text(reinterpret_cast<const char*>(data), size);
    std::vector<Request> trace;
    if (!spark::fuzz::accepts([&] { trace = parse_trace(text, "fuzz.trace"); })) return 0;
    std::string written;
    for (std::size_t i = 0; i < trace.size(); ++i) {
        const Request& r = trace[i];
        if (!std::isfinite(r.time_ns) || r.time_ns < 0 || r.time_ns > kMaxTraceTimeNs)
            spark::fuzz::fail("dram_trace", fmt::format("request {} has time {}", i, r.time_ns));
        if (i > 0 && r.time_ns < trace[i - 1].time_ns)
            spark::fuzz::fail("dram_trace", fmt::format("request {} goes back in time", i));
        if (r.length == 0 || r.length > (1u << 24))
            spark::fuzz::fail("dram_trace", fmt::format("request {} has length {}", i, r.length));
        written += fmt::format("{:.17g}, {}, {:#x}, {}\n", r.time_ns, r.write ? 'W' : 'R', r.address, r.length);
    }
    const std::vector<Request> again = parse_trace(written, "written");
    bool same = again.size() == trace.size();
    for (std::size_t i = 0; same && i < trace.size(); ++i)
        same = again[i].time_ns == trace[i].time_ns && again[i].write == trace[i].write &&
               again[i].address == trace[i].address && again[i].length == trace[i].length;
    if (!same) spark::fuzz::fail("dram_trace", "an accepted trace does not survive being written back out");
    return 0;
}
