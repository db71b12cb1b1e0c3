// SPDX-License-Identifier: Apache-2.0
// spark-codec: what the SPARK code does to tensors stored as .npy files.
//   spark-codec stats FILE.npy...            share short, bits per value, error, SQNR per file (--json for scripts)
//   spark-codec encode IN.npy OUT.spk         the packed code stream in a .spk file (format in spk_file.h)
//   spark-codec decode IN.spk OUT.npy         the decoded integers, or floats with --dequantize
//   spark-codec report INPUT...               per-tensor and total statistics per encoding variant, or per
//                                             baseline format with --format (report.h)
// int8 input is coded in signed mode, uint8 in unsigned mode; float32 input is quantised first (--quant).
#include <cmath>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <boost/program_options.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "spark/codec/stats.h"
#include "spark/codec/stream.h"
#include "spark/common/error.h"
#include "spark/tensor/npy.h"
#include "spark/tensor/quantize.h"
#include "report.h"
#include "spk_file.h"
#include "usage_error.h"

namespace po = boost::program_options;
using spark::Error;
using spark::codec::Mode;
using spark::tensor::DType;
using spark::tensor::Tensor;

namespace {

constexpr const char* kUsage = R"(usage: spark-codec <command> [options] ARGS

commands:
  stats FILE.npy...        per file: values, share short, share approximated, mean bits/value,
                           max error, SQNR of the decoded values vs INT8 (and vs float32 for float input)
  encode IN.npy OUT.spk    write the encoded stream
  decode IN.spk OUT.npy    write the decoded values
  report INPUT...          per tensor and in total, for each encoding variant: share in the INT4 range,
                           share short, share approximated, mean bits/value, max error, SQNR; INPUT is
                           .npy files, folders of them, or a workload .yaml (--json, --csv);
                           --format ant,olive,...|all measures the baselines' numeric formats instead:
                           bits/value with metadata, outlier share, SQNR vs float, max error

int8 input is coded in signed mode and uint8 in unsigned mode; float32 input is quantised first
(symmetric -> int8, asymmetric -> uint8, or int8 with --mode signed).
Run 'spark-codec <command> --help' for the options of a command.
)";

using spark::codec_tool::UsageError;

// A tensor ready for the codec: its integers and the mode, plus the float source when it was quantised.
struct Prepared {
    Tensor ints;
    Mode mode = Mode::signed_i8;
    std::optional<spark::tensor::QuantParams> quant;
    std::optional<Tensor> source_float;
};

Prepared prepare(const Tensor& t, const std::string& path, const std::optional<std::string>& mode_text,
                 const std::optional<std::string>& quant_text) {
    Prepared p;
    // A bad option value is a command-line error (exit 2), whichever file it meets first.
    const auto usage = [](auto parse) {
        try {
            return parse();
        } catch (const spark::Error& e) {
            throw UsageError(e.what());
        }
    };
    const std::optional<Mode> mode =
        mode_text ? std::optional<Mode>(usage([&] { return spark::codec::parse_mode(*mode_text); })) : std::nullopt;
    if (quant_text) usage([&] { return spark::tensor::parse_quant_scheme(*quant_text); });
    switch (t.dtype()) {
    case DType::int8:
    case DType::uint8:
        if (quant_text) throw UsageError(fmt::format("--quant applies to float32 input; {} holds {}", path,
                                                    spark::tensor::to_string(t.dtype())));
        p.ints = t;
        p.mode = mode.value_or(t.dtype() == DType::int8 ? Mode::signed_i8 : Mode::unsigned_u8);
        return p;
    case DType::float32: {
        const auto scheme = spark::tensor::parse_quant_scheme(quant_text.value_or("symmetric"));
        const DType target = mode ? (*mode == Mode::signed_i8 ? DType::int8 : DType::uint8)
                                  : (scheme == spark::tensor::QuantScheme::symmetric ? DType::int8 : DType::uint8);
        if (scheme == spark::tensor::QuantScheme::symmetric && target == DType::uint8)
            throw UsageError("--quant symmetric produces int8 values for signed mode; use --quant asymmetric for "
                             "unsigned mode");
        auto q = spark::tensor::quantize(t, scheme, target, path);
        if (q.all_zero)
            std::cerr << fmt::format("note: {}: every value is 0.0; quantisation scale set to 1.0, zero point 0\n",
                                     path);
        p.ints = std::move(q.values);
        p.mode = target == DType::int8 ? Mode::signed_i8 : Mode::unsigned_u8;
        p.quant = q.params;
        p.source_float = t;
        return p;
    }
    default:
        throw Error(fmt::format("{}: dtype {} cannot be encoded (expected int8, uint8 or float32)", path,
                                spark::tensor::to_string(t.dtype())));
    }
}

