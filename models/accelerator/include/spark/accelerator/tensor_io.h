// SPDX-License-Identifier: Apache-2.0
// Moving chunked tensors (descriptor.h) between memory and the datapath through the DMA engine: fetch a range of
// chunks (table entries and data) and decode them; encode chunks and write them with their table entries.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "spark/accelerator/descriptor.h"
#include "spark/codec/codec.h"
#include "spark/dma/dma_engine.h"

namespace spark::accelerator {

// Why a transfer failed, for the controller's error registers.
struct TransferFault {
    bool bus = false;             // a TLM error response (else: data that failed to decode)
    std::uint64_t address = 0;
    std::string message;
};

struct TransferCount {
    std::uint64_t data_bytes = 0;
    std::uint64_t table_bytes = 0;
    std::uint64_t values = 0;
    std::uint64_t nibbles = 0;    // code nibbles moved (SPARK storage), 2 per value for raw storage
    std::uint64_t approximated = 0;  // values the encoders changed on the way out (SPARK storage, stores only)

    TransferCount& operator+=(const TransferCount& o) {
        data_bytes += o.data_bytes;
        table_bytes += o.table_bytes;
        values += o.values;
        nibbles += o.nibbles;
        approximated += o.approximated;
        return *this;
    }
};

inline codec::Mode mode_of(const TensorDesc& t) {
    return t.is_signed ? codec::Mode::signed_i8 : codec::Mode::unsigned_u8;
}

// Reads chunks [first, first + count) of `t` and decodes them into `values` (count x chunk_values raw bytes).
// `delay` is the issue time on entry and the completion time on return. Returns false and fills `fault` on a bus
// error or a chunk that does not decode.
bool fetch_chunks(dma::DmaEngine& dma, const TensorDesc& t, bool spark_storage, std::uint64_t first,
                  std::uint64_t count, std::vector<std::uint8_t>& values, sc_core::sc_time& delay,
                  TransferCount& moved, TransferFault& fault);

// Writes chunks in order, each encoded on its own; keeps the running data offset between calls of one tensor.
class ChunkStorer {
public:
    ChunkStorer(const TensorDesc& t, bool spark_storage) : m_tensor(t), m_spark(spark_storage) {}
    // Encodes and writes chunks [next, next + count) from `values` (count x chunk_values raw bytes).
    bool store(dma::DmaEngine& dma, const std::uint8_t* values, std::uint64_t count, sc_core::sc_time& delay,
               TransferCount& moved, TransferFault& fault);
    std::uint64_t chunks_written() const { return m_next; }

private:
    TensorDesc m_tensor;
    bool m_spark;
    std::uint64_t m_next = 0;
    std::uint64_t m_data_offset = 0;
};

}  // namespace spark::accelerator
