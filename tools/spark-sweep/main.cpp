// SPDX-License-Identifier: Apache-2.0
// spark-sweep: design-space sweeps of spark-sim, here in parallel or as Slurm job arrays (docs/sweeps.md).
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <thread>

#include <boost/program_options.hpp>
#include <fmt/format.h>
#include <fmt/ostream.h>

#include "backends.h"
#include "runs.h"
#include "spark/common/error.h"
#include "sweep.h"

namespace po = boost::program_options;
namespace fs = std::filesystem;
using namespace spark::sweep;

namespace {

const char* usage =
    "usage: spark-sweep run SWEEP.yaml --out DIR [--backend local|slurm] [options]\n"
    "       spark-sweep run SWEEP.yaml --dry-run [--out DIR]\n"
    "       spark-sweep plot DIR [--to PLOT_DIR]\n"
    "       spark-sweep merge DIR          (rewrite DIR/results.csv from what the runs left)\n"
    "docs/sweeps.md describes the sweep file and the outputs.\n";

struct UsageError : spark::Error {
    using spark::Error::Error;
};

std::string self_path() {
    std::error_code ec;
    const fs::path p = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string() : p.string();
}

// spark-sim: --spark-sim, SPARK_SIM, beside this build's spark-sweep, or on PATH.
std::string find_spark_sim(const std::string& given) {
    auto usable = [](const fs::path& p) { return !p.empty() && access(p.c_str(), X_OK) == 0 && !fs::is_directory(p); };
    if (!given.empty()) {
        if (!usable(given)) throw UsageError(fmt::format("--spark-sim {}: not an executable", given));
        return fs::absolute(given).lexically_normal().string();
    }
    if (const char* env = std::getenv("SPARK_SIM"); env && *env) {
        if (!usable(env)) throw UsageError(fmt::format("SPARK_SIM={}: not an executable", env));
        return fs::absolute(env).lexically_normal().string();
    }
    const fs::path self = self_path();
    for (const fs::path& p : {self.parent_path() / "../../platforms/spark/spark-sim", self.parent_path() / "spark-sim"})
        if (usable(p)) return fs::absolute(p).lexically_normal().string();
    if (const char* path = std::getenv("PATH")) {
        std::stringstream dirs(path);
        std::string d;
        while (std::getline(dirs, d, ':'))
            if (!d.empty() && usable(fs::path(d) / "spark-sim")) return fs::absolute(fs::path(d) / "spark-sim").string();
    }
    throw UsageError("cannot find spark-sim: pass --spark-sim PATH or set SPARK_SIM");
}

void print_plan(const Sweep& s, const Plan& plan, const Layout& layout) {
    const std::size_t grid = plan.points.size() + plan.dropped.size();
    fmt::print("sweep '{}' ({}): {} point(s){}, {} workload(s), {} seed(s): {} run(s)\n", s.name, s.file,
               plan.points.size(),
               plan.dropped.empty() ? "" : fmt::format(" of {} ({} dropped by constraints)", grid, plan.dropped.size()),
               s.workloads.size(), s.seeds.size(), layout.runs.size());
    std::vector<std::size_t> width;
    std::vector<std::string> head{"point", "id"};
    for (const Axis& a : s.axes) head.push_back(a.name);
    head.insert(head.end(), {"pes", "buffer_bytes", "area_proxy"});
    std::vector<std::vector<std::string>> rows{head};
    for (const PointRow& p : layout.points) {
        std::vector<std::string> r{p.label, p.id};
        r.insert(r.end(), p.values.begin(), p.values.end());
        r.insert(r.end(), {std::to_string(p.pes), std::to_string(p.buffer_bytes), fmt::format("{:.0f}", p.area)});
        rows.push_back(r);
    }
    for (const auto& r : rows)
        for (std::size_t i = 0; i < r.size(); ++i) {
            if (width.size() <= i) width.push_back(0);
            width[i] = std::max(width[i], r[i].size());
        }
    for (const auto& r : rows) {
        std::string line;
        for (std::size_t i = 0; i < r.size(); ++i) line += fmt::format("{:<{}}  ", r[i], width[i]);
        while (!line.empty() && line.back() == ' ') line.pop_back();
        fmt::print("{}\n", line);
    }
    for (const Dropped& d : plan.dropped)
        fmt::print("dropped: point {} ({}) by constraint '{}'\n", d.index, d.description, d.constraint);
    fmt::print("reference: point {} ({}){}\n", plan.reference.label, plan.reference.describe(s),
               plan.reference_index ? "" : ", run in addition to the grid");
}

int cmd_run(int argc, char** argv) {
    std::string sweep_file, out, backend = "local", spark_sim;
    unsigned jobs = std::max(1u, std::thread::hardware_concurrency());
    SlurmOptions slurm;
    po::options_description desc("spark-sweep run SWEEP.yaml: expand a sweep and run every point\nOptions");
    desc.add_options()("help,h", "show this help")("out,o", po::value(&out), "output folder (results.csv, points/)")(
        "backend", po::value(&backend), "local (default) or slurm")(
        "jobs,j", po::value(&jobs), "local: spark-sim processes at once (default: the machine's cores)")(
        "dry-run", "list the points and their count, run nothing")("no-progress", "no progress bar")(
        "spark-sim", po::value(&spark_sim), "the spark-sim to run (default: beside spark-sweep, SPARK_SIM, or PATH)")(
        "partition", po::value(&slurm.partition), "slurm: partition")("account", po::value(&slurm.account), "slurm: account")(
        "time", po::value(&slurm.time), "slurm: time limit of each array task and of the merge job")(
        "sbatch-arg", po::value(&slurm.sbatch_args)->composing(), "slurm: one more sbatch option, as is (repeatable)")(
        "throttle", po::value(&slurm.throttle), "slurm: at most N array tasks at once (sbatch --array=...%N)")(
        "runs-per-task", po::value(&slurm.runs_per_task),
        "slurm: runs per array task (default: the runs spread over about two tasks per CPU of the partition)")(
        "wait", "slurm: wait until the merge job has written results.csv")(
        "assume-shared", "slurm: --out is on a filesystem every node sees, whatever statfs says")(
        "sweep", po::value(&sweep_file), "the sweep file");
    po::positional_options_description pos;
    pos.add("sweep", 1);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv).options(desc).positional(pos).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        throw UsageError(fmt::format("{}\n{}", e.what(), fmt::streamed(desc)));
    }
    if (vm.count("help")) {
        std::cout << desc << "\n";
        return 0;
    }
    if (sweep_file.empty()) throw UsageError("run: the sweep file is required");
    if (backend != "local" && backend != "slurm") throw UsageError(fmt::format("--backend '{}' is not local or slurm", backend));
    const bool dry = vm.count("dry-run") > 0;
    if (out.empty() && !dry) throw UsageError("run: --out DIR is required (or --dry-run)");
    if (jobs == 0) throw UsageError("--jobs must be at least 1");

    const Sweep sweep = load_sweep(sweep_file);
    const Plan plan = expand(sweep);
    const std::string sim = dry && spark_sim.empty() ? std::string("spark-sim") : find_spark_sim(spark_sim);
    const Layout layout = make_layout(sweep, plan, out.empty() ? "." : out, sim);
    if (dry) {
        print_plan(sweep, plan, layout);
        if (!out.empty()) {
            std::size_t done = 0;
            for (const RunSpec& r : layout.runs) done += finished(layout, r);
            fmt::print("{} of {} run(s) already finished in {}\n", done, layout.runs.size(), out);
        }
        return 0;
    }
    write_layout(layout, plan);
    std::size_t failed = 0;
    if (backend == "local") {
        failed = run_local(layout, jobs, !vm.count("no-progress"));
    } else {
        slurm.wait = vm.count("wait") > 0;
        slurm.assume_shared = vm.count("assume-shared") > 0;
        slurm.self = self_path();
        failed = run_slurm(layout, slurm);
        if (!slurm.wait) return 0;
    }
    fmt::print("{}/results.csv: {} run(s), {} without a result\n", layout.out, layout.runs.size(), failed);
    return failed ? 1 : 0;
}

