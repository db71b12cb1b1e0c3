// SPDX-License-Identifier: Apache-2.0
#include "sweep.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "spark/common/error.h"
#include "spark/common/config_reader.h"
#include "spark/pe/pe.h"
#include "spark/platform/arch.h"

namespace fs = std::filesystem;

namespace spark::sweep {

namespace {

// "sweep.yaml:12" for a node with a position, "sweep.yaml" otherwise.
std::string at(const std::string& file, const YAML::Node& n) {
    return n.Mark().is_null() ? file : fmt::format("{}:{}", file, n.Mark().line + 1);
}

// A YAML value as JSON: quoted scalars stay strings, plain ones become integers, numbers or booleans when they
// read as one.
nlohmann::json to_json(const YAML::Node& n, const std::string& file) {
    switch (n.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined: return nullptr;
    case YAML::NodeType::Sequence: {
        nlohmann::json a = nlohmann::json::array();
        for (const auto& item : n) a.push_back(to_json(item, file));
        return a;
    }
    case YAML::NodeType::Map: {
        nlohmann::json o = nlohmann::json::object();
        for (const auto& kv : n) o[kv.first.as<std::string>()] = to_json(kv.second, file);
        return o;
    }
    case YAML::NodeType::Scalar: break;
    }
    const std::string& s = n.Scalar();
    if (n.Tag() == "!") return s;
    if (s == "true" || s == "false") return s == "true";
    if (s == "null" || s == "~") return nullptr;
    try {
        std::size_t used = 0;
        if (s.find_first_of(".eE") == std::string::npos) {
            if (!s.empty() && s[0] != '-') {
                const unsigned long long u = std::stoull(s, &used);
                if (used == s.size()) return u;
            } else {
                const long long i = std::stoll(s, &used);
                if (used == s.size()) return i;
            }
        }
        const double d = std::stod(s, &used);
        if (used == s.size()) return d;
    } catch (const std::exception&) {
    }
    return s;
}

std::string label_of(const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

// File names in an architecture (a "dram" preset file, an "energy" table) as absolute paths, so that the point's
// arch.json may sit anywhere.
void resolve_file(const std::string& path, nlohmann::json& value, const std::string& dir) {
    if (!value.is_string() || (path != "dram" && path != "energy")) return;
    const std::string s = value.get<std::string>();
    const bool is_file = path == "energy" || (s.size() > 5 && s.compare(s.size() - 5, 5, ".json") == 0);
    if (is_file && fs::path(s).is_relative()) value = (fs::path(dir) / s).lexically_normal().string();
}

platform::ArchConfig validate(const nlohmann::json& arch, const std::string& where) {
    return platform::ArchConfig::from_json(arch, where, "");
}

class Keys {
public:
    Keys(const YAML::Node& map, std::string file, std::string what) : m_map(map), m_file(std::move(file)), m_what(std::move(what)) {
        if (!map.IsMap()) throw Error(fmt::format("{}: {} must be a mapping", at(m_file, map), m_what));
    }
    YAML::Node get(const std::string& key) {
        m_seen.insert(key);
        return m_map[key];
    }
    void finish() const {
        for (const auto& kv : m_map) {
            const std::string k = kv.first.as<std::string>();
            if (!m_seen.count(k))
                throw Error(fmt::format("{}: {}: unknown key '{}'", at(m_file, kv.first), m_what, k));
        }
    }

private:
    YAML::Node m_map;
    std::string m_file, m_what;
    std::set<std::string> m_seen;
};

}  // namespace

std::string hash_id(const std::string& text) {
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ull;
    return fmt::format("{:012x}", h >> 16);
}

void set_field(nlohmann::json& arch, const std::string& path, const nlohmann::json& value, const std::string& where) {
    if (path.empty() || path.front() == '.' || path.back() == '.' || path.find("..") != std::string::npos)
        throw Error(fmt::format("{}: '{}' is not a dotted field path", where, path));
    nlohmann::json* node = &arch;
    std::size_t start = 0;
    for (;;) {
        const std::size_t dot = path.find('.', start);
        const std::string key = path.substr(start, dot - start);
        if (dot == std::string::npos) {
            (*node)[key] = value;
            return;
        }
        nlohmann::json& next = (*node)[key];
        if (next.is_null()) next = nlohmann::json::object();
        if (!next.is_object())
            throw Error(fmt::format("{}: '{}' is {} in the base architecture, not an object with fields", where,
                                    path.substr(0, dot), next.dump()));
        node = &next;
        start = dot + 1;
    }
}

std::string Point::describe(const Sweep& s) const {
    std::string out;
    for (std::size_t a = 0; a < s.axes.size(); ++a)
        out += fmt::format("{}{}={}", a ? ", " : "", s.axes[a].name, s.axes[a].values[choice[a]].label);
    return out;
}

Sweep load_sweep(const std::string& path) {
    if (fs::is_directory(path)) throw Error(fmt::format("{}: is a folder, not a sweep file", path));
    std::ifstream in(path);
    if (!in) throw Error(fmt::format("{}: cannot open the sweep file", path));
    std::stringstream text;
    text << in.rdbuf();
    return parse_sweep(text.str(), path, fs::absolute(path).parent_path().string());
}

Sweep parse_sweep(const std::string& text, const std::string& file, const std::string& dir) {
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
        throw Error(fmt::format("{}:{}: not valid YAML: {}", file, e.mark.line + 1, e.msg));
    }
    if (!root || root.IsNull()) throw Error(fmt::format("{}: the file is empty", file));
    Sweep s;
    s.file = file;
    s.dir = dir;
    Keys top(root, file, "the sweep");
    auto resolve = [&](const std::string& p) { return fs::path(p).is_relative() ? (fs::path(dir) / p).lexically_normal().string() : p; };

