// SPDX-License-Identifier: Apache-2.0
// The datapath under pressure: buffers small enough to force many tiles must give the same outputs as the
// golden reference and overlap loads with compute; corrupted memory gives defined errors, never a crash.
#define CATCH_CONFIG_RUNNER
#include "sc_catch_main.h"

#include <memory>

#include <tlm_utils/simple_initiator_socket.h>

#include "spark/accelerator/chunk_table.h"
#include "spark/controller/spark_accel_regs.h"
#include "spark/platform/arch.h"
#include "spark/platform/golden.h"
#include "spark/platform/program.h"
#include "spark/platform/system.h"

using namespace spark;

namespace {

workload::Network network;
platform::TensorData data;
platform::ArchConfig tiny;
std::vector<std::unique_ptr<platform::Program>> programs;
std::vector<std::unique_ptr<platform::SparkSystem>> systems;
std::map<std::string, std::vector<std::uint8_t>> outputs;

platform::SparkSystem& add_system(const char* name, const platform::ArchConfig& arch, platform::Program program) {
    programs.push_back(std::make_unique<platform::Program>(std::move(program)));
    systems.push_back(std::make_unique<platform::SparkSystem>(name, arch, *programs.back()));
    return *systems.back();
}

// The system added under `name`, with its program.
std::size_t index_of(const std::string& name) {
    for (std::size_t i = 0; i < systems.size(); ++i)
        if (systems[i]->basename() == name) return i;
    throw std::runtime_error("no system " + name);
}
platform::SparkSystem& named_system(const std::string& name) { return *systems[index_of(name)]; }
const platform::Program& named_program(const std::string& name) { return *programs[index_of(name)]; }

platform::MemoryWrite& image_at(platform::Program& p, std::uint64_t address) {
    for (auto& w : p.image)
        if (w.address == address) return w;
    throw std::runtime_error("no image write at that address");
}

// A debugger's port on an accelerator's local bus: transport_dbg, no time, no side effects on counters.
struct DebugPort : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<DebugPort> socket;
    explicit DebugPort(sc_core::sc_module_name name) : sc_core::sc_module(name), socket("socket") {}

    std::uint8_t peek(std::uint64_t address) {
        std::uint8_t b = 0;
        access(tlm::TLM_READ_COMMAND, address, b);
        return b;
    }
    void poke(std::uint64_t address, std::uint8_t b) { access(tlm::TLM_WRITE_COMMAND, address, b); }

private:
    void access(tlm::tlm_command cmd, std::uint64_t address, std::uint8_t& b) {
        tlm::tlm_generic_payload t;
        t.set_command(cmd);
        t.set_address(address);
        t.set_data_ptr(&b);
        t.set_data_length(1);
        if (socket->transport_dbg(t) != 1) throw std::runtime_error("debug access refused");
    }
};
std::unique_ptr<DebugPort> debug_port;
std::uint64_t corrupted_at = 0;  // the local-bus address of the flipped byte, once flipped
std::string corrupted_layer_problem;

}  // namespace

