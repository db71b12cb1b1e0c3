// SPDX-License-Identifier: Apache-2.0
// spk::parse_spk and decode_values on arbitrary bytes. The trailing CRC-32 would stop almost every mutation at
// the checksum, so the target recomputes it for inputs of even length and leaves odd-length inputs as they are:
// both the field checks behind the checksum and the checksum itself get exercised. An accepted file must
// serialize back to the same bytes.
#include <vector>

#include "fuzz_support.h"
#include "spk_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::vector<std::uint8_t> bytes(data, data + size);
    if (size >= 4 && size % 2 == 0) {
        const std::uint32_t crc = spark::spk::crc32(bytes.data(), size - 4);
        for (int i = 0; i < 4; ++i) bytes[size - 4 + i] = static_cast<std::uint8_t>(crc >> (8 * i));
    }
    spark::spk::SpkFile file;
    if (!spark::fuzz::accepts([&] { file = spark::spk::parse_spk(bytes.data(), bytes.size(), "fuzz.spk"); }))
        return 0;
    if (spark::spk::serialize_spk(file) != bytes) spark::fuzz::fail("spk_reader", "an accepted file does not round-trip");
    spark::fuzz::accepts([&] { spark::spk::decode_values(file, "fuzz.spk"); });
    spark::fuzz::accepts([&] { file.quant_params(); });
    return 0;
}
