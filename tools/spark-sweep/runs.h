// SPDX-License-Identifier: Apache-2.0
// A sweep laid out in its output folder: plan.json (every run and what results.csv needs, so that a Slurm merge job
// works from the folder alone), points/<id>/ (arch.json, point.json and one spark-sim output folder per run), and
// the runs themselves: started as spark-sim processes, finished with a status file written atomically.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sweep.h"

namespace spark::sweep {

struct RunSpec {
    std::size_t point = 0;  // index into Layout::points
    std::string workload;   // absolute path
    std::string network;    // workload stem
    std::optional<std::uint64_t> seed;
    std::string rel;        // output folder relative to the sweep folder: points/<id>/<network>[.seed<N>]
};

struct PointRow {
    std::string label, id;
    std::vector<std::string> values;  // a label per axis
    std::string pe;
    std::uint64_t pes = 0, buffer_bytes = 0;
    double area = 0;
};

struct Layout {
    std::string out;        // absolute
    std::string sweep_file; // absolute
    std::string name;
    std::string spark_sim;  // absolute
    bool check = true, baseline = false;
    std::vector<std::string> axes;
    std::vector<PointRow> points;  // grid points, then the reference when it is outside the grid
    std::size_t reference = 0;     // index into points
    std::vector<RunSpec> runs;     // point by point, each point's networks and seeds in the sweep's order
};

Layout make_layout(const Sweep& sweep, const Plan& plan, const std::string& out, const std::string& spark_sim);
// Creates the folder (a clear error when it cannot be created or written), writes plan.json and each point's
// arch.json and point.json. Folders of finished runs are left as they are.
void write_layout(const Layout& layout, const Plan& plan);
Layout read_layout(const std::string& out);  // errors name the folder

bool finished(const Layout& layout, const RunSpec& run);

// Starts spark-sim for a run (stdout and stderr to <rel>.log) and returns its pid; finish_run records the outcome.
pid_t start_run(const Layout& layout, const RunSpec& run);
struct Outcome {
    bool ok = false;
    std::string error;
    double wall_s = 0;
};
Outcome finish_run(const Layout& layout, const RunSpec& run, int wait_status, double wall_s);
// A run that could not start: recorded as failed with `error`.
void fail_run(const Layout& layout, const RunSpec& run, const std::string& error);

// Writes results.csv (temp file and rename) from whatever the runs left; returns how many runs failed or are
// missing, and lists them on stderr with their errors.
std::size_t merge(const Layout& layout);

// Writes `text` to `path` through a temporary file in the same folder and a rename.
void write_atomic(const std::string& path, const std::string& text);

}  // namespace spark::sweep
