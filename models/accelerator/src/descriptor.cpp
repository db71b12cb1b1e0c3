// SPDX-License-Identifier: Apache-2.0
#include "spark/accelerator/descriptor.h"

#include "spark/codec/chunked.h"

#include <cstring>

#include <fmt/format.h>

#include "spark/common/error.h"

namespace spark::accelerator {

namespace {

// Little-endian field writer/reader over a fixed buffer; offsets are the byte map of docs/accelerator.md.
class Writer {
public:
    explicit Writer(std::uint8_t* p) : m_p(p) {}
    template <typename T>
    void put(T v) {
        for (std::size_t i = 0; i < sizeof(T); ++i) m_p[m_at + i] = static_cast<std::uint8_t>(as_bits(v) >> (8 * i));
        m_at += sizeof(T);
    }
    std::size_t at() const { return m_at; }

private:
    template <typename T>
    static std::uint64_t as_bits(T v) {
        if constexpr (std::is_same_v<T, double>) {
            std::uint64_t b;
            std::memcpy(&b, &v, 8);
            return b;
        } else {
            return static_cast<std::uint64_t>(v);
        }
    }
    std::uint8_t* m_p;
    std::size_t m_at = 0;
};

class Reader {
public:
    explicit Reader(const std::uint8_t* p) : m_p(p) {}
    template <typename T>
    T get() {
        std::uint64_t bits = 0;
        for (std::size_t i = 0; i < sizeof(T); ++i) bits |= std::uint64_t{m_p[m_at + i]} << (8 * i);
        m_at += sizeof(T);
        if constexpr (std::is_same_v<T, double>) {
            double d;
            std::memcpy(&d, &bits, 8);
            return d;
        } else {
            return static_cast<T>(bits);
        }
    }

private:
    const std::uint8_t* m_p;
    std::size_t m_at = 0;
};

void put_tensor(Writer& w, const TensorDesc& t) {
    w.put(t.table_address);
    w.put(t.data_address);
    for (std::uint32_t d : t.dims) w.put(d);
    w.put(t.rank);
    w.put(static_cast<std::uint8_t>(t.layout));
    w.put(static_cast<std::uint8_t>(t.is_signed));
    w.put(t.chunk_rank);
    w.put(t.zero_point);
    w.put(t.scale);
}

TensorDesc get_tensor(Reader& r, const char* field) {
    TensorDesc t;
    t.table_address = r.get<std::uint64_t>();
    t.data_address = r.get<std::uint64_t>();
    for (auto& d : t.dims) d = r.get<std::uint32_t>();
    t.rank = r.get<std::uint8_t>();
    const auto layout = r.get<std::uint8_t>();
    t.is_signed = r.get<std::uint8_t>() != 0;
    t.chunk_rank = r.get<std::uint8_t>();
    t.zero_point = r.get<std::int32_t>();
    t.scale = r.get<double>();
    if (t.rank > 4) throw Error(fmt::format("layer descriptor: {}.rank is {}, at most 4", field, t.rank));
    if (layout != 1 && layout != 2 && t.rank != 0)
        throw Error(fmt::format("layer descriptor: {}.layout is {}, expected 1 (feature map) or 2 (matrix)", field,
                                layout));
    t.layout = layout == 1 ? Layout::feature_map : Layout::matrix;
    if (t.layout == Layout::feature_map && t.rank != 4)
        throw Error(fmt::format("layer descriptor: {}: a feature map must have rank 4, not {}", field, t.rank));
    if (t.rank > 0 && t.chunk_rank >= t.rank)
        throw Error(fmt::format("layer descriptor: {}.chunk_rank is {}, less than the rank {} expected", field,
                                t.chunk_rank, t.rank));
    // At most 2^40 values: far past any memory the accelerator addresses, and every size computed from the
    // dimensions (elements, chunks, chunk values, bytes) stays clear of 64-bit wrap-around.
    constexpr std::uint64_t kMaxElements = std::uint64_t{1} << 40;
    std::uint64_t elements = 1;
    for (std::uint8_t i = 0; i < t.rank; ++i) {
        if (t.dims[i] == 0) throw Error(fmt::format("layer descriptor: {}.dims[{}] is 0", field, i));
        if (t.dims[i] > kMaxElements / elements)
            throw Error(fmt::format("layer descriptor: {} holds more than 2^40 values", field));
        elements *= t.dims[i];
    }
    return t;
}

bool known_opcode(std::uint16_t op) { return (op >= 1 && op <= 3) || (op >= 16 && op <= 23); }

}  // namespace

std::string to_string(Opcode op) {
    switch (op) {
        case Opcode::conv2d: return "conv2d";
        case Opcode::linear: return "linear";
        case Opcode::matmul: return "matmul";
        case Opcode::max_pool: return "max_pool";
        case Opcode::avg_pool: return "avg_pool";
        case Opcode::global_avg_pool: return "global_avg_pool";
        case Opcode::add: return "add";
        case Opcode::relu: return "relu";
        case Opcode::reshape: return "reshape";
        case Opcode::transpose: return "transpose";
        case Opcode::concat: return "concat";
    }
    return fmt::format("opcode {}", static_cast<unsigned>(op));
}

std::uint64_t TensorDesc::elements() const {
    if (rank == 0) return 0;
    std::uint64_t n = 1;
    for (std::uint8_t i = 0; i < rank; ++i) n *= dims[i];
    return n;
}

std::uint64_t TensorDesc::chunks() const {
    if (rank == 0) return 0;
    if (layout == Layout::feature_map) return std::uint64_t{dims[0]} * dims[2];
    return elements() / chunk_values();
}

std::uint64_t TensorDesc::chunk_values() const {
    if (rank == 0) return 0;
    if (layout == Layout::feature_map) return std::uint64_t{dims[1]} * dims[3];
    std::uint64_t n = 1;
    for (std::uint8_t i = chunk_rank == 0 ? rank - 1 : chunk_rank; i < rank; ++i) n *= dims[i];
    return n;
}

std::array<std::uint8_t, LayerDescriptor::kBytes> LayerDescriptor::encode() const {
    std::array<std::uint8_t, kBytes> bytes{};
    Writer w(bytes.data());
    w.put(kMagic);
    w.put(kVersion);
    w.put(static_cast<std::uint16_t>(opcode));
    w.put(layer_id);
    w.put(static_cast<std::uint32_t>((spark_storage ? 1u : 0u) | (relu ? 2u : 0u) | (transpose_b ? 4u : 0u)));
    for (std::uint16_t v : {kernel_h, kernel_w, stride_h, stride_w, pad_h, pad_w, dilation_h, dilation_w}) w.put(v);
    w.put(groups);
    for (std::uint8_t p : perm) w.put(p);
    w.put(axis);
    // Raw widths of the four tensors (0 for 8 bits, the width every earlier descriptor meant), the layer's precision,
    // and two reserved bytes that keep the tensors 8-byte aligned.
    for (const TensorDesc* t : {&input, &input2, &weights, &output})
        w.put(static_cast<std::uint8_t>(t->raw_bits == 8 ? 0 : t->raw_bits));
    w.put(precision_bits);
    for (int i = 0; i < 2; ++i) w.put(std::uint8_t{0});
    for (const TensorDesc* t : {&input, &input2, &weights, &output}) put_tensor(w, *t);
    return bytes;
}

LayerDescriptor LayerDescriptor::decode(const std::uint8_t* bytes, std::size_t size) {
    if (size < kBytes) throw Error(fmt::format("layer descriptor: {} bytes, {} expected", size, kBytes));
    Reader r(bytes);
    const auto magic = r.get<std::uint32_t>();
    if (magic != kMagic) throw Error(fmt::format("layer descriptor: magic is 0x{:08X}, expected 0x{:08X}", magic, kMagic));
    const auto version = r.get<std::uint16_t>();
    if (version != kVersion) throw Error(fmt::format("layer descriptor: version {} is not supported ({})", version, kVersion));
    const auto op = r.get<std::uint16_t>();
    if (!known_opcode(op)) throw Error(fmt::format("layer descriptor: unknown opcode {}", op));
    LayerDescriptor d;
    d.opcode = static_cast<Opcode>(op);
    d.layer_id = r.get<std::uint32_t>();
    const auto flags = r.get<std::uint32_t>();
    if (flags & ~7u) throw Error(fmt::format("layer descriptor: undefined flag bits 0x{:X}", flags & ~7u));
    d.spark_storage = flags & 1u;
    d.relu = flags & 2u;
    d.transpose_b = flags & 4u;
    for (std::uint16_t* v : {&d.kernel_h, &d.kernel_w, &d.stride_h, &d.stride_w, &d.pad_h, &d.pad_w, &d.dilation_h,
                             &d.dilation_w})
        *v = r.get<std::uint16_t>();
    d.groups = r.get<std::uint32_t>();
    for (auto& p : d.perm) p = r.get<std::uint8_t>();
    d.axis = r.get<std::uint8_t>();
    std::array<std::uint8_t, 4> raw_bits{};
    for (auto& b : raw_bits) b = r.get<std::uint8_t>();
    d.precision_bits = r.get<std::uint8_t>();
    for (int i = 0; i < 2; ++i)
        if (r.get<std::uint8_t>() != 0) throw Error("layer descriptor: reserved header bytes are not 0");
    d.input = get_tensor(r, "input");
    d.input2 = get_tensor(r, "input2");
    d.weights = get_tensor(r, "weights");
    d.output = get_tensor(r, "output");
    {
        const char* names[4] = {"input", "input2", "weights", "output"};
        TensorDesc* tensors[4] = {&d.input, &d.input2, &d.weights, &d.output};
        for (int i = 0; i < 4; ++i) {
            const unsigned bits = raw_bits[i] == 0 ? 8u : raw_bits[i];
            if (!codec::valid_raw_bits(bits))
                throw Error(fmt::format("layer descriptor: {} raw width {} bits (2..8 or 16 expected)", names[i], bits));
            if (d.spark_storage && bits != 8)
                throw Error(fmt::format("layer descriptor: {} has a raw width with SPARK storage", names[i]));
            tensors[i]->raw_bits = static_cast<std::uint8_t>(bits);
        }
    }
    for (auto [v, name] : {std::pair{d.kernel_h, "kernel_h"}, {d.kernel_w, "kernel_w"}, {d.stride_h, "stride_h"},
                           {d.stride_w, "stride_w"}, {d.dilation_h, "dilation_h"}, {d.dilation_w, "dilation_w"}})
        if (v == 0) throw Error(fmt::format("layer descriptor: {} is 0", name));
    if (d.groups == 0) throw Error("layer descriptor: groups is 0");
    if (d.input.rank == 0) throw Error("layer descriptor: input has rank 0");
    if (d.output.rank == 0) throw Error("layer descriptor: output has rank 0");
    return d;
}

}  // namespace spark::accelerator
