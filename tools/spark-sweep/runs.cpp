// SPDX-License-Identifier: Apache-2.0
#include "runs.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <cstring>
#include <sstream>

#include <fmt/format.h>

#include "spark/common/error.h"

extern char** environ;

namespace fs = std::filesystem;

namespace spark::sweep {

namespace {

nlohmann::json read_json(const fs::path& p) {
    std::ifstream in(p);
    if (!in) throw Error(fmt::format("{}: cannot open", p.string()));
    try {
        return nlohmann::json::parse(in);
    } catch (const std::exception& e) {
        throw Error(fmt::format("{}: not valid JSON: {}", p.string(), e.what()));
    }
}

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c == '\n' || c == '\r' ? ' ' : c);
    return q + "\"";
}

// A JSON number as results.csv writes it: integers as integers, others in the shortest form that reads back.
std::string num(const nlohmann::json& v) {
    if (v.is_number_unsigned()) return std::to_string(v.get<std::uint64_t>());
    if (v.is_number_integer()) return std::to_string(v.get<std::int64_t>());
    if (v.is_number()) return fmt::format("{}", v.get<double>());
    return "";
}

std::string ratio(double a, double b) { return b == 0 ? "" : fmt::format("{}", a / b); }

fs::path status_path(const Layout& l, const RunSpec& r) { return fs::path(l.out) / (r.rel + ".status.json"); }
fs::path log_path(const Layout& l, const RunSpec& r) { return fs::path(l.out) / (r.rel + ".log"); }

}  // namespace

static void write_status(const Layout& l, const RunSpec& r, bool ok, int code, double wall_s, const std::string& error) {
    char host[256] = "";
    gethostname(host, sizeof host - 1);
    const nlohmann::json s = {{"ok", ok}, {"exit", code}, {"wall_s", wall_s}, {"host", host}, {"error", error}};
    write_atomic(status_path(l, r).string(), s.dump(1) + "\n");
}

void write_atomic(const std::string& path, const std::string& text) {
    const fs::path target(path);
    const fs::path tmp = target.parent_path() / fmt::format(".{}.{}.tmp", target.filename().string(), getpid());
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << text;
        out.close();
        if (!out) {
            std::error_code ignored;
            fs::remove(tmp, ignored);
            throw Error(fmt::format("{}: cannot write", path));
        }
    }
    std::error_code ec;
    fs::rename(tmp, target, ec);
    if (ec) {
        fs::remove(tmp, ec);
        throw Error(fmt::format("{}: cannot write: {}", path, ec.message()));
    }
}

Layout make_layout(const Sweep& sweep, const Plan& plan, const std::string& out, const std::string& spark_sim) {
    Layout l;
    l.out = fs::absolute(out).lexically_normal().string();
    if (l.out.size() > 1 && l.out.back() == '/') l.out.pop_back();
    l.sweep_file = fs::absolute(sweep.file).lexically_normal().string();
    l.name = sweep.name;
    l.spark_sim = spark_sim;
    l.check = sweep.check;
    l.baseline = sweep.baseline;
    for (const Axis& a : sweep.axes) l.axes.push_back(a.name);
    std::vector<const Point*> points;
    for (const Point& p : plan.points) points.push_back(&p);
    if (!plan.reference_index) points.push_back(&plan.reference);
    l.reference = plan.reference_index ? *plan.reference_index : points.size() - 1;
    for (std::size_t i = 0; i < points.size(); ++i) {
        const Point& p = *points[i];
        PointRow row{p.label, p.id, {}, p.pe, p.pes, p.buffer_bytes, p.area};
        for (std::size_t a = 0; a < sweep.axes.size(); ++a) row.values.push_back(sweep.axes[a].values[p.choice[a]].label);
        l.points.push_back(row);
        for (const Workload& w : sweep.workloads)
            for (const auto& seed : sweep.seeds)
                l.runs.push_back({i, w.path, w.name, seed,
                                  fmt::format("points/{}/{}{}", p.id, w.name, seed ? fmt::format(".seed{}", *seed) : "")});
    }
    return l;
}