    const YAML::Node name = top.get("sweep");
    if (!name || !name.IsScalar()) throw Error(fmt::format("{}: 'sweep' (the sweep's name) is required", file));
    s.name = name.Scalar();

    // The base architecture: a file (its own relative paths resolve beside it) or an inline object.
    s.base = nlohmann::json::object();
    if (const YAML::Node base = top.get("base")) {
        if (base.IsScalar()) {
            const std::string base_file = resolve(base.Scalar());
            try {
                s.base = ConfigReader::parse_file(base_file);
            } catch (const Error& e) {
                throw Error(fmt::format("{}: base: {}", at(file, base), e.what()));
            }
            if (!s.base.is_object()) throw Error(fmt::format("{}: base: {} is not a JSON object", at(file, base), base_file));
            for (const char* k : {"dram", "energy"})
                if (s.base.contains(k)) resolve_file(k, s.base[k], fs::path(base_file).parent_path().string());
        } else if (base.IsMap()) {
            s.base = to_json(base, file);
            for (const char* k : {"dram", "energy"})
                if (s.base.contains(k)) resolve_file(k, s.base[k], dir);
        } else {
            throw Error(fmt::format("{}: base: expected an architecture file or a mapping", at(file, base)));
        }
        try {
            validate(s.base, fmt::format("{}: base", file));
        } catch (const Error& e) {
            throw Error(e.what());
        }
    }

    const YAML::Node workloads = top.get("workloads");
    if (!workloads || !workloads.IsSequence() || workloads.size() == 0)
        throw Error(fmt::format("{}: 'workloads' must be a non-empty list of workload files", file));
    std::set<std::string> names;
    for (const auto& w : workloads) {
        if (!w.IsScalar()) throw Error(fmt::format("{}: workloads: expected a file name", at(file, w)));
        Workload wl{resolve(w.Scalar()), fs::path(w.Scalar()).stem().string()};
        if (!fs::is_regular_file(wl.path))
            throw Error(fmt::format("{}: workloads: {} is not a file", at(file, w), wl.path));
        if (!names.insert(wl.name).second)
            throw Error(fmt::format("{}: workloads: two workloads named '{}' (the file's stem names its runs)", at(file, w), wl.name));
        s.workloads.push_back(wl);
    }

    if (const YAML::Node seeds = top.get("seeds")) {
        if (!seeds.IsSequence() || seeds.size() == 0)
            throw Error(fmt::format("{}: seeds: expected a non-empty list of data seeds", at(file, seeds)));
        std::set<std::uint64_t> seen;
        for (const auto& n : seeds) {
            const nlohmann::json v = to_json(n, file);
            if (!v.is_number_unsigned()) throw Error(fmt::format("{}: seeds: {} is not a non-negative integer", at(file, n), n.Scalar()));
            if (!seen.insert(v.get<std::uint64_t>()).second)
                throw Error(fmt::format("{}: seeds: {} is listed twice", at(file, n), n.Scalar()));
            s.seeds.push_back(v.get<std::uint64_t>());
        }
    } else {
        s.seeds.push_back(std::nullopt);
    }

