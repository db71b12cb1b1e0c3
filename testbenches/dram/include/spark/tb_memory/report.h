// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "spark/buffer/sram_core.h"
#include "spark/dram/stats.h"
#include "spark/tb_memory/issuer.h"

namespace spark::tb_memory {

struct Report {
    std::string target, mode, workload;
    std::uint64_t requests = 0, errors = 0, bytes = 0;
    double duration_ns = 0, bandwidth_gbps = 0, peak_gbps = 0;
    double latency_mean_ns = 0, latency_p50_ns = 0, latency_p99_ns = 0, latency_max_ns = 0;
    double row_hit_rate = -1;                                  // DRAM only
    std::uint64_t refreshes = 0;
    // DRAM only: the bandwidth the preset's timing allows for this run's traffic (spark/dram/bound.h), what limits
    // it, and the data-bus turnarounds the run made.
    double bound_gbps = 0;
    std::string bound_limit;
    std::uint64_t read_to_write = 0, write_to_read = 0;
    std::vector<std::pair<std::string, double>> energy_pj;    // category -> pJ, total last
    std::uint64_t protocol_violations = 0;
};

// Bandwidth over [first issue, last completion] of the successful requests; latency = completion - issue.
Report summarise(const std::vector<Request>& requests, const std::vector<Record>& records);
void add_dram(Report& report, const dram::DramConfig& config, const dram::DramStats& stats);
void add_sram(Report& report, const buffer::SramConfig& config, const buffer::SramCounters& counters);
std::string to_text(const Report& report);
nlohmann::json to_json(const Report& report);
// Two lines: a header of field names with units, then the values.
std::string to_csv(const Report& report);

}  // namespace spark::tb_memory
