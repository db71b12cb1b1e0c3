// SPDX-License-Identifier: Apache-2.0
// One DRAM channel: request queue, per-bank open-page state machines, rank-level constraints (tRRD, tFAW, tCCD,
// tWTR), the shared data bus and all-bank refresh. Nothing ticks: each decision places the burst's commands
// (PRE, ACT, RD/WR) at their earliest legal cycles and returns when its data ends.
//
// Timing contract of one burst (cycles of the memory clock):
//   row hit:      CAS at the earliest legal cycle >= decision;           data ends CAS + CL|CWL + BL/2
//   row miss:     ACT >= decision, CAS >= ACT + tRCD;                    idle bank: latency tRCD + CL + BL/2
//   row conflict: PRE >= decision, ACT >= PRE + tRP, CAS >= ACT + tRCD; idle bank: tRP + tRCD + CL + BL/2
// A bank's commands follow each other in decision order. Across banks, ACTs, column commands and data bursts
// are reserved slots: a later decision may take an earlier slot than an earlier one (an idle bank's ACT before a
// busy bank's, whose PRE waits for tRAS), as long as every ACT keeps tRRD_S/L from the others in both directions
// and no tFAW window holds five; every column command keeps tCCD_S/L; data bursts do not overlap (tRTRS between
// ranks). Direction changes stay in order: a read goes after every write's data end + tWTR, a write after every
// read's data end + tRTW. The command bus carries one command per cycle. Decisions come one cycle apart.
#pragma once

#include <array>
#include <deque>
#include <functional>
#include <map>
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
        std::vector<Cycle> ready_rd_bg;
        Cycle ready_rd_any = 0;
        // Reserved ACT and column-command cycles, all and per bank group (older ones are pruned).
        std::set<Cycle> acts, cas;
        std::vector<std::set<Cycle>> acts_bg, cas_bg;
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
    // First free cycle at or after t on the bus that carries row commands (PRE, ACT, REF) or column commands
    // (RD, WR), reserved; one bus for both unless the device splits them.
    Cycle place(Cycle t, bool column = false);
    void refresh(Rank& rank);
    void refresh_until(Rank& rank, Cycle upto);
    void precharge(Rank& rank, Bank& bank, Cycle t);
    bool row_hit(const BurstRequest& r) const;
    // The timing rules of one burst, shared by the scheduler's look-ahead and the placement itself.
    Cycle act_ready(const Rank& rank, const Bank& bank, unsigned bank_group, Cycle t) const;
    // The earliest CAS at or after t whose command and data slot are free; `rank_index` picks tRTRS gaps.
    Cycle cas_ready(const Rank& rank, unsigned rank_index, const Bank& bank, unsigned bank_group, bool write,
                    Cycle t) const;
    bool faw_violated(const std::set<Cycle>& acts, Cycle t) const;
    void prune(Cycle decision);
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
    std::set<Cycle> m_column_bus;   // the column commands' own bus (split_command_bus)
    Cycle m_accounted_until = 0;
    // Data bus: reserved bursts, start -> (end, rank).
    std::map<Cycle, std::pair<Cycle, unsigned>> m_bus;
    Cycle m_last_read_end = 0;   // the latest read data end placed
    Cycle m_last_write_end = 0;  // the latest write data end placed
    unsigned m_last_cas_rank = 0, m_last_cas_bank_group = 0;
    bool m_cas_used = false;
    bool m_last_cas_write = false;
    DramCounters m_counters;
};

}  // namespace spark::dram