    const YAML::Node axes = top.get("axes");
    if (!axes || !axes.IsMap() || axes.size() == 0)
        throw Error(fmt::format("{}: the grid is empty: 'axes' must name at least one architecture field", file));
    for (const auto& kv : axes) {
        Axis axis;
        axis.name = kv.first.as<std::string>();
        const std::string where = fmt::format("{}: axis '{}'", at(file, kv.first), axis.name);
        const YAML::Node& values = kv.second;
        if (values.IsSequence()) {
            for (const auto& v : values) {
                AxisValue av;
                av.value = to_json(v, file);
                av.label = label_of(av.value);
                nlohmann::json resolved = av.value;
                resolve_file(axis.name, resolved, dir);
                av.fields.emplace_back(axis.name, resolved);
                axis.values.push_back(std::move(av));
            }
        } else if (values.IsMap()) {
            // A named axis: each value is a name and the fields it sets.
            axis.named = true;
            for (const auto& nv : values) {
                AxisValue av;
                av.label = nv.first.as<std::string>();
                if (!nv.second.IsMap() || nv.second.size() == 0)
                    throw Error(fmt::format("{}: value '{}' must map field paths to values", where, av.label));
                av.value = av.label;
                for (const auto& f : nv.second) {
                    const std::string fpath = f.first.as<std::string>();
                    nlohmann::json v = to_json(f.second, file);
                    resolve_file(fpath, v, dir);
                    av.fields.emplace_back(fpath, v);
                }
                axis.values.push_back(std::move(av));
            }
        } else {
            throw Error(fmt::format("{}: expected a list of values or a mapping of named values", where));
        }
        if (axis.values.empty()) throw Error(fmt::format("{}: the axis has no values: the grid is empty", where));
        std::set<std::string> labels;
        for (const auto& v : axis.values)
            if (!labels.insert(v.label).second) throw Error(fmt::format("{}: value {} is listed twice", where, v.label));
        for (const auto& other : s.axes)
            if (other.name == axis.name) throw Error(fmt::format("{}: the axis is given twice", where));
        s.axes.push_back(std::move(axis));
    }

    // A value of an axis by how a point or the reference writes it: a named axis's value by name, a field's as
    // the axis lists it.
    auto find_value = [&](const Axis& axis, const YAML::Node& n, const std::string& where) {
        const nlohmann::json v = to_json(n, file);
        for (std::size_t i = 0; i < axis.values.size(); ++i)
            if ((axis.named && v.is_string() && v.get<std::string>() == axis.values[i].label) ||
                (!axis.named && v == axis.values[i].value))
                return i;
        throw Error(fmt::format("{}: axis '{}' has no value {}", where, axis.name, label_of(v)));
    };
    auto axis_index = [&](const std::string& axis_name, const std::string& where) {
        for (std::size_t a = 0; a < s.axes.size(); ++a)
            if (s.axes[a].name == axis_name) return a;
        throw Error(fmt::format("{}: '{}' is not an axis of this sweep", where, axis_name));
    };

    if (const YAML::Node points = top.get("points")) {
        if (!points.IsSequence() || points.size() == 0)
            throw Error(fmt::format("{}: points: the list is empty: the grid is empty", at(file, points)));
        std::vector<std::vector<std::size_t>> list;
        for (std::size_t i = 0; i < points.size(); ++i) {
            const std::string where = fmt::format("{}: points[{}]", at(file, points[i]), i);
            if (!points[i].IsMap()) throw Error(fmt::format("{}: expected a mapping of axis values", where));
            std::vector<std::size_t> choice(s.axes.size(), SIZE_MAX);
            for (const auto& kv : points[i]) {
                const std::size_t a = axis_index(kv.first.as<std::string>(), where);
                choice[a] = find_value(s.axes[a], kv.second, where);
            }
            for (std::size_t a = 0; a < s.axes.size(); ++a)
                if (choice[a] == SIZE_MAX) throw Error(fmt::format("{}: no value for axis '{}'", where, s.axes[a].name));
            list.push_back(choice);
        }
        s.points = list;
    }

