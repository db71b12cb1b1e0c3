// SPDX-License-Identifier: Apache-2.0
// spark-workload summary FILE [--json]: validates a workload (.yaml or SCALE-Sim .csv) and prints one row per
// layer with its shapes, GEMM view, MACs and weights, then the totals.
#include <cstdio>
#include <iostream>
#include <string>

#include <boost/program_options.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "spark/common/error.h"
#include "spark/workload/network.h"

namespace po = boost::program_options;
using namespace spark::workload;

namespace {

std::string shapes_of(const Layer& l) {
    std::string s;
    for (const Shape& in : l.input_shapes) s += (s.empty() ? "" : " ") + to_string(in);
    return s;
}

void print_table(const Network& net) {
    fmt::print("# {} ({}): {} layers, {} inputs\n", net.name, net.source, net.layers.size(), net.inputs.size());
    fmt::print("{:<28} {:<15} {:<34} {:<20} {:>5} {:>7} {:>7} {:>7} {:>14} {:>10}\n", "layer", "kind", "input",
               "output", "batch", "M", "N", "K", "macs", "weights");
    for (const Layer& l : net.layers) {
        std::string gemm = fmt::format("{:>5} {:>7} {:>7} {:>7}", "-", "-", "-", "-");
        if (l.has_gemm()) {
            const GemmView g = l.gemm();
            gemm = fmt::format("{:>5} {:>7} {:>7} {:>7}", g.batch, g.m, g.n, g.k);
        }
        fmt::print("{:<28} {:<15} {:<34} {:<20} {} {:>14} {:>10}\n", l.name, to_string(l.kind), shapes_of(l),
                   to_string(l.output.shape), gemm, l.macs, l.weight_count);
    }
    fmt::print("total: {} macs ({:.3f} G), {} weights ({:.3f} M)\n", net.total_macs(),
               static_cast<double>(net.total_macs()) * 1e-9, net.total_weights(),
               static_cast<double>(net.total_weights()) * 1e-6);
}

void print_json(const Network& net) {
    nlohmann::json layers = nlohmann::json::array();
    for (const Layer& l : net.layers) {
        nlohmann::json j{{"name", l.name},
                         {"kind", to_string(l.kind)},
                         {"inputs", l.inputs},
                         {"input_shapes", l.input_shapes},
                         {"output_shape", l.output.shape},
                         {"macs", l.macs},
                         {"weights", l.weight_count},
                         {"input_elements", l.input_elements},
                         {"output_elements", l.output_elements}};
        if (l.has_gemm()) {
            const GemmView g = l.gemm();
            j["gemm"] = {{"batch", g.batch}, {"m", g.m}, {"n", g.n}, {"k", g.k}};
        }
        layers.push_back(std::move(j));
    }
    const nlohmann::json out{{"network", net.name},    {"source", net.source},
                             {"layers", layers},       {"total_macs", net.total_macs()},
                             {"total_weights", net.total_weights()}};
    std::cout << out.dump(2) << "\n";
}

}  // namespace

int main(int argc, char** argv) {
    try {
        po::options_description visible("usage: spark-workload summary FILE [--json]");
        visible.add_options()("help,h", "show this help")("json", "print JSON instead of a table");
        po::options_description all;
        all.add(visible).add_options()("command", po::value<std::string>())("file", po::value<std::string>());
        po::positional_options_description pos;
        pos.add("command", 1).add("file", 1);
        po::variables_map vm;
        po::store(po::command_line_parser(argc, argv).options(all).positional(pos).run(), vm);
        po::notify(vm);
        if (vm.count("help")) {
            std::cout << visible << "\n";
            return 0;
        }
        if (!vm.count("command") || vm["command"].as<std::string>() != "summary" || !vm.count("file")) {
            std::cerr << "error: expected 'summary FILE'\n" << visible << "\n";
            return 2;
        }
        const Network net = load_workload(vm["file"].as<std::string>());
        if (vm.count("json"))
            print_json(net);
        else
            print_table(net);
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
}
