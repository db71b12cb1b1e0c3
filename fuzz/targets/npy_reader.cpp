// SPDX-License-Identifier: Apache-2.0
// tensor::parse_npy on arbitrary bytes; an accepted file must survive serialize_npy and a second parse unchanged.
#include "fuzz_support.h"
#include "spark/tensor/npy.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace spark::tensor;
    Tensor t;
    if (!spark::fuzz::accepts([&] { t = parse_npy(data, size, "fuzz.npy"); })) return 0;
    const std::vector<std::uint8_t> bytes = serialize_npy(t);
    const Tensor again = parse_npy(bytes.data(), bytes.size(), "serialized");
    if (again.shape() != t.shape() || again.dtype() != t.dtype() || again.size_bytes() != t.size_bytes() ||
        !std::equal(t.bytes(), t.bytes() + t.size_bytes(), again.bytes()))
        spark::fuzz::fail("npy_reader", "a parsed tensor does not survive serialize_npy");
    return 0;
}
