// SPDX-License-Identifier: Apache-2.0
#include "spk_file.h"

#include <array>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>

#include <fmt/format.h>

#include "spark/common/error.h"
#include "spark/common/file.h"

namespace spark::spk {

namespace {

constexpr std::uint8_t kMagic[4] = {0x89, 'S', 'P', 'K'};

void put_le(std::vector<std::uint8_t>& out, std::uint64_t v, std::size_t bytes) {
    for (std::size_t i = 0; i < bytes; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

std::uint64_t get_le(const std::uint8_t* p, std::size_t bytes) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < bytes; ++i) v |= std::uint64_t{p[i]} << (8 * i);
    return v;
}

std::array<std::uint32_t, 256> make_crc_table() {
    std::array<std::uint32_t, 256> table{};
    for (std::uint32_t i = 0; i < 256; ++i) {
        std::uint32_t c = i;
        for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    return table;
}

std::uint8_t dtype_code(tensor::DType dtype) {
    if (dtype == tensor::DType::int8) return 1;
    if (dtype == tensor::DType::uint8) return 2;
    throw Error(fmt::format(".spk files hold int8 or uint8 values, not {}", tensor::to_string(dtype)));
}

}  // namespace

tensor::QuantParams SpkFile::quant_params() const {
    if (quantisation == Quantisation::none) throw Error("the file holds integers, not a quantised float32 tensor");
    tensor::QuantParams p;
    p.scheme = quantisation == Quantisation::symmetric ? tensor::QuantScheme::symmetric
                                                       : tensor::QuantScheme::asymmetric;
    p.dtype = dtype;
    p.scale = scale;
    p.zero_point = zero_point;
    return p;
}

std::uint32_t crc32(const std::uint8_t* data, std::size_t size) {
    static const auto table = make_crc_table();
    std::uint32_t c = 0xFFFFFFFFu;
    for (std::size_t i = 0; i < size; ++i) c = table[(c ^ data[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

std::vector<std::uint8_t> serialize_spk(const SpkFile& f) {
    if (f.shape.size() > kMaxDims) throw Error(fmt::format(".spk files hold at most {} dimensions", kMaxDims));
    std::vector<std::uint8_t> out;
    out.reserve(kFixedHeaderBytes + 8 * f.shape.size() + f.stream.bytes.size() + 4);
    for (std::uint8_t b : kMagic) out.push_back(b);
    put_le(out, kVersion, 2);
    out.push_back(f.mode == codec::Mode::unsigned_u8 ? 0 : 1);
    out.push_back(dtype_code(f.dtype));
    out.push_back(static_cast<std::uint8_t>(f.quantisation));
    out.push_back(static_cast<std::uint8_t>(f.shape.size()));
    put_le(out, 0, 2);
    put_le(out, static_cast<std::uint32_t>(f.zero_point), 4);
    std::uint64_t scale_bits = 0;
    std::memcpy(&scale_bits, &f.scale, sizeof scale_bits);
    put_le(out, scale_bits, 8);
    put_le(out, f.stream.values, 8);
    put_le(out, f.stream.nibbles, 8);
    for (std::uint64_t extent : f.shape) put_le(out, extent, 8);
    out.insert(out.end(), f.stream.bytes.begin(), f.stream.bytes.end());
    put_le(out, crc32(out.data(), out.size()), 4);
    return out;
}

SpkFile parse_spk(const std::uint8_t* data, std::size_t size, std::string_view source) {
    auto fail = [source](const std::string& what) -> Error { return Error(fmt::format("{}: {}", source, what)); };
    if (size < kFixedHeaderBytes + 4)
        throw fail(fmt::format("truncated: {} bytes cannot hold the {}-byte header and checksum", size,
                               kFixedHeaderBytes));
    if (std::memcmp(data, kMagic, sizeof kMagic) != 0) throw fail("bad magic: not a .spk file");
    const auto version = get_le(data + 4, 2);
    if (version != kVersion) throw fail(fmt::format("unsupported .spk version {} (expected {})", version, kVersion));

    SpkFile f;
    if (data[6] > 1) throw fail(fmt::format("codec mode byte is {} (expected 0 unsigned or 1 signed)", data[6]));
    f.mode = data[6] == 0 ? codec::Mode::unsigned_u8 : codec::Mode::signed_i8;
    if (data[7] != 1 && data[7] != 2)
        throw fail(fmt::format("value type byte is {} (expected 1 int8 or 2 uint8)", data[7]));
    f.dtype = data[7] == 1 ? tensor::DType::int8 : tensor::DType::uint8;
    if (data[8] > 2)
        throw fail(fmt::format("quantisation byte is {} (expected 0 none, 1 symmetric or 2 asymmetric)", data[8]));
    f.quantisation = static_cast<Quantisation>(data[8]);
    const std::size_t ndim = data[9];
    if (ndim > kMaxDims) throw fail(fmt::format("ndim is {} (at most {})", ndim, kMaxDims));
    if (get_le(data + 10, 2) != 0) throw fail("reserved bytes 10..11 are not zero");
    f.zero_point = static_cast<std::int32_t>(static_cast<std::uint32_t>(get_le(data + 12, 4)));
    const std::uint64_t scale_bits = get_le(data + 16, 8);
    std::memcpy(&f.scale, &scale_bits, sizeof f.scale);
    f.stream.values = get_le(data + 24, 8);
    f.stream.nibbles = get_le(data + 32, 8);

    if (f.quantisation == Quantisation::none) {
        if (f.scale != 0.0 || f.zero_point != 0)
            throw fail(fmt::format("scale {} and zero point {} given without quantisation (both must be 0)", f.scale,
                                   f.zero_point));
    } else {
        if (!(f.scale > 0.0) || !std::isfinite(f.scale))
            throw fail(fmt::format("quantisation scale {} is not a positive finite number", f.scale));
        const int lo = f.dtype == tensor::DType::int8 ? -128 : 0;
        const int hi = f.dtype == tensor::DType::int8 ? 127 : 255;
        if (f.zero_point < lo || f.zero_point > hi)
            throw fail(fmt::format("zero point {} is outside {} range {}..{}", f.zero_point,
                                   tensor::to_string(f.dtype), lo, hi));
        if (f.quantisation == Quantisation::symmetric && (f.zero_point != 0 || f.dtype != tensor::DType::int8))
            throw fail("symmetric quantisation needs int8 values and zero point 0");
    }

    const std::size_t shape_end = kFixedHeaderBytes + 8 * ndim;
    if (size < shape_end + 4)
        throw fail(fmt::format("truncated: {} bytes cannot hold the header of a {}-dimensional shape", size, ndim));
    for (std::size_t d = 0; d < ndim; ++d) f.shape.push_back(get_le(data + kFixedHeaderBytes + 8 * d, 8));
    std::uint64_t count = 0;
    try {
        count = tensor::element_count(f.shape);
    } catch (const Error&) {
        throw fail(fmt::format("shape {} overflows 64 bits", tensor::shape_to_string(f.shape)));
    }
    if (count != f.stream.values)
        throw fail(fmt::format("shape {} holds {} values but the value count is {}", tensor::shape_to_string(f.shape),
                               count, f.stream.values));
    // Every code is one or two nibbles.
    if (f.stream.nibbles < f.stream.values || f.stream.nibbles - f.stream.values > f.stream.values)
        throw fail(fmt::format("nibble count {} is impossible for {} values (must be {}..2x that)", f.stream.nibbles,
                               f.stream.values, f.stream.values));
    const std::uint64_t payload = f.stream.nibbles / 2 + f.stream.nibbles % 2;
    const std::size_t available = size - shape_end - 4;
    if (payload > available)
        throw fail(fmt::format("truncated: {} nibbles need {} stream bytes but only {} are present", f.stream.nibbles,
                               payload, available));
    if (payload < available)
        throw fail(fmt::format("{} trailing byte(s) after the {}-byte stream of {} nibbles", available - payload, payload,
                               f.stream.nibbles));
    const auto stored_crc = static_cast<std::uint32_t>(get_le(data + size - 4, 4));
    const std::uint32_t crc = crc32(data, size - 4);
    if (stored_crc != crc)
        throw fail(fmt::format("checksum mismatch: stored CRC-32 0x{:08X}, computed 0x{:08X}", stored_crc, crc));
    f.stream.bytes.assign(data + shape_end, data + shape_end + payload);
    return f;
}

void write_spk(const std::string& path, const SpkFile& file) {
    const std::vector<std::uint8_t> bytes = serialize_spk(file);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw Error(fmt::format("{}: cannot open for writing", path));
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) throw Error(fmt::format("{}: write error", path));
}

SpkFile read_spk(const std::string& path) {
    const std::vector<std::uint8_t> bytes = read_file_bytes(path);
    return parse_spk(bytes.data(), bytes.size(), path);
}

tensor::Tensor decode_values(const SpkFile& file, std::string_view source) {
    tensor::Tensor t(file.shape, file.dtype);
    try {
        codec::unpack(file.stream, file.mode, t.bytes(), t.size());
    } catch (const Error& e) {
        throw Error(fmt::format("{}: {}", source, e.what()));
    }
    return t;
}

}  // namespace spark::spk
