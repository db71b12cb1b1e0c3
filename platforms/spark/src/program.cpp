// SPDX-License-Identifier: Apache-2.0
#include "spark/platform/program.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "spark/accelerator/chunk_table.h"
#include "spark/accelerator/layout.h"
#include "spark/codec/chunked.h"
#include "spark/codec/codec.h"
#include "spark/common/error.h"
#include "spark/tensor/npy.h"
#include "spark/workload/generator.h"

namespace spark::platform {

using accelerator::Layout;
using accelerator::Opcode;
using accelerator::TensorDesc;
using workload::Layer;
using workload::LayerKind;

namespace {

constexpr std::uint64_t kAlignBytes = 64;

std::uint64_t align_up(std::uint64_t a) { return (a + kAlignBytes - 1) / kAlignBytes * kAlignBytes; }

std::string layer_context(const workload::Network& net, const Layer& l) {
    return fmt::format("{}: layer '{}' (#{})", net.source, l.name, l.file_index);
}

std::vector<std::uint8_t> read_codes_from(const workload::TensorSpec& spec) {
    if (spec.data.kind == workload::DataSource::Kind::synthetic) return workload::generate(spec).bytes;
    const tensor::Tensor t = tensor::read_npy(spec.data.npy_path);
    const tensor::DType want = spec.quant.dtype == workload::DType::int8 ? tensor::DType::int8 : tensor::DType::uint8;
    if (t.dtype() != want)
        throw Error(fmt::format("{}: tensor '{}' must be {} but the file holds {}", spec.data.npy_path, spec.name,
                                tensor::to_string(want), tensor::to_string(t.dtype())));
    tensor::Shape want_shape(spec.shape.begin(), spec.shape.end());
    std::vector<std::int64_t> got(t.shape().begin(), t.shape().end());
    if (got != spec.shape)
        throw Error(fmt::format("{}: tensor '{}' must have shape {} but the file holds {}", spec.data.npy_path,
                                spec.name, workload::to_string(spec.shape), tensor::shape_to_string(t.shape())));
    return std::vector<std::uint8_t>(t.bytes(), t.bytes() + t.size_bytes());
}

// `where` says which workload entry asked for the tensor ("<file>: layer 'c1' (#3): weight").
std::vector<std::uint8_t> read_codes(const workload::TensorSpec& spec, const std::string& where) {
    try {
        return read_codes_from(spec);
    } catch (const Error& e) {
        throw Error(fmt::format("{}: {}", where, e.what()));
    }
}

TensorDesc describe(const std::string& name, const workload::Shape& shape, const workload::Quant& q) {
    if (shape.empty() || shape.size() > 4)
        throw Error(fmt::format("tensor '{}' has rank {}; the accelerator takes ranks 1 to 4", name, shape.size()));
    TensorDesc t;
    t.rank = static_cast<std::uint8_t>(shape.size());
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (shape[i] < 1 || shape[i] > 0xFFFFFFFFll)
            throw Error(fmt::format("tensor '{}': dimension {} is {}", name, i, shape[i]));
        t.dims[i] = static_cast<std::uint32_t>(shape[i]);
    }
    t.is_signed = q.dtype == workload::DType::int8;
    t.zero_point = q.zero_point;
    t.scale = q.scale;
    return t;
}

// Activations: a rank-4 map made by a convolution, pool or element-wise layer (or given as a network input) stays
// a feature map (whole NHWC rows per chunk), unless a matmul or a linear layer reads it; everything else is a
// matrix.
void choose_layout(const workload::Network& net, const std::string& name, const Layer* producer, TensorDesc& t) {
    t.layout = Layout::matrix;
    t.chunk_rank = static_cast<std::uint8_t>(t.rank > 1 ? t.rank - 1 : 0);
    if (t.rank != 4) return;
    bool matmul = false, linear = false, conv = false;
    for (const Layer& l : net.layers)
        for (const std::string& in : l.inputs)
            if (in == name) {
                matmul |= l.kind == LayerKind::matmul;
                linear |= l.kind == LayerKind::linear;
                conv |= l.kind == LayerKind::conv2d;
            }
    const bool map_producer =
        !producer || producer->kind == LayerKind::conv2d || producer->kind == LayerKind::max_pool ||
        producer->kind == LayerKind::avg_pool || producer->kind == LayerKind::global_avg_pool ||
        producer->kind == LayerKind::add || producer->kind == LayerKind::relu;
    const bool needs_map = conv || (producer && producer->kind == LayerKind::conv2d);
    if (needs_map && (matmul || linear || !map_producer))
        throw Error(fmt::format("{}: tensor '{}' is needed both as a feature map (by a convolution) and as a matrix; "
                                "insert a reshape between them",
                                net.source, name));
    if (matmul || !map_producer) return;
    if (linear) {
        t.chunk_rank = 1;  // one chunk per image: C x H x W flattened, as the linear layer reads it
        return;
    }
    t.layout = Layout::feature_map;
}

Opcode opcode_of(const workload::Network& net, const Layer& l) {
    switch (l.kind) {
        case LayerKind::conv2d: return Opcode::conv2d;
        case LayerKind::linear: return Opcode::linear;
        case LayerKind::matmul: return Opcode::matmul;
        case LayerKind::max_pool: return Opcode::max_pool;
        case LayerKind::avg_pool: return Opcode::avg_pool;
        case LayerKind::global_avg_pool: return Opcode::global_avg_pool;
        case LayerKind::add: return Opcode::add;
        case LayerKind::relu: return Opcode::relu;
        case LayerKind::reshape: return Opcode::reshape;
        case LayerKind::transpose: return Opcode::transpose;
        case LayerKind::concat: return Opcode::concat;
        default: break;
    }
    throw Error(fmt::format("{}: kind {} has no accelerator opcode", layer_context(net, l), to_string(l.kind)));
}

std::uint16_t u16(const workload::Network& net, const Layer& l, const char* field, std::int64_t v) {
    if (v < 0 || v > 0xFFFF)
        throw Error(fmt::format("{}: {} = {} does not fit the descriptor's 16-bit field", layer_context(net, l), field, v));
    return static_cast<std::uint16_t>(v);
}

}  // namespace

