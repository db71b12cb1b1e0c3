// SPDX-License-Identifier: Apache-2.0
#include "spark/tb_memory/report.h"

#include <algorithm>

#include <fmt/format.h>

#include "spark/dram/bound.h"

namespace spark::tb_memory {

Report summarise(const std::vector<Request>& requests, const std::vector<Record>& records) {
    Report r;
    r.requests = requests.size();
    std::vector<double> latency;
    double first = -1, last = 0;
    for (std::size_t i = 0; i < records.size(); ++i) {
        if (records[i].status != tlm::TLM_OK_RESPONSE) {
            ++r.errors;
            continue;
        }
        const double issued = records[i].issued.to_seconds() * 1e9, completed = records[i].completed.to_seconds() * 1e9;
        latency.push_back(completed - issued);
        r.bytes += requests[i].length;
        first = first < 0 ? issued : std::min(first, issued);
        last = std::max(last, completed);
    }
    if (latency.empty()) return r;
    r.duration_ns = last - first;
    r.bandwidth_gbps = r.duration_ns > 0 ? double(r.bytes) / r.duration_ns : 0;
    std::sort(latency.begin(), latency.end());
    double sum = 0;
    for (double l : latency) sum += l;
    r.latency_mean_ns = sum / double(latency.size());
    const auto pct = [&](double p) { return latency[std::min(latency.size() - 1, std::size_t(p * double(latency.size() - 1) + 0.5))]; };
    r.latency_p50_ns = pct(0.50);
    r.latency_p99_ns = pct(0.99);
    r.latency_max_ns = latency.back();
    return r;
}

void add_dram(Report& r, const dram::DramConfig& c, const dram::DramStats& s) {
    r.peak_gbps = c.peak_bandwidth_gbps();
    const auto& n = s.counters;
    const double bursts = double(n.row_hits + n.row_misses + n.row_conflicts);
    r.row_hit_rate = bursts > 0 ? double(n.row_hits) / bursts : 0;
    r.refreshes = n.refreshes;
    r.read_to_write = n.read_to_write;
    r.write_to_read = n.write_to_read;
    const dram::TimingBound bound = dram::timing_bound(c, n, double(r.bytes));
    r.bound_gbps = bound.gbps;
    r.bound_limit = bound.limited_by;
    const auto& e = s.energy;
    r.energy_pj = {{"act", e.act_pj},
                   {"pre", e.pre_pj},
                   {"read", e.read_pj},
                   {"write", e.write_pj},
                   {"refresh", e.refresh_pj},
                   {"active_background", e.active_background_pj},
                   {"precharged_background", e.precharged_background_pj},
                   {"total", e.total_pj()}};
}

void add_sram(Report& r, const buffer::SramConfig& c, const buffer::SramCounters& n) {
    r.peak_gbps = double(c.banks) * c.ports * c.word_bytes() / c.clock_period_ns();
    r.energy_pj = {{"read", n.read_energy_pj}, {"write", n.write_energy_pj}, {"total", n.energy_pj()}};
}

std::string to_text(const Report& r) {
    std::string out = fmt::format("target {}  mode {}  workload {}\n", r.target, r.mode, r.workload);
    out += fmt::format("requests {}  errors {}  bytes {}  time {:.1f} ns\n", r.requests, r.errors, r.bytes, r.duration_ns);
    out += fmt::format("bandwidth {:.3f} GB/s = {:.1f}% of peak {:.3f} GB/s\n", r.bandwidth_gbps,
                       r.peak_gbps > 0 ? 100.0 * r.bandwidth_gbps / r.peak_gbps : 0.0, r.peak_gbps);
    out += fmt::format("latency ns: mean {:.2f}  p50 {:.2f}  p99 {:.2f}  max {:.2f}\n", r.latency_mean_ns,
                       r.latency_p50_ns, r.latency_p99_ns, r.latency_max_ns);
    if (r.row_hit_rate >= 0) {
        out += fmt::format("timing bound {:.3f} GB/s (limited by {}): measured {:.1f}% of it\n", r.bound_gbps,
                           r.bound_limit, r.bound_gbps > 0 ? 100.0 * r.bandwidth_gbps / r.bound_gbps : 0.0);
        out += fmt::format("row-hit rate {:.1f}%  refreshes {}  turnarounds read->write {}  write->read {}\n",
                           100.0 * r.row_hit_rate, r.refreshes, r.read_to_write, r.write_to_read);
    }
    out += "energy pJ:";
    for (const auto& [name, pj] : r.energy_pj) out += fmt::format("  {} {:.0f}", name, pj);
    if (r.bytes) out += fmt::format("\nenergy per byte {:.2f} pJ/B", r.energy_pj.back().second / double(r.bytes));
    out += fmt::format("\nprotocol violations {}", r.protocol_violations);
    return out;
}

nlohmann::json to_json(const Report& r) {
    nlohmann::json energy = nlohmann::json::object();
    for (const auto& [name, pj] : r.energy_pj) energy[name + "_pj"] = pj;
    nlohmann::json j = {{"target", r.target},
                        {"mode", r.mode},
                        {"workload", r.workload},
                        {"requests", r.requests},
                        {"errors", r.errors},
                        {"bytes", r.bytes},
                        {"duration_ns", r.duration_ns},
                        {"bandwidth_gbps", r.bandwidth_gbps},
                        {"peak_gbps", r.peak_gbps},
                        {"bandwidth_percent_of_peak", r.peak_gbps > 0 ? 100.0 * r.bandwidth_gbps / r.peak_gbps : 0.0},
                        {"latency_mean_ns", r.latency_mean_ns},
                        {"latency_p50_ns", r.latency_p50_ns},
                        {"latency_p99_ns", r.latency_p99_ns},
                        {"latency_max_ns", r.latency_max_ns},
                        {"energy", energy},
                        {"protocol_violations", r.protocol_violations}};
    if (r.row_hit_rate >= 0) {
        j["row_hit_rate"] = r.row_hit_rate;
        j["refreshes"] = r.refreshes;
        j["bound_gbps"] = r.bound_gbps;
        j["bound_limited_by"] = r.bound_limit;
        j["bound_share"] = r.bound_gbps > 0 ? r.bandwidth_gbps / r.bound_gbps : 0.0;
        j["read_to_write"] = r.read_to_write;
        j["write_to_read"] = r.write_to_read;
    }
    return j;
}



std::string to_csv(const Report& r) {
    std::string header = "target,mode,workload,requests,errors,bytes,duration_ns,bandwidth_gbps,peak_gbps,"
                         "latency_mean_ns,latency_p50_ns,latency_p99_ns,latency_max_ns,row_hit_rate,refreshes,"
                         "protocol_violations,bound_gbps,bound_limited_by,read_to_write,write_to_read";
    std::string values = fmt::format(
        "{},{},{},{},{},{},{:.3f},{:.4f},{:.4f},{:.3f},{:.3f},{:.3f},{:.3f},{:.4f},{},{},{:.4f},{},{},{}", r.target,
        r.mode, r.workload, r.requests, r.errors, r.bytes, r.duration_ns, r.bandwidth_gbps, r.peak_gbps,
        r.latency_mean_ns, r.latency_p50_ns, r.latency_p99_ns, r.latency_max_ns, r.row_hit_rate, r.refreshes,
        r.protocol_violations, r.bound_gbps, r.bound_limit, r.read_to_write, r.write_to_read);
    for (const auto& [name, pj] : r.energy_pj) {
        header += ",energy_" + name + "_pj";
        values += fmt::format(",{:.1f}", pj);
    }
    return header + "\n" + values;
}

}  // namespace spark::tb_memory
