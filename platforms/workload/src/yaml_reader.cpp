// SPDX-License-Identifier: Apache-2.0
// The native workload format (docs/workload.md). One checked reader: every map is read through MapReader, which
// knows the field types, remembers which keys were read and rejects the rest, and puts the file, line, layer and
// field in every message.
#include <cmath>
#include <cstdint>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "diagnostics.h"
#include "spark/common/error.h"
#include "spark/common/file.h"
#include "spark/workload/network.h"

namespace spark::workload {
namespace {

// Who is being read, for messages: the file and a label such as "layer 'conv1' (#3)" or "input 'image'".
struct Context {
    std::string source;
    std::string label;
};

int line_of(const YAML::Node& node) {
    const YAML::Mark m = node.Mark();
    return m.line >= 0 && !node.IsNull() ? m.line + 1 : 0;
}

[[noreturn]] void fail(const Context& ctx, int line, const std::string& field, const std::string& message) {
    std::string where = detail::where(ctx.source, line);
    if (!ctx.label.empty()) where += ": " + ctx.label;
    if (!field.empty()) where += ": " + field;
    throw Error(fmt::format("{}: {}", where, message));
}

std::string describe(const YAML::Node& node) {
    if (node.IsScalar()) return fmt::format("'{}'", node.Scalar());
    if (node.IsSequence()) return "a list";
    if (node.IsMap()) return "a map";
    return "nothing";
}

class MapReader {
public:
    // `path` prefixes field names ("weight.data"); `fallback_line` is used when the node carries no mark.
    MapReader(const YAML::Node& node, Context ctx, std::string path, int fallback_line)
        : m_node(node), m_ctx(std::move(ctx)), m_path(std::move(path)) {
        m_line = line_of(node) ? line_of(node) : fallback_line;
        if (!node.IsMap()) fail(m_ctx, m_line, m_path, fmt::format("expected a map of fields, got {}", describe(node)));
        std::set<std::string> keys;
        for (const auto& item : node) {
            const std::string key = item.first.Scalar();
            if (!keys.insert(key).second) fail(m_ctx, line_of(item.first), full(key), "field is given twice");
        }
    }

    const Context& context() const { return m_ctx; }
    int line() const { return m_line; }
    bool has(const std::string& key) const { return static_cast<bool>(m_node[key]); }
    std::string full(const std::string& key) const { return m_path.empty() ? key : m_path + "." + key; }

    YAML::Node take(const std::string& key) {
        m_seen.insert(key);
        return m_node[key];
    }
    int line_of_key(const std::string& key) const {
        const YAML::Node n = m_node[key];
        return n && line_of(n) ? line_of(n) : m_line;
    }

    [[noreturn]] void fail_at(const std::string& key, const std::string& message) const {
        fail(m_ctx, line_of_key(key), full(key), message);
    }

    void require_present(const std::string& key) const {
        if (!has(key)) fail(m_ctx, m_line, full(key), "required field is missing");
    }

