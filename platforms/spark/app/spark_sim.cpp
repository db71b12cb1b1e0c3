// SPDX-License-Identifier: Apache-2.0
// spark-sim: replays a workload on the SPARK platform (and, with --baseline, on the same platform without SPARK
// in the same simulation) and reports timing and energy per layer.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>
#include <fmt/format.h>
#include <fmt/ostream.h>
#include <systemc>

#include "spark/common/error.h"
#include "spark/compare/compare.h"
#include "spark/platform/arch.h"
#include "spark/platform/compare_platform.h"
#include "spark/platform/golden.h"
#include "spark/platform/hierarchy.h"
#include "spark/platform/pin_level.h"
#include "spark/platform/program.h"
#include "spark/platform/report.h"
#include "spark/platform/system.h"
#include "spark/workload/network.h"

namespace po = boost::program_options;
namespace fs = std::filesystem;
using namespace spark;

namespace {

struct Options {
    std::string workload;
    std::string arch;
    std::string out;
    bool baseline = false;
    bool check = true;
    bool progress = true;
    bool hierarchy = false;
    std::string pin_level;  // LAYER[:TILE]
    std::string vcd;
    std::size_t max_rows = 40;
    std::string compare;       // designs to set beside SPARK
    std::string compare_mode = "calibration";
    std::string spark_model = "measured";
    std::string designs_dir;
    std::optional<std::uint64_t> seed;  // replaces the workload's network seed
};

// Gives the network another seed: every synthetic tensor whose seed was derived from the network seed (the tensor
// named no seed of its own) gets the one derived from `seed`, as if the file said `seed: <seed>`.
void reseed(workload::Network& net, std::uint64_t seed) {
    auto redo = [&](workload::TensorSpec& t) {
        auto& s = t.data.synthetic;
        if (t.data.kind == workload::DataSource::Kind::synthetic && s.seed == workload::derive_seed(net.seed, t.name))
            s.seed = workload::derive_seed(seed, t.name);
    };
    for (auto& t : net.inputs) redo(t);
    for (auto& l : net.layers) {
        if (l.weight) redo(*l.weight);
        redo(l.output);
    }
    net.seed = seed;
}

// Writes every output file into a fresh folder next to `out`, then moves them in: a failed run leaves nothing
// half-written.
void write_outputs(const std::string& out, const workload::Network& net, const platform::RunReport& spark,
                   const platform::RunReport* baseline, const nlohmann::json& arch_json,
                   const compare::Comparison* comparison) {
    fs::path dir = fs::path(out).lexically_normal();
    if (!dir.has_filename()) dir = dir.parent_path();  // "out/run/" names the folder "out/run"
    const fs::path staging = dir.string() + ".partial";
    try {
        fs::remove_all(staging);
        fs::create_directories(staging);
        std::ofstream csv(staging / "layers.csv");
        std::vector<const platform::RunReport*> runs{&spark};
        if (baseline) runs.push_back(baseline);
        platform::write_layers_csv(csv, runs);
        csv.close();
        if (!csv) throw Error(fmt::format("{}: cannot write layers.csv", staging.string()));
        nlohmann::json summary = platform::summary_json(net, spark, baseline);
        summary["arch"] = arch_json;
        std::ofstream json(staging / "summary.json");
        json << summary.dump(2) << "\n";
        json.close();
        if (!json) throw Error(fmt::format("{}: cannot write summary.json", staging.string()));
        std::vector<std::string> files{"layers.csv", "summary.json"};
        if (comparison) {
            std::ofstream ccsv(staging / "compare.csv");
            compare::write_comparison_csv(ccsv, *comparison);
            std::ofstream cjson(staging / "compare.json");
            cjson << compare::comparison_json(*comparison).dump(2) << "\n";
            ccsv.close();
            cjson.close();
            if (!ccsv || !cjson) throw Error(fmt::format("{}: cannot write compare.csv or compare.json", staging.string()));
            files.insert(files.end(), {"compare.csv", "compare.json"});
        }
        if (!fs::exists(dir)) {
            // One rename: the folder appears whole or not at all.
            if (dir.has_parent_path()) fs::create_directories(dir.parent_path());
            fs::rename(staging, dir);
        } else {
            // An existing folder keeps what else it holds (plots, notes); the two files are replaced in turn.
            for (const std::string& f : files) fs::rename(staging / f, dir / f);
            fs::remove_all(staging);
        }
    } catch (const std::exception& e) {
        std::error_code ignored;  // the original error is the one to report
        fs::remove_all(staging, ignored);
        throw Error(fmt::format("--out {}: {}", out, e.what()));
    }
}

// Fails before the simulation when --out cannot become a directory, instead of after it.
void check_out_dir(const std::string& out) {
    std::error_code ec;
    for (fs::path p = fs::absolute(fs::path(out), ec); !p.empty(); p = p.parent_path()) {
        if (fs::exists(p, ec)) {
            if (!fs::is_directory(p, ec)) throw Error(fmt::format("--out {}: {} exists and is not a directory", out, p.string()));
            return;
        }
        if (p == p.parent_path()) return;
    }
}

// Prints the object tree once every binding is resolved, then stops the kernel before any process runs.
class HierarchyReport : public sc_core::sc_module {
public:
    explicit HierarchyReport(sc_core::sc_module_name name) : sc_core::sc_module(name) {}

private:
    void start_of_simulation() override {
        platform::print_hierarchy(std::cout, this);
        sc_core::sc_stop();
    }
};

// Bad command-line input found once the workload is read: exit 2, like an unknown option.
struct UsageError : Error {
    using Error::Error;
};

// The VCD file SystemC writes: it appends ".vcd" to the name it is given.
std::string vcd_stem(const std::string& path) {
    return path.size() > 4 && path.compare(path.size() - 4, 4, ".vcd") == 0 ? path.substr(0, path.size() - 4) : path;
}

int run(const Options& opt) {
    if (!opt.out.empty()) check_out_dir(opt.out);
    workload::Network net = workload::load_workload(opt.workload);
    if (opt.seed) reseed(net, *opt.seed);
    const platform::ArchConfig arch =
        opt.arch.empty() ? platform::ArchConfig::spark_default() : platform::ArchConfig::from_file(opt.arch);
    const platform::ArchConfig base_arch = arch.baseline();
    platform::check_memory_footprint(net, std::min(arch.dram.size_bytes(), base_arch.dram.size_bytes()));
    // Designs are read before the run, so that a bad name or file fails at once.
    std::vector<compare::Design> designs;
    std::vector<platform::StoragePlan> design_plans;
    std::optional<compare::Design> spark_design;
    if (!opt.compare.empty()) {
        if (opt.compare_mode != "calibration" && opt.compare_mode != "platform")
            throw UsageError(fmt::format("--compare-mode '{}' is not 'calibration' or 'platform'", opt.compare_mode));
        if (opt.spark_model != "measured" && opt.spark_model != "paper")
            throw UsageError(fmt::format("--spark-model '{}' is not 'measured' or 'paper'", opt.spark_model));
        if (opt.compare_mode == "platform" && opt.spark_model == "paper")
            throw UsageError("--spark-model paper applies to calibration mode: on the platform SPARK's stalls are "
                             "simulated, not assumed");
        const std::string dir = opt.designs_dir.empty() ? compare::default_design_dir() : opt.designs_dir;
        try {
            designs = compare::load_designs(opt.compare, dir);
        } catch (const Error& e) {
            throw UsageError(e.what());
        }
        spark_design = compare::Design::from_file(
            (fs::path(dir) / (opt.spark_model == "paper" ? "spark-paper.json" : "spark.json")).string());
        // Every layer's precision is checked now: a layer a design cannot run is bad input, not a late failure.
        try {
            for (const auto& d : designs) design_plans.push_back(platform::storage_plan(net, d));
        } catch (const Error& e) {
            throw UsageError(e.what());
        }
        if (opt.compare_mode == "calibration" && arch.accelerator.datapath.array.sync != pe_array::SyncMode::array)
            throw UsageError("--compare measures SPARK's long-code stalls on a lock-step array: the architecture's "
                             "array.sync must be 'array'");
    }
    const platform::TensorData data = platform::load_tensor_data(net);

    platform::Program spark_program =
        platform::build_program(net, data, arch.spark_storage, 0, arch.dram.size_bytes());
    std::unique_ptr<platform::Program> base_program;
    if (opt.baseline)
        base_program = std::make_unique<platform::Program>(
            platform::build_program(net, data, false, 0, base_arch.dram.size_bytes()));

    platform::ArchConfig spark_arch = arch;
    if (!opt.pin_level.empty()) {
        try {
            spark_arch.accelerator.pin_level =
                platform::resolve_pin_level(platform::parse_pin_level(opt.pin_level), net, spark_program, arch);
        } catch (const Error& e) {
            throw UsageError(e.what());
        }
        if (!opt.vcd.empty()) {
            const fs::path dir = fs::path(opt.vcd).parent_path();
            if (!dir.empty() && !fs::is_directory(dir))
                throw UsageError(fmt::format("--vcd {}: the folder {} does not exist", opt.vcd, dir.string()));
        }
    }

    platform::SparkSystem spark_system("spark", spark_arch, spark_program);
    std::unique_ptr<platform::SparkSystem> base_system;
    if (opt.baseline) base_system = std::make_unique<platform::SparkSystem>("baseline", base_arch, *base_program);
    // Platform mode: every design beside SPARK in the same simulation, on its own copy of the platform.
    struct DesignSystem {
        const compare::Design* design;
        const platform::StoragePlan* plan;
        platform::ArchConfig arch;
        std::unique_ptr<platform::Program> program;
        std::unique_ptr<platform::SparkSystem> system;
        std::size_t done = 0;
    };
    std::vector<DesignSystem> design_systems;
    if (opt.compare_mode == "platform")
        for (std::size_t i = 0; i < designs.size(); ++i) {
            DesignSystem ds{&designs[i], &design_plans[i], platform::design_arch(arch, designs[i]), nullptr, nullptr};
            ds.program = std::make_unique<platform::Program>(
                platform::build_program(net, data, false, 0, ds.arch.dram.size_bytes(), *ds.plan));
            ds.system = std::make_unique<platform::SparkSystem>(sc_core::sc_module_name(designs[i].name.c_str()),
                                                                 ds.arch, *ds.program);
            std::vector<platform::MemoryWrite>().swap(ds.program->image);
            design_systems.push_back(std::move(ds));
        }
    // The images are in the DRAMs now: the encoded weights need not stay in host memory twice.
    for (platform::Program* p : {&spark_program, base_program.get()})
        if (p) std::vector<platform::MemoryWrite>().swap(p->image);

    if (opt.hierarchy) {
        HierarchyReport report("hierarchy_report");
        sc_core::sc_start();
        return 0;
    }

    sc_core::sc_trace_file* vcd = nullptr;
    if (!opt.vcd.empty()) {
        vcd = sc_core::sc_create_vcd_trace_file(vcd_stem(opt.vcd).c_str());
        vcd->set_time_unit(1, sc_core::SC_PS);
        spark_system.accelerator().trace_pin_level(vcd);
    }

    const bool bar = opt.progress && isatty(STDERR_FILENO);
    std::size_t done_spark = 0, done_base = 0;
    auto draw = [&] {
        if (!bar) return;
        const std::size_t total = spark_program.descriptor_count * ((opt.baseline ? 2 : 1) + design_systems.size());
        std::size_t done = done_spark + done_base;
        for (const auto& ds : design_systems) done += ds.done;
        const int width = 40;
        const int fill = total ? static_cast<int>(width * done / total) : width;
        fmt::print(stderr, "\r[{:#<{}}{:.<{}}] {}/{} layers", "", fill, "", width - fill, done, total);
    };
    spark_system.on_progress = [&](std::size_t n) { done_spark = n; draw(); };
    if (base_system) base_system->on_progress = [&](std::size_t n) { done_base = n; draw(); };
    for (auto& ds : design_systems) ds.system->on_progress = [&, p = &ds](std::size_t n) { p->done = n; draw(); };

    sc_core::sc_start();
    if (bar) fmt::print(stderr, "\n");

    int status = 0;
    std::vector<platform::SparkSystem*> systems{&spark_system, base_system.get()};
    for (auto& ds : design_systems) systems.push_back(ds.system.get());
    for (platform::SparkSystem* s : systems) {
        if (!s) continue;
        if (!s->finished()) throw Error(fmt::format("{}: the simulation ended before the accelerator finished", s->name()));
        if (!s->result().ok)
            throw Error(fmt::format("{}: the accelerator stopped with error {} at 0x{:X} (see the warnings above)",
                                    s->name(), s->result().error, s->result().error_address));
    }
    if (vcd) sc_core::sc_close_vcd_trace_file(vcd);
    if (!opt.pin_level.empty()) {
        // The window's clocked modules against the fast model, tile by tile: any difference fails the run.
        const auto checks = spark_system.accelerator().pin_level_checks();
        const std::uint64_t tiles = spark_system.accelerator().sequencer().pin_level_tiles();
        fmt::print("pin-level window {}: {} array tile(s){}\n", opt.pin_level, tiles,
                   opt.vcd.empty() ? "" : fmt::format(", waveforms in {}.vcd", vcd_stem(opt.vcd)));
        const std::uint64_t owed = spark_system.accelerator().sequencer().pin_level_replays();
        bool ok = tiles > 0 && checks.size() == owed;
        if (checks.size() != owed)
            fmt::print("  {} replays ran, {} were owed\n", checks.size(), owed);
        for (const PinLevelCheck& c : checks) {
            fmt::print("  {}: {} cycles, fast mode {}{}\n", c.what, c.cycles, c.expected_cycles,
                       c.ok() ? "" : fmt::format("  MISMATCH{}", c.detail.empty() ? "" : ": " + c.detail));
            ok = ok && c.ok();
        }
        if (!ok) {
            fmt::print(stderr, "error: the pin-level window {} does not agree with the fast mode (see above)\n",
                       opt.pin_level);
            return 4;
        }
    }
    if (opt.check) {
        std::vector<std::string> problems =
            platform::check_outputs(spark_system, net, spark_program, platform::golden_tensors(net, data, arch.spark_storage));
        if (base_system) {
            auto more = platform::check_outputs(*base_system, net, *base_program, platform::golden_tensors(net, data, false));
            problems.insert(problems.end(), more.begin(), more.end());
        }
        for (auto& ds : design_systems) {
            auto more = platform::check_outputs(*ds.system, net, *ds.program,
                                                platform::golden_tensors(net, data, false, *ds.plan));
            for (auto& m : more) problems.push_back(fmt::format("design '{}': {}", ds.design->name, m));
        }
        for (const auto& p : problems) fmt::print(stderr, "mismatch: {}\n", p);
        if (!problems.empty()) status = 3;
    }

    const platform::RunReport spark_report = platform::make_report("spark", spark_program, arch, spark_system.result());
    std::unique_ptr<platform::RunReport> base_report;
    if (base_system)
        base_report = std::make_unique<platform::RunReport>(
            platform::make_report("baseline", *base_program, base_arch, base_system->result()));
    platform::print_table(std::cout, net, spark_report, base_report.get(), opt.max_rows);
    {
        // The decoder and encoder banks stream alongside the array: say how often they were the slower side.
        std::uint64_t bound = 0, excess = 0;
        for (const auto& l : spark_system.result().layers) {
            bound += l.record.bank_bound_tiles;
            excess += l.record.bank_excess_cycles;
        }
        fmt::print("codec banks (SPARK): slower than the array or vector unit in {} tile(s), by {} cycles in all\n",
                   bound, excess);
    }
    if (opt.check) fmt::print("golden check: {}\n", status == 0 ? "every layer output matches" : "MISMATCH");
    std::optional<compare::Comparison> comparison;
    if (spark_design) {
        // What the SPARK run measured, per array layer: its lock-step stretch and the bits per value it moved.
        std::map<std::string, compare::SparkLayerFacts> facts;
        const auto& layer_runs = spark_system.result().layers;
        for (const auto& pl : spark_program.layers) {
            if (!pl.on_accelerator || !pl.layer->has_gemm()) continue;
            const auto& rec = layer_runs.at(pl.descriptor).record;
            compare::SparkLayerFacts f;
            f.stall_factor = rec.array.steps ? double(rec.array.compute_cycles) / double(rec.array.steps) : 1.0;
            for (const auto& lr : spark_report.layers)
                if (lr.name == pl.layer->name) f.stored_bits = lr.bits_per_value;
            facts[pl.layer->name] = f;
        }
        if (opt.compare_mode == "calibration") {
            comparison = compare::compare_calibration(net, *spark_design, facts, designs);
        } else {
            std::vector<compare::DesignRun> runs;
            const platform::ArchConfig spark_unit = platform::design_arch(arch, *spark_design);
            runs.push_back(platform::design_run(
                *spark_design, platform::make_report("spark", spark_program, spark_unit, spark_system.result()), nullptr));
            for (const auto& ds : design_systems)
                runs.push_back(platform::design_run(
                    *ds.design, platform::make_report(ds.design->name, *ds.program, ds.arch, ds.system->result()),
                    ds.plan));
            comparison = platform::compare_platform(net, std::move(runs));
        }
        fmt::print("\n");
        compare::print_comparison(std::cout, *comparison);
    }
    if (!opt.out.empty() && status == 0) {
        nlohmann::json arch_json = {{"spark", arch.to_json()}};
        if (opt.baseline) arch_json["baseline"] = base_arch.to_json();
        write_outputs(opt.out, net, spark_report, base_report.get(), arch_json, comparison ? &*comparison : nullptr);
        fmt::print("wrote {}/layers.csv and {}/summary.json{}\n", opt.out, opt.out,
                   comparison ? fmt::format(", {}/compare.csv and {}/compare.json", opt.out, opt.out) : "");
    }
    return status;
}

}  // namespace

