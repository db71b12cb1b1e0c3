// SPDX-License-Identifier: Apache-2.0
// accelerator::LayerDescriptor::decode on arbitrary bytes (what a driver leaves in memory). An accepted
// descriptor must encode to bytes that decode to the same descriptor.
#include <vector>

#include "fuzz_support.h"
#include "spark/accelerator/descriptor.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using spark::accelerator::LayerDescriptor;
    const std::vector<std::uint8_t> bytes(data, data + size);  // exact size: ASan sees reads past the end
    LayerDescriptor d;
    if (!spark::fuzz::accepts([&] { d = LayerDescriptor::decode(bytes.data(), bytes.size()); })) return 0;
    const auto once = d.encode();
    const auto twice = LayerDescriptor::decode(once.data(), once.size()).encode();
    if (once != twice) spark::fuzz::fail("layer_descriptor", "encode(decode(encode(d))) differs from encode(d)");
    for (const auto* t : {&d.input, &d.input2, &d.weights, &d.output}) {
        spark::fuzz::accepts([&] { t->elements(); });
        spark::fuzz::accepts([&] { t->chunks(); });
        spark::fuzz::accepts([&] { t->chunk_values(); });
    }
    return 0;
}
