// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

#include "spark/common/error.h"
#include "spark/dram/backing_store.h"
#include "spark/dram/dram_core.h"

using namespace spark::dram;

namespace {

std::uint64_t address_of(const DramCore& core, unsigned bank_group, unsigned bank, std::uint32_t row, unsigned column = 0) {
    DecodedAddress d;
    d.bank_group = bank_group;
    d.bank = bank;
    d.row = row;
    d.column = column;
    return core.mapping().encode(d);
}

}  // namespace

TEST_CASE("every preset loads and reports its peak bandwidth", "[dram][config]") {
    const auto names = DramConfig::preset_names();
    REQUIRE(names.size() == 5);
    for (const auto& n : names) {
        const auto c = DramConfig::from_preset(n);
        CHECK(c.name == n);
        CHECK(c.source.count("timing") == 1);
        CHECK(c.source.count("power") == 1);
        CHECK(c.size_bytes() > 0);
    }
    CHECK(DramConfig::from_preset("DDR4-3200").peak_bandwidth_gbps() == Approx(25.6));
    CHECK(DramConfig::from_preset("DDR4-2400").peak_bandwidth_gbps() == Approx(19.2));
    CHECK(DramConfig::from_preset("LPDDR4-3200").peak_bandwidth_gbps() == Approx(6.4));
    CHECK(DramConfig::from_preset("HBM2").peak_bandwidth_gbps() == Approx(16.0));
    CHECK(DramConfig::from_preset("DDR4-3200").size_bytes() == 8ull << 30);
    CHECK(DramConfig::from_preset("HBM2").size_bytes() == 256ull << 20);
}

TEST_CASE("address mapping is a bijection with bank groups interleaved per burst", "[dram][mapping]") {
    DramCore core(DramConfig::from_preset("DDR4-3200"));
    const auto& m = core.mapping();
    for (std::uint64_t a : {0ull, 64ull, 128ull, 4096ull, 123456789ull * 64, (8ull << 30) - 64}) {
        CHECK(m.encode(m.decode(a)) == a);
    }
    CHECK(m.decode(0).bank_group == 0);
    CHECK(m.decode(64).bank_group == 1);
    CHECK(m.decode(256).bank_group == 0);
    CHECK(m.decode(256).column == 1);
}

TEST_CASE("a row miss, a row conflict and a row hit take the closed-form latencies", "[dram][timing]") {
    const auto cfg = DramConfig::from_preset("DDR4-3200");
    const auto& t = cfg.timing;
    const Cycle burst = cfg.burst_cycles();
    DramCore core(cfg);
    const auto a = address_of(core, 1, 2, 100);
    const auto miss = core.access(false, a, 64, 100);
    CHECK(miss.completion - miss.arrival == t.RCD + t.CL + burst);
    const auto hit = core.access(false, a + 256, 64, 1000);
    CHECK(hit.completion - hit.arrival == t.CL + burst);
    CHECK(hit.row_hits == 1);
    const auto conflict = core.access(false, address_of(core, 1, 2, 101), 64, 2000);
    CHECK(conflict.completion - conflict.arrival == t.RP + t.RCD + t.CL + burst);
    const auto write_miss = core.access(true, address_of(core, 2, 0, 7), 64, 3000);
    CHECK(write_miss.completion - write_miss.arrival == t.RCD_WR + t.CWL + burst);
}

TEST_CASE("a sequential 64-byte read stream on DDR4-3200 reaches 85% of peak", "[dram][bandwidth]") {
    const auto cfg = DramConfig::from_preset("DDR4-3200");
    DramCore core(cfg);
    const unsigned n = 200000;  // 12.8 MB, about 40 refresh intervals
    Cycle last = 0;
    for (unsigned i = 0; i < n; ++i) last = std::max(last, core.access(false, std::uint64_t(i) * 64, 64, 0).completion);
    const double seconds_ns = double(last) * cfg.tck_ns;
    const double gbps = double(n) * 64 / seconds_ns;
    INFO("bandwidth " << gbps << " GB/s of " << cfg.peak_bandwidth_gbps());
    CHECK(gbps >= 0.85 * cfg.peak_bandwidth_gbps());
    const auto s = core.stats(last);
    CHECK(s.counters.reads == n);
    CHECK(s.counters.row_hits > n * 9 / 10);
    CHECK(s.counters.refreshes == last / cfg.timing.REFI);
}

