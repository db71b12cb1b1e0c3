// SPDX-License-Identifier: Apache-2.0
#include "report.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>

#include <boost/program_options.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "spark/codec/stats.h"
#include "spark/codec/variants.h"
#include "spark/common/error.h"
#include "spark/formats/format.h"
#include "spark/tensor/npy.h"
#include "spark/tensor/quantize.h"
#include "spark/workload/generator.h"
#include "spark/workload/network.h"
#include "usage_error.h"

namespace spark::codec_tool {

namespace {

namespace po = boost::program_options;
namespace fs = std::filesystem;
using codec::Mode;
using codec::Variant;
using tensor::DType;
using tensor::Tensor;

// One tensor to measure: float32 (quantised by the report's settings) or int8/uint8 codes as they are.
struct Input {
    std::string name;    // file path, or the workload tensor name
    std::string origin;  // "npy", "workload npy", "workload synthetic"
    Tensor tensor;
    std::optional<workload::Quant> quant;  // a workload tensor's scale and zero point
};

struct Settings {
    std::vector<Variant> variants;
    std::optional<Mode> mode;
    tensor::QuantConfig quant;
};

struct FloatFigures {
    double signal = 0.0;      // sum x^2
    double noise = 0.0;       // sum (x - coded, dequantised)^2
    double noise_int8 = 0.0;  // sum (x - exact INT8, dequantised)^2
    double max_abs_error = 0.0;
};

struct Row {
    const Input* input = nullptr;
    Variant variant = Variant::truncate;
    Mode mode = Mode::signed_i8;
    std::optional<tensor::PtqResult> quant;  // float input only (values dropped after measuring)
    tensor::Calibration calibration = tensor::Calibration::min_max;
    codec::TensorStats stats;
    std::uint64_t int4_range = 0;
    std::optional<FloatFigures> fl;
};

double sqnr_db(double signal, double noise) {
    if (signal == 0.0) return std::nan("");
    if (noise == 0.0) return INFINITY;
    return 10.0 * std::log10(signal / noise);
}

nlohmann::json db_json(double db) { return std::isfinite(db) ? nlohmann::json(db) : nlohmann::json(nullptr); }
std::string db_csv(double db) { return std::isfinite(db) ? fmt::format("{:.4f}", db) : (std::isnan(db) ? "" : "inf"); }
std::string db_text(double db) {
    if (std::isnan(db)) return "n/a";
    if (std::isinf(db)) return "inf";
    return fmt::format("{:.2f}", db);
}

bool has_suffix(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Tensor from_qtensor(const workload::QTensor& q) {
    tensor::Shape shape(q.shape.begin(), q.shape.end());
    Tensor t(shape, q.quant.dtype == workload::DType::int8 ? DType::int8 : DType::uint8);
    std::copy(q.bytes.begin(), q.bytes.end(), t.bytes());
    return t;
}

void add_workload_tensor(const workload::TensorSpec& spec, bool synthetic_too, std::vector<Input>& out) {
    if (spec.data.kind == workload::DataSource::Kind::npy) {
        Tensor t = tensor::read_npy(spec.data.npy_path);
        const tensor::Shape want(spec.shape.begin(), spec.shape.end());
        if (t.shape() != want)
            throw Error(fmt::format("{}: shape {} does not match tensor '{}' of the workload, {}", spec.data.npy_path,
                                    tensor::shape_to_string(t.shape()), spec.name, tensor::shape_to_string(want)));
        out.push_back({spec.name, "workload npy", std::move(t), spec.quant});
    } else if (synthetic_too) {
        out.push_back({spec.name, "workload synthetic", from_qtensor(workload::generate(spec)), spec.quant});
    }
}

// Weights (npy or synthetic) and every input or output with an .npy source.
void add_workload(const std::string& path, std::vector<Input>& out) {
    const workload::Network net = workload::load_workload(path);
    for (const auto& in : net.inputs) add_workload_tensor(in, false, out);
    for (const auto& layer : net.layers) {
        if (layer.weight) add_workload_tensor(*layer.weight, true, out);
        add_workload_tensor(layer.output, false, out);
    }
}

std::vector<Input> collect(const std::vector<std::string>& paths) {
    std::vector<Input> inputs;
    for (const auto& path : paths) {
        if (has_suffix(path, ".yaml") || has_suffix(path, ".yml") || has_suffix(path, ".csv")) {
            add_workload(path, inputs);
        } else if (fs::is_directory(path)) {
            std::vector<std::string> files;
            for (const auto& entry : fs::recursive_directory_iterator(path))
                if (entry.is_regular_file() && entry.path().extension() == ".npy") files.push_back(entry.path());
            if (files.empty()) throw Error(fmt::format("{}: folder holds no .npy file", path));
            std::sort(files.begin(), files.end());
            for (const auto& f : files) inputs.push_back({f, "npy", tensor::read_npy(f), std::nullopt});
        } else {
            inputs.push_back({path, "npy", tensor::read_npy(path), std::nullopt});
        }
    }
    return inputs;
}

FloatFigures float_figures(const Tensor& x, const tensor::PtqResult& q, Mode mode, codec::Rounding rounding) {
    Tensor coded = q.values;
    for (std::size_t i = 0; i < coded.size(); ++i)
        coded.bytes()[i] = codec::coded_value(coded.bytes()[i], mode, rounding);
    const Tensor exact_f = tensor::dequantize(q.values, q.params);
    const Tensor coded_f = tensor::dequantize(coded, q.params);
    const float* xs = x.data<float>();
    const float* ef = exact_f.data<float>();
    const float* cf = coded_f.data<float>();
    FloatFigures f;
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double v = xs[i];
        const double dc = v - double(cf[i]);
        const double de = v - double(ef[i]);
        f.signal += v * v;
        f.noise += dc * dc;
        f.noise_int8 += de * de;
        f.max_abs_error = std::max(f.max_abs_error, std::fabs(dc));
    }
    return f;
}

std::vector<Row> measure_input(const Input& in, const Settings& settings) {
    std::vector<Row> rows;
    const DType dtype = in.tensor.dtype();
    if (dtype == DType::int8 || dtype == DType::uint8) {
        const Mode mode = settings.mode.value_or(dtype == DType::int8 ? Mode::signed_i8 : Mode::unsigned_u8);
        for (const Variant v : settings.variants) {
            if (v == Variant::calibrated) {
                std::cerr << fmt::format("note: {}: holds {} codes, no float values; variant 'calibrated' skipped\n",
                                         in.name, tensor::to_string(dtype));
                continue;
            }
            Row r;
            r.input = &in;
            r.variant = v;
            r.mode = mode;
            r.stats = codec::measure(in.tensor.bytes(), in.tensor.size(), mode, codec::rounding_of(v));
            r.int4_range = codec::count_int4_range(in.tensor.bytes(), in.tensor.size(), mode);
            rows.push_back(std::move(r));
        }
        return rows;
    }
    if (dtype != DType::float32)
        throw Error(fmt::format("{}: dtype {} cannot be encoded (expected int8, uint8 or float32)", in.name,
                                tensor::to_string(dtype)));
    tensor::QuantConfig config = settings.quant;
    if (settings.mode) config.dtype = *settings.mode == Mode::signed_i8 ? DType::int8 : DType::uint8;
    const Mode mode = config.dtype == DType::int8 ? Mode::signed_i8 : Mode::unsigned_u8;
    std::optional<tensor::PtqResult> plain;
    bool noted = false;
    for (const Variant v : settings.variants) {
        tensor::QuantConfig c = config;
        if (v == Variant::calibrated) {
            c.calibration = tensor::Calibration::spark_mse;
            c.spark_rounding = codec::Rounding::nearest;
        }
        tensor::PtqResult q;
        if (v != Variant::calibrated && plain) {
            q = *plain;
        } else {
            q = tensor::quantize(in.tensor, c, in.name);
            // All-zero channels are the same for every calibration: say so once per tensor.
            if (!noted)
                for (const auto& note : q.notes) std::cerr << "note: " << note << "\n";
            noted = true;
            if (v != Variant::calibrated) plain = q;
        }
        Row r;
        r.input = &in;
        r.variant = v;
        r.mode = mode;
        r.calibration = c.calibration;
        const auto rounding = codec::rounding_of(v);
        r.stats = codec::measure(q.values.bytes(), q.values.size(), mode, rounding);
        r.int4_range = codec::count_int4_range(q.values.bytes(), q.values.size(), mode);
        r.fl = float_figures(in.tensor, q, mode, rounding);
        q.values = Tensor();
        r.quant = std::move(q);
        rows.push_back(std::move(r));
    }
    return rows;
}

struct Totals {
    Variant variant = Variant::truncate;
    std::uint64_t tensors = 0;
    codec::TensorStats stats;
    std::uint64_t int4_range = 0;
    std::uint64_t float_tensors = 0;
    FloatFigures fl;
    double sum_tensor_sqnr_float = 0.0;  // over float tensors with a finite figure
    std::uint64_t finite_sqnr_tensors = 0;
};

double share(std::uint64_t part, std::uint64_t whole) { return whole ? double(part) / double(whole) : 0.0; }

nlohmann::json quant_json(const Row& r) {
    if (!r.quant) return nullptr;
    const auto& p = r.quant->params;
    nlohmann::json j;
    j["scheme"] = tensor::to_string(p.scheme);
    j["dtype"] = tensor::to_string(p.dtype);
    j["axis"] = p.axis ? nlohmann::json(*p.axis) : nlohmann::json(nullptr);
    j["calibration"] = tensor::to_string(r.calibration);
    j["scales"] = p.scales;
    j["zero_points"] = p.zero_points;
    j["clipped"] = r.quant->clipped;
    return j;
}

// The fields every report row starts with: which tensor, from where, of what type and shape.
nlohmann::json input_json(const Input& in) {
    nlohmann::json j;
    j["tensor"] = in.name;
    j["origin"] = in.origin;
    j["dtype"] = tensor::to_string(in.tensor.dtype());
    j["shape"] = in.tensor.shape();
    return j;
}

nlohmann::json row_json(const Row& r) {
    const auto& s = r.stats;
    nlohmann::json j = input_json(*r.input);
    j["mode"] = codec::to_string(r.mode);
    j["variant"] = codec::to_string(r.variant);
    j["quantization"] = quant_json(r);
    j["values"] = s.values;
    j["int4_range"] = r.int4_range;
    j["share_int4_range"] = share(r.int4_range, s.values);
    j["short_codes"] = s.short_codes;
    j["share_short"] = s.share_short();
    j["approximated"] = s.approximated;
    j["share_approximated"] = s.share_approximated();
    j["code_bits"] = s.code_bits;
    j["mean_bits_per_value"] = s.mean_bits_per_value();
    j["max_abs_error_steps"] = s.max_abs_error;
    j["sqnr_vs_int8_db"] = db_json(s.sqnr_db());
    j["sqnr_vs_float_db"] = r.fl ? db_json(sqnr_db(r.fl->signal, r.fl->noise)) : nlohmann::json(nullptr);
    j["sqnr_int8_vs_float_db"] = r.fl ? db_json(sqnr_db(r.fl->signal, r.fl->noise_int8)) : nlohmann::json(nullptr);
    j["max_abs_error_float"] = r.fl ? nlohmann::json(r.fl->max_abs_error) : nlohmann::json(nullptr);
    return j;
}

nlohmann::json totals_json(const Totals& t) {
    const auto& s = t.stats;
    nlohmann::json j;
    j["variant"] = codec::to_string(t.variant);
    j["tensors"] = t.tensors;
    j["values"] = s.values;
    j["share_int4_range"] = share(t.int4_range, s.values);
    j["share_short"] = s.share_short();
    j["share_approximated"] = s.share_approximated();
    j["mean_bits_per_value"] = s.mean_bits_per_value();
    j["max_abs_error_steps"] = s.max_abs_error;
    j["sqnr_vs_int8_db"] = db_json(s.sqnr_db());
    j["float_tensors"] = t.float_tensors;
    j["sqnr_vs_float_db"] = t.float_tensors ? db_json(sqnr_db(t.fl.signal, t.fl.noise)) : nlohmann::json(nullptr);
    j["sqnr_int8_vs_float_db"] =
        t.float_tensors ? db_json(sqnr_db(t.fl.signal, t.fl.noise_int8)) : nlohmann::json(nullptr);
    j["mean_tensor_sqnr_vs_float_db"] =
        t.finite_sqnr_tensors ? nlohmann::json(t.sum_tensor_sqnr_float / double(t.finite_sqnr_tensors))
                              : nlohmann::json(nullptr);
    return j;
}

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string scale_summary(const Row& r) {
    if (!r.quant) return "";
    const auto& sc = r.quant->params.scales;
    if (sc.size() == 1) return fmt::format("{:.6g}", sc[0]);
    const auto [lo, hi] = std::minmax_element(sc.begin(), sc.end());
    return fmt::format("{:.6g}..{:.6g}", *lo, *hi);
}

void print_csv(const std::vector<Row>& rows, const std::vector<Totals>& totals) {
    fmt::print("tensor,origin,dtype,shape,mode,variant,calibration,scale,zero_point,clipped,values,share_int4_range,"
               "share_short,share_approximated,mean_bits_per_value,max_abs_error_steps,sqnr_vs_int8_db,"
               "sqnr_vs_float_db,sqnr_int8_vs_float_db,max_abs_error_float\n");
    for (const auto& r : rows) {
        const auto& s = r.stats;
        std::string zp;
        if (r.quant) {
            const auto& z = r.quant->params.zero_points;
            zp = z.size() == 1 ? std::to_string(z[0]) : fmt::format("{}..{}", *std::min_element(z.begin(), z.end()),
                                                                    *std::max_element(z.begin(), z.end()));
        }
        fmt::print("{},{},{},{},{},{},{},{},{},{},{},{:.6f},{:.6f},{:.6f},{:.4f},{},{},{},{},{}\n",
                   csv_field(r.input->name), r.input->origin, tensor::to_string(r.input->tensor.dtype()),
                   csv_field(tensor::shape_to_string(r.input->tensor.shape())), codec::to_string(r.mode),
                   codec::to_string(r.variant), r.quant ? tensor::to_string(r.calibration) : "",
                   csv_field(scale_summary(r)), csv_field(zp), r.quant ? std::to_string(r.quant->clipped) : "",
                   s.values, share(r.int4_range, s.values), s.share_short(), s.share_approximated(),
                   s.mean_bits_per_value(), s.max_abs_error, db_csv(s.sqnr_db()),
                   r.fl ? db_csv(sqnr_db(r.fl->signal, r.fl->noise)) : "",
                   r.fl ? db_csv(sqnr_db(r.fl->signal, r.fl->noise_int8)) : "",
                   r.fl ? fmt::format("{:.6g}", r.fl->max_abs_error) : "");
    }
    for (const auto& t : totals) {
        const auto& s = t.stats;
        fmt::print("TOTAL,,,,,{},,,,,{},{:.6f},{:.6f},{:.6f},{:.4f},{},{},{},{},\n", codec::to_string(t.variant),
                   s.values, share(t.int4_range, s.values), s.share_short(), s.share_approximated(),
                   s.mean_bits_per_value(), s.max_abs_error, db_csv(s.sqnr_db()),
                   t.float_tensors ? db_csv(sqnr_db(t.fl.signal, t.fl.noise)) : "",
                   t.float_tensors ? db_csv(sqnr_db(t.fl.signal, t.fl.noise_int8)) : "");
    }
}

void print_text(const std::vector<Row>& rows, const std::vector<Totals>& totals) {
    std::size_t width = 18;  // "TOTAL (n tensors)"
    for (const auto& r : rows) width = std::max(width, r.input->name.size());
    width = std::min<std::size_t>(width, 60);
    fmt::print("{:<{}} {:<10} {:>9} {:>6} {:>6} {:>6} {:>5} {:>4} {:>8} {:>8} {:>8}\n", "tensor", width, "variant",
               "values", "int4%", "short%", "apx%", "bits", "err", "dB/int8", "dB/float", "int8/fl");
    for (const auto& r : rows) {
        const auto& s = r.stats;
        fmt::print("{:<{}} {:<10} {:>9} {:>6.2f} {:>6.2f} {:>6.2f} {:>5.3f} {:>4} {:>8} {:>8} {:>8}\n",
                   r.input->name, width, codec::to_string(r.variant), s.values,
                   100.0 * share(r.int4_range, s.values), 100.0 * s.share_short(), 100.0 * s.share_approximated(),
                   s.mean_bits_per_value(), s.max_abs_error, db_text(s.sqnr_db()),
                   r.fl ? db_text(sqnr_db(r.fl->signal, r.fl->noise)) : "-",
                   r.fl ? db_text(sqnr_db(r.fl->signal, r.fl->noise_int8)) : "-");
    }
    for (const auto& t : totals) {
        const auto& s = t.stats;
        fmt::print("{:<{}} {:<10} {:>9} {:>6.2f} {:>6.2f} {:>6.2f} {:>5.3f} {:>4} {:>8} {:>8} {:>8}\n",
                   fmt::format("TOTAL ({} tensors)", t.tensors), width, codec::to_string(t.variant), s.values,
                   100.0 * share(t.int4_range, s.values), 100.0 * s.share_short(), 100.0 * s.share_approximated(),
                   s.mean_bits_per_value(), s.max_abs_error, db_text(s.sqnr_db()),
                   t.float_tensors ? db_text(sqnr_db(t.fl.signal, t.fl.noise)) : "-",
                   t.float_tensors ? db_text(sqnr_db(t.fl.signal, t.fl.noise_int8)) : "-");
    }
}

std::vector<Variant> parse_variants(const std::vector<std::string>& texts) {
    std::vector<Variant> out;
    for (const auto& text : texts) {
        std::stringstream ss(text);
        std::string item;
        while (std::getline(ss, item, ',')) {
            if (item == "all") {
                out = {Variant::truncate, Variant::nearest, Variant::calibrated};
                continue;
            }
            try {
                const Variant v = codec::parse_variant(item);
                if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
            } catch (const Error& e) {
                throw UsageError(e.what());
            }
        }
    }
    return out;
}


// --- the baseline formats (--format): each tensor's float values through every chosen codec -----------------

struct FormatRow {
    const Input* input = nullptr;
    formats::Measurement m;
};

struct FormatTotals {
    std::string format;
    std::uint64_t tensors = 0;
    formats::Measurement m;
    double sum_tensor_sqnr = 0.0;  // over tensors with a finite figure
    std::uint64_t finite_sqnr_tensors = 0;
};

std::vector<std::string> parse_formats(const std::vector<std::string>& texts) {
    std::vector<std::string> out;
    const auto add = [&out](std::string_view name) {
        if (std::find(out.begin(), out.end(), name) == out.end()) out.emplace_back(name);
    };
    for (const auto& text : texts) {
        std::stringstream ss(text);
        std::string item;
        while (std::getline(ss, item, ',')) {
            if (item == "all") {
                for (const auto name : formats::format_names()) add(name);
                continue;
            }
            try {
                formats::make_format(item);
            } catch (const Error& e) {
                throw UsageError(e.what());
            }
            add(item);
        }
    }
    return out;
}

// The float values a tensor stands for. float32 is taken as it is; int8/uint8 codes become (q - zero_point) *
// scale with the workload's quantisation, or the integers themselves for a bare .npy file (said on stderr).
std::vector<float> float_values(const Input& in) {
    const Tensor& t = in.tensor;
    const std::size_t n = t.size();
    if (t.dtype() == DType::float32) {
        const float* x = t.data<float>();
        for (std::size_t i = 0; i < n; ++i)
            if (!std::isfinite(x[i]))
                throw Error(fmt::format("{}: element {} is {}; the formats need finite values", in.name, i,
                                        std::isnan(x[i]) ? "NaN" : (x[i] > 0 ? "+Inf" : "-Inf")));
        return std::vector<float>(x, x + n);
    }
    if (t.dtype() != DType::int8 && t.dtype() != DType::uint8)
        throw Error(fmt::format("{}: dtype {} cannot be measured (expected float32, int8 or uint8)", in.name,
                                tensor::to_string(t.dtype())));
    const double scale = in.quant ? in.quant->scale : 1.0;
    const int zero_point = in.quant ? in.quant->zero_point : 0;
    std::cerr << fmt::format("note: {}: holds {} codes; measured as the float values (q - {}) * {:.6g}{}\n", in.name,
                             tensor::to_string(t.dtype()), zero_point, scale,
                             in.quant ? " (the workload's quantisation)" : " (no scale in a .npy file: the integers)");
    std::vector<float> out(n);
    const std::uint8_t* b = t.bytes();
    for (std::size_t i = 0; i < n; ++i) {
        const int q = t.dtype() == DType::int8 ? int(static_cast<std::int8_t>(b[i])) : int(b[i]);
        out[i] = static_cast<float>(double(q - zero_point) * scale);
    }
    return out;
}

// What a measurement says, for a tensor row and for a format's totals alike.
void put_measurement(nlohmann::json& j, const formats::Measurement& m) {
    j["values"] = m.values;
    j["stored_bits"] = m.stored_bits;
    j["metadata_bits"] = m.metadata_bits;
    j["bits_per_value"] = m.bits_per_value();
    j["outliers"] = m.outliers;
    j["outlier_share"] = m.outlier_share();
    j["sqnr_db"] = db_json(m.sqnr_db());
    j["max_abs_error"] = m.max_abs_error;
}

nlohmann::json format_row_json(const FormatRow& r) {
    nlohmann::json j = input_json(*r.input);
    j["format"] = r.m.format;
    put_measurement(j, r.m);
    j["detail"] = r.m.detail;
    return j;
}

nlohmann::json format_totals_json(const FormatTotals& t) {
    nlohmann::json j;
    j["format"] = t.format;
    j["tensors"] = t.tensors;
    put_measurement(j, t.m);
    j["mean_tensor_sqnr_db"] = t.finite_sqnr_tensors
                                   ? nlohmann::json(t.sum_tensor_sqnr / double(t.finite_sqnr_tensors))
                                   : nlohmann::json(nullptr);
    return j;
}

void print_format_csv(const std::vector<FormatRow>& rows, const std::vector<FormatTotals>& totals) {
    fmt::print("tensor,origin,dtype,shape,format,values,stored_bits,metadata_bits,bits_per_value,outliers,"
               "outlier_share,sqnr_db,max_abs_error,detail\n");
    for (const auto& r : rows) {
        const auto& m = r.m;
        fmt::print("{},{},{},{},{},{},{},{},{:.6f},{},{:.6f},{},{:.6g},{}\n", csv_field(r.input->name),
                   r.input->origin, tensor::to_string(r.input->tensor.dtype()),
                   csv_field(tensor::shape_to_string(r.input->tensor.shape())), m.format, m.values, m.stored_bits,
                   m.metadata_bits, m.bits_per_value(), m.outliers, m.outlier_share(), db_csv(m.sqnr_db()),
                   m.max_abs_error, csv_field(m.detail));
    }
    for (const auto& t : totals) {
        const auto& m = t.m;
        fmt::print("TOTAL,,,,{},{},{},{},{:.6f},{},{:.6f},{},{:.6g},\n", t.format, m.values, m.stored_bits,
                   m.metadata_bits, m.bits_per_value(), m.outliers, m.outlier_share(), db_csv(m.sqnr_db()),
                   m.max_abs_error);
    }
}

void print_format_text(const std::vector<FormatRow>& rows, const std::vector<FormatTotals>& totals) {
    std::size_t width = 18;  // "TOTAL (n tensors)"
    for (const auto& r : rows) width = std::max(width, r.input->name.size());
    width = std::min<std::size_t>(width, 60);
    const auto line = [&](const std::string& name, const formats::Measurement& m) {
        fmt::print("{:<{}} {:<10} {:>9} {:>6.3f} {:>6.2f} {:>8} {:>10.4g}\n", name, width, m.format, m.values,
                   m.bits_per_value(), 100.0 * m.outlier_share(), db_text(m.sqnr_db()), m.max_abs_error);
    };
    fmt::print("{:<{}} {:<10} {:>9} {:>6} {:>6} {:>8} {:>10}\n", "tensor", width, "format", "values", "bits",
               "outl%", "SQNR dB", "max error");
    for (const auto& r : rows) line(r.input->name, r.m);
    for (const auto& t : totals) line(fmt::format("TOTAL ({} tensors)", t.tensors), t.m);
}

int run_format_report(const std::vector<std::string>& names, const formats::Options& options,
                      const std::vector<Input>& inputs, bool json, bool csv) {
    std::vector<std::unique_ptr<formats::Format>> codecs;
    std::vector<FormatTotals> totals;
    for (const auto& name : names) {
        codecs.push_back(formats::make_format(name));
        totals.push_back(FormatTotals{name, 0, {}, 0.0, 0});
        totals.back().m.format = name;
    }
    std::vector<FormatRow> rows;
    for (const auto& in : inputs) {
        const std::vector<float> x = float_values(in);
        for (std::size_t k = 0; k < codecs.size(); ++k) {
            FormatRow r;
            r.input = &in;
            try {
                r.m = formats::measure(*codecs[k], x.data(), x.size(), options);
            } catch (const Error& e) {
                throw Error(fmt::format("{}: {}", in.name, e.what()));
            }
            FormatTotals& t = totals[k];
            ++t.tensors;
            t.m += r.m;
            const double db = r.m.sqnr_db();
            if (std::isfinite(db)) {
                t.sum_tensor_sqnr += db;
                ++t.finite_sqnr_tensors;
            }
            rows.push_back(std::move(r));
        }
    }
    if (json) {
        nlohmann::json j;
        j["settings"] = {{"formats", names},
                         {"olaccel_percentile", options.olaccel_percentile},
                         {"adafloat_exponent_bits", options.adafloat_exponent_bits}};
        j["tensors"] = nlohmann::json::array();
        for (const auto& r : rows) j["tensors"].push_back(format_row_json(r));
        j["totals"] = nlohmann::json::array();
        for (const auto& t : totals) j["totals"].push_back(format_totals_json(t));
        std::cout << j.dump(2) << "\n";
    } else if (csv) {
        print_format_csv(rows, totals);
    } else {
        print_format_text(rows, totals);
    }
    return 0;
}

}  // namespace

int run_report(const std::vector<std::string>& args) {
    po::options_description options("spark-codec report [options] INPUT...");
    options.add_options()
        ("help,h", "show this help")
        ("variant", po::value<std::vector<std::string>>()->composing(),
         "encoding variant(s): truncate (default; the hardware's rule), nearest, calibrated, or all; "
         "repeat or separate with commas")
        ("mode", po::value<std::string>(), "codec mode: signed or unsigned (default: from the dtype; for float32 "
                                           "input it picks the quantised type, int8 or uint8)")
        ("quant", po::value<std::string>(), "float32 input: symmetric (default) or asymmetric")
        ("axis", po::value<int>(), "float32 input: per-channel scales along this axis (negative counts from the "
                                   "end); default one scale per tensor")
        ("calibration", po::value<std::string>(), "float32 input: min-max (default) or percentile; the "
                                                  "'calibrated' variant always uses spark-mse")
        ("percentile", po::value<double>(), "percentile calibration: p, 50 < p <= 100 (default 99.99)")
        ("format", po::value<std::vector<std::string>>()->composing(),
         "measure baseline formats instead of the SPARK variants: ant, olive, olaccel, adafloat, biscaled, "
         "bitfusion4, bitfusion8, int8, int16, spark, or all; repeat or separate with commas (docs/formats.md)")
        ("olaccel-percentile", po::value<double>(), "--format olaccel: outliers above this percentile of |x|, "
                                                    "50 < p <= 100 (default 97)")
        ("adafloat-exponent-bits", po::value<int>(), "--format adafloat: exponent bits of the 8, 1..6 (default 4)")
        ("json", "print JSON: settings, one entry per tensor and variant, totals per variant")
        ("csv", "print CSV: one row per tensor and variant, then TOTAL rows")
        ("inputs", po::value<std::vector<std::string>>(), ".npy files, folders (searched recursively for .npy) "
                                                          "or workload files (.yaml, .yml, .csv)");
    po::positional_options_description positional;
    positional.add("inputs", -1);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(args).options(options).positional(positional).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        throw UsageError(e.what());
    }
    if (vm.count("help")) {
        std::cout << options;
        return 0;
    }
    if (!vm.count("inputs")) throw UsageError("report needs at least one .npy file, folder or workload");
    if (vm.count("json") && vm.count("csv")) throw UsageError("--json and --csv exclude each other");
    if (vm.count("format")) {
        for (const char* other : {"variant", "mode", "quant", "axis", "calibration", "percentile"})
            if (vm.count(other))
                throw UsageError(fmt::format("--{} applies to the SPARK variants, not to --format", other));
        const std::vector<std::string> names = parse_formats(vm["format"].as<std::vector<std::string>>());
        if (names.empty()) throw UsageError("--format names no format");
        formats::Options format_options;
        if (vm.count("olaccel-percentile")) {
            format_options.olaccel_percentile = vm["olaccel-percentile"].as<double>();
            if (!(format_options.olaccel_percentile > 50.0 && format_options.olaccel_percentile <= 100.0))
                throw UsageError(fmt::format("--olaccel-percentile {} is outside 50 < p <= 100",
                                             format_options.olaccel_percentile));
        }
        if (vm.count("adafloat-exponent-bits")) {
            format_options.adafloat_exponent_bits = vm["adafloat-exponent-bits"].as<int>();
            if (format_options.adafloat_exponent_bits < 1 || format_options.adafloat_exponent_bits > 6)
                throw UsageError(fmt::format("--adafloat-exponent-bits {} is outside 1..6",
                                             format_options.adafloat_exponent_bits));
        }
        const std::vector<Input> inputs = collect(vm["inputs"].as<std::vector<std::string>>());
        return run_format_report(names, format_options, inputs, vm.count("json") > 0, vm.count("csv") > 0);
    }
    for (const char* only : {"olaccel-percentile", "adafloat-exponent-bits"})
        if (vm.count(only)) throw UsageError(fmt::format("--{} needs --format", only));

