// SPDX-License-Identifier: Apache-2.0
// tb-pe-array: runs one GEMM, convolution or batched matmul on the PE array with random operands (or .npy
// tensors), prints cycles,
// utilisation and MAC classes, and checks the outputs against naive loops. --cycle-level also runs the clocked
// SystemC model (optionally writing a VCD) and checks that it agrees with the fast model cycle for cycle.
#define SC_INCLUDE_DYNAMIC_PROCESSES
#include <systemc>

#include <cstdio>
#include <optional>
#include <iostream>
#include <string>

#include <boost/program_options.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "golden_reference.h"
#include "operands.h"
#include "spark/common/config_reader.h"
#include "spark/common/error.h"
#include "spark/common/options.h"
#include "spark/pe_array/pe_array.h"
#include "spark/pe_array_sc/pe_array_sc.h"

namespace po = boost::program_options;
using namespace spark;
using namespace spark::pe_array;

namespace {

struct Options {
    std::string op = "gemm";
    std::string name = "tb";
    std::int64_t m = 64, n = 64, k = 64, batch = 1;
    std::int64_t in_h = 14, in_w = 14, in_c = 32, out_c = 32, kernel = 3, stride = 1, pad = 1, dilation = 1,
                 groups = 1;
    std::string dist = "laplace";
    double scale = 6.0;
    double weight_scale = 0.0;  // 0: same as scale
    std::string seed = "1";
    std::optional<std::string> weights_npy, activations_npy;
    std::string activation_mode;  // empty: unsigned for gemm/conv, signed for bmm
    std::string pe = "mixed";
    std::string dataflow = "ws";
    std::optional<std::int64_t> rows, cols;  // absent: the PE type's (or the config file's) default
    std::string codec;            // empty: the PE type's default
    std::string sync;             // empty: array (or the config file's)
    std::int64_t fifo_depth = -1; // -1: the default (or the config file's)
    std::string array_config;
    double out_scale = 0.02;
    int zero_point = 0;
    bool relu = false;
    bool json = false;
    bool cycle_level = false;
    std::string vcd;
    double clock_ns = 2.0;
    bool no_check = false;
};

Layer make_layer(const Options& o) {
    Layer l;
    switch (parse_layer_kind(o.op)) {
        case LayerKind::gemm: l = Layer::gemm(o.name, o.m, o.n, o.k); break;
        case LayerKind::batched_matmul: l = Layer::batched_matmul(o.name, o.batch, o.m, o.n, o.k); break;
        case LayerKind::conv2d:
            l = Layer::conv2d(o.name, o.batch, o.in_h, o.in_w, o.in_c, o.out_c, o.kernel, o.stride, o.pad, o.dilation,
                              o.groups);
            break;
    }
    if (!o.activation_mode.empty()) l.activation_mode = codec::parse_mode(o.activation_mode);
    l.requant.scale = {static_cast<float>(o.out_scale)};
    l.requant.zero_point = o.zero_point;
    l.requant.relu = o.relu;
    l.requant.output_mode = l.activation_mode;
    l.keep_accumulators = true;
    l.validate();
    return l;
}

ArrayConfig make_config(const Options& o) {
    ArrayConfig cfg;
    if (!o.array_config.empty()) {
        cfg = read_array_config(ConfigReader::parse_file(o.array_config), o.array_config);
    } else {
        cfg = ArrayConfig::defaults_for(pe::parse_pe_type(o.pe));
        cfg.dataflow = parse_dataflow(o.dataflow);
    }
    // Zero or negative sizes are errors, not "use the default" or a wrap-around to 2^32 - 1.
    auto size = [](const char* option, std::int64_t v) {
        if (v < 1 || v > ArrayConfig::MAX_SIDE)
            throw Error(fmt::format("{}: must be in 1..{}, got {}", option, ArrayConfig::MAX_SIDE, v));
        return static_cast<unsigned>(v);
    };
    if (o.rows) cfg.rows = size("--rows", *o.rows);
    if (o.cols) cfg.cols = size("--cols", *o.cols);
    if (o.codec == "on") cfg.codec_enabled = true;
    else if (o.codec == "off") cfg.codec_enabled = false;
    else if (!o.codec.empty()) throw Error(fmt::format("--codec: expected 'on' or 'off', got '{}'", o.codec));
    if (!o.sync.empty()) {
        try {
            cfg.sync = parse_sync_mode(o.sync);
        } catch (const Error& e) {
            throw Error(fmt::format("--sync: {}", e.what()));
        }
    }
    if (o.fifo_depth != -1) {
        if (o.fifo_depth < 1 || o.fifo_depth > ArrayConfig::MAX_FIFO_DEPTH)
            throw Error(fmt::format("--fifo-depth: must be in 1..{}, got {}", ArrayConfig::MAX_FIFO_DEPTH, o.fifo_depth));
        cfg.fifo_depth = static_cast<unsigned>(o.fifo_depth);
    }
    cfg.validate();
    return cfg;
}

CycleResult run_cycle_level(const Options& o, const ArrayConfig& cfg, PreparedLayer prepared) {
    if (!(o.clock_ns > 0)) throw Error("--clock-ns: must be positive");
    const sc_core::sc_time period(o.clock_ns, sc_core::SC_NS);
    sc_core::sc_clock clock("clock", period);
    const bool trace_pes = cfg.rows * cfg.cols <= 256;
    PeArrayCycleModel model("pe_array", trace_pes ? cfg.rows : 0, trace_pes ? cfg.cols : 0);
    model.clk(clock);
    model.enqueue(CycleJob{cfg, std::move(prepared)});
    // Nothing SystemC says about a normal run is news for the user (sc_stop() below, the trace time unit), and
    // it would break --json output on stdout.
    sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
    sc_core::sc_trace_file* tf = nullptr;
    if (!o.vcd.empty()) {
        std::string base = o.vcd;
        if (base.size() > 4 && base.substr(base.size() - 4) == ".vcd") base.resize(base.size() - 4);
        tf = sc_core::sc_create_vcd_trace_file(base.c_str());
        if (!tf) throw Error(fmt::format("--vcd: cannot create '{}'", o.vcd));
        tf->set_time_unit(1, sc_core::SC_PS);
        sc_core::sc_trace(tf, clock, "clock");
        model.trace(tf);
    }
    sc_core::sc_spawn([&model] {
        sc_core::wait(model.done);
        sc_core::sc_stop();
    });
    sc_core::sc_start();
    if (tf) sc_core::sc_close_vcd_trace_file(tf);
    if (!model.finished() || model.results().size() != 1) throw Error("cycle-level model did not finish");
    return model.results().front();
}

int run(const Options& o) {
    const Layer layer = make_layer(o);
    const ArrayConfig cfg = make_config(o);
    RandomOperands random(parse_distribution(o.dist), o.weight_scale > 0 ? o.weight_scale : o.scale, o.scale,
                          parse_seed(o.seed));
    NpyOperands source(o.weights_npy, o.activations_npy, random);
    const Operands ops = source.load(layer);

    const PeArray array(cfg);
    const LayerResult r = array.run(layer, ops.weights, ops.activations);

    nlohmann::json checks = nlohmann::json::object();
    std::string failure;
    if (!o.no_check) {
        const auto acc = golden::accumulate(layer, ops.weights, ops.activations, cfg.codec_enabled);
        const bool acc_ok = acc == r.accumulators;
        const bool out_ok = golden::requantise(layer, acc) == r.output;
        checks["accumulators_match_reference"] = acc_ok;
        checks["outputs_match_reference"] = out_ok;
        if (!acc_ok || !out_ok) failure = "outputs differ from the naive reference";
    }
    CycleResult cl;
    if (o.cycle_level) {
        cl = run_cycle_level(o, cfg, array.prepare(layer, ops.weights, ops.activations));
        const bool same = cl.cycles == r.stats.cycles && cl.busy_pe_cycles == r.stats.busy_pe_cycles &&
                          cl.stalled_pe_cycles == r.stats.stalled_pe_cycles && cl.macs == r.stats.macs &&
                          cl.accumulators == r.accumulators;
        checks["cycle_level_matches_fast_model"] = same;
        if (!same && failure.empty()) failure = "the cycle-level model disagrees with the fast model";
    }

    const ArrayStats& s = r.stats;
    if (o.json) {
        nlohmann::json stats = nlohmann::json::array();
        for (const Stat& st : s.table())
            stats.push_back({{"name", st.name}, {"value", st.value}, {"unit", st.unit}, {"description", st.description}});
        nlohmann::json j{
            {"layer",
             {{"name", layer.name},
              {"kind", to_string(layer.kind)},
              {"gemm", {{"count", layer.gemm_count()}, {"m", layer.gemm_m()}, {"n", layer.gemm_n()}, {"k", layer.gemm_k()}}},
              {"macs", layer.macs()}}},
            {"array",
             {{"rows", cfg.rows},
              {"cols", cfg.cols},
              {"pe", pe::to_string(cfg.pe_type)},
              {"dataflow", to_string(cfg.dataflow)},
              {"codec", cfg.codec_enabled},
              {"sync", to_string(cfg.sync)},
              {"fifo_depth", cfg.fifo_depth}}},
            {"data", {{"dist", o.dist}, {"scale", o.scale}, {"seed", parse_seed(o.seed)},
                      {"weights", o.weights_npy.value_or("random")}, {"activations", o.activations_npy.value_or("random")}}},
            {"stats", stats},
            {"checks", checks}};
        if (o.cycle_level) j["cycle_level"] = {{"cycles", cl.cycles}, {"elapsed_ns", cl.elapsed.to_seconds() * 1e9}};
        std::cout << j.dump(2) << "\n";
    } else {
        fmt::print("{} '{}': {} x GEMM M={} N={} K={} ({} MACs) on {} {}x{} {}, codec {}, sync {} (FIFO depth {})\n",
                   to_string(layer.kind), layer.name, layer.gemm_count(), layer.gemm_m(), layer.gemm_n(),
                   layer.gemm_k(), layer.macs(), pe::to_string(cfg.pe_type), cfg.rows, cfg.cols,
                   to_string(cfg.dataflow), cfg.codec_enabled ? "on" : "off", to_string(cfg.sync), cfg.fifo_depth);
        fmt::print("data: weights {}, activations {} ({} scale {} seed {})\n", o.weights_npy.value_or("random"),
                   o.activations_npy.value_or("random"), o.dist, o.scale, o.seed);
        for (const Stat& st : s.table()) {
            if (st.unit == "ratio") fmt::print("{:<22} {:>16.4f} {:<10} {}\n", st.name, st.value, st.unit, st.description);
            else fmt::print("{:<22} {:>16.0f} {:<10} {}\n", st.name, st.value, st.unit, st.description);
        }
        if (o.cycle_level)
            fmt::print("cycle-level: {} cycles, {:.1f} ns simulated\n", cl.cycles, cl.elapsed.to_seconds() * 1e9);
        for (const auto& item : checks.items())
            fmt::print("check {}: {}\n", item.key(), item.value().get<bool>() ? "pass" : "FAIL");
    }
    if (!failure.empty()) {
        std::fprintf(stderr, "error: layer '%s': %s\n", layer.name.c_str(), failure.c_str());
        return 1;
    }
    return 0;
}

}  // namespace