    std::int64_t integer(const std::string& key) {
        require_present(key);
        return to_integer(key, take(key));
    }
    std::int64_t integer(const std::string& key, std::int64_t fallback) {
        return has(key) ? integer(key) : fallback;
    }
    double number(const std::string& key, double fallback) {
        if (!has(key)) return fallback;
        const YAML::Node n = take(key);
        double v = 0;
        if (!n.IsScalar() || !YAML::convert<double>::decode(n, v) || !std::isfinite(v))
            fail_at(key, fmt::format("expected a number, got {}", describe(n)));
        return v;
    }
    std::string string(const std::string& key) {
        require_present(key);
        const YAML::Node n = take(key);
        if (!n.IsScalar() || n.Scalar().empty()) fail_at(key, fmt::format("expected a string, got {}", describe(n)));
        return n.Scalar();
    }
    std::string string(const std::string& key, const std::string& fallback) {
        return has(key) ? string(key) : fallback;
    }
    bool boolean(const std::string& key, bool fallback) {
        if (!has(key)) return fallback;
        const YAML::Node n = take(key);
        if (n.IsScalar() && (n.Scalar() == "true" || n.Scalar() == "false")) return n.Scalar() == "true";
        fail_at(key, fmt::format("expected true or false, got {}", describe(n)));
    }
    // An integer or a list of integers.
    std::vector<std::int64_t> integers(const std::string& key) {
        require_present(key);
        const YAML::Node n = take(key);
        std::vector<std::int64_t> v;
        if (n.IsScalar()) {
            v.push_back(to_integer(key, n));
        } else if (n.IsSequence()) {
            for (const auto& item : n) v.push_back(to_integer(key, item));
        } else {
            fail_at(key, fmt::format("expected an integer or a list of integers, got {}", describe(n)));
        }
        return v;
    }
    // An integer for both dimensions or [height, width].
    std::pair<std::int64_t, std::int64_t> pair(const std::string& key, std::int64_t fallback) {
        if (!has(key)) return {fallback, fallback};
        const std::vector<std::int64_t> v = integers(key);
        if (v.size() == 1) return {v[0], v[0]};
        if (v.size() == 2) return {v[0], v[1]};
        fail_at(key, fmt::format("expected an integer or [height, width], got {} values", v.size()));
    }
    // A name or a list of names.
    std::vector<std::string> names(const std::string& key) {
        const YAML::Node n = take(key);
        std::vector<std::string> v;
        auto one = [&](const YAML::Node& item) {
            if (!item.IsScalar() || item.Scalar().empty())
                fail_at(key, fmt::format("expected a layer or input name, got {}", describe(item)));
            v.push_back(item.Scalar());
        };
        if (n.IsSequence()) {
            for (const auto& item : n) one(item);
        } else {
            one(n);
        }
        return v;
    }
    MapReader child(const std::string& key) {
        return MapReader(take(key), m_ctx, full(key), line_of_key(key));
    }

    void finish() const {
        for (const auto& item : m_node) {
            const std::string key = item.first.Scalar();
            if (!m_seen.count(key)) fail(m_ctx, line_of(item.first), full(key), "unknown field");
        }
    }

private:
    std::int64_t to_integer(const std::string& key, const YAML::Node& n) const {
        std::int64_t v = 0;
        if (!n.IsScalar() || !YAML::convert<std::int64_t>::decode(n, v))
            fail(m_ctx, line_of(n) ? line_of(n) : m_line, full(key),
                 fmt::format("expected an integer, got {}", describe(n)));
        return v;
    }

    YAML::Node m_node;
    Context m_ctx;
    std::string m_path;
    int m_line = 0;
    std::set<std::string> m_seen;
};

Distribution parse_distribution(MapReader& r, const std::string& key) {
    const std::string text = r.string(key);
    if (text == "laplace") return Distribution::laplace;
    if (text == "gaussian") return Distribution::gaussian;
    if (text == "uniform") return Distribution::uniform;
    r.fail_at(key, fmt::format("unknown distribution '{}' (expected laplace, gaussian or uniform)", text));
}

bool is_npy_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    char magic[6] = {};
    return in.read(magic, 6) && std::string(magic, 6) == "\x93NUMPY";
}

struct Reader {
    std::string source;
    std::string base_dir;
    std::uint64_t seed = 0;
    TensorSpec default_activation;
    TensorSpec default_weight;

