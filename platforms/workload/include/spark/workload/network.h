// SPDX-License-Identifier: Apache-2.0
// The in-memory network: a validated, topologically ordered list of layers whose shapes, quantisation and data
// sources are fully resolved (no defaults left to apply). Built by load_workload(); the platform replays it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "spark/vector_unit/qtensor.h"

namespace spark::workload {

// The value types are the vector unit's (models/vector_unit): shapes (NCHW feature maps, [batch, tokens, features]
// token sequences, [batch..., rows, cols] matmul operands), int8/uint8 and affine quantisation
// (real = scale * (code - zero_point)).
using vector_unit::Shape;
using vector_unit::element_count;
using vector_unit::to_string;  // "[1, 3, 224, 224]" for a Shape; "int8" / "uint8" for a DType
using vector_unit::DType;
using vector_unit::parse_dtype;
using vector_unit::Quant;
using vector_unit::Window2d;

enum class Distribution : std::uint8_t { laplace, gaussian, uniform };
std::string_view to_string(Distribution d);

// A float distribution in real units (the quantisation maps it to codes). laplace: location `mean`, diversity
// `scale` (b); gaussian: `mean`, standard deviation `scale`; uniform: [low, high).
struct Synthetic {
    Distribution distribution = Distribution::laplace;
    double mean = 0.0;
    double scale = 1.0;
    double low = 0.0;
    double high = 1.0;
    std::uint64_t seed = 0;  // always resolved: the file's value or one derived from the network seed
};

// Where a tensor's codes come from: a synthetic distribution, or a .npy file (read by another library; here the
// path is resolved against the workload file's folder and checked to exist and start with the NumPy magic).
struct DataSource {
    enum class Kind : std::uint8_t { synthetic, npy };
    Kind kind = Kind::synthetic;
    Synthetic synthetic;
    std::string npy_path;
};

// One tensor: a network input, a layer's weight, or a layer's output. The shape is the one the .npy file must have.
struct TensorSpec {
    std::string name;  // "image", "conv1.weight", "conv1"
    Shape shape;
    Quant quant;
    DataSource data;
};

enum class LayerKind : std::uint8_t {
    conv2d,
    linear,
    matmul,
    max_pool,
    avg_pool,
    global_avg_pool,
    add,
    relu,
    softmax,
    layernorm,
    gelu,
    reshape,
    transpose,
    concat,
};
std::string_view to_string(LayerKind kind);
std::optional<LayerKind> parse_layer_kind(std::string_view text);

// Kinds that run on the PE array (they have a GEMM view); every other kind runs on the host side of the model.
bool runs_on_array(LayerKind kind);
// Kinds the model does not compute: their output codes are drawn from the output's data source.
bool is_stand_in(LayerKind kind);

// The layer as a matrix product: `batch` independent (M x K) * (K x N) products. conv2d: M = N*OH*OW output
// pixels, N = out_channels/groups, K = (C/groups)*KH*KW, batch = groups; linear: M = rows, N = out, K = in;
// matmul: the product of the leading dimensions is the batch.
struct GemmView {
    std::int64_t batch = 1;
    std::int64_t m = 0, n = 0, k = 0;
    std::int64_t macs() const { return batch * m * n * k; }
};

struct Layer {
    std::string name;
    LayerKind kind = LayerKind::relu;
    std::size_t file_index = 0;  // position in the file, used in messages
    int file_line = 0;           // 1-based line of the layer in the file, 0 when unknown

    std::vector<std::string> inputs;  // layer or network-input names, resolved
    std::vector<Shape> input_shapes;
    std::vector<Quant> input_quants;

    // conv2d / pools
    Window2d window;
    std::int64_t groups = 1;
    std::int64_t out_channels = 0;
    std::int64_t in_channels = 0;  // 0: taken from the producer; otherwise checked against it
    // linear
    std::int64_t out_features = 0;
    std::int64_t in_features = 0;  // 0: taken from the producer; otherwise checked against it
    // matmul: the second operand is given as [batch..., N, K] and read transposed (Q x K^T)
    bool transpose_b = false;
    // reshape (one entry may be -1), transpose (a permutation), concat
    Shape reshape_to;
    std::vector<std::int64_t> perm;
    std::int64_t axis = 0;

    std::optional<TensorSpec> weight;  // conv2d: [OC, C/groups, KH, KW]; linear: [out, in]
    TensorSpec output;                 // its data source stands in when the layer is replayed alone
    // Pools, relu, reshape and transpose keep their input's quantisation unless the file sets one; validate()
    // copies it when this is set.
    bool output_quant_from_input = false;

    // Derived by validate().
    std::int64_t macs = 0;
    std::int64_t weight_count = 0;
    std::int64_t input_elements = 0;  // summed over inputs
    std::int64_t output_elements = 0;

    bool has_gemm() const { return runs_on_array(kind); }
    GemmView gemm() const;  // throws spark::Error for kinds without one
    // Requantisation multiplier of an array layer: input_scale * weight_scale / output_scale (matmul: the two
    // operand scales).
    double requant_scale() const;
};

struct Network {
    std::string name;
    std::string source;  // the file it was read from, for messages
    std::uint64_t seed = 0;
    std::vector<TensorSpec> inputs;
    std::vector<Layer> layers;  // in execution (topological) order

    const Layer* find_layer(std::string_view name) const;
    const TensorSpec* find_input(std::string_view name) const;
    const TensorSpec& tensor(std::string_view name) const;  // a network input or a layer output; throws

    std::int64_t total_macs() const;
    std::int64_t total_weights() const;
};

// Loads a workload by extension: .yaml / .yml (the native format) or .csv (SCALE-Sim topology). The result is
// validated. Throws spark::Error naming the file, layer and field.
Network load_workload(const std::string& path);
Network load_yaml(const std::string& path);
Network parse_yaml(const std::string& text, const std::string& source, const std::string& base_dir);
Network load_scalesim_csv(const std::string& path);
// The same from text already in memory; `source` names it in messages and gives the network its name.
Network parse_scalesim_csv(const std::string& text, const std::string& source);

// Resolves each layer's inputs, orders the layers topologically, infers and checks every shape and fills the
// derived quantities. load_* call it; call it again after editing a Network by hand.
void validate(Network& network);

// The seed a tensor gets when its file does not set one: splitmix64(network_seed ^ fnv1a64(tensor_name)).
std::uint64_t derive_seed(std::uint64_t network_seed, std::string_view tensor_name);

}  // namespace spark::workload