void write_layout(const Layout& l, const Plan& plan) {
    std::error_code ec;
    fs::create_directories(l.out, ec);
    if (ec || !fs::is_directory(l.out))
        throw Error(fmt::format("--out {}: cannot create the folder: {}", l.out, ec ? ec.message() : "not a folder"));
    const fs::path probe = fs::path(l.out) / fmt::format(".write-test.{}", getpid());
    {
        std::ofstream t(probe);
        t << "x";
        t.close();
        if (!t) throw Error(fmt::format("--out {}: the folder is not writable", l.out));
    }
    fs::remove(probe, ec);

    nlohmann::json j;
    j["sweep"] = l.sweep_file;
    j["name"] = l.name;
    j["spark_sim"] = l.spark_sim;
    j["check"] = l.check;
    j["baseline"] = l.baseline;
    j["axes"] = l.axes;
    j["reference"] = l.reference;
    for (const PointRow& p : l.points)
        j["points"].push_back({{"label", p.label}, {"id", p.id}, {"values", p.values}, {"pe", p.pe}, {"pes", p.pes},
                               {"buffer_bytes", p.buffer_bytes}, {"area", p.area}});
    for (const RunSpec& r : l.runs) {
        nlohmann::json run = {{"point", r.point}, {"workload", r.workload}, {"network", r.network}, {"rel", r.rel}};
        run["seed"] = r.seed ? nlohmann::json(*r.seed) : nlohmann::json(nullptr);
        j["runs"].push_back(run);
    }
    std::map<std::string, const nlohmann::json*> arch;
    for (const Point& p : plan.points) arch[p.id] = &p.arch;
    arch[plan.reference.id] = &plan.reference.arch;
    for (const PointRow& p : l.points) {
        const fs::path dir = fs::path(l.out) / "points" / p.id;
        fs::create_directories(dir, ec);
        if (ec) throw Error(fmt::format("--out {}: cannot create {}: {}", l.out, dir.string(), ec.message()));
        write_atomic((dir / "arch.json").string(), arch.at(p.id)->dump(2) + "\n");
        nlohmann::json pj = {{"label", p.label}, {"pe", p.pe}, {"pes", p.pes}, {"buffer_bytes", p.buffer_bytes}, {"area", p.area}};
        for (std::size_t a = 0; a < l.axes.size(); ++a) pj["axes"][l.axes[a]] = p.values[a];
        write_atomic((dir / "point.json").string(), pj.dump(2) + "\n");
    }
    write_atomic((fs::path(l.out) / "plan.json").string(), j.dump(1) + "\n");
}

Layout read_layout(const std::string& out) {
    const fs::path file = fs::path(out) / "plan.json";
    if (!fs::exists(file))
        throw Error(fmt::format("{}: no plan.json: not a sweep folder (spark-sweep run writes it), or a folder this "
                                "node does not see (a Slurm sweep's --out must be on a filesystem every node mounts)",
                                out));
    const nlohmann::json j = read_json(file);
    Layout l;
    try {
        l.out = fs::absolute(out).lexically_normal().string();
        if (l.out.size() > 1 && l.out.back() == '/') l.out.pop_back();
        l.sweep_file = j.at("sweep");
        l.name = j.at("name");
        l.spark_sim = j.at("spark_sim");
        l.check = j.at("check");
        l.baseline = j.at("baseline");
        l.axes = j.at("axes").get<std::vector<std::string>>();
        l.reference = j.at("reference");
        for (const auto& p : j.at("points"))
            l.points.push_back({p.at("label"), p.at("id"), p.at("values").get<std::vector<std::string>>(), p.at("pe"),
                                p.at("pes"), p.at("buffer_bytes"), p.at("area")});
        for (const auto& r : j.at("runs")) {
            RunSpec run{r.at("point"), r.at("workload"), r.at("network"), std::nullopt, r.at("rel")};
            if (!r.at("seed").is_null()) run.seed = r.at("seed").get<std::uint64_t>();
            l.runs.push_back(run);
        }
    } catch (const nlohmann::json::exception& e) {
        throw Error(fmt::format("{}: not a plan spark-sweep wrote: {}", file.string(), e.what()));
    }
    return l;
}