TEST_CASE("refreshes follow tREFI and show as periodic latency spikes", "[dram][refresh]") {
    const auto cfg = DramConfig::from_preset("DDR4-3200");
    const auto& t = cfg.timing;
    DramCore core(cfg);
    // One read every 100 cycles, one outstanding, for 20 refresh intervals.
    const Cycle period = 100;
    const Cycle end = 20 * t.REFI + 50;
    unsigned spikes = 0;
    Cycle worst = 0;
    for (Cycle at = 0; at < end; at += period) {
        const auto c = core.access(false, (at / period) * 64 % (1 << 20), 64, at);
        worst = std::max(worst, c.completion - c.arrival);
        if (c.completion - c.arrival > t.RFC / 2) ++spikes;
    }
    const auto s = core.stats(end);
    CHECK(s.counters.refreshes == end / t.REFI);
    CHECK(worst > t.RFC / 2);
    CHECK(worst <= t.RFC + t.RP + t.RCD + t.CL + cfg.burst_cycles() + t.RTP + 2);
    // Each refresh delays the few requests that land inside its tRFC.
    CHECK(spikes >= s.counters.refreshes);
    CHECK(spikes <= s.counters.refreshes * (t.RFC / period + 1));
    // Idle memory refreshes too.
    DramCore idle(cfg);
    CHECK(idle.stats(100 * t.REFI).counters.refreshes == 100);
}

TEST_CASE("a long idle gap is refreshed in closed form, as one refresh at a time would", "[dram][refresh]") {
    const auto cfg = DramConfig::from_preset("DDR4-3200");
    const auto& t = cfg.timing;
    const Cycle rank_count = cfg.geometry.channels * cfg.geometry.ranks;
    // 2 intervals take the one-at-a-time path, the others the closed form; both must follow the same rule.
    for (const Cycle intervals : {Cycle{2}, Cycle{100}, Cycle{10'000'000}}) {
        DramCore idle(cfg);
        const Cycle end = intervals * t.REFI + 7;
        const auto s = idle.stats(end);
        CHECK(s.counters.refreshes == intervals * rank_count);
        // The last refresh starts at intervals x tREFI and is cut off by the end 7 cycles later.
        CHECK(s.counters.active_standby_cycles == ((intervals - 1) * t.RFC + 7) * rank_count);
        CHECK(s.counters.active_standby_cycles + s.counters.precharged_standby_cycles == end * rank_count);
    }
    // An access after a gap of a million intervals: the refreshes in between, then the access as on a fresh rank.
    DramCore core(cfg);
    core.access(false, 0, 64, 0);
    const Cycle later = Cycle{1'000'000} * t.REFI + t.REFI / 2;
    const auto c = core.access(false, 64, 64, later);
    CHECK(c.completion - c.arrival <= t.RCD + t.CL + cfg.burst_cycles() + 2);
    CHECK(core.stats(later + t.REFI / 4).counters.refreshes == 1'000'000 * rank_count);
}