    Settings settings;
    settings.variants = vm.count("variant") ? parse_variants(vm["variant"].as<std::vector<std::string>>())
                                            : std::vector<Variant>{Variant::truncate};
    if (settings.variants.empty()) throw UsageError("--variant names no variant");
    try {
        if (vm.count("mode")) settings.mode = codec::parse_mode(vm["mode"].as<std::string>());
        if (vm.count("quant")) settings.quant.scheme = tensor::parse_quant_scheme(vm["quant"].as<std::string>());
        if (vm.count("calibration")) {
            settings.quant.calibration = tensor::parse_calibration(vm["calibration"].as<std::string>());
            if (settings.quant.calibration == tensor::Calibration::spark_mse)
                throw UsageError("--calibration spark-mse is the 'calibrated' variant: use --variant calibrated");
        }
    } catch (const UsageError&) {
        throw;
    } catch (const Error& e) {
        throw UsageError(e.what());
    }
    if (vm.count("percentile")) {
        if (settings.quant.calibration != tensor::Calibration::percentile)
            throw UsageError("--percentile needs --calibration percentile");
        settings.quant.percentile = vm["percentile"].as<double>();
        if (!(settings.quant.percentile > 50.0 && settings.quant.percentile <= 100.0))
            throw UsageError(fmt::format("--percentile {} is outside 50 < p <= 100", settings.quant.percentile));
    }
    if (vm.count("axis")) settings.quant.axis = vm["axis"].as<int>();
    settings.quant.dtype = settings.mode ? (*settings.mode == Mode::signed_i8 ? DType::int8 : DType::uint8)
                                         : (settings.quant.scheme == tensor::QuantScheme::symmetric ? DType::int8
                                                                                                    : DType::uint8);
    if (settings.quant.scheme == tensor::QuantScheme::symmetric && settings.quant.dtype == DType::uint8)
        throw UsageError("--quant symmetric produces int8 values for signed mode; use --quant asymmetric for "
                         "unsigned mode");