bool finished(const Layout& l, const RunSpec& r) {
    std::error_code ec;
    if (!fs::exists(fs::path(l.out) / r.rel / "summary.json", ec)) return false;
    try {
        return read_json(status_path(l, r)).value("ok", false);
    } catch (const Error&) {
        return false;
    }
}

pid_t start_run(const Layout& l, const RunSpec& r) {
    std::error_code ec;
    fs::remove(status_path(l, r), ec);  // a run that dies now leaves no status: it is not finished
    const std::string arch = (fs::path(l.out) / "points" / l.points[r.point].id / "arch.json").string();
    const std::string out = (fs::path(l.out) / r.rel).string();
    std::vector<std::string> args{l.spark_sim, "--workload", r.workload, "--arch", arch, "--out", out, "--no-progress",
                                  "--max-rows", "1"};
    if (!l.check) args.push_back("--no-check");
    if (l.baseline) args.push_back("--baseline");
    if (r.seed) args.insert(args.end(), {"--seed", std::to_string(*r.seed)});
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);

    const std::string log = log_path(l, r).string();
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, STDOUT_FILENO, STDERR_FILENO);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, l.spark_sim.c_str(), &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) throw Error(fmt::format("cannot start {}: {}", l.spark_sim, std::strerror(rc)));
    return pid;
}

Outcome finish_run(const Layout& l, const RunSpec& r, int wait_status, double wall_s) {
    Outcome o;
    o.wall_s = wall_s;
    const bool exited = WIFEXITED(wait_status);
    const int code = exited ? WEXITSTATUS(wait_status) : -1;
    o.ok = exited && code == 0 && fs::exists(fs::path(l.out) / r.rel / "summary.json");
    if (!o.ok) {
        // The run's own message: its last "error:" (or golden-check "mismatch:") line.
        std::ifstream log(log_path(l, r));
        std::string line, last;
        while (std::getline(log, line))
            if (line.rfind("error: ", 0) == 0 || line.rfind("mismatch: ", 0) == 0) last = line;
        if (!exited)
            o.error = fmt::format("spark-sim was killed by signal {}", WTERMSIG(wait_status));
        else
            o.error = fmt::format("spark-sim exit {}{}", code, last.empty() ? "" : ": " + last);
    }
    write_status(l, r, o.ok, code, wall_s, o.error);
    return o;
}

void fail_run(const Layout& l, const RunSpec& r, const std::string& error) { write_status(l, r, false, -1, 0.0, error); }