int sc_main(int argc, char* argv[]) {
    Options opt;
    po::options_description desc("spark-sim: replay a workload on the SPARK platform\nOptions");
    desc.add_options()("help,h", "show this help")(
        "workload,w", po::value(&opt.workload), "workload file: .yaml (traces/*.yaml) or SCALE-Sim topology .csv")(
        "arch,a", po::value(&opt.arch), "architecture JSON (default: the built-in SPARK configuration)")(
        "baseline,b", po::bool_switch(&opt.baseline), "also simulate the INT8 baseline in the same run")(
        "out,o", po::value(&opt.out), "folder for layers.csv and summary.json")(
        "no-check", "skip the comparison of every layer output with the golden reference")(
        "no-progress", "no progress bar")("max-rows", po::value(&opt.max_rows), "layer rows in the table (0: all)")(
        "pin-level", po::value(&opt.pin_level),
        "LAYER[:TILE]: run that layer (or one tile of it) through the clocked decoders, the cycle-level PE array "
        "and the clocked encoders as well, and check their cycles against the fast mode's (every other layer runs "
        "in fast mode)")("vcd", po::value(&opt.vcd), "with --pin-level: write the window's waveforms to this VCD file")(
        "hierarchy", po::bool_switch(&opt.hierarchy),
        "print the SystemC object tree of the platform built (modules, sockets, what each is bound to) and exit "
        "without running the workload")(
        "compare", po::value(&opt.compare),
        "set other accelerators beside SPARK: a comma-separated list of ant, ant-ws, olive, bitfusion, olaccel, "
        "adafloat, biscaled, eyeriss, int8, or 'all' (the paper's seven); docs/baselines.md")(
        "compare-mode", po::value(&opt.compare_mode),
        "calibration: the ANT simulator's cost model (500 MHz, 128/256/128 KB buffers, 1024 bits per DRAM cycle, "
        "batch 64)")(
        "spark-model", po::value(&opt.spark_model),
        "SPARK in the comparison: measured (its array's long-code stalls as this run measured them) or paper "
        "(long codes never stall, the assumption behind the paper's speedups)")(
        "designs", po::value(&opt.designs_dir), "folder of design files (default: the shipped platforms/spark/arch)")(
        "seed", po::value<std::string>(),
        "replace the workload's network seed: synthetic tensors without a seed of their own get other data");
    try {
        po::variables_map vm;
        po::store(po::parse_command_line(argc, argv, desc), vm);
        po::notify(vm);
        if (vm.count("help")) {
            std::cout << desc << "\n";
            return 0;
        }
        if (opt.workload.empty()) throw po::error("--workload is required");
        if (!opt.vcd.empty() && opt.pin_level.empty()) throw po::error("--vcd needs --pin-level (the window it records)");
        opt.check = !vm.count("no-check");
        opt.progress = !vm.count("no-progress");
        if (vm.count("seed")) {
            const std::string text = vm["seed"].as<std::string>();
            if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != std::string::npos)
                throw po::error(fmt::format("--seed '{}' is not a non-negative integer below 10^19", text));
            opt.seed = std::stoull(text);
        }
    } catch (const po::error& e) {
        fmt::print(stderr, "error: {}\n{}\n", e.what(), fmt::streamed(desc));
        return 2;
    }
    try {
        sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
        return run(opt);
    } catch (const UsageError& e) {
        fmt::print(stderr, "error: {}\n", e.what());
        return 2;
    } catch (const Error& e) {
        fmt::print(stderr, "error: {}\n", e.what());
    } catch (const sc_core::sc_report& e) {
        fmt::print(stderr, "error: {}\n", e.what());
    } catch (const std::exception& e) {
        fmt::print(stderr, "error: {}\n", e.what());
    }
    return 1;
}
