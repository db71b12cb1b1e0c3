// SPDX-License-Identifier: Apache-2.0
// The int8/uint8 reference of the layers that do not run on the PE array, so the platform can chain layer
// outputs. The kernels are the vector unit's (models/vector_unit, docs/vector_unit.md): they are named here too,
// so spark::workload::max_pool and the rest keep working; run_reference dispatches a workload layer onto them.
#pragma once

#include <vector>

#include "spark/vector_unit/kernels.h"
#include "spark/workload/generator.h"
#include "spark/workload/network.h"

namespace spark::workload {

using vector_unit::FixedMultiplier;
using vector_unit::make_multiplier;
using vector_unit::make_multiplier_pair;
using vector_unit::rounding_shift;
using vector_unit::apply;
using vector_unit::requantize;  // both overloads: one value, one tensor
using vector_unit::max_pool;
using vector_unit::avg_pool;
using vector_unit::global_avg_pool;
using vector_unit::add;
using vector_unit::relu;
using vector_unit::reshape;
using vector_unit::transpose;
using vector_unit::concat;

// Runs one non-array layer on its input tensors (in layer.inputs order). Stand-in kinds (softmax, layernorm,
// gelu) return generate(layer.output). Throws spark::Error for array kinds.
QTensor run_reference(const Layer& layer, const std::vector<const QTensor*>& inputs);

}  // namespace spark::workload