TEST_CASE("energy equals the hand-counted commands of a small trace", "[dram][energy]") {
    auto cfg = DramConfig::from_preset("DDR4-3200");
    cfg.controller.refresh = RefreshKind::none;
    DramCore core(cfg);
    core.access(false, address_of(core, 0, 0, 5), 64, 0);          // miss: ACT + RD
    core.access(false, address_of(core, 0, 0, 5, 3), 64, 200);     // hit: RD
    core.access(true, address_of(core, 0, 0, 9), 64, 400);         // conflict: PRE + ACT + WR
    const Cycle end = 1000;
    const auto s = core.stats(end);
    CHECK(s.counters.activates == 2);
    CHECK(s.counters.precharges == 1);
    CHECK(s.counters.reads == 2);
    CHECK(s.counters.writes == 1);
    CHECK(s.counters.row_hits == 1);
    CHECK(s.counters.row_misses == 1);
    CHECK(s.counters.row_conflicts == 1);
    CHECK(s.counters.active_standby_cycles + s.counters.precharged_standby_cycles == end);
    // By hand, DDR4-3200 preset, 8 devices, tCK 0.625 ns: VDD 1.2 V, VPP 2.5 V.
    const double tck = 0.625;
    const double act = 8 * (1.2 * (57 - 47) + 2.5 * (3 - 3)) * 52 * tck;  // (IDD0 - IDD3N) tRAS
    const double pre = 8 * (1.2 * (57 - 37) + 2.5 * (3 - 3)) * 22 * tck;  // (IDD0 - IDD2N) (tRC - tRAS)
    const double rd = 8 * (1.2 * (170 - 47) + 2.5 * 0) * 4 * tck;         // (IDD4R - IDD3N) tBURST
    const double wr = 8 * (1.2 * (154 - 47) + 2.5 * 0) * 4 * tck;
    CHECK(s.energy.act_pj == Approx(2 * act));
    CHECK(s.energy.pre_pj == Approx(pre));
    CHECK(s.energy.read_pj == Approx(2 * rd));
    CHECK(s.energy.write_pj == Approx(wr));
    CHECK(s.energy.refresh_pj == 0.0);
    const double bg = 8 * tck * ((1.2 * 47 + 2.5 * 3) * double(s.counters.active_standby_cycles) +
                                 (1.2 * 37 + 2.5 * 3) * double(s.counters.precharged_standby_cycles));
    CHECK(s.energy.active_background_pj + s.energy.precharged_background_pj == Approx(bg));
    // The bank opens at cycle 0 and is closed only between the conflict's PRE and ACT, for exactly tRP.
    CHECK(s.counters.precharged_standby_cycles == cfg.timing.RP);
}

TEST_CASE("refresh energy counts every REF", "[dram][energy]") {
    const auto cfg = DramConfig::from_preset("DDR4-2400");
    DramCore core(cfg);
    const auto s = core.stats(10 * cfg.timing.REFI);
    CHECK(s.counters.refreshes == 10);
    const double per_ref = 8 * (1.2 * (250 - 43) + 2.5 * (28 - 3)) * 420 * cfg.tck_ns;
    CHECK(s.energy.refresh_pj == Approx(10 * per_ref));
}

TEST_CASE("FR-FCFS serves a younger row hit before an older conflict, FCFS does not", "[dram][scheduler]") {
    for (const auto kind : {SchedulerKind::fr_fcfs, SchedulerKind::fcfs}) {
        auto cfg = DramConfig::from_preset("DDR4-3200");
        cfg.controller.scheduler = kind;
        DramCore core(cfg);
        core.access(false, address_of(core, 0, 0, 1), 64, 0);  // opens row 1 in bank group 0
        core.access(false, address_of(core, 1, 0, 1), 64, 100);  // last CAS in bank group 1
        const auto conflict = core.enqueue(false, address_of(core, 0, 0, 2), 64, 500);
        const auto hit = core.enqueue(false, address_of(core, 0, 0, 1, 4), 64, 500);
        std::vector<Completion> done;
        while (auto d = core.next_decision()) core.advance(*d, done);
        REQUIRE(done.size() == 2);
        const auto find = [&](std::uint64_t id) {
            return std::find_if(done.begin(), done.end(), [id](const Completion& c) { return c.transaction == id; })->completion;
        };
        if (kind == SchedulerKind::fr_fcfs) CHECK(find(hit) < find(conflict));
        else CHECK(find(conflict) < find(hit));
    }
}