int sc_main(int argc, char* argv[]) {
    Options o;
    po::options_description desc("tb-pe-array options");
    desc.add_options()
        ("help,h", "show this help")
        ("op", po::value(&o.op)->default_value(o.op), "gemm | conv | bmm")
        ("name", po::value(&o.name)->default_value(o.name), "layer name used in messages")
        ("m", po::value(&o.m)->default_value(o.m), "gemm/bmm: output rows")
        ("n", po::value(&o.n)->default_value(o.n), "gemm/bmm: output columns")
        ("k", po::value(&o.k)->default_value(o.k), "gemm/bmm: reduction length")
        ("batch", po::value(&o.batch)->default_value(o.batch), "bmm: matrices; conv: images")
        ("in-h", po::value(&o.in_h)->default_value(o.in_h), "conv: input height")
        ("in-w", po::value(&o.in_w)->default_value(o.in_w), "conv: input width")
        ("in-c", po::value(&o.in_c)->default_value(o.in_c), "conv: input channels")
        ("out-c", po::value(&o.out_c)->default_value(o.out_c), "conv: output channels")
        ("kernel", po::value(&o.kernel)->default_value(o.kernel), "conv: kernel height and width")
        ("stride", po::value(&o.stride)->default_value(o.stride), "conv: stride")
        ("pad", po::value(&o.pad)->default_value(o.pad), "conv: zero padding on each side")
        ("dilation", po::value(&o.dilation)->default_value(o.dilation), "conv: dilation")
        ("groups", po::value(&o.groups)->default_value(o.groups), "conv: groups (= in-c for depthwise)")
        ("dist", po::value(&o.dist)->default_value(o.dist), "operand distribution: uniform | laplace | gaussian")
        ("scale", po::value(&o.scale)->default_value(o.scale), "distribution scale in integer steps")
        ("weight-scale", po::value(&o.weight_scale), "weight distribution scale (default: --scale)")
        ("seed", po::value(&o.seed)->default_value(o.seed), "random seed (unsigned 64-bit integer)")
        ("weights", po::value<std::string>(), ".npy weights in the layer's layout (int8; default: random)")
        ("activations", po::value<std::string>(), ".npy activations in the layer's layout (uint8 or int8 as "
                                                  "--activation-mode; default: random)")
        ("activation-mode", po::value(&o.activation_mode), "signed | unsigned (default: unsigned, signed for bmm)")
        ("pe", po::value(&o.pe)->default_value(o.pe), "PE type: mixed | int4 | int8")
        ("dataflow", po::value(&o.dataflow)->default_value(o.dataflow), "ws | os")
        ("rows", po::value<std::int64_t>(), "array rows (default: 32, 64 for int4)")
        ("cols", po::value<std::int64_t>(), "array columns (default: 32, 64 for int4)")
        ("codec", po::value(&o.codec), "on | off (default: on, off for int8)")
        ("sync", po::value(&o.sync), "array | row | column | elastic (default: array)")
        ("fifo-depth", po::value(&o.fifo_depth), "entries per FIFO between decoupled units (default: 4)")
        ("array-config", po::value(&o.array_config), "JSON file {rows, cols, pe, dataflow, codec, sync, fifo_depth}")
        ("out-scale", po::value(&o.out_scale)->default_value(o.out_scale), "requantisation scale (float)")
        ("zero-point", po::value(&o.zero_point)->default_value(o.zero_point), "output zero point")
        ("relu", po::bool_switch(&o.relu), "clamp outputs at the zero point")
        ("json", po::bool_switch(&o.json), "print one JSON object")
        ("cycle-level", po::bool_switch(&o.cycle_level), "also run the clocked SystemC model (small layers)")
        ("vcd", po::value(&o.vcd), "with --cycle-level: write a VCD waveform to FILE")
        ("clock-ns", po::value(&o.clock_ns)->default_value(o.clock_ns), "cycle-level clock period in ns")
        ("no-check", po::bool_switch(&o.no_check), "skip the naive reference (large layers)");
    try {
        po::variables_map vm;
        po::store(po::command_line_parser(argc, argv).options(desc).run(), vm);
        po::notify(vm);
        if (vm.count("help")) {
            std::cout << "usage: tb-pe-array [options]\n" << desc << "\n";
            return 0;
        }
        if (vm.count("rows")) o.rows = vm["rows"].as<std::int64_t>();
        if (vm.count("cols")) o.cols = vm["cols"].as<std::int64_t>();
        if (vm.count("weights")) o.weights_npy = vm["weights"].as<std::string>();
        if (vm.count("activations")) o.activations_npy = vm["activations"].as<std::string>();
        parse_seed(o.seed);
        if (vm.count("vcd") && o.vcd.empty()) throw Error("--vcd needs a file name");
        if (!o.vcd.empty() && !o.cycle_level) throw Error("--vcd needs --cycle-level");
        return run(o);
    } catch (const po::error& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
    } catch (const Error& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
    } catch (const sc_core::sc_report& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
    }
    return 1;
}
