// SPDX-License-Identifier: Apache-2.0
// SCALE-Sim v2 topology files, read into the same network model. Convolution files have the header
// "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides," (an optional
// ninth column is the stride width); GEMM files "Layer, M, N, K,". SCALE-Sim does not pad: the IFMAP size already
// includes any padding, so every imported conv has padding 0. A name containing "DP" is depthwise, as in
// SCALE-Sim. Rows chain when the previous layer's output has exactly this row's input shape; otherwise the row
// reads its own synthetic network input "<name>.ifmap".
#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "spark/common/error.h"
#include "spark/common/file.h"
#include "spark/workload/network.h"

namespace spark::workload {
namespace {

std::string trim(const std::string& s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return {};
    return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// Cells of one line, trimmed; '#' starts a comment.
std::vector<std::string> split(std::string line) {
    if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    std::vector<std::string> cells;
    std::string::size_type start = 0;
    while (true) {
        const auto comma = line.find(',', start);
        cells.push_back(trim(line.substr(start, comma == std::string::npos ? std::string::npos : comma - start)));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    while (!cells.empty() && cells.back().empty()) cells.pop_back();  // SCALE-Sim rows end with a comma
    return cells;
}

struct Column {
    const char* name;
};

constexpr Column kConvColumns[] = {{"Layer name"},    {"IFMAP Height"}, {"IFMAP Width"}, {"Filter Height"},
                                   {"Filter Width"},  {"Channels"},     {"Num Filter"},  {"Strides"},
                                   {"Stride width"}};
constexpr Column kGemmColumns[] = {{"Layer"}, {"M"}, {"N"}, {"K"}};

TensorSpec activation(const std::string& name, const Shape& shape) {
    TensorSpec t;
    t.name = name;
    t.shape = shape;
    t.quant = {DType::uint8, 0.05, 0};
    t.data.synthetic = {Distribution::laplace, 0.0, 0.15, 0.0, 1.0, derive_seed(0, name)};
    return t;
}

TensorSpec weight(const std::string& name) {
    TensorSpec t;
    t.name = name;
    t.quant = {DType::int8, 0.01, 0};
    t.data.synthetic = {Distribution::laplace, 0.0, 0.03, 0.0, 1.0, derive_seed(0, name)};
    return t;
}

}  // namespace

Network load_scalesim_csv(const std::string& path) {
    require_not_directory(path);
    std::ifstream in(path);
    if (!in) throw Error(fmt::format("{}: cannot open file", path));
    std::stringstream text;
    text << in.rdbuf();
    return parse_scalesim_csv(text.str(), path);
}

Network parse_scalesim_csv(const std::string& text, const std::string& path) {
    std::istringstream in(text);
    Network net;
    net.source = path;
    const auto slash = path.rfind('/');
    net.name = path.substr(slash == std::string::npos ? 0 : slash + 1);
    if (const auto dot = net.name.rfind('.'); dot != std::string::npos) net.name.erase(dot);

    enum class Format { unknown, conv, gemm } format = Format::unknown;
    std::set<std::string> names;
    std::string line;
    int line_no = 0;
    while (std::getline(in, line)) {
        ++line_no;
        const std::vector<std::string> cells = split(line);
        if (std::all_of(cells.begin(), cells.end(), [](const std::string& c) { return c.empty(); })) continue;
        auto fail = [&](const std::string& message) {
            throw Error(fmt::format("{}:{}: {}", path, line_no, message));
        };
        if (format == Format::unknown) {
            const std::string second = cells.size() > 1 ? lower(cells[1]) : "";
            if (lower(cells[0]).rfind("layer", 0) == 0 && second == "m") {
                format = Format::gemm;
                // The three dimensions are told apart by position only: another order would be read silently wrong.
                for (std::size_t col = 2; col < 4; ++col)
                    if (cells.size() <= col || lower(cells[col]) != lower(kGemmColumns[col].name))
                        fail(fmt::format("header column {}: expected '{}', got '{}' (GEMM files are 'Layer, M, N, K,')",
                                         col + 1, kGemmColumns[col].name, cells.size() > col ? cells[col] : ""));
            } else if (lower(cells[0]).rfind("layer", 0) == 0 && second == "ifmap height") {
                format = Format::conv;
            } else {
                fail("expected a SCALE-Sim header: 'Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter "
                     "Width, Channels, Num Filter, Strides,' or 'Layer, M, N, K,'");
            }
            continue;
        }

        const std::size_t needed = format == Format::conv ? 8 : 4;
        const Column* columns = format == Format::conv ? kConvColumns : kGemmColumns;
        const std::string name = cells[0];
        if (cells.size() < needed)
            fail(fmt::format("layer '{}': expected {} values ({} to {}), got {}", name, needed, columns[0].name,
                             columns[needed - 1].name, cells.size()));
        if (name.empty()) fail(fmt::format("column '{}': the layer has no name", columns[0].name));
        if (!names.insert(name).second) fail(fmt::format("layer '{}': the name is used twice", name));
        auto value = [&](std::size_t col) -> std::int64_t {
            const std::string& c = cells[col];
            std::size_t used = 0;
            long long v = 0;
            try {
                v = std::stoll(c, &used);
            } catch (const std::exception&) {
                used = 0;
            }
            if (c.empty() || used != c.size() || v < 1)
                fail(fmt::format("layer '{}': column '{}': expected a positive integer, got '{}'", name,
                                 columns[col].name, c));
            return v;
        };

        Layer l;
        l.name = name;
        l.file_index = net.layers.size();
        l.file_line = line_no;
        l.output = activation(name, {});
        Shape input_shape;
        if (format == Format::conv) {
            const std::int64_t h = value(1), w = value(2), r = value(3), s = value(4), c = value(5), nf = value(6);
            l.kind = LayerKind::conv2d;
            l.window.kernel_h = r;
            l.window.kernel_w = s;
            l.window.stride_h = value(7);
            l.window.stride_w = cells.size() > 8 && !cells[8].empty() ? value(8) : l.window.stride_h;
            if (r > h || s > w)
                fail(fmt::format("layer '{}': the {}x{} filter is larger than the {}x{} IFMAP", name, r, s, h, w));
            const bool depthwise = name.find("DP") != std::string::npos;
            l.groups = depthwise ? c : 1;
            l.out_channels = depthwise ? c * nf : nf;
            input_shape = {1, c, h, w};
        } else {
            const std::int64_t m = value(1), n = value(2), k = value(3);
            l.kind = LayerKind::linear;
            l.out_features = n;
            input_shape = {m, k};
        }
        l.weight = weight(name + ".weight");

        // Chain to the previous row when it produces exactly this input; validate() fills the output shapes, so
        // compute the previous one here the same way.
        bool chained = false;
        if (!net.layers.empty()) {
            Network probe = net;
            validate(probe);
            chained = probe.layers.back().output.shape == input_shape;
        }
        if (chained) {
            l.inputs = {net.layers.back().name};
        } else {
            TensorSpec ifmap = activation(name + ".ifmap", input_shape);
            l.inputs = {ifmap.name};
            if (names.count(ifmap.name) || !names.insert(ifmap.name).second)
                fail(fmt::format("layer '{}': the input name '{}' is taken", name, ifmap.name));
            net.inputs.push_back(std::move(ifmap));
        }
        net.layers.push_back(std::move(l));
    }
    if (format == Format::unknown) throw Error(fmt::format("{}: the file is empty (no SCALE-Sim header)", path));
    if (net.layers.empty()) throw Error(fmt::format("{}: the file has a header but no layers", path));
    validate(net);
    return net;
}

}  // namespace spark::workload
