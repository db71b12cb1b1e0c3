// SPDX-License-Identifier: Apache-2.0
#include "spark/platform/golden.h"

#include <fmt/format.h>

#include "spark/accelerator/datapath.h"
#include "spark/codec/codec.h"
#include "spark/common/error.h"
#include "spark/pe_array/pe_array.h"
#include "spark/workload/reference.h"

namespace spark::platform {

using workload::Layer;
using workload::LayerKind;
using workload::QTensor;

namespace {

codec::Mode mode_of(const workload::Quant& q) {
    return q.dtype == workload::DType::int8 ? codec::Mode::signed_i8 : codec::Mode::unsigned_u8;
}

void store(std::vector<std::uint8_t>& codes, const workload::Quant& q, bool spark_storage) {
    if (!spark_storage) return;
    const codec::Mode mode = mode_of(q);
    for (auto& c : codes) c = codec::approximate(c, mode);
}

pe_array::Requant requant_of(const Layer& l, double b_scale) {
    return accelerator::make_requant(l.input_quants[0].scale, b_scale, l.output.quant.scale, l.output.quant.zero_point,
                                     l.output.quant.dtype == workload::DType::int8, false);
}

// NCHW <-> NHWC for one batch of images.
std::vector<std::uint8_t> nchw_to_nhwc(const std::vector<std::uint8_t>& x, const workload::Shape& s) {
    const std::size_t n = s[0], c = s[1], h = s[2], w = s[3];
    std::vector<std::uint8_t> y(x.size());
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t ch = 0; ch < c; ++ch)
            for (std::size_t r = 0; r < h; ++r)
                for (std::size_t col = 0; col < w; ++col)
                    y[((i * h + r) * w + col) * c + ch] = x[((i * c + ch) * h + r) * w + col];
    return y;
}

std::vector<std::uint8_t> nhwc_to_nchw(const std::vector<std::uint8_t>& y, const workload::Shape& s) {
    const std::size_t n = s[0], c = s[1], h = s[2], w = s[3];
    std::vector<std::uint8_t> x(y.size());
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t ch = 0; ch < c; ++ch)
            for (std::size_t r = 0; r < h; ++r)
                for (std::size_t col = 0; col < w; ++col)
                    x[((i * c + ch) * h + r) * w + col] = y[((i * h + r) * w + col) * c + ch];
    return x;
}

std::vector<std::uint8_t> run_array_layer(const Layer& l, const std::vector<const std::vector<std::uint8_t>*>& in,
                                          const std::vector<std::uint8_t>* weights, bool spark_storage) {
    pe_array::ArrayConfig cfg;
    cfg.codec_enabled = spark_storage;
    const pe_array::PeArray array(cfg);
    const workload::Shape& a = l.input_shapes[0];
    if (l.kind == LayerKind::conv2d) {
        pe_array::Layer pl = pe_array::Layer::conv2d(l.name, a[0], a[2], a[3], a[1], l.out_channels, 1, 1, 0, 1, l.groups);
        pl.kernel_h = l.window.kernel_h;
        pl.kernel_w = l.window.kernel_w;
        pl.stride_h = l.window.stride_h;
        pl.stride_w = l.window.stride_w;
        pl.pad_h = l.window.pad_h;
        pl.pad_w = l.window.pad_w;
        pl.dilation_h = l.window.dilation_h;
        pl.dilation_w = l.window.dilation_w;
        pl.weight_mode = mode_of(l.weight->quant);
        pl.activation_mode = mode_of(l.input_quants[0]);
        pl.requant = requant_of(l, l.weight->quant.scale);
        const auto out = array.run(pl, conv_weights_to_array_order(l, *weights), nchw_to_nhwc(*in[0], a)).output;
        return nhwc_to_nchw(out, l.output.shape);
    }
    if (l.kind == LayerKind::linear) {
        const std::int64_t k = l.weight->shape[1];
        const std::int64_t m = workload::element_count(a) / k;
        pe_array::Layer pl = pe_array::Layer::gemm(l.name, m, l.out_features, k);
        pl.weight_mode = mode_of(l.weight->quant);
        pl.activation_mode = mode_of(l.input_quants[0]);
        pl.requant = requant_of(l, l.weight->quant.scale);
        return array.run(pl, *weights, *in[0]).output;
    }
    // matmul: per batch, B as [N][K].
    const workload::Shape& b = l.input_shapes[1];
    const std::size_t r = a.size();
    const std::int64_t m = a[r - 2], k = a[r - 1];
    const std::int64_t n = l.transpose_b ? b[r - 2] : b[r - 1];
    const std::int64_t batch = workload::element_count(a) / (m * k);
    std::vector<std::uint8_t> out;
    for (std::int64_t bi = 0; bi < batch; ++bi) {
        std::vector<std::uint8_t> ab(in[0]->begin() + bi * m * k, in[0]->begin() + (bi + 1) * m * k);
        std::vector<std::uint8_t> bb(static_cast<std::size_t>(n * k));
        for (std::int64_t i = 0; i < n; ++i)
            for (std::int64_t j = 0; j < k; ++j)
                bb[static_cast<std::size_t>(i * k + j)] =
                    l.transpose_b ? (*in[1])[static_cast<std::size_t>(bi * n * k + i * k + j)]
                                  : (*in[1])[static_cast<std::size_t>(bi * k * n + j * n + i)];
        pe_array::Layer pl = pe_array::Layer::gemm(l.name, m, n, k);
        pl.weight_mode = mode_of(l.input_quants[1]);
        pl.activation_mode = mode_of(l.input_quants[0]);
        pl.requant = requant_of(l, l.input_quants[1].scale);
        const auto o = array.run(pl, bb, ab).output;
        out.insert(out.end(), o.begin(), o.end());
    }
    return out;
}

}  // namespace

TensorData golden_tensors(const workload::Network& net, const TensorData& data, bool spark_storage) {
    TensorData t;
    auto stored = [&](const std::string& name, const workload::Quant& q) {
        const auto it = data.find(name);
        if (it == data.end()) throw Error(fmt::format("{}: no data for tensor '{}'", net.source, name));
        std::vector<std::uint8_t> codes = it->second;
        store(codes, q, spark_storage);
        t[name] = std::move(codes);
    };
    for (const auto& in : net.inputs) stored(in.name, in.quant);
    for (const Layer& l : net.layers) {
        if (l.weight) stored(l.weight->name, l.weight->quant);
        if (workload::is_stand_in(l.kind)) {
            stored(l.output.name, l.output.quant);
            continue;
        }
        std::vector<const std::vector<std::uint8_t>*> inputs;
        for (const auto& name : l.inputs) inputs.push_back(&t.at(name));
        std::vector<std::uint8_t> out;
        if (workload::runs_on_array(l.kind)) {
            out = run_array_layer(l, inputs, l.weight ? &t.at(l.weight->name) : nullptr, spark_storage);
        } else {
            std::vector<QTensor> q(l.inputs.size());
            std::vector<const QTensor*> qp;
            for (std::size_t i = 0; i < l.inputs.size(); ++i) {
                q[i].shape = l.input_shapes[i];
                q[i].quant = l.input_quants[i];
                q[i].bytes = *inputs[i];
                qp.push_back(&q[i]);
            }
            out = workload::run_reference(l, qp).bytes;
        }
        store(out, l.output.quant, spark_storage);
        t[l.output.name] = std::move(out);
    }
    return t;
}

}  // namespace spark::platform