    if (const YAML::Node constraints = top.get("constraints")) {
        if (!constraints.IsMap())
            throw Error(fmt::format("{}: constraints: expected a mapping of names to expressions", at(file, constraints)));
        for (const auto& kv : constraints) {
            const std::string cname = kv.first.as<std::string>();
            if (!kv.second.IsScalar())
                throw Error(fmt::format("{}: constraint '{}': expected an expression", at(file, kv.second), cname));
            s.constraints.push_back(
                {cname, Expr::parse(kv.second.Scalar(), fmt::format("{}: constraint '{}'", at(file, kv.second), cname))});
        }
    }

    if (const YAML::Node ref = top.get("reference")) {
        const std::string where = fmt::format("{}: reference", at(file, ref));
        if (!ref.IsMap()) throw Error(fmt::format("{}: expected a mapping of axis values", where));
        for (const auto& kv : ref) {
            const std::size_t a = axis_index(kv.first.as<std::string>(), where);
            s.reference[s.axes[a].name] = find_value(s.axes[a], kv.second, where);
        }
        s.reference_given = true;
    }

    for (auto [key, flag] : {std::pair{"baseline", &s.baseline}, {"check", &s.check}})
        if (const YAML::Node n = top.get(key)) {
            const nlohmann::json v = to_json(n, file);
            if (!v.is_boolean()) throw Error(fmt::format("{}: {}: expected true or false", at(file, n), key));
            *flag = v.get<bool>();
        }