    // A data source: fields not given come from `base`; an explicit seed is kept, otherwise `seed_from` names the
    // tensor whose derived seed is used (empty in defaults, where a seed is refused).
    DataSource read_data(MapReader r, const DataSource& base, const std::string& seed_from) {
        DataSource d = base;
        if (r.has("npy")) {
            for (const char* other : {"distribution", "mean", "scale", "low", "high", "seed"})
                if (r.has(other)) r.fail_at(other, "not allowed together with npy");
            const std::string rel = r.string("npy");
            d.kind = DataSource::Kind::npy;
            d.npy_path = !rel.empty() && rel[0] == '/' ? rel : base_dir + rel;
            if (!std::ifstream(d.npy_path)) r.fail_at("npy", fmt::format("cannot open '{}'", d.npy_path));
            if (!is_npy_file(d.npy_path)) r.fail_at("npy", fmt::format("'{}' is not a .npy file", d.npy_path));
            r.finish();
            return d;
        }
        if (d.kind == DataSource::Kind::npy && !r.has("distribution"))
            r.fail_at("distribution", "required when the default data is an .npy file");
        d.kind = DataSource::Kind::synthetic;
        d.npy_path.clear();
        Synthetic& s = d.synthetic;
        if (r.has("distribution")) s.distribution = parse_distribution(r, "distribution");
        s.mean = r.number("mean", s.mean);
        s.scale = r.number("scale", s.scale);
        s.low = r.number("low", s.low);
        s.high = r.number("high", s.high);
        if (r.has("seed")) {
            if (seed_from.empty())
                r.fail_at("seed", "a default seed would give every tensor the same data; set seeds per tensor");
            const std::int64_t v = r.integer("seed");
            if (v < 0) r.fail_at("seed", fmt::format("must be non-negative, got {}", v));
            s.seed = static_cast<std::uint64_t>(v);
        } else if (!seed_from.empty()) {
            s.seed = derive_seed(seed, seed_from);
        }
        if (s.distribution == Distribution::uniform ? !(s.low < s.high) : !(s.scale > 0.0))
            r.fail_at(s.distribution == Distribution::uniform ? "high" : "scale",
                      s.distribution == Distribution::uniform
                          ? fmt::format("uniform needs low < high, got {} and {}", s.low, s.high)
                          : fmt::format("must be positive, got {}", s.scale));
        r.finish();
        return d;
    }

    // dtype, scale, zero_point and data over `base`; `r` is finished by the caller (it may hold more fields).
    TensorSpec read_tensor_fields(MapReader& r, const TensorSpec& base, const std::string& seed_from) {
        TensorSpec t = base;
        if (r.has("dtype")) {
            const std::string text = r.string("dtype");
            if (text != "int8" && text != "uint8")
                r.fail_at("dtype", fmt::format("unknown dtype '{}' (expected int8 or uint8)", text));
            t.quant.dtype = parse_dtype(text);
        }
        t.quant.scale = r.number("scale", t.quant.scale);
        if (!(t.quant.scale > 0.0)) r.fail_at("scale", fmt::format("must be positive, got {}", t.quant.scale));
        const std::int64_t zp = r.integer("zero_point", t.quant.zero_point);
        if (zp < t.quant.min_code() || zp > t.quant.max_code())
            r.fail_at("zero_point", fmt::format("{} is outside the {} range {}..{}", zp, to_string(t.quant.dtype),
                                                t.quant.min_code(), t.quant.max_code()));
        t.quant.zero_point = static_cast<std::int32_t>(zp);
        if (r.has("data")) {
            t.data = read_data(r.child("data"), t.data, seed_from);
        } else if (!seed_from.empty() && t.data.kind == DataSource::Kind::synthetic) {
            t.data.synthetic.seed = derive_seed(seed, seed_from);
        }
        return t;
    }

    TensorSpec read_tensor(MapReader r, const TensorSpec& base, const std::string& seed_from) {
        TensorSpec t = read_tensor_fields(r, base, seed_from);
        r.finish();
        return t;
    }

    void read_window(MapReader& r, Layer& l, bool conv) {
        r.require_present("kernel");
        std::tie(l.window.kernel_h, l.window.kernel_w) = r.pair("kernel", 1);
        if (conv) {
            std::tie(l.window.stride_h, l.window.stride_w) = r.pair("stride", 1);
            std::tie(l.window.dilation_h, l.window.dilation_w) = r.pair("dilation", 1);
        } else {
            std::tie(l.window.stride_h, l.window.stride_w) = r.pair("stride", 0);
            if (l.window.stride_h == 0 && !r.has("stride")) {
                l.window.stride_h = l.window.kernel_h;  // pools step by their window unless told otherwise
                l.window.stride_w = l.window.kernel_w;
            }
        }
        std::tie(l.window.pad_h, l.window.pad_w) = r.pair("padding", 0);
        auto positive = [&](const char* key, std::int64_t a, std::int64_t b, std::int64_t min) {
            if (a < min || b < min)
                r.fail_at(key, fmt::format("must be {}, got {}x{}", min ? "positive" : "non-negative", a, b));
        };
        positive("kernel", l.window.kernel_h, l.window.kernel_w, 1);
        positive("stride", l.window.stride_h, l.window.stride_w, 1);
        positive("padding", l.window.pad_h, l.window.pad_w, 0);
        positive("dilation", l.window.dilation_h, l.window.dilation_w, 1);
    }

