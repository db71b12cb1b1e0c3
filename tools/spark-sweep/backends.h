// SPDX-License-Identifier: Apache-2.0
// Where a sweep's runs execute: here, N spark-sim processes at a time, or as a Slurm job array with a merge job
// that depends on it.
#pragma once

#include <string>
#include <vector>

#include "runs.h"

namespace spark::sweep {

// Runs every unfinished run with `jobs` processes at a time (progress bar on a terminal), then merges. Returns the
// number of runs without a result.
std::size_t run_local(const Layout& layout, unsigned jobs, bool progress);

struct SlurmOptions {
    std::string partition, account, time;
    std::vector<std::string> sbatch_args;  // passed through as they are
    unsigned throttle = 0;                 // at most this many array tasks at once (0: no limit)
    unsigned runs_per_task = 0;            // 0: about two tasks per CPU of the partition
    bool wait = false;                     // block until the merge job has written results.csv
    bool assume_shared = false;            // skip the shared-filesystem check
    std::string self;                      // this executable, absolute
};

// Submits the unfinished runs as job arrays (chunked to MaxArraySize) and a merge job after them. With wait,
// returns the number of runs without a result once results.csv is written; otherwise 0 after submission.
std::size_t run_slurm(const Layout& layout, const SlurmOptions& options);

// What an array task runs: its share of the runs in tasks-<token>.json.
int run_task(const std::string& out, const std::string& token, std::size_t index);
// The merge job: results.csv, then a marker the waiting submitter looks for.
int run_merge_job(const std::string& out, const std::string& token);

}  // namespace spark::sweep