struct FloatError {
    double sqnr_db = 0.0;              // decoded and dequantised vs float
    double sqnr_int8_only_db = 0.0;    // quantised (not coded) and dequantised vs float
    double max_abs_error = 0.0;        // decoded and dequantised vs float
};

double sqnr_db(double signal, double noise) {
    if (signal == 0.0) return std::nan("");
    if (noise == 0.0) return INFINITY;
    return 10.0 * std::log10(signal / noise);
}

FloatError float_error(const Prepared& p) {
    const auto& params = *p.quant;
    const float* x = p.source_float->data<float>();
    const std::uint8_t* q = p.ints.bytes();
    auto level = [&params](std::uint8_t raw) {
        const int v = params.dtype == DType::int8 ? static_cast<int>(static_cast<std::int8_t>(raw)) : int{raw};
        return double(v - params.zero_point) * params.scale;
    };
    double signal = 0.0, noise = 0.0, noise_int8 = 0.0;
    FloatError e;
    for (std::size_t i = 0; i < p.ints.size(); ++i) {
        const double xi = x[i];
        const double coded = xi - level(spark::codec::approximate(q[i], p.mode));
        const double plain = xi - level(q[i]);
        signal += xi * xi;
        noise += coded * coded;
        noise_int8 += plain * plain;
        e.max_abs_error = std::max(e.max_abs_error, std::fabs(coded));
    }
    e.sqnr_db = sqnr_db(signal, noise);
    e.sqnr_int8_only_db = sqnr_db(signal, noise_int8);
    return e;
}

std::string db_text(double db) {
    if (std::isnan(db)) return "n/a (no signal)";
    if (std::isinf(db)) return "inf (exact)";
    return fmt::format("{:.2f} dB", db);
}

nlohmann::json db_json(double db) { return std::isfinite(db) ? nlohmann::json(db) : nlohmann::json(nullptr); }

po::variables_map parse(const std::vector<std::string>& args, const po::options_description& options,
                        const po::positional_options_description& positional) {
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(options).positional(positional).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        throw UsageError(e.what());
    }
    return vm;
}

std::optional<std::string> optional_arg(const po::variables_map& vm, const char* name) {
    return vm.count(name) ? std::optional<std::string>(vm[name].as<std::string>()) : std::nullopt;
}

void add_coding_options(po::options_description& options) {
    options.add_options()
        ("mode", po::value<std::string>(), "codec mode: signed or unsigned (default: from the dtype; for float32 "
                                           "input it picks the quantised type, int8 or uint8)")
        ("quant", po::value<std::string>(), "float32 input: symmetric (default) or asymmetric");
}