    Layer read_layer(const YAML::Node& node, std::size_t index, const std::string& previous) {
        Layer l;
        l.file_index = index;
        l.file_line = line_of(node);
        // The label needs the name before the checked read of the name itself.
        if (node.IsMap() && node["name"] && node["name"].IsScalar()) l.name = node["name"].Scalar();
        Context ctx{source, l.name.empty() ? fmt::format("layer #{}", index) : detail::layer_label(l)};
        MapReader r(node, ctx, "", l.file_line);
        l.name = r.string("name");
        const std::string kind_text = r.string("kind");
        const auto kind = parse_layer_kind(kind_text);
        if (!kind)
            r.fail_at("kind", fmt::format("unknown kind '{}' (expected conv2d, linear, matmul, max_pool, avg_pool, "
                                          "global_avg_pool, add, relu, softmax, layernorm, gelu, reshape, "
                                          "transpose or concat)",
                                          kind_text));
        l.kind = *kind;
        if (r.has("inputs")) {
            l.inputs = r.names("inputs");
        } else if (l.kind == LayerKind::matmul || l.kind == LayerKind::add || l.kind == LayerKind::concat) {
            r.fail_at("inputs", fmt::format("required field is missing (a {} layer names its operands)", kind_text));
        } else if (previous.empty()) {
            r.fail_at("inputs", "required field is missing (no network input or earlier layer to default to)");
        } else {
            l.inputs = {previous};
        }

        switch (l.kind) {
        case LayerKind::conv2d:
            l.out_channels = r.integer("out_channels");
            l.in_channels = r.integer("in_channels", 0);
            l.groups = r.integer("groups", 1);
            read_window(r, l, true);
            break;
        case LayerKind::linear:
            l.out_features = r.integer("out_features");
            l.in_features = r.integer("in_features", 0);
            break;
        case LayerKind::matmul: l.transpose_b = r.boolean("transpose_b", false); break;
        case LayerKind::max_pool:
        case LayerKind::avg_pool: read_window(r, l, false); break;
        case LayerKind::reshape: l.reshape_to = r.integers("shape"); break;
        case LayerKind::transpose: l.perm = r.integers("perm"); break;
        case LayerKind::concat: l.axis = r.integer("axis"); break;
        default: break;
        }
        if (l.kind == LayerKind::conv2d || l.kind == LayerKind::linear) {
            l.weight = r.has("weight") ? read_tensor(r.child("weight"), default_weight, l.name + ".weight")
                                       : read_tensor_default(default_weight, l.name + ".weight");
        }
        const bool keeps_quant = l.kind == LayerKind::max_pool || l.kind == LayerKind::avg_pool ||
                                 l.kind == LayerKind::global_avg_pool || l.kind == LayerKind::relu ||
                                 l.kind == LayerKind::reshape || l.kind == LayerKind::transpose;
        if (r.has("output")) {
            MapReader o = r.child("output");
            l.output_quant_from_input =
                keeps_quant && !o.has("dtype") && !o.has("scale") && !o.has("zero_point");
            l.output = read_tensor(std::move(o), default_activation, l.name);
        } else {
            l.output_quant_from_input = keeps_quant;
            l.output = read_tensor_default(default_activation, l.name);
        }
        r.finish();
        return l;
    }