TEST_CASE("FR-FCFS: a younger hit does not delay an older request to another bank group", "[dram][scheduler]") {
    // The hit's CAS can go first (tCCD_L behind the last one), the miss needs an ACT and tRCD: first-ready serves
    // the hit first, and the miss's ACT and data keep (within a command-bus cycle) the slots they would have alone.
    auto run = [](bool with_hit) {
        DramCore core(DramConfig::from_preset("DDR4-3200"));
        core.access(false, address_of(core, 0, 0, 1), 64, 0);  // row 1 open in bank group 0, last CAS there
        const auto other = core.enqueue(false, address_of(core, 2, 0, 3), 64, 500);  // older, bank group 2, miss
        if (with_hit) core.enqueue(false, address_of(core, 0, 0, 1, 9), 64, 500);   // younger hit, tCCD_L behind
        std::vector<Completion> done;
        while (auto d = core.next_decision()) core.advance(*d, done);
        REQUIRE(done.size() == (with_hit ? 2u : 1u));
        for (const auto& c : done)
            if (c.transaction == other) return c.completion;
        FAIL("the older request did not complete");
        return Cycle(0);
    };
    // At most the one command-bus cycle the hit's CAS takes.
    const Cycle alone = run(false);
    CHECK(run(true) <= alone + 1);
}

TEST_CASE("transactions longer than a burst are split, the queue back-pressures", "[dram][queue]") {
    DramCore core(DramConfig::from_preset("DDR4-3200"));
    CHECK(core.bursts_of(0, 64) == 1);
    CHECK(core.bursts_of(32, 64) == 2);
    CHECK(core.bursts_of(0, 4096) == 64);
    const auto c = core.access(false, 0, 4096, 0);
    CHECK(c.bursts == 64);
    CHECK(core.can_accept(0, 64 * 32));
    core.enqueue(false, 0, 64 * 30, 0);
    CHECK(core.can_accept(0, 128));
    CHECK_FALSE(core.can_accept(0, 192));
    CHECK_THROWS_AS(core.enqueue(false, core.size_bytes(), 64, 0), spark::Error);
}

TEST_CASE("config validation names the field and the value", "[dram][config]") {
    using nlohmann::json;
    auto with = [](const char* patch) {
        json j = json::parse(R"({"base_preset": "DDR4-3200"})");
        j.merge_patch(json::parse(patch));
        return DramConfig::from_json(j, "my.json");
    };
    CHECK_NOTHROW(with("{}"));
    CHECK_THROWS_WITH(with(R"({"timing_cycles": {"RAS": 10}})"), Catch::Contains("my.json: timing_cycles.RAS: tRAS (10) must not be shorter than tRCD (22)"));
    CHECK_THROWS_WITH(with(R"({"timing_cycles": {"RC": 60}})"), Catch::Contains("timing_cycles.RC: tRC (60) must be at least tRAS + tRP (52 + 22)"));
    CHECK_THROWS_WITH(with(R"({"geometry": {"rows": 0}})"), Catch::Contains("geometry.rows: must be positive, got 0"));
    CHECK_THROWS_WITH(with(R"({"geometry": {"banks_per_group": 3}})"), Catch::Contains("geometry.banks_per_group: must be a power of two, got 3"));
    CHECK_THROWS_WITH(with(R"({"timing_cycles": {"tRCD": 3}})"), Catch::Contains("unknown field(s): timing_cycles.tRCD"));
    CHECK_THROWS_WITH(with(R"({"controller": {"scheduler": "lifo"}})"), Catch::Contains("controller.scheduler: unknown scheduler \"lifo\""));
    CHECK_THROWS_WITH(with(R"({"controller": {"address_mapping": ["row", "bank"]}})"), Catch::Contains("controller.address_mapping: field"));
    CHECK_THROWS_WITH(with(R"({"clock_mhz": -5})"), Catch::Contains("clock_mhz: must be positive, got -5"));
    CHECK_THROWS_WITH(with(R"({"clock_mhz": 1e308})"), Catch::Contains("clock_mhz: must be at most 20000"));
    CHECK_THROWS_WITH(with(R"({"geometry": {"channels": 4096}})"), Catch::Contains("geometry.channels: must be at most 64, got 4096"));
    CHECK_THROWS_WITH(with(R"({"geometry": {"channels": 64, "ranks": 16, "rows": 16777216, "columns": 65536}})"),
                      Catch::Contains("geometry: channels x ranks x banks x rows x row bytes is"));
    CHECK_THROWS_WITH(with(R"({"controller": {"queue_depth": 4000000000}})"),
                      Catch::Contains("controller.queue_depth: must be at most 65536, got 4000000000"));
    CHECK_THROWS_WITH(with(R"({"geometry": {"ranks": 4294967297}})"), Catch::Contains("geometry.ranks: out of range"));
    CHECK_THROWS_WITH(with(R"({"power_rails": [{"name": "VDD", "voltage_v": 1.2, "idd0_ma": 10, "idd2n_ma": 30, "idd3n_ma": 40, "idd4r_ma": 100, "idd4w_ma": 100, "idd5b_ma": 200}]})"),
                      Catch::Contains("power_rails[0].idd0_ma: IDD0 (10) must be >= IDD2N (30) and IDD3N (40)"));
    CHECK_THROWS_WITH(DramConfig::from_preset("DDR5-9999"), Catch::Contains("unknown DRAM preset \"DDR5-9999\""));
    CHECK_THROWS_WITH(DramConfig::from_json(json::parse(R"({"base_preset": "XDR"})"), "x.json"), Catch::Contains("x.json: base_preset: unknown preset \"XDR\""));
    CHECK_THROWS_WITH(DramConfig::from_file("/nonexistent/dram.json"), Catch::Contains("/nonexistent/dram.json: cannot open"));
}