    if (const YAML::Node area = top.get("area")) {
        Keys k(area, file, "area");
        if (const YAML::Node pe = k.get("pe_bytes")) {
            if (!pe.IsMap()) throw Error(fmt::format("{}: area.pe_bytes: expected a mapping of PE types", at(file, pe)));
            for (const auto& kv : pe) {
                std::string type;
                try {
                    type = std::string(pe::to_string(pe::parse_pe_type(kv.first.as<std::string>())));
                } catch (const Error& e) {
                    throw Error(fmt::format("{}: area.pe_bytes: {}", at(file, kv.first), e.what()));
                }
                const nlohmann::json v = to_json(kv.second, file);
                if (!v.is_number() || !(v.get<double>() >= 0))
                    throw Error(fmt::format("{}: area.pe_bytes.{}: expected a non-negative number", at(file, kv.second), type));
                s.area.pe_bytes[type] = v.get<double>();
            }
        }
        if (const YAML::Node b = k.get("buffer_byte")) {
            const nlohmann::json v = to_json(b, file);
            if (!v.is_number() || !(v.get<double>() >= 0))
                throw Error(fmt::format("{}: area.buffer_byte: expected a non-negative number", at(file, b)));
            s.area.buffer_byte = v.get<double>();
        }
        k.finish();
    }
    top.finish();
    return s;
}

namespace {

Value lookup_path(const nlohmann::json& arch, const Point& p, const std::string& path) {
    if (path == "pes") return double(p.pes);
    if (path == "buffer_bytes") return double(p.buffer_bytes);
    if (path == "area") return p.area;
    const nlohmann::json* node = &arch;
    std::size_t start = 0;
    for (;;) {
        const std::size_t dot = path.find('.', start);
        const std::string key = path.substr(start, dot - start);
        if (!node->is_object() || !node->contains(key))
            throw Error(fmt::format("'{}' is not a field of the architecture (nor pes, buffer_bytes or area)", path));
        node = &(*node)[key];
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    if (node->is_number()) return node->get<double>();
    if (node->is_boolean()) return node->get<bool>() ? 1.0 : 0.0;
    if (node->is_string()) return node->get<std::string>();
    throw Error(fmt::format("'{}' is an object, not a value", path));
}

Point make_point(const Sweep& s, const std::vector<std::size_t>& choice, const std::string& label) {
    Point p;
    p.label = label;
    p.choice = choice;
    p.arch = s.base;
    for (std::size_t a = 0; a < s.axes.size(); ++a)
        for (const auto& [path, value] : s.axes[a].values[choice[a]].fields)
            set_field(p.arch, path, value, fmt::format("{}: axis '{}'", s.file, s.axes[a].name));
    if (!p.arch.contains("name")) p.arch["name"] = s.name;
    p.id = hash_id(p.arch.dump());
    return p;
}

void measure(const Sweep& s, Point& p, const platform::ArchConfig& c) {
    const auto& dp = c.accelerator.datapath;
    p.pe = std::string(pe::to_string(dp.array.pe_type));
    p.pes = std::uint64_t(dp.array.rows) * dp.array.cols;
    p.buffer_bytes = c.weight_buffer.capacity_bytes + c.activation_buffer.capacity_bytes + c.output_buffer.capacity_bytes;
    const auto it = s.area.pe_bytes.find(p.pe);
    p.area = double(p.pes) * (it == s.area.pe_bytes.end() ? 0.0 : it->second) + double(p.buffer_bytes) * s.area.buffer_byte;
}

}  // namespace

Plan expand(const Sweep& s) {
    // Each value alone on the base first, so that a value the loader refuses is named by its axis, not by the
    // first point that happens to hold it.
    for (const Axis& axis : s.axes)
        for (const AxisValue& v : axis.values) {
            nlohmann::json arch = s.base;
            const std::string where = fmt::format("{}: axis '{}' value {}", s.file, axis.name, v.label);
            for (const auto& [path, value] : v.fields) set_field(arch, path, value, where);
            validate(arch, where);
        }

    std::vector<std::vector<std::size_t>> choices;
    if (s.points) {
        choices = *s.points;
    } else {
        // An odometer over the axes, the last axis turning fastest.
        std::vector<std::size_t> c(s.axes.size(), 0);
        for (bool more = true; more;) {
            choices.push_back(c);
            more = false;
            for (std::size_t a = s.axes.size(); a-- > 0;) {
                if (++c[a] < s.axes[a].values.size()) {
                    more = true;
                    break;
                }
                c[a] = 0;
            }
        }
    }

    Plan plan;
    auto where_of = [&](const Point& p) { return fmt::format("{}: point {} ({})", s.file, p.label, p.describe(s)); };
    std::set<std::string> ids;
    for (std::size_t i = 0; i < choices.size(); ++i) {
        Point p = make_point(s, choices[i], std::to_string(i));
        const std::string where = where_of(p);
        const platform::ArchConfig c = validate(p.arch, where);
        measure(s, p, c);
        const nlohmann::json normal = c.to_json();
        std::string dropped_by;
        for (const Constraint& k : s.constraints) {
            Value v;
            try {
                v = k.expr.evaluate([&](const std::string& path) { return lookup_path(normal, p, path); });
            } catch (const Error& e) {
                throw Error(fmt::format("{}: constraint '{}' ({}): {}", where, k.name, k.expr.text(), e.what()));
            }
            if (!std::holds_alternative<double>(v))
                throw Error(fmt::format("{}: constraint '{}' ({}) gives a string, not true or false", where, k.name, k.expr.text()));
            if (std::get<double>(v) == 0) {
                dropped_by = k.name;
                break;
            }
        }
        if (!dropped_by.empty()) {
            plan.dropped.push_back({i, p.describe(s), dropped_by});
            continue;
        }
        if (!ids.insert(p.id).second)
            throw Error(fmt::format("{}: the same architecture as an earlier point", where));
        plan.points.push_back(std::move(p));
    }
    if (plan.points.empty())
        throw Error(fmt::format("{}: every one of the {} point(s) is dropped by the constraints", s.file, choices.size()));

    std::vector<std::size_t> ref = plan.points.front().choice;
    for (std::size_t a = 0; a < s.axes.size(); ++a) {
        const auto it = s.reference.find(s.axes[a].name);
        if (it != s.reference.end()) ref[a] = it->second;
    }
    for (std::size_t i = 0; i < plan.points.size(); ++i)
        if (plan.points[i].choice == ref) plan.reference_index = i;
    if (plan.reference_index) {
        plan.reference = plan.points[*plan.reference_index];
    } else {
        plan.reference = make_point(s, ref, "ref");
        measure(s, plan.reference, validate(plan.reference.arch, where_of(plan.reference)));
    }
    return plan;
}

}  // namespace spark::sweep