int sc_main(int argc, char** argv) {
    sc_core::sc_report_handler::set_actions(sc_core::SC_WARNING, sc_core::SC_DO_NOTHING);
    network = workload::load_workload(SPARK_TRACES_DIR "/smoke.yaml");
    data = platform::load_tensor_data(network);
    tiny = platform::ArchConfig::spark_default();
    // Halves of 2 KiB, 768 and 512 bytes: conv1's 16 x 16 rows of 8 channels need several row blocks, the
    // element-wise layers go in blocks of chunks, and max_pool's strips just fit (two input rows of 16 x 16
    // values and their table entries: 520 bytes).
    tiny.weight_buffer.capacity_bytes = 4096;
    tiny.activation_buffer.capacity_bytes = 1536;
    tiny.output_buffer.capacity_bytes = 1024;
    tiny.sync_datapath();
    const std::uint64_t capacity = tiny.dram.size_bytes();
    add_system("tiny", tiny, platform::build_program(network, data, true, 0, capacity));

    // A chunk table entry pointing far past its data: the fetch must fail as invalid data, not crash.
    platform::Program bad_table = platform::build_program(network, data, true, 0, capacity);
    const auto& image_desc = bad_table.tensors.at("image");
    auto& table = image_at(bad_table, image_desc.table_address);
    table.bytes[4] = 0xFF;
    table.bytes[5] = 0xFF;
    table.bytes[6] = 0xFF;
    add_system("bad_table", tiny, std::move(bad_table));

    // A chunk table's first entry far past the data while the entries after it look sane (0xFFFFFFFF), or just
    // past what one fetch reads (+0x400): memory is the driver's, so both are invalid data, never a read outside
    // what was fetched.
    for (const std::uint32_t delta : {0xFFFFFFFFu, 0x400u}) {
        platform::Program p = platform::build_program(network, data, true, 0, capacity);
        auto& entries = image_at(p, p.tensors.at("image").table_address);
        std::uint32_t first_end = 0;
        for (int b = 0; b < 4; ++b) first_end |= std::uint32_t{entries.bytes[static_cast<std::size_t>(b)]} << (8 * b);
        const std::uint32_t corrupted = delta == 0xFFFFFFFFu ? delta : first_end + delta;
        for (int b = 0; b < 4; ++b) entries.bytes[static_cast<std::size_t>(b)] = static_cast<std::uint8_t>(corrupted >> (8 * b));
        add_system(delta == 0xFFFFFFFFu ? "first_entry_max" : "first_entry_past", tiny, std::move(p));
    }

    // A descriptor whose output lies outside the DRAM: a bus error naming the address.
    platform::Program bad_address = platform::build_program(network, data, true, 0, capacity);
    auto& descriptors = image_at(bad_address, bad_address.descriptor_address);
    accelerator::LayerDescriptor d = accelerator::LayerDescriptor::decode(descriptors.bytes.data(), 256);
    d.output.data_address = capacity + 4096;
    const auto encoded = d.encode();
    std::copy(encoded.begin(), encoded.end(), descriptors.bytes.begin());
    add_system("bad_address", tiny, std::move(bad_address));

    // A conv descriptor whose output is one column wider than its input and window give: refused before any
    // tile reads past its data.
    platform::Program bad_width = platform::build_program(network, data, true, 0, capacity);
    auto& conv_descriptor = image_at(bad_width, bad_width.descriptor_address);
    accelerator::LayerDescriptor wide = accelerator::LayerDescriptor::decode(conv_descriptor.bytes.data(), 256);
    wide.output.dims[3] += 1;
    const auto wide_bytes = wide.encode();
    std::copy(wide_bytes.begin(), wide_bytes.end(), conv_descriptor.bytes.begin());
    add_system("bad_width", tiny, std::move(bad_width));

    // Raw INT8 descriptors on a SPARK accelerator bypass its decoders; SPARK descriptors need decoders.
    add_system("raw_on_spark", tiny, platform::build_program(network, data, false, 0, capacity));
    add_system("spark_on_int8", tiny.baseline(), platform::build_program(network, data, true, 0, capacity));

    // Single-buffered buffers of half the size: the same tiles as `tiny`, but no fill or drain overlaps compute.
    platform::ArchConfig single = tiny;
    for (auto* b : {&single.weight_buffer, &single.activation_buffer, &single.output_buffer}) {
        b->capacity_bytes /= 2;
        b->double_buffered = false;
    }
    single.sync_datapath();
    add_system("single", single, platform::build_program(network, data, true, 0, capacity));


    // The bytes the array computes on are the ones in the buffers: one weight byte flipped in the weight buffer
    // (through debug transport, just before conv1's second tile decodes it) changes conv1's output. Bit 0 is a
    // payload bit in every nibble (the indicator is bit 3), so the stream still decodes.
    auto& corrupt_buffer = add_system("corrupt_buffer", tiny, platform::build_program(network, data, true, 0, capacity));
    debug_port = std::make_unique<DebugPort>("debug_port");
    debug_port->socket.bind(corrupt_buffer.accelerator().local_bus().target_socket);
    corrupt_buffer.accelerator().sequencer().on_tile = [](const accelerator::TileEvent& e) {
        if (e.layer_id != 0 || e.index != 1 || corrupted_at) return;
        corrupted_at = e.weight_address + accelerator::chunk_table::bytes(e.tile->weight_chunks);
        debug_port->poke(corrupted_at, debug_port->peek(corrupted_at) ^ 1u);
    };
    // The same byte flipped in DRAM before the run: the accelerator computes on it, and the golden check names
    // the layer whose output it changed.
    platform::Program corrupt_dram = platform::build_program(network, data, true, 0, capacity);
    const auto& conv1_weights = corrupt_dram.tensors.at(network.layers.at(0).weight->name);
    image_at(corrupt_dram, conv1_weights.data_address).bytes.at(0) ^= 1u;
    add_system("corrupt_dram", tiny, std::move(corrupt_dram));

    sc_core::sc_start();
    for (const auto& pl : programs[0]->layers)
        outputs[pl.layer->output.name] = systems[0]->read_tensor(programs[0]->tensors.at(pl.layer->output.name));
    return spark::test::run_catch(argc, argv);
}

TEST_CASE("heavy tiling gives the golden outputs") {
    REQUIRE(named_system("tiny").result().ok);
    const platform::TensorData golden = platform::golden_tensors(network, data, true);
    for (const auto& [name, got] : outputs) {
        INFO(name);
        CHECK(got == golden.at(name));
    }
}

