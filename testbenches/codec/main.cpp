// SPDX-License-Identifier: Apache-2.0
// tb-codec: values -> Encoder -> Decoder at signal level in one simulation; checks the round trip against the
// codec core, prints cycles and coding statistics, optionally writes a VCD for GTKWave (traces/codec.gtkw).
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <boost/program_options.hpp>
#include <fmt/format.h>
#include <systemc>

#include "bench.h"
#include "spark/codec/stats.h"
#include "spark/codec/stream.h"
#include "spark/common/error.h"
#include "spark/common/options.h"
#include "values.h"

namespace po = boost::program_options;
using namespace spark::codec;

namespace {

constexpr double kDefaultClockMhz = 200.0;  // the encoder/decoder bandwidth check in the source is at 200 MHz
constexpr double kDefaultScale = 8.0;
constexpr std::size_t kMaxRandomValues = 100'000'000;

struct Options {
    std::vector<std::uint8_t> values;
    std::string source;
    Mode mode = Mode::signed_i8;
    double clock_mhz = kDefaultClockMhz;
    std::string vcd;
};

// Boost would wrap a negative number into an unsigned seed; accept digits only.
// Returns nullopt when --help was asked for.
std::optional<Options> parse_options(int argc, char** argv) {
    po::options_description desc(
        "tb-codec: SPARK encoder -> decoder at signal level, checked against the codec core\n"
        "Give the values with exactly one of --values, --file, --random");
    // clang-format off
    desc.add_options()
        ("help,h", "show this help")
        ("values", po::value<std::string>(), "integers separated by commas, e.g. 1,2,100,-3")
        ("file", po::value<std::string>(), "text file of integers separated by commas/whitespace; '#' comments")
        ("random", po::value<long long>(), "draw N random values")
        ("seed", po::value<std::string>()->default_value("1"), "random seed (unsigned 64-bit integer)")
        ("distribution", po::value<std::string>()->default_value("laplace"), "uniform | laplace | gaussian")
        ("scale", po::value<double>()->default_value(kDefaultScale),
         "half-width (uniform), diversity b (laplace) or sigma (gaussian), in integer steps")
        ("mode", po::value<std::string>()->default_value("signed"), "signed (int8) | unsigned (uint8)")
        ("clock-mhz", po::value<double>()->default_value(kDefaultClockMhz), "clock frequency of encoder and decoder")
        ("vcd", po::value<std::string>(), "write a VCD waveform to FILE (.vcd is appended if missing)");
    // clang-format on
    po::variables_map vm;
    po::store(po::command_line_parser(argc, argv).options(desc).run(), vm);
    po::notify(vm);
    if (vm.count("help")) {
        std::cout << desc << "\n";
        return std::nullopt;
    }

    Options o;
    o.mode = parse_mode(vm["mode"].as<std::string>());
    o.clock_mhz = vm["clock-mhz"].as<double>();
    if (!(o.clock_mhz > 0.0) || !std::isfinite(o.clock_mhz) || o.clock_mhz > 100'000.0)
        throw spark::Error(fmt::format("--clock-mhz {} must be in (0, 100000]", o.clock_mhz));
    if (vm.count("vcd")) {
        o.vcd = vm["vcd"].as<std::string>();
        if (o.vcd.empty()) throw spark::Error("--vcd needs a file name");
    }

    const int sources = int(vm.count("values")) + int(vm.count("file")) + int(vm.count("random"));
    if (sources != 1) throw spark::Error("give exactly one of --values, --file, --random (see --help)");
    if (vm.count("values")) {
        o.values = bench::parse_values(vm["values"].as<std::string>(), o.mode, "--values");
        o.source = "--values";
    } else if (vm.count("file")) {
        o.source = vm["file"].as<std::string>();
        o.values = bench::read_values_file(o.source, o.mode);
    } else {
        const long long n = vm["random"].as<long long>();
        if (n < 1 || n > static_cast<long long>(kMaxRandomValues))
            throw spark::Error(fmt::format("--random {} must be in 1..{}", n, kMaxRandomValues));
        const auto distribution = bench::parse_distribution(vm["distribution"].as<std::string>());
        const double scale = vm["scale"].as<double>();
        const std::uint64_t seed = spark::parse_seed(vm["seed"].as<std::string>());
        o.values = bench::random_values(static_cast<std::size_t>(n), seed, distribution, scale, o.mode);
        o.source = fmt::format("random {} (seed {}, scale {})", bench::to_string(distribution), seed, scale);
    }
    // At most two cycles per value plus the pipeline: the run must end inside SystemC's time range (2^64 ps),
    // or a slow clock would wrap the simulated time and the round trip would look broken.
    const double run_ps = 1e6 / o.clock_mhz * (2.0 * double(o.values.size()) + 16.0);
    if (run_ps > 1e18)
        throw spark::Error(fmt::format("--clock-mhz {}: {} values would take {:.3g} s of simulated time, beyond "
                                       "SystemC's time range; use a faster clock",
                                       o.clock_mhz, o.values.size(), run_ps * 1e-12));
    return o;
}

std::string format_db(double db) {
    if (std::isnan(db)) return "n/a (no signal)";
    if (std::isinf(db)) return "inf (exact)";
    return fmt::format("{:.2f} dB", db);
}

int run(const Options& o) {
    const sc_core::sc_time period(1e3 / o.clock_mhz, sc_core::SC_NS);
    bench::CodecBench tb("tb", o.values, o.mode, period, true, false);

    sc_core::sc_trace_file* tf = nullptr;
    std::string vcd_path;
    if (!o.vcd.empty()) {
        // sc_create_vcd_trace_file appends ".vcd" itself; check the path can be written before simulating.
        std::string base = o.vcd;
        if (base.size() > 4 && base.compare(base.size() - 4, 4, ".vcd") == 0) base.resize(base.size() - 4);
        vcd_path = base + ".vcd";
        if (!std::ofstream(vcd_path)) throw spark::Error(fmt::format("cannot write VCD file '{}'", vcd_path));
        tf = sc_core::sc_create_vcd_trace_file(base.c_str());
        tf->set_time_unit(1, sc_core::SC_PS);
        tb.trace(tf);
    }

    sc_core::sc_start(tb.time_bound());
    if (tf) sc_core::sc_close_vcd_trace_file(tf);

    const Mode mode = o.mode;
    const std::vector<std::uint8_t>& raw = tb.values();
    const std::vector<std::uint8_t>& decoded = tb.decoded();
    int mismatches = 0;
    if (!tb.done())
        fmt::print(stderr, "error: simulation ended with {} of {} values decoded\n", decoded.size(), raw.size());
    for (std::size_t i = 0; i < decoded.size(); ++i) {
        const std::uint8_t expected = approximate(raw[i], mode);
        if (decoded[i] == expected) continue;
        if (++mismatches <= 10)
            fmt::print(stderr, "error: value {}: raw {} decoded to {}, the codec core gives {}\n", i,
                       to_int(raw[i], mode), to_int(decoded[i], mode), to_int(expected, mode));
    }
    if (tb.extra_outputs() != 0)
        fmt::print(stderr, "error: the decoder presented {} values more than were encoded\n", tb.extra_outputs());
    const std::uint64_t nibbles = encoded_nibbles(raw.data(), raw.size(), mode);
    const bool cycles_ok = tb.done() && tb.encoder_cycles() == Encoder::tensor_cycles(nibbles) &&
                           tb.decoder_cycles() == Decoder::tensor_cycles(nibbles);
    if (tb.done() && !cycles_ok)
        fmt::print(stderr, "error: signal-level cycles (encoder {}, decoder {}) differ from the transaction-level "
                           "formula ({} each)\n",
                   tb.encoder_cycles(), tb.decoder_cycles(), Encoder::tensor_cycles(nibbles));

    const TensorStats stats = measure(raw, mode);
    fmt::print("values          {} ({}, mode {})\n", raw.size(), o.source, to_string(mode));
    fmt::print("clock           {} MHz ({})\n", o.clock_mhz, period.to_string());
    fmt::print("cycles          {} total, encoder {}, decoder {} (transaction level: {} each)\n", tb.total_cycles(),
               tb.encoder_cycles(), tb.decoder_cycles(), Encoder::tensor_cycles(nibbles));
    fmt::print("simulated time  {}\n", sc_core::sc_time_stamp().to_string());
    fmt::print("share short     {:.4f}\n", stats.share_short());
    fmt::print("share approx.   {:.4f}\n", stats.share_approximated());
    fmt::print("mean bits/value {:.4f}\n", stats.mean_bits_per_value());
    fmt::print("max abs error   {}\n", stats.max_abs_error);
    fmt::print("SQNR            {}\n", format_db(stats.sqnr_db()));
    for (const auto* module : {"encoder", "decoder"}) {
        const Activity& a = module[0] == 'e' ? tb.encoder.activity() : tb.decoder.activity();
        std::string line;
        for (const ActivityStat& s : kActivityStats) line += fmt::format(" {}={}", s.name, a.*(s.member));
        fmt::print("{:<15}{}\n", fmt::format("{} activity", module), line);
    }
    if (!vcd_path.empty()) fmt::print("waveform        {}\n", vcd_path);

    const bool ok = tb.done() && mismatches == 0 && tb.extra_outputs() == 0 && cycles_ok &&
                    tb.decoder.activity().framing_errors == 0;
    fmt::print("round trip      {}\n", ok ? "ok" : fmt::format("FAILED ({} mismatches)", mismatches));
    return ok ? 0 : 1;
}

}  // namespace

int sc_main(int argc, char* argv[]) {
    // Keep stdout to the results: the kernel's notes on sc_stop and the VCD time unit add nothing here.
    sc_core::sc_report_handler::set_actions("/OSCI/SystemC", sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
    sc_core::sc_report_handler::set_actions("tracing timescale unit set", sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
    try {
        const std::optional<Options> options = parse_options(argc, argv);
        if (!options) return 0;
        return run(*options);
    } catch (const po::error& e) {
        fmt::print(stderr, "error: {} (see --help)\n", e.what());
        return 2;
    } catch (const spark::Error& e) {
        fmt::print(stderr, "error: {}\n", e.what());
        return 2;
    } catch (const sc_core::sc_report& e) {
        fmt::print(stderr, "error: {}\n", e.what());
        return 1;
    } catch (const std::exception& e) {
        fmt::print(stderr, "error: {}\n", e.what());
        return 1;
    }
}
