// SPDX-License-Identifier: Apache-2.0
// Writes the accelerator_image seeds (fuzz/corpus/accelerator_image/): the seed networks of accelerator_bench.h
// laid out by the program builder, each of which runs to completion, and the same images with one field made
// wrong, each of which must end in a clean error. fuzz/make_seeds.py runs it:
//   /usr/bin/python3 fuzz/make_seeds.py BUILD_DIR      (builds and runs BUILD_DIR/tests/fuzz/make_accelerator_seeds)
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>

#include <fmt/format.h>

#include "accelerator_bench.h"

namespace {

using namespace spark;
using namespace spark::fuzz::accel;
using accelerator::LayerDescriptor;

struct Seed {
    Header header;
    std::vector<std::uint8_t> image;
};

void put_u32(std::vector<std::uint8_t>& image, std::uint64_t address, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) image.at(address + static_cast<std::uint64_t>(i)) = static_cast<std::uint8_t>(v >> (8 * i));
}
std::uint32_t get_u32(const std::vector<std::uint8_t>& image, std::uint64_t address) {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= std::uint32_t{image.at(address + static_cast<std::uint64_t>(i))} << (8 * i);
    return v;
}

// Descriptor `index` of the seed's list, changed by `edit` and written back.
void edit_descriptor(Seed& s, std::uint32_t index, const std::function<void(LayerDescriptor&)>& edit) {
    const std::uint64_t at = s.header.descriptor_address + std::uint64_t{index} * LayerDescriptor::kBytes;
    LayerDescriptor d = LayerDescriptor::decode(s.image.data() + at, LayerDescriptor::kBytes);
    edit(d);
    const auto bytes = d.encode();
    std::copy(bytes.begin(), bytes.end(), s.image.begin() + static_cast<std::ptrdiff_t>(at));
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s OUTPUT_DIR\n", argv[0]);
        return 2;
    }
    const std::filesystem::path dir(argv[1]);
    std::filesystem::create_directories(dir);
    std::size_t written = 0;
    auto write = [&](const std::string& name, const Seed& s) {
        const std::vector<std::uint8_t> bytes = encode_input(s.header, s.image);
        std::ofstream out(dir / name, std::ios::binary);
        out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
        if (!out) throw std::runtime_error("cannot write " + (dir / name).string());
        ++written;
    };
    auto seed_of = [](const Example& e) { return Seed{header_of(e.program), flatten(e.program)}; };

    // Whole networks that complete, SPARK and raw storage; the interrupt settings vary between them.
    for (const SeedNetwork& net : seed_networks()) {
        Seed spark_seed = seed_of(build_example(net, true));
        write(fmt::format("{}-spark", net.name), spark_seed);
        Seed raw_seed = seed_of(build_example(net, false));
        raw_seed.header.irq_enable = SPARK_IRQ_DONE | SPARK_IRQ_LAYER;
        write(fmt::format("{}-raw", net.name), raw_seed);
    }

    const Example cnn = build_example(seed_networks().front(), true);
    const Seed base = seed_of(cnn);
    const accelerator::TensorDesc& image = cnn.program.tensors.at("image");
    const accelerator::TensorDesc& conv1 = cnn.program.tensors.at("conv1");

    {
        Seed s = base;
        s.header.irq_enable = 0;
        write("cnn-irq-off", s);
        s.header.irq_enable = SPARK_IRQ_LAYER;
        write("cnn-irq-layer-only", s);
        s.header.irq_enable = SPARK_IRQ_DONE | kAbortFlag;
        write("cnn-abort", s);
    }
    // The first entry of conv1's input table far past the tensor, or just past what the first row block fetches.
    {
        Seed s = base;
        put_u32(s.image, image.table_address, 0xFFFFFFFFu);
        write("cnn-first-entry-max", s);
        s = base;
        put_u32(s.image, image.table_address, get_u32(s.image, image.table_address) + 0x400u);
        write("cnn-first-entry-past", s);
        s = base;
        for (std::uint64_t c = 0; c < image.chunks(); ++c) put_u32(s.image, image.table_address + 4 * c, 0);
        write("cnn-zero-length-chunks", s);
        s = base;
        put_u32(s.image, image.table_address + 4, get_u32(s.image, image.table_address) - 1);
        write("cnn-entries-out-of-order", s);
    }
    // Descriptors outside memory, across its end, past the list's end, with a bad magic.
    {
        Seed s = base;
        s.header.descriptor_address = kMemoryBytes + 0x1000;
        write("descriptor-outside-memory", s);
        s.header.descriptor_address = kMemoryBytes - LayerDescriptor::kBytes / 2;
        s.header.count = 1;
        write("descriptor-across-memory-end", s);
        s = base;
        s.header.descriptor_address = 0xFFFF'FFFF'FFFF'FF00ull;
        s.header.count = 2;
        write("descriptor-list-wraps", s);
        s = base;
        s.header.count = static_cast<std::uint8_t>(cnn.program.descriptor_count + 1);
        write("cnn-count-past-list", s);
        s = base;
        s.header.count = 0;
        write("cnn-count-zero", s);
        s = base;
        s.image.at(base.header.descriptor_address + 2 * LayerDescriptor::kBytes) ^= 0xFFu;
        write("cnn-bad-magic", s);
    }
    // Tensors outside memory, empty, oversized, overlapping.
    {
        Seed s = base;
        edit_descriptor(s, 0, [](LayerDescriptor& d) { d.output.data_address = kMemoryBytes + 4096; });
        write("cnn-output-outside-memory", s);
        s = base;
        edit_descriptor(s, 0, [](LayerDescriptor& d) { d.input.data_address = 0xFFFF'FFFF'FFFF'FFC0ull; });
        write("cnn-input-wraps", s);
        s = base;
        edit_descriptor(s, 0, [](LayerDescriptor& d) { d.input.table_address = kMemoryBytes - 8; });
        write("cnn-table-across-memory-end", s);
        s = base;
        edit_descriptor(s, 0, [](LayerDescriptor& d) { d.input.dims[2] = 0; });
        write("cnn-zero-dimension", s);
        s = base;
        edit_descriptor(s, 0, [](LayerDescriptor& d) { d.input.dims = {0xFFFFFFFFu, 0xFFFFFFFFu, 8, 8}; });
        write("cnn-oversized-input", s);
        s = base;
        edit_descriptor(s, 0, [](LayerDescriptor& d) {
            d.input.dims[0] = 0x10000;
            d.output.dims[0] = 0x10000;
        });
        write("cnn-too-many-tiles", s);
        s = base;
        edit_descriptor(s, 0, [&](LayerDescriptor& d) {
            d.output.table_address = d.input.table_address;
            d.output.data_address = d.input.data_address;
        });
        write("cnn-output-over-input", s);
        s = base;
        edit_descriptor(s, 0, [&](LayerDescriptor& d) {
            d.output.data_address = base.header.descriptor_address + LayerDescriptor::kBytes;
        });
        write("cnn-output-over-descriptors", s);
        s = base;
        edit_descriptor(s, 0, [&](LayerDescriptor& d) { d.weights.data_address = conv1.data_address; });
        write("cnn-weights-are-output", s);
    }
    // Raw storage: a tensor whose chunks run past memory.
    {
        Seed s = seed_of(build_example(seed_networks().front(), false));
        edit_descriptor(s, 0, [](LayerDescriptor& d) { d.input.data_address = kMemoryBytes - 64; });
        write("cnn-raw-input-across-memory-end", s);
    }
    // A linear layer of 2^20 rows and one of 2^11: more tiles than a plan may hold, and many tiles whose table
    // entries past the program's are zero (chunks of no bytes).
    {
        const Example lin = build_example(seed_networks().back(), true);
        Seed s = seed_of(lin);
        s.header.count = 1;
        edit_descriptor(s, 0, [](LayerDescriptor& d) {
            d.input.dims[0] = 0x100000;
            d.output.dims[0] = 0x100000;
        });
        write("linear-too-many-tiles", s);
        s = seed_of(lin);
        s.header.count = 1;
        edit_descriptor(s, 0, [](LayerDescriptor& d) {
            d.input.dims[0] = 0x800;
            d.output.dims[0] = 0x800;
        });
        write("linear-rows-past-table", s);
    }
    std::printf("make_accelerator_seeds: %zu seeds in %s\n", written, dir.c_str());
    return 0;
}