TEST_CASE("loads overlap compute: a tiled layer takes less than its loads and compute in series") {
    const auto& conv1 = named_system("tiny").result().layers.at(0).record;
    CHECK(conv1.tiles > 1);
    CHECK(conv1.load_cycles > 0);
    CHECK(conv1.store_cycles > 0);
    // Nothing can finish before the array or the DMA has done its share...
    CHECK(conv1.cycles >= conv1.array_cycles);
    CHECK(conv1.cycles >= conv1.load_cycles + conv1.store_cycles);
    // ...and with ping-pong buffers the two overlap: the layer is shorter than all of it in series.
    CHECK(conv1.cycles < conv1.array_cycles + conv1.load_cycles + conv1.store_cycles);
}

TEST_CASE("a weight byte corrupted in the weight buffer mid-run changes the layer's output") {
    REQUIRE(corrupted_at != 0);
    REQUIRE(named_system("corrupt_buffer").result().ok);
    const std::string& conv1 = network.layers.at(0).output.name;
    const auto got = named_system("corrupt_buffer").read_tensor(named_program("corrupt_buffer").tensors.at(conv1));
    CHECK(got != outputs.at(conv1));
}

TEST_CASE("a weight byte corrupted in DRAM before the run fails the golden check naming the layer") {
    REQUIRE(named_system("corrupt_dram").result().ok);
    const auto problems = platform::check_outputs(named_system("corrupt_dram"), network, named_program("corrupt_dram"),
                                                  platform::golden_tensors(network, data, true));
    REQUIRE_FALSE(problems.empty());
    CHECK_THAT(problems.front(), Catch::Contains("layer '" + network.layers.at(0).output.name + "'"));
}

TEST_CASE("a corrupted chunk table stops the run with invalid data") {
    const auto& r = named_system("bad_table").result();
    CHECK_FALSE(r.ok);
    CHECK(r.error == SPARK_ERR_DATA_INVALID);
}

TEST_CASE("a chunk table entry outside the fetched data stops the run with invalid data at that entry") {
    for (const char* name : {"first_entry_max", "first_entry_past"}) {
        INFO(name);
        const auto& r = named_system(name).result();
        CHECK_FALSE(r.ok);
        CHECK(r.error == SPARK_ERR_DATA_INVALID);
        CHECK(r.error_address == named_program(name).tensors.at("image").table_address);
    }
}

TEST_CASE("an output outside memory stops the run with a bus error at that address") {
    const auto& r = named_system("bad_address").result();
    CHECK_FALSE(r.ok);
    CHECK(r.error == SPARK_ERR_DATA_BUS);
    CHECK(r.error_address >= tiny.dram.size_bytes());
}

TEST_CASE("raw INT8 descriptors on a SPARK accelerator give the exact INT8 outputs") {
    REQUIRE(named_system("raw_on_spark").result().ok);
    const platform::TensorData golden = platform::golden_tensors(network, data, false);
    for (const auto& pl : named_program("raw_on_spark").layers) {
        INFO(pl.layer->output.name);
        CHECK(named_system("raw_on_spark").read_tensor(named_program("raw_on_spark").tensors.at(pl.layer->output.name)) ==
              golden.at(pl.layer->output.name));
    }
}

TEST_CASE("a conv descriptor whose output shape does not follow from its input and window is refused") {
    const auto& r = named_system("bad_width").result();
    CHECK_FALSE(r.ok);
    CHECK(r.error == SPARK_ERR_DESC_INVALID);
}

TEST_CASE("SPARK descriptors on an accelerator without decoders are refused") {
    const auto& r = named_system("spark_on_int8").result();
    CHECK_FALSE(r.ok);
    CHECK(r.error == SPARK_ERR_DESC_INVALID);
}

TEST_CASE("single-buffered: the same tiles and outputs, but loads, compute and stores in series") {
    REQUIRE(named_system("single").result().ok);
    for (const auto& pl : named_program("single").layers) {
        const std::string& name = pl.layer->output.name;
        INFO(name);
        CHECK(named_system("single").read_tensor(named_program("single").tensors.at(name)) == outputs.at(name));
    }
    const auto& single = named_system("single").result().layers;
    const auto& pingpong = named_system("tiny").result().layers;
    REQUIRE(single.size() == pingpong.size());
    for (std::size_t i = 0; i < single.size(); ++i) {
        INFO("layer " << i);
        const auto& s = single[i].record;
        CHECK(s.tiles == pingpong[i].record.tiles);
        // The array's tiles are the same; a vector-unit layer may go in more parts in the smaller whole buffer
        // (gap: 1056 bytes in 768), each waiting for its decoders.
        if (accelerator::runs_on_array(s.opcode)) CHECK(s.array_cycles == pingpong[i].record.array_cycles);
        CHECK(s.cycles >= s.array_cycles + s.load_cycles + s.store_cycles);
    }
    const auto& conv1 = single.at(0).record;
    REQUIRE(conv1.tiles > 1);
    CHECK(conv1.cycles > pingpong.at(0).record.cycles);  // the overlap that ping-pong buys
}
