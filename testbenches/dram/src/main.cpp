// SPDX-License-Identifier: Apache-2.0
// tb-dram: drives a DRAM (or, with --target buffer, an SRAM buffer) through the protocol checker with a
// generated pattern or a trace, and reports bandwidth, latency, row-hit rate and energy.
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <optional>

#include <boost/program_options.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <systemc>

#include "spark/buffer/sram.h"
#include "spark/common/config_reader.h"
#include "spark/common/error.h"
#include "spark/dram/dram.h"
#include "spark/protocol_checker/protocol_checker.h"
#include "spark/tb_memory/issuer.h"
#include "spark/tb_memory/report.h"
#include "spark/tb_memory/traffic.h"

namespace po = boost::program_options;
using namespace spark;

namespace {

// Numeric options are read signed so that a negative value is refused instead of wrapping round.
std::uint64_t option_in_range(const po::variables_map& vm, const char* name, std::int64_t min, std::int64_t max) {
    const std::int64_t v = vm[name].as<std::int64_t>();
    if (v < min || v > max) throw Error(fmt::format("--{}: must be in {} .. {}, got {}", name, min, max, v));
    return static_cast<std::uint64_t>(v);
}

}  // namespace

int sc_main(int argc, char* argv[]) {
    po::options_description options("tb-dram options");
    options.add_options()
        ("help,h", "show this help")
        ("target", po::value<std::string>()->default_value("dram"), "dram or buffer")
        ("preset", po::value<std::string>()->default_value("DDR4-3200"), "DRAM preset (DDR4-2400, DDR4-3200, LPDDR4-3200, LPDDR4-4266, HBM2)")
        ("config", po::value<std::string>(), "JSON file: DRAM description (may name a base_preset) or, with --target buffer, SRAM parameters")
        ("mode", po::value<std::string>()->default_value("lt"), "lt (b_transport) or at (four-phase nb_transport)")
        ("pattern", po::value<std::string>()->default_value("seq-read"), "seq-read, seq-write, random-read, mixed")
        ("trace", po::value<std::string>(), "replay a trace file (time_ns, R|W, address, length per line) instead of a pattern")
        ("requests", po::value<std::int64_t>()->default_value(100000), "number of generated requests (1 .. 10^8)")
        ("length", po::value<std::int64_t>()->default_value(64), "bytes per generated request (1 .. 16 MiB)")
        ("size", po::value<std::int64_t>()->default_value(64ll << 20), "address range of generated requests in bytes")
        ("outstanding", po::value<std::int64_t>()->default_value(16), "requests in flight, 1 .. 1024 (1 for a buffer target)")
        ("seed", po::value<std::int64_t>()->default_value(1), "random seed (non-negative)")
        ("json", "print the report as JSON")
        ("csv", "print the report as CSV (header line, value line)");
    try {
        po::variables_map vm;
        po::store(po::parse_command_line(argc, argv, options), vm);
        po::notify(vm);
        if (vm.count("help")) {
            std::cout << options << "\n";
            return 0;
        }
        const auto target = vm["target"].as<std::string>();
        const auto mode = vm["mode"].as<std::string>();
        if (target != "dram" && target != "buffer") throw Error(fmt::format("--target: expected dram or buffer, got \"{}\"", target));
        if (mode != "lt" && mode != "at") throw Error(fmt::format("--mode: expected lt or at, got \"{}\"", mode));

        std::optional<dram::DramConfig> dram_config;
        std::optional<buffer::SramConfig> sram_config;
        std::uint64_t capacity = 0;
        if (target == "dram") {
            dram_config = vm.count("config") ? dram::DramConfig::from_file(vm["config"].as<std::string>())
                                             : dram::DramConfig::from_preset(vm["preset"].as<std::string>());
            capacity = dram_config->size_bytes();
        } else {
            sram_config = vm.count("config") ? buffer::SramConfig::from_json(ConfigReader::parse_file(vm["config"].as<std::string>()), vm["config"].as<std::string>())
                                             : buffer::SramConfig{};
            capacity = sram_config->capacity_bytes;
        }

        std::vector<tb_memory::Request> requests;
        std::string workload;
        if (vm.count("trace")) {
            workload = vm["trace"].as<std::string>();
            requests = tb_memory::read_trace(workload);
            if (requests.empty()) throw Error(fmt::format("{}: the trace holds no request", workload));
        } else {
            const auto pattern = tb_memory::parse_pattern(vm["pattern"].as<std::string>());
            workload = tb_memory::to_string(pattern);
            const std::uint64_t count = option_in_range(vm, "requests", 1, 100'000'000);
            const auto length = static_cast<std::uint32_t>(option_in_range(vm, "length", 1, 1 << 24));
            const std::uint64_t size = std::min(option_in_range(vm, "size", 1, INT64_MAX), capacity);
            if (length > size)
                throw Error(fmt::format("--length: {} bytes do not fit the {}-byte address range", length, size));
            requests = tb_memory::generate(pattern, count, length, size, option_in_range(vm, "seed", 0, INT64_MAX));
        }
        for (std::size_t i = 0; i < requests.size(); ++i)
            if (requests[i].address >= capacity || requests[i].length > capacity - requests[i].address)
                std::fprintf(stderr, "warning: request %zu at 0x%llx lies outside the %llu-byte target; it will get an address error\n",
                             i, (unsigned long long)requests[i].address, (unsigned long long)capacity);

        const auto outstanding =
            static_cast<unsigned>(target == "buffer" ? 1 : option_in_range(vm, "outstanding", 1, 1024));
        tb_memory::Issuer issuer("issuer", requests, mode == "at", outstanding);
        protocol_checker::ProtocolChecker checker("checker");
        issuer.socket.bind(checker.target_socket);
        std::optional<dram::Dram> dram_module;
        std::optional<buffer::Sram> sram_module;
        if (dram_config) {
            dram_module.emplace("dram", *dram_config);
            checker.initiator_socket.bind(dram_module->socket);
        } else {
            sram_module.emplace("buffer", *sram_config);
            checker.initiator_socket.bind(sram_module->socket);
        }
        sc_core::sc_start();
        if (!issuer.finished()) throw Error("simulation ended before every request completed");

        tb_memory::Report report = tb_memory::summarise(issuer.requests(), issuer.records());
        report.target = dram_config ? dram_config->name : sram_config->name;
        report.mode = mode;
        report.workload = workload;
        report.protocol_violations = checker.violations();
        if (dram_module) tb_memory::add_dram(report, *dram_config, dram_module->stats());
        else tb_memory::add_sram(report, *sram_config, sram_module->counters());
        if (vm.count("json")) std::cout << tb_memory::to_json(report).dump(2) << "\n";
        else if (vm.count("csv")) std::cout << tb_memory::to_csv(report) << "\n";
        else std::cout << tb_memory::to_text(report) << "\n";
        return report.protocol_violations ? 1 : 0;
    } catch (const po::error& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
}
