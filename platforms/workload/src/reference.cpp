// SPDX-License-Identifier: Apache-2.0
#include "spark/workload/reference.h"

#include <fmt/format.h>

#include "spark/common/error.h"

namespace spark::workload {

QTensor run_reference(const Layer& layer, const std::vector<const QTensor*>& inputs) {
    if (layer.has_gemm())
        throw Error(fmt::format("layer '{}': a {} layer runs on the PE array, not in the reference", layer.name,
                                to_string(layer.kind)));
    if (inputs.size() != layer.inputs.size())
        throw Error(fmt::format("layer '{}': expected {} input tensors, got {}", layer.name, layer.inputs.size(),
                                inputs.size()));
    for (std::size_t i = 0; i < inputs.size(); ++i)
        if (inputs[i]->shape != layer.input_shapes[i] || !(inputs[i]->quant == layer.input_quants[i]))
            throw Error(fmt::format("layer '{}': input '{}' has shape {}, expected {} with its quantisation",
                                    layer.name, layer.inputs[i], to_string(inputs[i]->shape),
                                    to_string(layer.input_shapes[i])));
    const Quant& out = layer.output.quant;
    switch (layer.kind) {
    case LayerKind::max_pool: return vector_unit::max_pool(*inputs[0], layer.window, out);
    case LayerKind::avg_pool: return vector_unit::avg_pool(*inputs[0], layer.window, out);
    case LayerKind::global_avg_pool: return vector_unit::global_avg_pool(*inputs[0], out);
    case LayerKind::add: return vector_unit::add(*inputs[0], *inputs[1], out);
    case LayerKind::relu: return vector_unit::relu(*inputs[0], out);
    case LayerKind::reshape: return vector_unit::requantize(vector_unit::reshape(*inputs[0], layer.output.shape), out);
    case LayerKind::transpose: return vector_unit::requantize(vector_unit::transpose(*inputs[0], layer.perm), out);
    case LayerKind::concat: return vector_unit::concat(inputs, layer.axis, out);
    case LayerKind::softmax:
    case LayerKind::layernorm:
    case LayerKind::gelu: return generate(layer.output);
    default: break;
    }
    throw Error(fmt::format("layer '{}': no reference for kind {}", layer.name, to_string(layer.kind)));
}

}  // namespace spark::workload