    const std::vector<Input> inputs = collect(vm["inputs"].as<std::vector<std::string>>());
    std::vector<Row> rows;
    std::vector<Totals> totals;
    for (const Variant v : settings.variants) totals.push_back(Totals{v, 0, {}, 0, 0, {}, 0.0, 0});
    for (const auto& in : inputs) {
        for (auto& r : measure_input(in, settings)) {
            Totals& t = *std::find_if(totals.begin(), totals.end(),
                                      [&r](const Totals& x) { return x.variant == r.variant; });
            ++t.tensors;
            t.stats += r.stats;
            t.int4_range += r.int4_range;
            if (r.fl) {
                ++t.float_tensors;
                t.fl.signal += r.fl->signal;
                t.fl.noise += r.fl->noise;
                t.fl.noise_int8 += r.fl->noise_int8;
                t.fl.max_abs_error = std::max(t.fl.max_abs_error, r.fl->max_abs_error);
                const double db = sqnr_db(r.fl->signal, r.fl->noise);
                if (std::isfinite(db)) {
                    t.sum_tensor_sqnr_float += db;
                    ++t.finite_sqnr_tensors;
                }
            }
            rows.push_back(std::move(r));
        }
    }
    totals.erase(std::remove_if(totals.begin(), totals.end(), [](const Totals& t) { return t.tensors == 0; }),
                 totals.end());

