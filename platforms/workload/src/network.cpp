// SPDX-License-Identifier: Apache-2.0
#include "spark/workload/network.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <initializer_list>
#include <map>
#include <set>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "diagnostics.h"
#include "spark/common/error.h"

namespace spark::workload {

using detail::layer_error;

namespace {

// A size that does not fit 64 bits (also what element_count throws): validate() turns it into an error naming the
// layer.
using SizeOverflow = vector_unit::ShapeOverflow;

std::int64_t checked_product(std::initializer_list<std::int64_t> factors, const char* what) {
    std::int64_t n = 1;
    for (std::int64_t f : factors)
        if (__builtin_mul_overflow(n, f, &n)) throw SizeOverflow(fmt::format("{} overflows 64 bits", what));
    return n;
}

}  // namespace

std::string_view to_string(Distribution d) {
    switch (d) {
    case Distribution::laplace: return "laplace";
    case Distribution::gaussian: return "gaussian";
    case Distribution::uniform: return "uniform";
    }
    return "?";
}

namespace {

constexpr std::array<std::pair<LayerKind, std::string_view>, 14> kKindNames{{
    {LayerKind::conv2d, "conv2d"},
    {LayerKind::linear, "linear"},
    {LayerKind::matmul, "matmul"},
    {LayerKind::max_pool, "max_pool"},
    {LayerKind::avg_pool, "avg_pool"},
    {LayerKind::global_avg_pool, "global_avg_pool"},
    {LayerKind::add, "add"},
    {LayerKind::relu, "relu"},
    {LayerKind::softmax, "softmax"},
    {LayerKind::layernorm, "layernorm"},
    {LayerKind::gelu, "gelu"},
    {LayerKind::reshape, "reshape"},
    {LayerKind::transpose, "transpose"},
    {LayerKind::concat, "concat"},
}};

}  // namespace

std::string_view to_string(LayerKind kind) {
    for (const auto& [k, name] : kKindNames)
        if (k == kind) return name;
    return "?";
}

std::optional<LayerKind> parse_layer_kind(std::string_view text) {
    for (const auto& [k, name] : kKindNames)
        if (name == text) return k;
    return std::nullopt;
}

bool runs_on_array(LayerKind kind) {
    return kind == LayerKind::conv2d || kind == LayerKind::linear || kind == LayerKind::matmul;
}

bool is_stand_in(LayerKind kind) {
    return kind == LayerKind::softmax || kind == LayerKind::layernorm || kind == LayerKind::gelu;
}

GemmView Layer::gemm() const {
    if (!has_gemm()) throw Error(fmt::format("layer '{}': a {} layer has no GEMM view", name, to_string(kind)));
    GemmView g;
    const Shape& in = input_shapes.at(0);
    const Shape& out = output.shape;
    switch (kind) {
    case LayerKind::conv2d:
        g.batch = groups;
        g.m = out[0] * out[2] * out[3];
        g.n = out_channels / groups;
        g.k = in[1] / groups * window.kernel_h * window.kernel_w;
        break;
    case LayerKind::linear:
        g.n = out_features;
        g.k = weight->shape[1];
        g.m = element_count(in) / g.k;
        break;
    default: {  // matmul
        const std::size_t r = in.size();
        g.batch = element_count(Shape(in.begin(), in.end() - 2));
        g.m = in[r - 2];
        g.k = in[r - 1];
        g.n = out[r - 1];
        break;
    }
    }
    return g;
}

double Layer::requant_scale() const {
    if (!has_gemm()) throw Error(fmt::format("layer '{}': a {} layer has no requantisation", name, to_string(kind)));
    const double b_scale = kind == LayerKind::matmul ? input_quants.at(1).scale : weight->quant.scale;
    return input_quants.at(0).scale * b_scale / output.quant.scale;
}

const Layer* Network::find_layer(std::string_view n) const {
    for (const Layer& l : layers)
        if (l.name == n) return &l;
    return nullptr;
}

const TensorSpec* Network::find_input(std::string_view n) const {
    for (const TensorSpec& t : inputs)
        if (t.name == n) return &t;
    return nullptr;
}

const TensorSpec& Network::tensor(std::string_view n) const {
    if (const TensorSpec* t = find_input(n)) return *t;
    if (const Layer* l = find_layer(n)) return l->output;
    throw Error(fmt::format("{}: no layer or input named '{}'", source, n));
}

std::int64_t Network::total_macs() const {
    std::int64_t sum = 0;
    for (const Layer& l : layers) sum += l.macs;
    return sum;
}

std::int64_t Network::total_weights() const {
    std::int64_t sum = 0;
    for (const Layer& l : layers) sum += l.weight_count;
    return sum;
}

std::uint64_t derive_seed(std::uint64_t network_seed, std::string_view tensor_name) {
    std::uint64_t h = 0xCBF29CE484222325ull;  // FNV-1a 64
    for (char c : tensor_name) {
        h ^= static_cast<std::uint8_t>(c);
        h *= 0x100000001B3ull;
    }
    std::uint64_t z = (network_seed ^ h) + 0x9E3779B97F4A7C15ull;  // one splitmix64 step
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

namespace {

std::string check_quant(const Quant& q) {
    if (!(q.scale > 0.0) || !std::isfinite(q.scale)) return fmt::format("scale must be positive, got {}", q.scale);
    if (q.zero_point < q.min_code() || q.zero_point > q.max_code())
        return fmt::format("zero_point {} is outside the {} range {}..{}", q.zero_point, to_string(q.dtype),
                           q.min_code(), q.max_code());
    return {};
}

std::string check_data(const DataSource& d) {
    if (d.kind == DataSource::Kind::npy) return d.npy_path.empty() ? "npy path is empty" : "";
    const Synthetic& s = d.synthetic;
    if (!std::isfinite(s.mean) || !std::isfinite(s.scale) || !std::isfinite(s.low) || !std::isfinite(s.high))
        return "distribution parameters must be finite";
    if (s.distribution == Distribution::uniform) {
        if (!(s.low < s.high)) return fmt::format("uniform needs low < high, got {} and {}", s.low, s.high);
    } else if (!(s.scale > 0.0)) {
        return fmt::format("{} scale must be positive, got {}", to_string(s.distribution), s.scale);
    }
    return {};
}

void check_tensor(const Network& net, const Layer& layer, const std::string& field, const TensorSpec& t) {
    if (std::string m = check_quant(t.quant); !m.empty()) layer_error(net, layer, field, m);
    if (std::string m = check_data(t.data); !m.empty()) layer_error(net, layer, field + ".data", m);
}

std::size_t expected_inputs_min(LayerKind k) {
    switch (k) {
    case LayerKind::matmul:
    case LayerKind::add:
    case LayerKind::concat: return 2;
    default: return 1;
    }
}

std::size_t expected_inputs_max(LayerKind k) {
    switch (k) {
    case LayerKind::matmul:
    case LayerKind::add: return 2;
    case LayerKind::concat: return 64;
    default: return 1;
    }
}

// Orders layers so every producer precedes its consumers, keeping file order where the graph allows; a cycle is
// reported with its path.
void order_topologically(Network& net) {
    std::map<std::string, std::size_t> by_name;
    for (std::size_t i = 0; i < net.layers.size(); ++i) by_name[net.layers[i].name] = i;
    const std::size_t n = net.layers.size();
    std::vector<std::size_t> pending(n, 0);
    std::vector<std::vector<std::size_t>> consumers(n);
    for (std::size_t i = 0; i < n; ++i)
        for (const std::string& in : net.layers[i].inputs)
            if (auto it = by_name.find(in); it != by_name.end()) {
                ++pending[i];
                consumers[it->second].push_back(i);
            }
    std::set<std::pair<std::size_t, std::size_t>> ready;  // (file index, position)
    for (std::size_t i = 0; i < n; ++i)
        if (pending[i] == 0) ready.insert({net.layers[i].file_index, i});
    std::vector<std::size_t> order;
    while (!ready.empty()) {
        const std::size_t i = ready.begin()->second;
        ready.erase(ready.begin());
        order.push_back(i);
        for (std::size_t c : consumers[i])
            if (--pending[c] == 0) ready.insert({net.layers[c].file_index, c});
    }
    if (order.size() != n) {
        std::size_t start = n;
        for (std::size_t i = 0; i < n; ++i)
            if (pending[i] > 0 && (start == n || net.layers[i].file_index < net.layers[start].file_index)) start = i;
        // Walk producers that are still pending until one repeats: that stretch is the cycle.
        std::vector<std::size_t> path;
        std::size_t cur = start;
        while (std::find(path.begin(), path.end(), cur) == path.end()) {
            path.push_back(cur);
            for (const std::string& in : net.layers[cur].inputs)
                if (auto it = by_name.find(in); it != by_name.end() && pending[it->second] > 0) {
                    cur = it->second;
                    break;
                }
        }
        std::vector<std::string> names;
        for (auto it = std::find(path.begin(), path.end(), cur); it != path.end(); ++it)
            names.push_back(net.layers[*it].name);
        names.push_back(net.layers[cur].name);
        const Layer& at = net.layers[cur];
        layer_error(net, at, "inputs", fmt::format("cycle: {} (each takes the next as input)", fmt::join(names, " <- ")));
    }
    std::vector<Layer> sorted;
    sorted.reserve(n);
    for (std::size_t i : order) sorted.push_back(std::move(net.layers[i]));
    net.layers = std::move(sorted);
}

std::int64_t out_extent(std::int64_t in, std::int64_t kernel, std::int64_t stride, std::int64_t pad,
                        std::int64_t dilation) {
    const std::int64_t span = dilation * (kernel - 1) + 1;
    if (in + 2 * pad < span) return 0;
    return (in + 2 * pad - span) / stride + 1;
}

void check_window(const Network& net, const Layer& l, bool pool) {
    const Window2d& w = l.window;
    if (w.kernel_h < 1 || w.kernel_w < 1) layer_error(net, l, "kernel", "must be positive");
    if (w.stride_h < 1 || w.stride_w < 1) layer_error(net, l, "stride", "must be positive");
    if (w.pad_h < 0 || w.pad_w < 0) layer_error(net, l, "padding", "must be non-negative");
    if (w.dilation_h < 1 || w.dilation_w < 1) layer_error(net, l, "dilation", "must be positive");
    if (pool && (2 * w.pad_h > w.kernel_h || 2 * w.pad_w > w.kernel_w))
        layer_error(net, l, "padding",
                    fmt::format("{}x{} is more than half the {}x{} kernel (a window would lie wholly in padding)",
                                w.pad_h, w.pad_w, w.kernel_h, w.kernel_w));
}

Shape spatial_output(const Network& net, const Layer& l, const Shape& in, std::int64_t channels) {
    const Window2d& w = l.window;
    const std::int64_t oh = out_extent(in[2], w.kernel_h, w.stride_h, w.pad_h, w.dilation_h);
    const std::int64_t ow = out_extent(in[3], w.kernel_w, w.stride_w, w.pad_w, w.dilation_w);
    if (oh < 1 || ow < 1)
        layer_error(net, l, "kernel",
                    fmt::format("the {}x{} kernel (dilation {}x{}) is larger than the padded {}x{} input", w.kernel_h,
                                w.kernel_w, w.dilation_h, w.dilation_w, in[2] + 2 * w.pad_h, in[3] + 2 * w.pad_w));
    return {in[0], channels, oh, ow};
}

void require_rank(const Network& net, const Layer& l, std::size_t input, std::size_t rank, const char* layout) {
    if (l.input_shapes[input].size() != rank)
        layer_error(net, l, "inputs",
                    fmt::format("'{}' has shape {}, a {} layer needs rank {} ({})", l.inputs[input],
                                to_string(l.input_shapes[input]), to_string(l.kind), rank, layout));
}

void infer(const Network& net, Layer& l) {
    const Shape& in = l.input_shapes[0];
    Shape out;
    l.macs = 0;
    l.weight_count = 0;
    switch (l.kind) {
    case LayerKind::conv2d: {
        require_rank(net, l, 0, 4, "NCHW");
        check_window(net, l, false);
        const std::int64_t c = in[1];
        if (l.in_channels != 0 && l.in_channels != c)
            layer_error(net, l, "in_channels",
                        fmt::format("{} does not match input '{}' with {} channels (shape {})", l.in_channels,
                                    l.inputs[0], c, to_string(in)));
        if (l.groups < 1) layer_error(net, l, "groups", "must be positive");
        if (l.out_channels < 1) layer_error(net, l, "out_channels", "must be positive");
        if (c % l.groups != 0)
            layer_error(net, l, "groups", fmt::format("{} does not divide the {} input channels", l.groups, c));
        if (l.out_channels % l.groups != 0)
            layer_error(net, l, "groups",
                        fmt::format("{} does not divide out_channels {}", l.groups, l.out_channels));
        out = spatial_output(net, l, in, l.out_channels);
        l.weight->shape = {l.out_channels, c / l.groups, l.window.kernel_h, l.window.kernel_w};
        break;
    }
    case LayerKind::linear: {
        if (in.size() < 2)
            layer_error(net, l, "inputs", fmt::format("'{}' has shape {}, a linear layer needs rank 2 or more",
                                                      l.inputs[0], to_string(in)));
        if (l.out_features < 1) layer_error(net, l, "out_features", "must be positive");
        // NCHW maps are flattened per batch item; otherwise the last dimension holds the features.
        const std::int64_t features = in.size() == 4 ? in[1] * in[2] * in[3] : in.back();
        if (l.in_features != 0 && l.in_features != features)
            layer_error(net, l, "in_features",
                        fmt::format("{} does not match input '{}' with {} features (shape {})", l.in_features,
                                    l.inputs[0], features, to_string(in)));
        if (in.size() == 4) {
            out = {in[0], l.out_features};
        } else {
            out = in;
            out.back() = l.out_features;
        }
        l.weight->shape = {l.out_features, features};
        break;
    }
    case LayerKind::matmul: {
        const Shape& a = in;
        const Shape& b = l.input_shapes[1];
        if (a.size() < 2 || a.size() != b.size())
            layer_error(net, l, "inputs",
                        fmt::format("operands '{}' {} and '{}' {} must have the same rank, at least 2", l.inputs[0],
                                    to_string(a), l.inputs[1], to_string(b)));
        const std::size_t r = a.size();
        if (!std::equal(a.begin(), a.end() - 2, b.begin()))
            layer_error(net, l, "inputs",
                        fmt::format("batch dimensions differ: '{}' {} and '{}' {}", l.inputs[0], to_string(a),
                                    l.inputs[1], to_string(b)));
        const std::int64_t kb = l.transpose_b ? b[r - 1] : b[r - 2];
        const std::int64_t nb = l.transpose_b ? b[r - 2] : b[r - 1];
        if (a[r - 1] != kb)
            layer_error(net, l, "inputs",
                        fmt::format("inner dimensions differ: '{}' {} has K={}, '{}' {}{} has K={}", l.inputs[0],
                                    to_string(a), a[r - 1], l.inputs[1], to_string(b),
                                    l.transpose_b ? " (transposed)" : "", kb));
        out = a;
        out[r - 1] = nb;
        break;
    }
    case LayerKind::max_pool:
    case LayerKind::avg_pool:
        require_rank(net, l, 0, 4, "NCHW");
        check_window(net, l, true);
        out = spatial_output(net, l, in, in[1]);
        break;
    case LayerKind::global_avg_pool:
        require_rank(net, l, 0, 4, "NCHW");
        out = {in[0], in[1], 1, 1};
        break;
    case LayerKind::add:
        if (l.input_shapes[1] != in)
            layer_error(net, l, "inputs",
                        fmt::format("shapes differ: '{}' {} and '{}' {}", l.inputs[0], to_string(in), l.inputs[1],
                                    to_string(l.input_shapes[1])));
        out = in;
        break;
    case LayerKind::relu:
    case LayerKind::softmax:
    case LayerKind::layernorm:
    case LayerKind::gelu: out = in; break;
    case LayerKind::reshape: {
        if (l.reshape_to.empty()) layer_error(net, l, "shape", "must not be empty");
        std::int64_t known = 1;
        int wildcard = -1;
        for (std::size_t i = 0; i < l.reshape_to.size(); ++i) {
            const std::int64_t d = l.reshape_to[i];
            if (d == -1 && wildcard < 0) {
                wildcard = static_cast<int>(i);
            } else if (d < 1) {
                layer_error(net, l, "shape", fmt::format("{}: entries must be positive, one may be -1",
                                                         to_string(l.reshape_to)));
            } else {
                known *= d;
            }
        }
        out = l.reshape_to;
        const std::int64_t total = element_count(in);
        if (wildcard >= 0) {
            if (total % known != 0)
                layer_error(net, l, "shape", fmt::format("{} cannot hold the {} elements of {}",
                                                         to_string(l.reshape_to), total, to_string(in)));
            out[static_cast<std::size_t>(wildcard)] = total / known;
        }
        if (element_count(out) != total)
            layer_error(net, l, "shape", fmt::format("{} has {} elements, input '{}' {} has {}", to_string(out),
                                                     element_count(out), l.inputs[0], to_string(in), total));
        break;
    }
    case LayerKind::transpose: {
        std::vector<std::int64_t> sorted = l.perm;
        std::sort(sorted.begin(), sorted.end());
        bool ok = sorted.size() == in.size();
        for (std::size_t i = 0; ok && i < sorted.size(); ++i) ok = sorted[i] == static_cast<std::int64_t>(i);
        if (!ok)
            layer_error(net, l, "perm", fmt::format("[{}] is not a permutation of the {} dimensions of {}",
                                                    fmt::join(l.perm, ", "), in.size(), to_string(in)));
        for (std::int64_t p : l.perm) out.push_back(in[static_cast<std::size_t>(p)]);
        break;
    }
    case LayerKind::concat: {
        const auto rank = static_cast<std::int64_t>(in.size());
        if (l.axis < -rank || l.axis >= rank)
            layer_error(net, l, "axis", fmt::format("{} is outside the rank {} of the inputs", l.axis, rank));
        if (l.axis < 0) l.axis += rank;
        out = in;
        out[static_cast<std::size_t>(l.axis)] = 0;
        for (std::size_t i = 0; i < l.inputs.size(); ++i) {
            const Shape& s = l.input_shapes[i];
            bool ok = s.size() == in.size();
            for (std::size_t d = 0; ok && d < s.size(); ++d)
                ok = d == static_cast<std::size_t>(l.axis) || s[d] == in[d];
            if (!ok)
                layer_error(net, l, "inputs",
                            fmt::format("'{}' {} does not match '{}' {} outside axis {}", l.inputs[i], to_string(s),
                                        l.inputs[0], to_string(in), l.axis));
            out[static_cast<std::size_t>(l.axis)] += s[static_cast<std::size_t>(l.axis)];
        }
        break;
    }
    }
    l.output.shape = out;
    l.output_elements = element_count(out);
    l.input_elements = 0;
    for (const Shape& s : l.input_shapes) l.input_elements += element_count(s);
    if (l.weight) l.weight_count = element_count(l.weight->shape);
    if (l.has_gemm()) {
        const GemmView g = l.gemm();
        l.macs = checked_product({g.batch, g.m, g.n, g.k}, "the multiply-accumulate count");
    }
}

}  // namespace

void validate(Network& net) {
    std::set<std::string> names;
    for (const TensorSpec& t : net.inputs) {
        if (t.name.empty()) throw Error(fmt::format("{}: inputs: an input has no name", net.source));
        if (!names.insert(t.name).second)
            throw Error(fmt::format("{}: inputs: input '{}' is declared twice", net.source, t.name));
        if (t.shape.empty() || std::any_of(t.shape.begin(), t.shape.end(), [](std::int64_t d) { return d < 1; }))
            throw Error(fmt::format("{}: input '{}': shape: {} must have positive dimensions", net.source, t.name,
                                    to_string(t.shape)));
        if (std::string m = check_quant(t.quant); !m.empty())
            throw Error(fmt::format("{}: input '{}': {}", net.source, t.name, m));
        if (std::string m = check_data(t.data); !m.empty())
            throw Error(fmt::format("{}: input '{}': data: {}", net.source, t.name, m));
    }
    for (const Layer& l : net.layers) {
        if (l.name.empty()) layer_error(net, l, "name", "must not be empty");
        if (!names.insert(l.name).second)
            layer_error(net, l, "name", fmt::format("'{}' is already the name of an input or another layer", l.name));
    }
    for (const Layer& l : net.layers) {
        if (l.inputs.size() < expected_inputs_min(l.kind) || l.inputs.size() > expected_inputs_max(l.kind))
            layer_error(net, l, "inputs",
                        fmt::format("a {} layer takes {} input(s), got {}", to_string(l.kind),
                                    expected_inputs_min(l.kind) == expected_inputs_max(l.kind)
                                        ? fmt::format("{}", expected_inputs_min(l.kind))
                                        : fmt::format("{} or more", expected_inputs_min(l.kind)),
                                    l.inputs.size()));
        for (const std::string& in : l.inputs) {
            if (!names.count(in)) layer_error(net, l, "inputs", fmt::format("no layer or input named '{}'", in));
            if (in == l.name) layer_error(net, l, "inputs", fmt::format("cycle: '{}' takes itself as input", in));
        }
        const bool wants_weight = l.kind == LayerKind::conv2d || l.kind == LayerKind::linear;
        if (wants_weight != l.weight.has_value())
            layer_error(net, l, "weight",
                        wants_weight ? "missing" : fmt::format("a {} layer has no weight", to_string(l.kind)));
    }
    order_topologically(net);

    for (Layer& l : net.layers) {
        l.input_shapes.clear();
        l.input_quants.clear();
        for (const std::string& in : l.inputs) {
            const TensorSpec& t = net.tensor(in);
            l.input_shapes.push_back(t.shape);
            l.input_quants.push_back(t.quant);
        }
        if (l.output_quant_from_input) l.output.quant = l.input_quants[0];
        l.output.name = l.name;
        if (l.weight) {
            l.weight->name = l.name + ".weight";
            check_tensor(net, l, "weight", *l.weight);
        }
        check_tensor(net, l, "output", l.output);
        try {
            infer(net, l);
        } catch (const SizeOverflow& e) {
            layer_error(net, l, "shape", e.what());
        }
    }
}

Network load_workload(const std::string& path) {
    const auto dot = path.rfind('.');
    std::string ext = dot == std::string::npos ? "" : path.substr(dot + 1);
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (ext == "yaml" || ext == "yml") return load_yaml(path);
    if (ext == "csv") return load_scalesim_csv(path);
    throw Error(fmt::format("{}: unknown workload format (expected a .yaml, .yml or SCALE-Sim .csv file)", path));
}

}  // namespace spark::workload
