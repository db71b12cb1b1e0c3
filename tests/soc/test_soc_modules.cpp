// SPDX-License-Identifier: Apache-2.0
// The accelerator's modules bound on their own into an SoC, every link through a base-protocol checker:
//
//   cpu.bus ----------------------> [c] --> router (system bus) --> [c] --> weight_buffer      (Sram)
//   weight_decoders.buffer -------> [c] -->        |            --> [c] --> activation_buffer  (Sram)
//   activation_decoders.buffer ---> [c] -->        |            --> [c] --> output_buffer      (Sram)
//   encoders.buffer --------------> [c] -->        +
//   job_port (the CPU's port for tile jobs) --> [c] --> pe_array.jobs
//   pe_array.weights -----> [c] --> weight_decoders.values       (DecoderBank)
//   pe_array.activations -> [c] --> activation_decoders.values   (DecoderBank)
//   pe_array.outputs -----> [c] --> encoders.values              (EncoderBank)
//
// The CPU writes a weight tile and an activation tile (SPARK chunks behind their chunk tables, the buffer tile
// layout of decoder_bank.h) into the buffers through the router, sends one TileJob (a 4 x 8 x 16 GEMM) to the PE
// array module, and reads the output block the encoder bank wrote back through the router (with DMI). The block
// must decode to exactly what pe_array::PeArray computes on the same operands, and no checker may report a
// violation. docs/soc-integration.md ("Binding the accelerator's modules on their own") shows these bindings.
//
// The system is built from the example SoC's parts (soc::Cpu, interconnect::Router, protocol checkers on every
// link as soc::Soc::link places them, buffer::Sram) rather than from soc::Soc itself: Soc's router is built and
// bound in its constructor with a fixed address map (DRAM and the accelerators' CSR windows), so it cannot host
// further targets without a change to platforms/soc.
#define CATCH_CONFIG_RUNNER
#include "sc_catch_main.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "spark/accelerator/chunk_table.h"
#include "spark/accelerator/plan.h"
#include "spark/buffer/sram.h"
#include "spark/codec/chunked.h"
#include "spark/codec/codec.h"
#include "spark/decoder_bank/decoder_bank.h"
#include "spark/encoder_bank/encoder_bank.h"
#include "spark/interconnect/router.h"
#include "spark/pe_array/pe_array.h"
#include "spark/pe_array_sc/pe_array_module.h"
#include "spark/protocol_checker/protocol_checker.h"
#include "spark/soc/cpu.h"

using namespace sc_core;
using namespace spark;
using protocol_checker::ProtocolChecker;

namespace {

// The system bus: each buffer in a window of its own.
constexpr std::uint64_t kWeightBuffer = 0x1000'0000, kActivationBuffer = 0x1001'0000, kOutputBuffer = 0x1002'0000;
constexpr std::uint64_t kBufferBytes = 16 * 1024;
// Where the tiles sit: not at a buffer's first byte, so that the router's address translation matters.
constexpr std::uint64_t kWeightTile = kWeightBuffer + 0x2000, kActivationTile = kActivationBuffer + 0x100,
                        kOutputBlock = kOutputBuffer + 0x40;

// The tile: a GEMM, activations [m][k] (one chunk per row), weights [n][k] (one chunk per output column),
// output [m][n] (one chunk per row).
constexpr std::int64_t kM = 4, kN = 8, kK = 16;

// A CPU-side port that issues tile jobs: a TileJob rides on a 4-byte WRITE, as the accelerator's sequencer sends
// it. submit() is called from the CPU's software thread.
struct JobPort : sc_module {
    tlm_utils::simple_initiator_socket<JobPort> socket{"socket"};

    explicit JobPort(sc_module_name name) : sc_module(name) {}