int run_stats(const std::vector<std::string>& args) {
    po::options_description options("spark-codec stats [options] FILE.npy...");
    options.add_options()("help,h", "show this help")("json", "print one JSON array for all files");
    add_coding_options(options);
    options.add_options()("files", po::value<std::vector<std::string>>(), "input .npy files");
    po::positional_options_description positional;
    positional.add("files", -1);
    const auto vm = parse(args, options, positional);
    if (vm.count("help")) {
        std::cout << options;
        return 0;
    }
    if (!vm.count("files")) throw UsageError("stats needs at least one .npy file");

    nlohmann::json report = nlohmann::json::array();
    for (const auto& path : vm["files"].as<std::vector<std::string>>()) {
        const Tensor t = spark::tensor::read_npy(path);
        const Prepared p = prepare(t, path, optional_arg(vm, "mode"), optional_arg(vm, "quant"));
        const auto s = spark::codec::measure(p.ints.bytes(), p.ints.size(), p.mode);
        const bool has_float = p.quant.has_value();
        const FloatError fe = has_float ? float_error(p) : FloatError{};
        if (vm.count("json")) {
            nlohmann::json j;
            j["file"] = path;
            j["dtype"] = spark::tensor::to_string(t.dtype());
            j["shape"] = t.shape();
            j["mode"] = spark::codec::to_string(p.mode);
            j["quantization"] = p.quant ? nlohmann::json{{"scheme", spark::tensor::to_string(p.quant->scheme)},
                                                         {"dtype", spark::tensor::to_string(p.quant->dtype)},
                                                         {"scale", p.quant->scale},
                                                         {"zero_point", p.quant->zero_point}}
                                        : nlohmann::json(nullptr);
            j["values"] = s.values;
            j["short_codes"] = s.short_codes;
            j["share_short"] = s.share_short();
            j["approximated"] = s.approximated;
            j["share_approximated"] = s.share_approximated();
            j["code_bits"] = s.code_bits;
            j["mean_bits_per_value"] = s.mean_bits_per_value();
            j["max_abs_error_steps"] = s.max_abs_error;
            j["sqnr_vs_int8_db"] = db_json(s.sqnr_db());
            j["sqnr_vs_float_db"] = has_float ? db_json(fe.sqnr_db) : nlohmann::json(nullptr);
            j["sqnr_int8_vs_float_db"] = has_float ? db_json(fe.sqnr_int8_only_db) : nlohmann::json(nullptr);
            j["max_abs_error_float"] = has_float ? nlohmann::json(fe.max_abs_error) : nlohmann::json(nullptr);
            report.push_back(std::move(j));
            continue;
        }
        std::string what = fmt::format("{} {}", spark::tensor::to_string(t.dtype()),
                                       spark::tensor::shape_to_string(t.shape()));
        if (p.quant)
            what += fmt::format(", {} {}, scale {:.6g}, zero point {}", spark::tensor::to_string(p.quant->scheme),
                                spark::tensor::to_string(p.quant->dtype), p.quant->scale, p.quant->zero_point);
        fmt::print("{}: {}, {} mode\n", path, what, spark::codec::to_string(p.mode));
        fmt::print("  values               {}\n", s.values);
        fmt::print("  share short          {:.2f} %\n", 100.0 * s.share_short());
        fmt::print("  share approximated   {:.2f} %\n", 100.0 * s.share_approximated());
        fmt::print("  mean bits/value      {:.3f}\n", s.mean_bits_per_value());
        fmt::print("  max error            {} (integer steps)\n", s.max_abs_error);
        fmt::print("  SQNR vs INT8         {}\n", db_text(s.sqnr_db()));
        if (has_float) {
            fmt::print("  max error (float)    {:.6g}\n", fe.max_abs_error);
            fmt::print("  SQNR vs float32      {}  (INT8 alone: {})\n", db_text(fe.sqnr_db),
                       db_text(fe.sqnr_int8_only_db));
        }
    }
    if (vm.count("json")) std::cout << report.dump(2) << "\n";
    return 0;
}

void require_two_paths(const po::variables_map& vm, const char* command, const char* in, const char* out) {
    const auto n = vm.count("paths") ? vm["paths"].as<std::vector<std::string>>().size() : 0;
    if (n != 2) throw UsageError(fmt::format("{} takes two paths, {} and {} ({} given)", command, in, out, n));
}