    if (vm.count("json")) {
        nlohmann::json j;
        nlohmann::json settings_json;
        settings_json["variants"] = nlohmann::json::array();
        for (const Variant v : settings.variants) settings_json["variants"].push_back(codec::to_string(v));
        settings_json["quant"] = tensor::to_string(settings.quant.scheme);
        settings_json["quant_dtype"] = tensor::to_string(settings.quant.dtype);
        settings_json["axis"] = settings.quant.axis ? nlohmann::json(*settings.quant.axis) : nlohmann::json(nullptr);
        settings_json["calibration"] = tensor::to_string(settings.quant.calibration);
        settings_json["percentile"] = settings.quant.calibration == tensor::Calibration::percentile
                                          ? nlohmann::json(settings.quant.percentile)
                                          : nlohmann::json(nullptr);
        j["settings"] = settings_json;
        j["tensors"] = nlohmann::json::array();
        for (const auto& r : rows) j["tensors"].push_back(row_json(r));
        j["totals"] = nlohmann::json::array();
        for (const auto& t : totals) j["totals"].push_back(totals_json(t));
        std::cout << j.dump(2) << "\n";
    } else if (vm.count("csv")) {
        print_csv(rows, totals);
    } else {
        print_text(rows, totals);
    }
    return 0;
}

}  // namespace spark::codec_tool