std::size_t merge(const Layout& l) {
    static const char* energy_parts[] = {"dram", "buffer", "core", "pe", "decoder", "encoder", "static"};
    std::string head = "point,point_id,reference";
    for (const auto& a : l.axes) head += "," + csv_field(a);
    head += ",network,seed,status,cycles,time_us,energy_pj";
    for (const char* p : energy_parts) head += fmt::format(",energy_{}_pj", p);
    head += ",dram_read_bytes,dram_written_bytes,dram_bytes,bits_per_value,macs,mac_utilisation,pe,pes,buffer_bytes,"
            "area_proxy,speedup,energy_ratio";
    if (l.baseline) head += ",int8_cycles,int8_energy_pj,speedup_vs_int8,energy_ratio_vs_int8";
    head += ",error,wall_s\n";

    // The reference's summary per network and seed.
    std::map<std::string, nlohmann::json> summaries;
    auto summary_of = [&](const RunSpec& r) -> const nlohmann::json* {
        auto it = summaries.find(r.rel);
        if (it == summaries.end()) {
            nlohmann::json s;
            if (finished(l, r)) {
                try {
                    s = read_json(fs::path(l.out) / r.rel / "summary.json");
                } catch (const Error&) {
                }
            }
            it = summaries.emplace(r.rel, s).first;
        }
        return it->second.is_null() ? nullptr : &it->second;
    };
    std::map<std::string, const RunSpec*> ref_runs;
    for (const RunSpec& r : l.runs)
        if (r.point == l.reference) ref_runs[r.network + (r.seed ? std::to_string(*r.seed) : "")] = &r;

    std::string csv = head;
    std::size_t bad = 0;
    for (const RunSpec& r : l.runs) {
        const PointRow& p = l.points[r.point];
        std::string row = csv_field(p.label) + "," + p.id + (r.point == l.reference ? ",1" : ",0");
        for (const auto& v : p.values) row += "," + csv_field(v);
        row += "," + csv_field(r.network) + "," + (r.seed ? std::to_string(*r.seed) : "");
        const nlohmann::json* s = summary_of(r);
        nlohmann::json status;
        try {
            status = read_json(status_path(l, r));
        } catch (const Error&) {
        }
        std::string error;
        if (!s) {
            ++bad;
            error = status.is_object() ? status.value("error", std::string("failed"))
                                       : std::string("no result: the run has not finished");
            fmt::print(stderr, "{}: point {} ({}), {}{}: {}\n", l.sweep_file, p.label, p.id, r.network,
                       r.seed ? fmt::format(" seed {}", *r.seed) : "", error);
        }
        row += s ? ",ok" : status.is_object() ? ",failed" : ",missing";
        if (s) {
            const nlohmann::json& sp = s->at("spark");
            const nlohmann::json& e = sp.at("energy_pj");
            row += "," + num(sp.at("cycles")) + "," + num(sp.at("time_us")) + "," + num(e.at("total"));
            for (const char* part : energy_parts) row += "," + num(e.at(part));
            const std::uint64_t dram = sp.at("dram_read_bytes").get<std::uint64_t>() + sp.at("dram_written_bytes").get<std::uint64_t>();
            row += "," + num(sp.at("dram_read_bytes")) + "," + num(sp.at("dram_written_bytes")) + "," + std::to_string(dram) +
                   "," + num(sp.at("bits_per_value")) + "," + num(sp.at("macs")) + "," + num(sp.at("mac_utilisation"));
        } else {
            row += std::string(16, ',');
        }
        row += fmt::format(",{},{},{},{}", p.pe, p.pes, p.buffer_bytes, fmt::format("{}", p.area));
        const RunSpec* ref = ref_runs.at(r.network + (r.seed ? std::to_string(*r.seed) : ""));
        const nlohmann::json* rs = summary_of(*ref);
        if (s && rs) {
            row += "," + ratio(rs->at("spark").at("cycles").get<double>(), s->at("spark").at("cycles").get<double>());
            row += "," + ratio(s->at("spark").at("energy_pj").at("total").get<double>(),
                               rs->at("spark").at("energy_pj").at("total").get<double>());
        } else {
            row += ",,";
        }
        if (l.baseline) {
            if (s && s->contains("baseline"))
                row += "," + num(s->at("baseline").at("cycles")) + "," + num(s->at("baseline").at("energy_pj").at("total")) +
                       "," + num(s->at("speedup")) + "," + num(s->at("energy_ratio"));
            else
                row += ",,,,";
        }
        row += "," + csv_field(error) + ",";
        if (status.is_object() && status.contains("wall_s")) row += fmt::format("{:.3f}", status["wall_s"].get<double>());
        csv += row + "\n";
    }
    write_atomic((fs::path(l.out) / "results.csv").string(), csv);
    return bad;
}

}  // namespace spark::sweep
