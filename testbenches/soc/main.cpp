// SPDX-License-Identifier: Apache-2.0
// tb-soc: runs a workload on the example SoC. The CPU stand-in loads the program image through the router, starts
// every accelerator, waits for the interrupts, reads the performance counters and the output tensors and checks
// them against the golden reference. Exit status: 0 all outputs match, 1 a mismatch or a failed run, 2 bad input.
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <boost/program_options.hpp>
#include <fmt/format.h>
#include <systemc>

#include "spark/common/error.h"
#include "spark/controller/spark_accel_regs.h"
#include "spark/pe_array/array_config.h"
#include "spark/platform/golden.h"
#include "spark/platform/program.h"
#include "spark/soc/driver.h"
#include "spark/soc/soc.h"
#include "spark/workload/network.h"

namespace po = boost::program_options;
using namespace spark;

namespace {

constexpr double kDefaultQuantumNs = 1000.0;
constexpr unsigned kMaxAccelerators = 16;
constexpr std::uint64_t kCsrStride = 0x1'0000;  // accelerator i's registers at csr_base + i * stride

struct Options {
    std::string workload = SPARK_DEFAULT_WORKLOAD;
    double quantum_ns = kDefaultQuantumNs;
    bool dmi = true;
    bool baseline = false;
    unsigned accelerators = 1;
    std::uint64_t csr_base = soc::SocConfig::kDefaultCsrBase;
    std::uint64_t dram_base = soc::SocConfig::kDefaultDramBase;
    std::string dram_preset = "DDR4-3200";
};

std::uint64_t parse_address(const std::string& option, const std::string& text) {
    std::size_t used = 0;
    std::uint64_t v = 0;
    try {
        v = std::stoull(text, &used, 0);
    } catch (const std::exception&) {
        used = 0;
    }
    if (text.empty() || text[0] == '-' || used != text.size())
        throw Error(fmt::format("{} '{}' is not an address (decimal or 0x hex)", option, text));
    return v;
}

std::optional<Options> parse_options(int argc, char** argv) {
    Options o;
    std::string dmi = "on", csr_base = fmt::format("0x{:X}", o.csr_base), dram_base = fmt::format("0x{:X}", o.dram_base);
    po::options_description desc("tb-soc: a workload on the example SoC (CPU, router, DRAM, SPARK accelerators)");
    // clang-format off
    desc.add_options()
        ("help,h", "show this help")
        ("workload", po::value(&o.workload)->default_value(o.workload), "workload file (.yaml or SCALE-Sim .csv)")
        ("quantum-ns", po::value(&o.quantum_ns)->default_value(o.quantum_ns), "global quantum of the CPU (ns, > 0)")
        ("dmi", po::value(&dmi)->default_value(dmi), "CPU memory accesses through DMI: on or off")
        ("baseline", po::bool_switch(&o.baseline), "the INT8 baseline: raw INT8 storage, 8-bit PEs, no codec")
        ("accelerators", po::value(&o.accelerators)->default_value(o.accelerators),
         "accelerators in the SoC, each running the workload on its own slice of DRAM")
        ("csr-base", po::value(&csr_base)->default_value(csr_base), "CSR base of accelerator 0 (next ones +0x10000)")
        ("dram-base", po::value(&dram_base)->default_value(dram_base), "bus address of DRAM")
        ("dram", po::value(&o.dram_preset)->default_value(o.dram_preset), "DRAM preset");
    // clang-format on
    po::variables_map vm;
    po::store(po::parse_command_line(argc, argv, desc), vm);
    if (vm.count("help")) {
        std::cout << desc << "\n";
        return std::nullopt;
    }
    po::notify(vm);
    if (!(o.quantum_ns > 0.0)) throw Error(fmt::format("--quantum-ns must be positive, got {}", o.quantum_ns));
    if (dmi != "on" && dmi != "off") throw Error(fmt::format("--dmi must be on or off, got '{}'", dmi));
    o.dmi = dmi == "on";
    if (o.accelerators < 1 || o.accelerators > kMaxAccelerators)
        throw Error(fmt::format("--accelerators must be 1 to {}, got {}", kMaxAccelerators, o.accelerators));
    o.csr_base = parse_address("--csr-base", csr_base);
    o.dram_base = parse_address("--dram-base", dram_base);
    return o;
}

int run(const Options& o) {
    const workload::Network network = workload::load_workload(o.workload);
    const bool spark_storage = !o.baseline;

    soc::SocConfig config;
    config.dram_base = o.dram_base;
    config.dram_preset = o.dram_preset;
    // The INT8 baseline is the accelerator without codec and with 8-bit PEs, not only raw storage.
    accelerator::AcceleratorConfig accel;
    if (o.baseline) accel.datapath.array = pe_array::ArrayConfig::defaults_for(pe::PeType::int8);
    config.accelerators.clear();
    for (unsigned i = 0; i < o.accelerators; ++i) config.accelerators.push_back({o.csr_base + i * kCsrStride, accel});
    config.cpu.quantum = sc_core::sc_time(o.quantum_ns, sc_core::SC_NS);
    config.cpu.use_dmi = o.dmi;
    soc::Soc soc("soc", config);

    // Each accelerator gets its own slice of DRAM for its program and tensors.
    const std::uint64_t slice = soc.dram_size_bytes() / o.accelerators;
    platform::check_memory_footprint(network, slice);
    const platform::TensorData data = platform::load_tensor_data(network);
    const platform::TensorData golden = platform::golden_tensors(network, data, spark_storage);
    std::vector<platform::Program> programs;
    for (unsigned i = 0; i < o.accelerators; ++i)
        programs.push_back(platform::build_program(network, data, spark_storage, o.dram_base + i * slice, slice));
    std::vector<soc::Job> jobs;
    for (unsigned i = 0; i < o.accelerators; ++i) jobs.push_back({soc.csr_base(i), i, &programs[i]});

    std::vector<soc::RunResult> results;
    soc.cpu().software = [&](soc::Cpu& cpu) { results = soc::run_jobs(cpu, jobs); };
    sc_core::sc_start();
    // The input was good but the run went wrong: a failed run (1), not bad input (2).
    if (!soc.cpu().error().empty() || results.size() != jobs.size()) {
        std::fprintf(stderr, "error: %s\n",
                     soc.cpu().error().empty() ? "the driver did not finish (simulation ended early)"
                                               : soc.cpu().error().c_str());
        return 1;
    }

    fmt::print("tb-soc: {} ({}), {} storage, quantum {} ns, DMI {}, {} accelerator(s)\n", network.name, o.workload,
               spark_storage ? "SPARK" : "raw INT8", o.quantum_ns, o.dmi ? "on" : "off", o.accelerators);
    fmt::print("{}", soc.router().address_map().to_string());
    bool all_ok = true;
    for (std::size_t i = 0; i < results.size(); ++i) {
        const soc::RunResult& r = results[i];
        fmt::print("accelerator{} (CSR 0x{:X}): {} of {} descriptors, status 0x{:X}, error {}\n", i, jobs[i].csr_base,
                   r.layers_done, programs[i].descriptor_count, r.status, r.error);
        fmt::print("  {:<22}{:>14}\n  {:<22}{:>14}\n  {:<22}{:>14}\n  {:<22}{:>14}\n  {:<22}{:>14}\n", "cycles",
                   r.counters.cycles, "macs", r.counters.macs, "dram_bytes_read", r.counters.dram_bytes_read,
                   "dram_bytes_written", r.counters.dram_bytes_written, "stall_cycles", r.counters.stall_cycles);
        if (!r.completed) {
            fmt::print("  check: FAILED (the run did not complete: error {} at 0x{:X})\n", r.error, r.error_address);
            all_ok = false;
            continue;
        }
        const soc::CheckResult check = soc::check_outputs(programs[i], golden, r.outputs);
        if (check.ok()) {
            fmt::print("  check: PASS ({} tensors, {} values match the reference)\n", check.tensors_checked,
                       check.values_checked);
        } else {
            all_ok = false;
            fmt::print("  check: FAILED\n");
            for (const auto& m : check.mismatches) fmt::print("    {}\n", m);
        }
    }
    fmt::print("simulated time {:.1f} ns; CPU: {} bus accesses, {} DMI accesses\n",
               sc_core::sc_time_stamp().to_seconds() * 1e9, soc.cpu().bus_accesses(), soc.cpu().dmi_accesses());
    return all_ok ? 0 : 1;
}

}  // namespace

int sc_main(int argc, char** argv) {
    try {
        const auto options = parse_options(argc, argv);
        if (!options) return 0;
        return run(*options);
    } catch (const spark::Error& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
    } catch (const po::error& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
    } catch (const sc_core::sc_report& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
    }
    return 2;
}