int run_encode(const std::vector<std::string>& args) {
    po::options_description options("spark-codec encode [options] IN.npy OUT.spk");
    options.add_options()("help,h", "show this help");
    add_coding_options(options);
    options.add_options()("paths", po::value<std::vector<std::string>>(), "IN.npy OUT.spk");
    po::positional_options_description positional;
    positional.add("paths", -1);
    const auto vm = parse(args, options, positional);
    if (vm.count("help")) {
        std::cout << options;
        return 0;
    }
    require_two_paths(vm, "encode", "IN.npy", "OUT.spk");
    const auto& paths = vm["paths"].as<std::vector<std::string>>();
    const Tensor t = spark::tensor::read_npy(paths[0]);
    const Prepared p = prepare(t, paths[0], optional_arg(vm, "mode"), optional_arg(vm, "quant"));

    spark::spk::SpkFile f;
    f.mode = p.mode;
    f.dtype = p.ints.dtype();
    f.shape = t.shape();
    if (p.quant) {
        f.quantisation = p.quant->scheme == spark::tensor::QuantScheme::symmetric ? spark::spk::Quantisation::symmetric
                                                                                  : spark::spk::Quantisation::asymmetric;
        f.scale = p.quant->scale;
        f.zero_point = p.quant->zero_point;
    }
    spark::codec::pack(p.ints.bytes(), p.ints.size(), p.mode, f.stream);
    spark::spk::write_spk(paths[1], f);
    fmt::print("{} -> {}: {} values, {} nibbles, {} stream bytes, {:.3f} bits/value, {} mode\n", paths[0], paths[1],
               f.stream.values, f.stream.nibbles, f.stream.bytes.size(),
               f.stream.values ? 4.0 * double(f.stream.nibbles) / double(f.stream.values) : 0.0,
               spark::codec::to_string(f.mode));
    return 0;
}

int run_decode(const std::vector<std::string>& args) {
    po::options_description options("spark-codec decode [options] IN.spk OUT.npy");
    options.add_options()("help,h", "show this help")(
        "dequantize", "write float32 values, (q - zero_point) * scale (only for files encoded from float32)");
    options.add_options()("paths", po::value<std::vector<std::string>>(), "IN.spk OUT.npy");
    po::positional_options_description positional;
    positional.add("paths", -1);
    const auto vm = parse(args, options, positional);
    if (vm.count("help")) {
        std::cout << options;
        return 0;
    }
    require_two_paths(vm, "decode", "IN.spk", "OUT.npy");
    const auto& paths = vm["paths"].as<std::vector<std::string>>();
    const spark::spk::SpkFile f = spark::spk::read_spk(paths[0]);
    const Tensor ints = spark::spk::decode_values(f, paths[0]);
    if (vm.count("dequantize")) {
        if (f.quantisation == spark::spk::Quantisation::none)
            throw Error(fmt::format("{}: holds {} values without quantisation parameters; --dequantize needs a file "
                                    "encoded from float32",
                                    paths[0], spark::tensor::to_string(f.dtype)));
        spark::tensor::write_npy(paths[1], spark::tensor::dequantize(ints, f.quant_params()));
    } else {
        spark::tensor::write_npy(paths[1], ints);
    }
    fmt::print("{} -> {}: {} values{}\n", paths[0], paths[1], ints.size(),
               vm.count("dequantize") ? ", dequantised to float32" : "");
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        if (argc < 2) throw UsageError("missing command (stats, encode, decode or report)");
        const std::string command = argv[1];
        const std::vector<std::string> args(argv + 2, argv + argc);
        if (command == "-h" || command == "--help" || command == "help") {
            std::cout << kUsage;
            return 0;
        }
        if (command == "stats") return run_stats(args);
        if (command == "encode") return run_encode(args);
        if (command == "decode") return run_decode(args);
        if (command == "report") return spark::codec_tool::run_report(args);
        throw UsageError(fmt::format("unknown command '{}' (expected stats, encode, decode or report)", command));
    } catch (const UsageError& e) {
        std::cerr << "error: " << e.what() << "\n(run 'spark-codec --help' for usage)\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
}