    tlm::tlm_response_status submit(pe_array::TileJob& job, sc_time& delay) {
        std::uint32_t word = 0;
        tlm::tlm_generic_payload p;
        p.set_command(tlm::TLM_WRITE_COMMAND);
        p.set_address(0);
        p.set_data_ptr(reinterpret_cast<unsigned char*>(&word));
        p.set_data_length(4);
        p.set_streaming_width(4);
        p.set_byte_enable_ptr(nullptr);
        p.set_dmi_allowed(false);
        p.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        p.set_extension(&job);
        socket->b_transport(p, delay);
        p.clear_extension(&job);  // the job belongs to the caller
        return p.get_response_status();
    }
};

buffer::SramConfig sram(const char* name) {
    buffer::SramConfig c;
    c.name = name;
    c.capacity_bytes = kBufferBytes;
    c.word_bits = 128;
    c.banks = 16;
    return c;
}

pe_array::ArrayConfig array_config() {
    pe_array::ArrayConfig c = pe_array::ArrayConfig::defaults_for(pe::PeType::mixed_width);
    c.rows = 4;  // smaller than the GEMM: the array runs it in several tiles
    c.cols = 4;
    return c;
}

struct System : sc_module {
    soc::Cpu cpu{"cpu", soc::CpuConfig{}, 0};
    JobPort job_port{"job_port"};
    interconnect::Router router{
        "router",
        {interconnect::AddressMap({{"weight_buffer", kWeightBuffer, kBufferBytes, 0, 0},
                                   {"activation_buffer", kActivationBuffer, kBufferBytes, 1, 0},
                                   {"output_buffer", kOutputBuffer, kBufferBytes, 2, 0}}),
         sc_time(1, SC_NS)}};
    buffer::Sram weight_buffer{"weight_buffer", sram("weight_buffer")};
    buffer::Sram activation_buffer{"activation_buffer", sram("activation_buffer")};
    buffer::Sram output_buffer{"output_buffer", sram("output_buffer")};
    decoder_bank::DecoderBank weight_decoders{"weight_decoders", {8, sc_time(2, SC_NS)}};
    decoder_bank::DecoderBank activation_decoders{"activation_decoders", {8, sc_time(2, SC_NS)}};
    encoder_bank::EncoderBank encoders{"encoders", {4, sc_time(2, SC_NS)}};
    pe_array::PeArrayModule pe_array{"pe_array", array_config(), sc_time(2, SC_NS)};

    struct Link {
        std::unique_ptr<ProtocolChecker> checker;
        bool memory;  // the data rule is on: every access of the link lands in a buffer
    };
    std::vector<Link> links;

    explicit System(sc_module_name name) : sc_module(name) {
        // Into the system bus (router target-socket order is free), out of it in the address map's target order.
        link(cpu.bus, router.target_socket, "cpu_checker", true);
        link(weight_decoders.buffer, router.target_socket, "weight_decoders_buffer_checker", true);
        link(activation_decoders.buffer, router.target_socket, "activation_decoders_buffer_checker", true);
        link(encoders.buffer, router.target_socket, "encoders_buffer_checker", true);
        link(router.initiator_socket, weight_buffer.socket, "weight_buffer_checker", true);
        link(router.initiator_socket, activation_buffer.socket, "activation_buffer_checker", true);
        link(router.initiator_socket, output_buffer.socket, "output_buffer_checker", true);
        // The compute links carry extensions and deliver decoded values, not memory contents: no data rule.
        link(job_port.socket, pe_array.jobs, "pe_array_jobs_checker", false);
        link(pe_array.weights, weight_decoders.values, "pe_array_weights_checker", false);
        link(pe_array.activations, activation_decoders.values, "pe_array_activations_checker", false);
        link(pe_array.outputs, encoders.values, "pe_array_outputs_checker", false);
    }

    // As soc::Soc::link: initiator -> checker -> target.
    template <typename Initiator, typename Target>
    void link(Initiator& initiator, Target& target, const char* name, bool memory_data) {
        auto checker = std::make_unique<ProtocolChecker>(name);
        checker->check_memory_data(memory_data);
        initiator.bind(checker->target_socket);
        checker->initiator_socket.bind(target);
        links.push_back({std::move(checker), memory_data});
    }
};

// A tile in the buffer layout: the chunk table (chunk end offsets from the first data byte), then the data.
std::vector<std::uint8_t> buffer_tile(const std::vector<std::uint8_t>& values, std::uint64_t chunk_values,
                                      codec::Mode mode) {
    codec::ChunkedWriter writer(codec::Storage::spark, mode);
    for (std::uint64_t i = 0; i < values.size(); i += chunk_values) writer.add_chunk(values.data() + i, chunk_values);
    const codec::ChunkedTensor t = writer.take();
    std::vector<std::uint8_t> tile = accelerator::chunk_table::from_offsets(t.chunk_offsets);
    tile.insert(tile.end(), t.bytes.begin(), t.bytes.end());
    return tile;
}

// Random operands the SPARK code holds exactly (so the array computes on the values the test wrote), with many
// short codes and a fair share of long ones.
std::vector<std::uint8_t> operand(std::size_t n, codec::Mode mode, std::mt19937& rng) {
    std::vector<std::uint8_t> v(n);
    for (auto& x : v) {
        const bool small = rng() % 3 != 0;
        const auto bits = static_cast<std::uint8_t>(small ? rng() % 8 : rng() % 256);
        // Small values are -4..3 signed, 0..7 unsigned: short codes.
        const auto value = mode == codec::Mode::signed_i8 && small ? static_cast<std::uint8_t>(bits - 4) : bits;
        x = codec::approximate(value, mode);
    }
    return v;
}

struct CheckerCount {
    std::string name;
    bool memory;
    std::uint64_t transactions, violations, data_checks;
    std::vector<std::string> messages;
};

struct Results {
    std::vector<std::uint8_t> weights, activations;
    pe_array::Layer layer;
    pe_array::LayerResult reference;
    std::uint64_t weight_tile_bytes = 0, activation_tile_bytes = 0;