TEST_CASE("the backing store is sparse and honours byte enables and streaming width", "[dram][store]") {
    BackingStore store(8ull << 30);
    unsigned char out[8] = {1, 1, 1, 1, 1, 1, 1, 1};
    store.read(6ull << 30, out, 8);
    CHECK(std::all_of(out, out + 8, [](unsigned char c) { return c == 0; }));
    CHECK(store.allocated_pages() == 0);
    const unsigned char data[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    store.write(6ull << 30, data, 8);
    CHECK(store.allocated_pages() == 1);
    const unsigned char enable[2] = {0xff, 0x00};
    const unsigned char fresh[8] = {9, 9, 9, 9, 9, 9, 9, 9};
    store.write(6ull << 30, fresh, 8, enable, 2);
    store.read(6ull << 30, out, 8);
    CHECK(std::vector<int>(out, out + 8) == std::vector<int>{9, 2, 9, 4, 9, 6, 9, 8});
    // Streaming width 2: the eight bytes land on the same two addresses, the last pair wins.
    store.write(100, data, 8, nullptr, 0, 2);
    store.read(100, out, 2);
    CHECK(out[0] == 7);
    CHECK(out[1] == 8);
}

TEST_CASE("a transaction far longer than the queue is served in order at streaming speed", "[dram][queue]") {
    // 16 MiB in one request: the scheduler sees queue_depth bursts at a time, so this takes about as long (in
    // host time) as 262144 one-burst requests, and the memory's time is that of a sequential stream.
    const auto cfg = DramConfig::from_preset("DDR4-3200");
    DramCore core(cfg);
    const std::uint32_t length = 16u << 20;
    const Completion c = core.access(false, 0, length, 0);
    CHECK(c.bursts == length / cfg.geometry.burst_bytes());
    const double gb_per_s = double(length) / (double(c.completion) * cfg.tck_ns);
    CHECK(gb_per_s >= 0.85 * cfg.peak_bandwidth_gbps());
    CHECK(core.stats(c.completion).counters.bytes_read == length);
}

TEST_CASE("two channels of two ranks: bursts interleave across channels and the stream scales", "[dram][geometry]") {
    nlohmann::json j = nlohmann::json::parse(R"({"base_preset": "DDR4-3200", "geometry": {"channels": 2, "ranks": 2}})");
    const auto cfg = DramConfig::from_json(j, "two-channel.json");
    CHECK(cfg.size_bytes() == 4 * DramConfig::from_preset("DDR4-3200").size_bytes());
    CHECK(cfg.peak_bandwidth_gbps() == Approx(2 * DramConfig::from_preset("DDR4-3200").peak_bandwidth_gbps()));
    DramCore core(cfg);
    const auto& m = core.mapping();
    CHECK(m.decode(0).channel == 0);
    CHECK(m.decode(64).channel == 1);  // the channel field sits right above the burst offset
    bool saw_rank1 = false;
    for (std::uint64_t i = 1; i <= 64; ++i) {
        const std::uint64_t a = (i * 0x9E3779B97F4A7C15ull) % cfg.size_bytes() & ~std::uint64_t(63);
        const auto d = m.decode(a);
        CHECK(d.channel < 2);
        CHECK(d.rank < 2);
        saw_rank1 |= d.rank == 1;
        CHECK(m.encode(d) == a);
    }
    CHECK(saw_rank1);
    const unsigned n = 200000;
    Cycle last = 0;
    for (unsigned i = 0; i < n; ++i) last = std::max(last, core.access(false, std::uint64_t(i) * 64, 64, 0).completion);
    const double gbps = double(n) * 64 / (double(last) * cfg.tck_ns);
    INFO("bandwidth " << gbps << " GB/s of " << cfg.peak_bandwidth_gbps());
    CHECK(gbps >= 0.85 * cfg.peak_bandwidth_gbps());
    const auto s = core.stats(last);
    CHECK(s.counters.reads == n);
    // Every rank of every channel refreshes once per tREFI.
    CHECK(s.counters.refreshes >= 4 * (last / cfg.timing.REFI));
    CHECK(s.counters.refreshes <= 4 * (last / cfg.timing.REFI + 1));
}

TEST_CASE("address mappings by name, and a column split into pieces, are bijections", "[dram][mapping]") {
    using nlohmann::json;
    auto with = [](const json& mapping) {
        json j = json::parse(R"({"base_preset": "DDR4-3200"})");
        j["controller"]["address_mapping"] = mapping;
        return DramConfig::from_json(j, "my.json");
    };
    const DramConfig rbc = with("row-bank-column");
    CHECK(rbc.controller.address_mapping_name == "row-bank-column");
    const DramConfig bgi = with("bank-group-interleaved");
    const DramConfig split = with(json::array({"row", "rank", "bank", "column", "bank_group", "column:1", "channel"}));
    // Row-bank-column: consecutive bursts stay in one bank's row; bank-group-interleaved rotates bank groups; the
    // split keeps two bursts together, then rotates.
    const AddressMapping a(rbc), b(bgi), c(split);
    const unsigned burst = rbc.geometry.burst_bytes();
    CHECK(a.decode(burst).bank_group == 0);
    CHECK(a.decode(burst).column == 1);
    CHECK(b.decode(burst).bank_group == 1);
    CHECK(b.decode(burst).column == 0);
    CHECK(c.decode(burst).bank_group == 0);
    CHECK(c.decode(burst).column == 1);
    CHECK(c.decode(2 * burst).bank_group == 1);
    CHECK(c.decode(2 * burst).column == 0);
    CHECK(c.decode(8 * burst).column == 2);  // past the four bank groups: the column's next bit
    for (const AddressMapping* m : {&a, &b, &c})
        for (std::uint64_t addr = 0; addr < (1u << 22); addr += 4096 + 64)
            CHECK(m->encode(m->decode(addr)) == addr);
    CHECK_THROWS_WITH(with("random"), Catch::Contains("controller.address_mapping: unknown mapping \"random\""));
    CHECK_THROWS_WITH(with(json::array({"row", "rank", "bank", "column", "bank_group", "column:x", "channel"})),
                      Catch::Contains("a column piece needs a bit count"));
    CHECK_THROWS_WITH(with(json::array({"row", "rank", "bank", "column", "bank_group", "column:9", "channel"})),
                      Catch::Contains("column pieces take 9 bits"));
}
