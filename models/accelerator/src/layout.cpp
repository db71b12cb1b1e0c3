// SPDX-License-Identifier: Apache-2.0
#include "spark/accelerator/layout.h"

#include <fmt/format.h>

#include "spark/common/error.h"

namespace spark::accelerator {

namespace {

// Calls f(chunked_index, row_major_index) for every element of a feature map: chunk (n, h) holds (w, c).
template <typename F>
void for_each_feature_map_element(const TensorDesc& t, F f) {
    const std::uint64_t n_ = t.dims[0], c_ = t.dims[1], h_ = t.dims[2], w_ = t.dims[3];
    std::uint64_t chunked = 0;
    for (std::uint64_t n = 0; n < n_; ++n)
        for (std::uint64_t h = 0; h < h_; ++h)
            for (std::uint64_t w = 0; w < w_; ++w)
                for (std::uint64_t c = 0; c < c_; ++c) f(chunked++, ((n * c_ + c) * h_ + h) * w_ + w);
}

void check_size(const TensorDesc& t, std::size_t size) {
    if (size != t.elements())
        throw Error(fmt::format("tensor of {} elements given {} values", t.elements(), size));
}

}  // namespace

std::vector<std::uint8_t> chunks_to_row_major(const TensorDesc& t, const std::vector<std::uint8_t>& chunked) {
    check_size(t, chunked.size());
    if (t.layout == Layout::matrix) return chunked;
    std::vector<std::uint8_t> out(chunked.size());
    for_each_feature_map_element(t, [&](std::uint64_t ci, std::uint64_t ri) { out[ri] = chunked[ci]; });
    return out;
}

std::vector<std::uint8_t> row_major_to_chunks(const TensorDesc& t, const std::vector<std::uint8_t>& row_major) {
    check_size(t, row_major.size());
    if (t.layout == Layout::matrix) return row_major;
    std::vector<std::uint8_t> out(row_major.size());
    for_each_feature_map_element(t, [&](std::uint64_t ci, std::uint64_t ri) { out[ci] = row_major[ri]; });
    return out;
}

}  // namespace spark::accelerator