    soc::BusResult weight_write, activation_write, table_read, data_read;
    tlm::tlm_response_status job_status = tlm::TLM_INCOMPLETE_RESPONSE;
    pe_array::TileJob job;
    std::vector<std::uint8_t> output_table, output_data, decoded;
    std::string decode_error;
    std::uint64_t jobs_done = 0, dmi_accesses = 0, router_address_errors = 0;
    std::string cpu_error;
    std::vector<CheckerCount> checkers;
} r;

}  // namespace

int sc_main(int argc, char* argv[]) {
    sc_report_handler::set_actions(SC_WARNING, SC_DO_NOTHING);
    // Violations are counted, not fatal, so that every one of them shows in the test's output.
    sc_report_handler::set_actions(ProtocolChecker::msg_type, SC_DISPLAY);

    // The operands and the reference: the fast model on the same values.
    std::mt19937 rng(13);
    r.layer = pe_array::Layer::gemm("tile", kM, kN, kK);
    r.weights = operand(std::size_t(kN * kK), r.layer.weight_mode, rng);
    r.activations = operand(std::size_t(kM * kK), r.layer.activation_mode, rng);
    // Requantise into -15..15: every output then has an exact SPARK code (short for -4..3, long otherwise), so
    // the block the encoder bank writes must decode to the reference bit for bit.
    std::int64_t max_abs = 1;
    for (std::int64_t m = 0; m < kM; ++m)
        for (std::int64_t n = 0; n < kN; ++n) {
            std::int64_t acc = 0;
            for (std::int64_t k = 0; k < kK; ++k)
                acc += std::int64_t(codec::to_int(r.activations[m * kK + k], r.layer.activation_mode)) *
                       codec::to_int(r.weights[n * kK + k], r.layer.weight_mode);
            max_abs = std::max(max_abs, std::abs(acc));
        }
    r.layer.requant = accelerator::make_requant(1.0, 1.0, double(max_abs) / 15.0, 0, true, false);
    r.reference = pe_array::PeArray(array_config()).run(r.layer, r.weights, r.activations);

    const std::vector<std::uint8_t> weight_tile = buffer_tile(r.weights, kK, r.layer.weight_mode);
    const std::vector<std::uint8_t> activation_tile = buffer_tile(r.activations, kK, r.layer.activation_mode);
    r.weight_tile_bytes = weight_tile.size();
    r.activation_tile_bytes = activation_tile.size();

    System system("system");
    system.cpu.software = [&](soc::Cpu& cpu) {
        cpu.set_use_dmi(false);  // the tiles go through b_transport: the data rule sees every byte land
        r.weight_write = cpu.write(kWeightTile, weight_tile.data(), weight_tile.size());
        r.activation_write = cpu.write(kActivationTile, activation_tile.data(), activation_tile.size());

        pe_array::TileJob& job = r.job;
        job.layer = r.layer;
        job.spark = true;
        job.weights = {kWeightTile, std::uint64_t(kN), std::uint64_t(kK)};
        job.activations = {kActivationTile, std::uint64_t(kM), std::uint64_t(kK)};
        job.output_address = kOutputBlock;
        job.output.chunks = kM;  // one output row per chunk, all of it in this one piece
        job.output.chunk_values = kN;
        job.output.stride = kN;
        job.output.offset = 0;
        job.output.cols = kN;
        job.output.first = job.output.last = true;
        job.output.mode = r.layer.requant.output_mode;
        job.output.spark = true;
        job.output.table_base = 0;
        cpu.sync();
        sc_time delay = SC_ZERO_TIME;
        r.job_status = system.job_port.submit(job, delay);
        wait(delay);

        // The output block, through DMI this time (the checkers check the grants).
        cpu.set_use_dmi(true);
        r.output_table.assign(accelerator::chunk_table::bytes(kM), 0);
        r.table_read = cpu.read(kOutputBlock, r.output_table.data(), r.output_table.size());
        const std::uint64_t data_bytes = accelerator::chunk_table::data_bytes(r.output_table.data(), kM);
        if (data_bytes > kBufferBytes) return;
        r.output_data.assign(data_bytes, 0);
        r.data_read = cpu.read(kOutputBlock + r.output_table.size(), r.output_data.data(), data_bytes);
    };
    sc_start();

    r.cpu_error = system.cpu.error();
    r.dmi_accesses = system.cpu.dmi_accesses();
    r.jobs_done = system.pe_array.jobs_done();
    r.router_address_errors = system.router.address_errors();
    try {
        r.decoded = accelerator::chunk_table::decode_all(r.output_table.data(), kM, kN, r.layer.requant.output_mode,
                                                         r.output_data.data(), r.output_data.size());
    } catch (const Error& e) {
        r.decode_error = e.what();
    }
    for (const auto& l : system.links)
        r.checkers.push_back({l.checker->basename(), l.memory, l.checker->transactions_checked(),
                              l.checker->violations(), l.checker->data_checks(), l.checker->messages()});
    return spark::test::run_catch(argc, argv);
}