int cmd_plot(int argc, char** argv) {
    if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h")
        throw UsageError("plot: usage: spark-sweep plot DIR [--to PLOT_DIR]");
    const char* script = std::getenv("SPARK_SWEEP_PLOT");
    std::string py = script && *script ? script : SPARK_SWEEP_PLOT_SCRIPT;
    std::vector<std::string> args{"/usr/bin/python3", py};
    for (int i = 1; i < argc; ++i) args.push_back(argv[i]);
    std::vector<char*> a;
    for (auto& s : args) a.push_back(s.data());
    a.push_back(nullptr);
    execv(a[0], a.data());
    throw spark::Error(fmt::format("cannot run {} {}: {}", args[0], py, std::strerror(errno)));
}

int cmd_internal(const std::string& cmd, int argc, char** argv) {
    std::string dir, token;
    std::size_t index = 0;
    po::options_description desc("Options");
    desc.add_options()("dir", po::value(&dir))("token", po::value(&token))("index", po::value(&index));
    po::positional_options_description pos;
    pos.add("dir", 1);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv).options(desc).positional(pos).run(), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        throw UsageError(e.what());
    }
    if (dir.empty()) throw UsageError(fmt::format("{}: the sweep folder is required", cmd));
    if (cmd == "task") {
        if (token.empty() || !vm.count("index")) throw UsageError("task: --token and --index are required");
        return run_task(dir, token, index);
    }
    if (!token.empty()) return run_merge_job(dir, token);
    const Layout l = read_layout(dir);
    const std::size_t failed = merge(l);
    fmt::print("{}/results.csv: {} run(s), {} without a result\n", l.out, l.runs.size(), failed);
    return failed ? 1 : 0;
}

}  // namespace

// main, not sc_main: spark-sweep never simulates, and SystemC's banner (printed once a SystemC time is first made,
// as the architecture loader does) stays off here and in the spark-sim processes, which inherit the setting.
int main(int argc, char* argv[]) {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
    if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
        fmt::print(argc < 2 ? stderr : stdout, "{}", usage);
        return argc < 2 ? 2 : 0;
    }
    const std::string cmd = argv[1];
    try {
        if (cmd == "run") return cmd_run(argc - 1, argv + 1);
        if (cmd == "plot") return cmd_plot(argc - 1, argv + 1);
        if (cmd == "task" || cmd == "merge") return cmd_internal(cmd, argc - 1, argv + 1);
        throw UsageError(fmt::format("unknown command '{}'\n{}", cmd, usage));
    } catch (const UsageError& e) {
        fmt::print(stderr, "error: {}\n", e.what());
        return 2;
    } catch (const spark::Error& e) {
        fmt::print(stderr, "error: {}\n", e.what());
    } catch (const std::exception& e) {
        fmt::print(stderr, "error: {}\n", e.what());
    }
    return 1;
}

// libsystemc refers to sc_main from its own main, which this executable replaces; it is never called.
extern "C" int sc_main(int, char*[]) { return 2; }
