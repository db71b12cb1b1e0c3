// SPDX-License-Identifier: Apache-2.0
// One DRAM channel: request queue, per-bank open-page state machines, rank-level constraints (tRRD, tFAW, tCCD,
// tWTR), the shared data bus and all-bank refresh. Nothing ticks: each decision computes the earliest cycle of
// every command (PRE, ACT, RD/WR) from the recorded "earliest allowed" cycles and returns when data ends.
//
// Timing contract of one burst (cycles of the memory clock):
//   decision  = max(cycle the command bus is next free, arrival)
//   row hit:      CAS at the earliest legal cycle >= decision;           data ends CAS + CL|CWL + BL/2
//   row miss:     ACT >= decision, CAS >= ACT + tRCD;                    idle bank: latency tRCD + CL + BL/2
//   row conflict: PRE >= decision, ACT >= PRE + tRP, CAS >= ACT + tRCD; idle bank: tRP + tRCD + CL + BL/2
// The next decision comes one cycle after the first command of the previous one, so a later burst's PRE and ACT
// may go out while an earlier one waits for tRCD (bank parallelism). The command bus carries one command per
// cycle; the data bus one burst at a time, in decision order.
#pragma once

#include <array>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <queue>
#include <set>
#include <utility>
#include <vector>

#include "spark/dram/config.h"
#include "spark/dram/scheduler.h"
#include "spark/dram/stats.h"

namespace spark::dram {

enum class RowOutcome { hit, miss, conflict };

struct BurstResult {
    std::uint64_t transaction = 0;
    bool write = false;
    RowOutcome outcome = RowOutcome::hit;
    Cycle arrival = 0;
    Cycle cas = 0;       // RD/WR command cycle
    Cycle data_end = 0;  // cycle after the last data beat: the burst is complete
};

class ChannelController {
public:
    ChannelController(const DramConfig& config, std::unique_ptr<Scheduler> scheduler);

    // The scheduler sees at most queue_depth bursts; the bursts of a longer transaction wait, in order, behind
    // them (m_backlog) and move up as bursts issue, so one huge request cannot make each decision scan it all.
    void push(const BurstRequest& request) {
        if (m_queue.size() < m_config.controller.queue_depth) m_queue.push_back(request);
        else m_backlog.push_back(request);
    }
    std::size_t queued() const { return m_queue.size() + m_backlog.size(); }
    // Cycle of the next scheduling decision, or nothing when the queue is empty.
    std::optional<Cycle> next_decision() const;
    // Serves one burst chosen by the scheduler at max(now, next_decision()). The queue must not be empty.
    BurstResult issue(Cycle now);
    // Runs the refreshes due up to `end`; the counters then cover background cycles up to `end`.
    void finish(Cycle end);

    // Counters with background cycles accounted up to the last finish(end).
    DramCounters counters() const;
    void add_payload_bytes(bool write, std::uint64_t bytes) { (write ? m_counters.bytes_written : m_counters.bytes_read) += bytes; }

private:
    // "Earliest allowed" cycles rather than last-command times, so each constraint is one max().
    struct Bank {
        std::int64_t open_row = -1;
        Cycle ready_act = 0;
        Cycle ready_pre = 0;
        Cycle ready_rd = 0;
        Cycle ready_wr = 0;
    };
    struct Rank {
        std::vector<Bank> banks;
        std::vector<Cycle> ready_act_bg, ready_cas_bg, ready_rd_bg;
        Cycle ready_act_any = 0, ready_cas_any = 0, ready_rd_any = 0;
        std::array<Cycle, 4> last_acts{};  // ring of the last four ACT cycles for tFAW
        unsigned act_count = 0;
        Cycle next_refresh = 0;
        Cycle busy_until = 0;  // end of the running refresh
        Cycle last_command = 0;
        // Background accounting: changes of the number of open banks (a refresh counts as one open bank for
        // tRFC), folded into the counters once no command can be placed before them any more.
        using Event = std::pair<Cycle, int>;
        std::priority_queue<Event, std::vector<Event>, std::greater<Event>> events;
        int open = 0;
        Cycle since = 0;
        Cycle active = 0, precharged = 0;
    };

    static void fold(Rank& rank, Cycle upto);
    Cycle place(Cycle t);  // first free command-bus cycle at or after t, reserved
    void refresh(Rank& rank);
    void refresh_until(Rank& rank, Cycle upto);
    void precharge(Rank& rank, Bank& bank, Cycle t);
    bool row_hit(const BurstRequest& r) const;
    // The timing rules of one burst, shared by the scheduler's look-ahead and the placement itself.
    Cycle act_ready(const Rank& rank, const Bank& bank, unsigned bank_group, Cycle t) const;
    Cycle cas_ready(const Rank& rank, const Bank& bank, unsigned bank_group, bool write, Cycle t) const;
    Cycle earliest_cas(const BurstRequest& r, Cycle decision) const;

    DramConfig m_config;
    Timing m_t;
    Cycle m_burst = 0;
    std::unique_ptr<Scheduler> m_scheduler;
    std::vector<BurstRequest> m_queue;
    std::deque<BurstRequest> m_backlog;
    std::vector<Rank> m_ranks;
    Cycle m_next_decision = 0;
    std::set<Cycle> m_command_bus;  // reserved command cycles at or after the current decision
    Cycle m_accounted_until = 0;
    Cycle m_bus_free = 0;      // data bus
    Cycle m_last_read_end = 0;
    bool m_bus_used = false;
    unsigned m_bus_rank = 0;
    unsigned m_last_cas_bank_group = 0;
    DramCounters m_counters;
};

}  // namespace spark::dram