TEST_CASE("the reference output has exact SPARK codes, short and long") {
    REQUIRE(r.reference.output.size() == std::size_t(kM * kN));
    std::size_t long_codes = 0;
    for (std::uint8_t v : r.reference.output) {
        CHECK(codec::is_exact(v, r.layer.requant.output_mode));
        if (!codec::is_short(v, r.layer.requant.output_mode)) ++long_codes;
    }
    CHECK(long_codes > 0);
    CHECK(long_codes < r.reference.output.size());
}

TEST_CASE("the CPU writes both tiles through the router") {
    CHECK(r.cpu_error.empty());
    CHECK(r.weight_write.ok());
    CHECK(r.activation_write.ok());
    CHECK(r.router_address_errors == 0);
}

TEST_CASE("the tile job succeeds: the decoder banks read the tiles, the encoder bank writes the block") {
    INFO(r.job.error);
    CHECK(r.job_status == tlm::TLM_OK_RESPONSE);
    CHECK(r.job.fault == pe_array::TileJob::Fault::none);
    CHECK(r.jobs_done == 1);
    CHECK(r.job.weight_stream.error.empty());
    CHECK(r.job.weight_stream.encoded_bytes == r.weight_tile_bytes);
    CHECK(r.job.activation_stream.encoded_bytes == r.activation_tile_bytes);
    CHECK(r.job.weight_stream.cycles > 0);
    CHECK(r.job.output.error.empty());
    CHECK(r.job.output.table_bytes == accelerator::chunk_table::bytes(kM));
    CHECK(r.job.output.approximated == 0);
    CHECK(r.job.stats.macs.total() == r.layer.macs());
    CHECK(r.job.stats.cycles == r.reference.stats.cycles);
}

TEST_CASE("the output block decodes to exactly the array's result") {
    CHECK(r.table_read.ok());
    CHECK(r.data_read.ok());
    CHECK(r.dmi_accesses > 0);
    CHECK(r.output_data.size() == r.job.output.data_bytes);
    INFO(r.decode_error);
    REQUIRE(r.decode_error.empty());
    CHECK(r.decoded == r.reference.output);
}

TEST_CASE("every link has a checker and each one saw traffic") {
    REQUIRE(r.checkers.size() == 11);
    for (const auto& c : r.checkers) {
        INFO(c.name);
        CHECK(c.transactions > 0);
        if (c.memory) CHECK(c.data_checks > 0);  // the data rule ran on the buffer links
    }
}

TEST_CASE("the modules follow the base protocol: no checker reports a violation") {
    for (const auto& c : r.checkers) {
        std::string messages;
        for (const auto& m : c.messages) messages += "\n  " + m;
        INFO(c.name << messages);
        CHECK(c.violations == 0);
    }
}
