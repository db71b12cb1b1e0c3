// SPDX-License-Identifier: Apache-2.0
// The timing bound (spark/dram/bound.h): what it computes, and that no preset's controller beats it. A model
// faster than its timing allows is as wrong as a slow one.
#include <catch2/catch.hpp>

#include <random>
#include <vector>

#include "spark/dram/bound.h"
#include "spark/dram/dram_core.h"

using namespace spark::dram;

namespace {

struct Run {
    double gbps = 0;
    TimingBound bound;
};

// n requests of 64 bytes, all there at cycle 0, through the queued path (or access() for lt); random over
// `range` bytes or sequential; one write in `write_every` (0: none).
Run run(const std::string& preset, bool random, bool lt, unsigned n, unsigned write_every = 0) {
    DramCore core(DramConfig::from_preset(preset));
    const std::uint64_t range = std::min<std::uint64_t>(core.size_bytes(), 1ull << 30);
    std::mt19937_64 rng(7);
    std::vector<std::uint64_t> addresses(n);
    for (unsigned i = 0; i < n; ++i) addresses[i] = random ? (rng() % (range / 64)) * 64 : std::uint64_t(i) * 64;
    Cycle end = 0;
    double bytes = 0;
    if (lt) {
        for (unsigned i = 0; i < n; ++i) {
            const bool write = write_every && i % write_every == 0;
            end = std::max(end, core.access(write, addresses[i], 64, 0).completion);
            bytes += 64;
        }
    } else {
        std::vector<Completion> done;
        unsigned next = 0;
        while (next < n || core.next_decision()) {
            while (next < n && core.can_accept(addresses[next], 64)) {
                core.enqueue(write_every && next % write_every == 0, addresses[next], 64, 0);
                ++next;
            }
            const auto d = core.next_decision();
            if (!d) break;
            done.clear();
            core.advance(*d, done);
            for (const auto& c : done) {
                end = std::max(end, c.completion);
                bytes += 64;
            }
        }
    }
    Run r;
    r.gbps = bytes / (double(end) * core.config().tck_ns);
    r.bound = timing_bound(core.config(), core.stats(end).counters, bytes);
    return r;
}

}  // namespace

TEST_CASE("timing bound: the data bus, activates and banks, by hand", "[dram][bound]") {
    const DramConfig c = DramConfig::from_preset("DDR4-2400");  // BL8 (4 cycles), tFAW 26, tRC 55, 16 banks
    DramCounters n;
    n.reads = 1000;
    n.activates = 1000;
    const TimingBound b = timing_bound(c, n, 64000.0);
    CHECK(b.data_bus_cycles == Approx(4000));
    CHECK(b.activate_cycles == Approx(1000 * 26 / 4.0));
    CHECK(b.bank_cycles == Approx(1000 * 55 / 16.0));
    CHECK(b.limited_by == "activates");
    CHECK(b.cycles == Approx(6500));
    CHECK(b.gbps == Approx(64000.0 / (6500 * c.tck_ns)));
    n.activates = 10;
    n.write_to_read = 10;
    n.read_to_write = 10;
    const TimingBound h = timing_bound(c, n, 64000.0);
    CHECK(h.limited_by == "data bus");
    CHECK(h.data_bus_cycles == Approx(4000 + 10 * (3 + 16) + 10 * 2));
}

TEST_CASE("timing bound: no preset moves random, sequential or mixed traffic faster than its timing allows",
          "[dram][bound]") {
    for (const auto& preset : DramConfig::preset_names()) {
        for (bool lt : {false, true}) {
            for (auto [random, writes] : {std::pair{true, 0u}, std::pair{false, 0u}, std::pair{true, 3u}}) {
                INFO(preset << (lt ? " lt" : " queued") << (random ? " random" : " sequential") << " writes 1/"
                            << writes);
                const Run r = run(preset, random, lt, 4000, writes);
                CHECK(r.gbps <= r.bound.gbps * 1.0001);
                CHECK(r.gbps > 0.3 * r.bound.gbps);  // and the run is not absurdly slow either
            }
        }
    }
}