std::vector<std::uint8_t> conv_weights_to_array_order(const Layer& l, const std::vector<std::uint8_t>& w) {
    const auto& s = l.weight->shape;  // [OC, C/g, KH, KW]
    const std::size_t oc = static_cast<std::size_t>(s[0]), cg = static_cast<std::size_t>(s[1]),
                      kh = static_cast<std::size_t>(s[2]), kw = static_cast<std::size_t>(s[3]);
    std::vector<std::uint8_t> out(w.size());
    for (std::size_t o = 0; o < oc; ++o)
        for (std::size_t c = 0; c < cg; ++c)
            for (std::size_t y = 0; y < kh; ++y)
                for (std::size_t x = 0; x < kw; ++x)
                    out[((o * kh + y) * kw + x) * cg + c] = w[((o * cg + c) * kh + y) * kw + x];
    return out;
}

void check_memory_footprint(const workload::Network& net, std::uint64_t capacity_bytes) {
    std::uint64_t total = 0;
    auto add = [&](const workload::TensorSpec& t, const std::string& where) {
        const auto bytes = static_cast<std::uint64_t>(workload::element_count(t.shape));
        if (bytes > capacity_bytes - std::min(total, capacity_bytes) || total > capacity_bytes)
            throw Error(fmt::format("{}: tensor '{}' ({} bytes) does not fit: the tensors before it take {} of the "
                                    "memory's {} bytes",
                                    where, t.name, bytes, total, capacity_bytes));
        total += bytes;
    };
    for (const auto& in : net.inputs) add(in, net.source);
    for (const Layer& l : net.layers) {
        if (l.weight) add(*l.weight, layer_context(net, l));
        add(l.output, layer_context(net, l));
    }
}

TensorData load_tensor_data(const workload::Network& net) {
    TensorData data;
    for (const auto& in : net.inputs) data[in.name] = read_codes(in, fmt::format("{}: input '{}'", net.source, in.name));
    for (const Layer& l : net.layers) {
        if (l.weight) data[l.weight->name] = read_codes(*l.weight, layer_context(net, l) + ": weight");
        if (workload::is_stand_in(l.kind)) data[l.output.name] = read_codes(l.output, layer_context(net, l) + ": output");
    }
    return data;
}

