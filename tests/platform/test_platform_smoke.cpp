// SPDX-License-Identifier: Apache-2.0
// The smoke network through the whole platform, SPARK and baseline in one simulation: every layer output equals
// the golden reference, and the bytes and MACs add up across the DMA, the layers and the DRAM.
#define CATCH_CONFIG_RUNNER
#include "sc_catch_main.h"

#include <memory>

#include "spark/platform/arch.h"
#include "spark/platform/golden.h"
#include "spark/platform/program.h"
#include "spark/platform/system.h"

using namespace spark;

namespace {

struct Run {
    std::string name;
    platform::ArchConfig arch;
    std::unique_ptr<platform::Program> program;
    std::unique_ptr<platform::SparkSystem> system;
    platform::TensorData golden;
    std::map<std::string, std::vector<std::uint8_t>> outputs;
};

workload::Network network;
std::vector<Run> runs;

}  // namespace

int sc_main(int argc, char** argv) {
    network = workload::load_workload(SPARK_TRACES_DIR "/smoke.yaml");
    const platform::TensorData data = platform::load_tensor_data(network);
    const platform::ArchConfig spark_arch = platform::ArchConfig::spark_default();
    runs.resize(2);
    runs[0].name = "spark";
    runs[0].arch = spark_arch;
    runs[1].name = "baseline";
    runs[1].arch = spark_arch.baseline();
    for (Run& r : runs) {
        r.program = std::make_unique<platform::Program>(
            platform::build_program(network, data, r.arch.spark_storage, 0x1000, r.arch.dram.size_bytes() - 0x1000));
        r.system = std::make_unique<platform::SparkSystem>(r.name.c_str(), r.arch, *r.program);
        r.golden = platform::golden_tensors(network, data, r.arch.spark_storage);
    }
    sc_core::sc_start();
    for (Run& r : runs)
        for (const auto& pl : r.program->layers)
            r.outputs[pl.layer->output.name] = r.system->read_tensor(r.program->tensors.at(pl.layer->output.name));
    return spark::test::run_catch(argc, argv);
}

TEST_CASE("both systems finish without error") {
    for (const Run& r : runs) {
        INFO(r.name);
        REQUIRE(r.system->finished());
        CHECK(r.system->result().ok);
        CHECK(r.system->result().error == 0);
        CHECK(r.system->result().layers.size() == r.program->descriptor_count);
    }
}

TEST_CASE("every layer output equals the golden reference") {
    for (const Run& r : runs)
        for (const auto& [name, got] : r.outputs) {
            INFO(r.name << " " << name);
            CHECK(got == r.golden.at(name));
        }
}

TEST_CASE("SPARK storage changes what is stored, the baseline stores exact INT8") {
    // The two configurations differ exactly where a value was approximated somewhere upstream.
    bool any_difference = false;
    for (const auto& [name, spark_out] : runs[0].outputs) any_difference |= spark_out != runs[1].outputs.at(name);
    CHECK(any_difference);
}

TEST_CASE("bytes are conserved: DMA counters = layer records + descriptors = DRAM counters") {
    for (const Run& r : runs) {
        INFO(r.name);
        const platform::SystemResult& res = r.system->result();
        std::uint64_t read = 0, written = 0, macs = 0, cycles = 0;
        for (const auto& l : res.layers) {
            read += l.record.dram_bytes_read();
            written += l.record.dram_bytes_written();
            macs += l.record.array.macs.total();
            cycles += l.record.cycles;
            // Each layer's DRAM interval also holds the fetch of its own descriptor.
            CHECK(l.dram_delta.counters.bytes_read == l.record.dram_bytes_read() + accelerator::LayerDescriptor::kBytes);
            CHECK(l.dram_delta.counters.bytes_written == l.record.dram_bytes_written());
        }
        const std::uint64_t descriptor_bytes =
            std::uint64_t{r.program->descriptor_count} * accelerator::LayerDescriptor::kBytes;
        CHECK(res.dram_bytes_read == read + descriptor_bytes);
        CHECK(res.dram_bytes_written == written);
        CHECK(res.dram_total.counters.bytes_read == res.dram_bytes_read);
        CHECK(res.dram_total.counters.bytes_written == res.dram_bytes_written);
        CHECK(res.macs == macs);
        CHECK(macs == static_cast<std::uint64_t>(network.total_macs()));
        CHECK(res.cycles >= cycles);
    }
}

TEST_CASE("SPARK moves fewer bytes than the baseline") {
    const auto& s = runs[0].system->result();
    const auto& b = runs[1].system->result();
    CHECK(s.dram_bytes_read < b.dram_bytes_read);
    CHECK(s.dram_bytes_written < b.dram_bytes_written);
}