    TensorSpec read_tensor_default(const TensorSpec& base, const std::string& name) const {
        TensorSpec t = base;
        if (t.data.kind == DataSource::Kind::synthetic) t.data.synthetic.seed = derive_seed(seed, name);
        return t;
    }
};

// The built-in defaults: uint8 activations with a half-Laplace look (what a ReLU leaves), int8 weights from a
// Laplace distribution about three quantisation steps wide.
TensorSpec builtin_activation() {
    TensorSpec t;
    t.quant = {DType::uint8, 0.05, 0};
    t.data.synthetic = {Distribution::laplace, 0.0, 0.15, 0.0, 1.0, 0};
    return t;
}

TensorSpec builtin_weight() {
    TensorSpec t;
    t.quant = {DType::int8, 0.01, 0};
    t.data.synthetic = {Distribution::laplace, 0.0, 0.03, 0.0, 1.0, 0};
    return t;
}

}  // namespace

Network parse_yaml(const std::string& text, const std::string& source, const std::string& base_dir) {
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::ParserException& e) {
        throw Error(fmt::format("{}:{}: not valid YAML: {}", source, e.mark.line + 1, e.msg));
    }
    if (!root || root.IsNull()) throw Error(fmt::format("{}: the file is empty", source));

    Reader rd;
    rd.source = source;
    rd.base_dir = base_dir.empty() || base_dir.back() == '/' ? base_dir : base_dir + "/";
    MapReader top(root, Context{source, ""}, "", 1);

    Network net;
    net.source = source;
    net.name = top.string("network");
    const std::int64_t seed = top.integer("seed", 0);
    if (seed < 0) top.fail_at("seed", fmt::format("must be non-negative, got {}", seed));
    net.seed = rd.seed = static_cast<std::uint64_t>(seed);
    if (top.has("description")) top.string("description");

    rd.default_activation = builtin_activation();
    rd.default_weight = builtin_weight();
    if (top.has("defaults")) {
        MapReader d = top.child("defaults");
        if (d.has("activation")) rd.default_activation = rd.read_tensor(d.child("activation"), rd.default_activation, "");
        if (d.has("weight")) rd.default_weight = rd.read_tensor(d.child("weight"), rd.default_weight, "");
        d.finish();
    }

    top.require_present("inputs");
    const YAML::Node inputs = top.take("inputs");
    if (!inputs.IsSequence() || inputs.size() == 0)
        top.fail_at("inputs", fmt::format("expected a non-empty list of network inputs, got {}", describe(inputs)));
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        const YAML::Node& node = inputs[i];
        const bool has_name = node.IsMap() && node["name"] && node["name"].IsScalar();
        Context ctx{source, has_name ? fmt::format("input '{}'", node["name"].Scalar()) : fmt::format("input #{}", i)};
        MapReader named(node, ctx, "", line_of(inputs));
        const std::string name = named.string("name");
        const std::vector<std::int64_t> shape = named.integers("shape");
        for (std::int64_t d : shape)
            if (d < 1) named.fail_at("shape", fmt::format("dimensions must be positive, got {}", to_string(shape)));
        TensorSpec t = rd.read_tensor_fields(named, rd.default_activation, name);
        t.name = name;
        t.shape = shape;
        named.finish();
        net.inputs.push_back(std::move(t));
    }

    top.require_present("layers");
    const YAML::Node layers = top.take("layers");
    if (!layers.IsSequence() || layers.size() == 0)
        top.fail_at("layers", fmt::format("expected a non-empty list of layers, got {}", describe(layers)));
    std::string previous = net.inputs.front().name;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        net.layers.push_back(rd.read_layer(layers[i], i, previous));
        previous = net.layers.back().name;
    }
    top.finish();
    validate(net);
    return net;
}

Network load_yaml(const std::string& path) {
    require_not_directory(path);
    std::ifstream in(path);
    if (!in) throw Error(fmt::format("{}: cannot open file", path));
    std::stringstream text;
    text << in.rdbuf();
    const auto slash = path.rfind('/');
    return parse_yaml(text.str(), path, slash == std::string::npos ? "" : path.substr(0, slash + 1));
}

}  // namespace spark::workload