unsigned StoragePlan::bits(const std::string& tensor) const {
    const auto it = tensor_bits.find(tensor);
    return it == tensor_bits.end() ? 8u : it->second;
}

unsigned StoragePlan::precision(const std::string& layer) const {
    const auto it = layer_precision.find(layer);
    return it == layer_precision.end() ? 0u : it->second;
}

Program build_program(const workload::Network& net, const TensorData& data, bool spark_storage, std::uint64_t base,
                      std::uint64_t capacity_bytes, const StoragePlan& plan) {
    Program p;
    p.spark_storage = spark_storage;
    std::uint64_t cursor = align_up(base);

    for (const Layer& l : net.layers) {
        ProgramLayer pl;
        pl.layer = &l;
        pl.on_accelerator = !workload::is_stand_in(l.kind);
        if (pl.on_accelerator) pl.descriptor = p.descriptor_count++;
        p.layers.push_back(pl);
    }
    p.descriptor_address = cursor;
    cursor = align_up(cursor + std::uint64_t{p.descriptor_count} * accelerator::LayerDescriptor::kBytes);

    // Places a tensor: table (SPARK storage) then data, sized for the worst case of one byte per value (SPARK) or
    // for its raw width.
    auto place = [&](TensorDesc& t, const std::string& name) {
        if (spark_storage) {
            t.table_address = cursor;
            cursor = align_up(cursor + accelerator::chunk_table::bytes(t.chunks()));
        } else {
            const unsigned bits = plan.bits(name);
            if (!codec::valid_raw_bits(bits))
                throw Error(fmt::format("{}: tensor '{}' stored in {} bits (2..8 or 16 expected)", net.source, name, bits));
            t.raw_bits = static_cast<std::uint8_t>(bits);
        }
        t.data_address = cursor;
        cursor = align_up(cursor + (spark_storage ? t.elements() : t.chunks() * codec::raw_chunk_bytes(t.chunk_values(), t.raw_bits)));
    };
    // Encodes a host-provided tensor (chunk order) into the image.
    auto preload = [&](const TensorDesc& t, const std::vector<std::uint8_t>& chunk_order) {
        codec::ChunkedWriter writer(spark_storage ? codec::Storage::spark : codec::Storage::raw_int8,
                                    t.is_signed ? codec::Mode::signed_i8 : codec::Mode::unsigned_u8, t.raw_bits);
        const std::uint64_t per = t.chunk_values();
        for (std::uint64_t c = 0; c < t.chunks(); ++c) writer.add_chunk(chunk_order.data() + c * per, per);
        const codec::ChunkedTensor ct = writer.take();
        if (spark_storage) {
            p.image.push_back({t.table_address, accelerator::chunk_table::from_offsets(ct.chunk_offsets)});
        }
        p.image.push_back({t.data_address, ct.bytes});
    };
    auto codes_of = [&](const std::string& name) -> const std::vector<std::uint8_t>& {
        const auto it = data.find(name);
        if (it == data.end()) throw Error(fmt::format("{}: no data for tensor '{}'", net.source, name));
        return it->second;
    };

    for (const auto& in : net.inputs) {
        TensorDesc t = describe(in.name, in.shape, in.quant);
        choose_layout(net, in.name, nullptr, t);
        place(t, in.name);
        p.tensors[in.name] = t;
    }
    for (const Layer& l : net.layers) {
        TensorDesc out = describe(l.output.name, l.output.shape, l.output.quant);
        choose_layout(net, l.output.name, &l, out);
        place(out, l.output.name);
        p.tensors[l.output.name] = out;
        if (l.weight) {
            const auto& ws = l.weight->shape;
            const std::int64_t k = workload::element_count(ws) / ws[0];
            TensorDesc w = describe(l.weight->name, {ws[0], k}, l.weight->quant);
            w.layout = Layout::matrix;
            w.chunk_rank = 1;
            place(w, l.weight->name);
            p.tensors[l.weight->name] = w;
        }
    }
    if (cursor > base + capacity_bytes)
        throw Error(fmt::format("{}: the network needs {} bytes of memory from 0x{:X}, {} are available", net.source,
                                cursor - base, base, capacity_bytes));
    p.end_address = cursor;

    // Host-provided tensors into the image, in chunk order.
    auto to_chunks = [](const TensorDesc& t, const std::vector<std::uint8_t>& row_major) {
        return accelerator::row_major_to_chunks(t, row_major);
    };
    for (const auto& in : net.inputs) preload(p.tensors.at(in.name), to_chunks(p.tensors.at(in.name), codes_of(in.name)));
    std::vector<std::uint8_t> descriptors;
    for (ProgramLayer& pl : p.layers) {
        const Layer& l = *pl.layer;
        if (l.weight) {
            const auto& w = codes_of(l.weight->name);
            pl.weight_values = w.size();
            if (spark_storage) {
                const codec::Mode mode = p.tensors.at(l.weight->name).is_signed ? codec::Mode::signed_i8
                                                                                 : codec::Mode::unsigned_u8;
                pl.weight_approximated = static_cast<std::uint64_t>(
                    std::count_if(w.begin(), w.end(), [mode](std::uint8_t v) { return !codec::is_exact(v, mode); }));
            }
            preload(p.tensors.at(l.weight->name), l.kind == LayerKind::conv2d ? conv_weights_to_array_order(l, w) : w);
        }
        const TensorDesc& out = p.tensors.at(l.output.name);
        if (!pl.on_accelerator) {
            preload(out, to_chunks(out, codes_of(l.output.name)));
            continue;
        }
        accelerator::LayerDescriptor d;
        d.opcode = opcode_of(net, l);
        d.layer_id = pl.descriptor;
        d.spark_storage = spark_storage;
        d.transpose_b = l.transpose_b;
        if (!spark_storage) d.precision_bits = static_cast<std::uint8_t>(plan.precision(l.name));
        d.kernel_h = u16(net, l, "kernel_h", l.window.kernel_h);
        d.kernel_w = u16(net, l, "kernel_w", l.window.kernel_w);
        d.stride_h = u16(net, l, "stride_h", l.window.stride_h);
        d.stride_w = u16(net, l, "stride_w", l.window.stride_w);
        d.pad_h = u16(net, l, "pad_h", l.window.pad_h);
        d.pad_w = u16(net, l, "pad_w", l.window.pad_w);
        d.dilation_h = u16(net, l, "dilation_h", l.window.dilation_h);
        d.dilation_w = u16(net, l, "dilation_w", l.window.dilation_w);
        d.groups = static_cast<std::uint32_t>(l.groups);
        for (std::size_t i = 0; i < l.perm.size() && i < 4; ++i) d.perm[i] = static_cast<std::uint8_t>(l.perm[i]);
        d.axis = static_cast<std::uint8_t>(l.axis < 0 ? l.axis + static_cast<std::int64_t>(out.rank) : l.axis);
        if (l.inputs.size() > 2)
            throw Error(fmt::format("{}: {} inputs; the accelerator takes at most 2", layer_context(net, l),
                                    l.inputs.size()));
        d.input = p.tensors.at(l.inputs.at(0));
        if (l.inputs.size() > 1) d.input2 = p.tensors.at(l.inputs[1]);
        if (l.weight) d.weights = p.tensors.at(l.weight->name);
        d.output = out;
        if (l.kind == LayerKind::conv2d &&
            (d.input.layout != Layout::feature_map || d.output.layout != Layout::feature_map))
            throw Error(fmt::format("{}: a convolution needs feature-map input and output", layer_context(net, l)));
        if (workload::runs_on_array(l.kind)) {
            const TensorDesc& b = l.weight ? d.weights : d.input2;
            if (d.input.zero_point != 0 || b.zero_point != 0)
                throw Error(fmt::format("{}: the PE array takes zero-centred operands; input zero point {} and "
                                        "{} zero point {} must be 0",
                                        layer_context(net, l), d.input.zero_point, l.weight ? "weight" : "second input",
                                        b.zero_point));
        }
        const auto bytes = d.encode();
        descriptors.insert(descriptors.end(), bytes.begin(), bytes.end());
    }
    p.image.push_back({p.descriptor_address, std::move(descriptors)});
    return p;
}

}  // namespace spark::platform
