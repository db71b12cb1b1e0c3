// SPDX-License-Identifier: Apache-2.0
#include "spark/dram/channel_controller.h"

#include <algorithm>

namespace spark::dram {

ChannelController::ChannelController(const DramConfig& config, std::unique_ptr<Scheduler> scheduler)
    : m_config(config), m_t(config.timing), m_burst(config.burst_cycles()), m_scheduler(std::move(scheduler)) {
    const auto& g = m_config.geometry;
    m_ranks.resize(g.ranks);
    for (auto& r : m_ranks) {
        r.banks.resize(g.banks());
        r.ready_act_bg.assign(g.bank_groups, 0);
        r.ready_cas_bg.assign(g.bank_groups, 0);
        r.ready_rd_bg.assign(g.bank_groups, 0);
        r.next_refresh = m_config.controller.refresh == RefreshKind::all_bank ? m_t.REFI : ~Cycle(0);
    }
    m_queue.reserve(m_config.controller.queue_depth);
}

std::optional<Cycle> ChannelController::next_decision() const {
    if (m_queue.empty()) return std::nullopt;
    Cycle earliest = ~Cycle(0);
    for (const auto& r : m_queue) earliest = std::min(earliest, r.arrival);
    return std::max(earliest, m_next_decision);
}

bool ChannelController::row_hit(const BurstRequest& r) const {
    const auto& bank = m_ranks[r.where.rank].banks[r.where.bank_group * m_config.geometry.banks_per_group + r.where.bank];
    return bank.open_row == std::int64_t(r.where.row);
}

Cycle ChannelController::act_ready(const Rank& rank, const Bank& bank, unsigned bank_group, Cycle t) const {
    Cycle act = std::max({t, bank.ready_act, rank.ready_act_any, rank.ready_act_bg[bank_group], rank.busy_until});
    if (m_t.FAW && rank.act_count >= 4) act = std::max(act, rank.last_acts[rank.act_count % 4] + m_t.FAW);
    return act;
}

Cycle ChannelController::cas_ready(const Rank& rank, const Bank& bank, unsigned bank_group, bool write, Cycle t) const {
    const Cycle cas = std::max({t, rank.ready_cas_any, rank.ready_cas_bg[bank_group]});
    if (write) return std::max(cas, bank.ready_wr);
    return std::max({cas, bank.ready_rd, rank.ready_rd_any, rank.ready_rd_bg[bank_group]});
}

Cycle ChannelController::earliest_cas(const BurstRequest& r, Cycle decision) const {
    const auto& w = r.where;
    const Rank& rank = m_ranks[w.rank];
    const Bank& bank = rank.banks[w.bank_group * m_config.geometry.banks_per_group + w.bank];
    if (bank.open_row == std::int64_t(w.row)) return cas_ready(rank, bank, w.bank_group, r.write, decision);
    Cycle t = decision;
    Bank opened = bank;
    if (bank.open_row >= 0) {
        t = std::max(t, bank.ready_pre) + 1;
        opened.ready_act = std::max(opened.ready_act, t - 1 + m_t.RP);
    }
    const Cycle act = act_ready(rank, opened, w.bank_group, t);
    opened.ready_rd = act + m_t.RCD;
    opened.ready_wr = act + m_t.RCD_WR;
    return cas_ready(rank, opened, w.bank_group, r.write, act + 1);
}

void ChannelController::fold(Rank& rank, Cycle upto) {
    while (!rank.events.empty() && rank.events.top().first <= upto) {
        const auto [t, delta] = rank.events.top();
        rank.events.pop();
        (rank.open > 0 ? rank.active : rank.precharged) += t - rank.since;
        rank.since = t;
        rank.open += delta;
    }
}

Cycle ChannelController::place(Cycle t) {
    while (m_command_bus.count(t)) ++t;
    m_command_bus.insert(t);
    return t;
}

void ChannelController::precharge(Rank& rank, Bank& bank, Cycle t) {
    rank.events.push({t, -1});
    bank.open_row = -1;
    bank.ready_act = std::max(bank.ready_act, t + m_t.RP);
    rank.last_command = std::max(rank.last_command, t);
    ++m_counters.precharges;
}

// All-bank refresh: PRE-all once every open bank may close, REF once every bank may activate, then the rank is
// blocked for tRFC. During tRFC the background counts as active standby, matching E_ref = (IDD5B - IDD3N) tRFC.
void ChannelController::refresh(Rank& rank) {
    Cycle t = std::max(rank.next_refresh, rank.last_command + 1);
    bool any_open = false;
    for (const auto& b : rank.banks)
        if (b.open_row >= 0) {
            any_open = true;
            t = std::max(t, b.ready_pre);
        }
    if (any_open) {
        t = place(t);
        for (auto& b : rank.banks)
            if (b.open_row >= 0) precharge(rank, b, t);
        ++t;
    }
    for (const auto& b : rank.banks) t = std::max(t, b.ready_act);
    t = place(t);
    rank.events.push({t, +1});
    rank.events.push({t + m_t.RFC, -1});
    rank.busy_until = t + m_t.RFC;
    rank.last_command = t;
    for (auto& b : rank.banks) b.ready_act = std::max(b.ready_act, rank.busy_until);
    ++m_counters.refreshes;
    m_next_decision = std::max(m_next_decision, t + 1);
    rank.next_refresh += m_t.REFI;
}

// Refreshes due up to `upto`. On a rank left idle (every bank closed, nothing issued since), the refreshes of a
// long gap repeat every tREFI with the same tRFC of active background, so all but the last are accounted in
// closed form: a trace may leave the memory idle for minutes of simulated time.
void ChannelController::refresh_until(Rank& rank, Cycle upto) {
    while (rank.next_refresh <= upto) {
        const Cycle due = (upto - rank.next_refresh) / m_t.REFI + 1;
        if (due > 2 && rank.last_command < rank.next_refresh && rank.busy_until <= rank.next_refresh) {
            fold(rank, rank.next_refresh);  // every event of this rank lies at or before its last command or refresh
            const bool idle = rank.open == 0 && std::all_of(rank.banks.begin(), rank.banks.end(), [](const Bank& b) {
                                  return b.open_row < 0;
                              });
            if (idle) {
                const Cycle skipped = due - 1;
                rank.precharged += rank.next_refresh - rank.since + skipped * (m_t.REFI - m_t.RFC);
                rank.active += skipped * m_t.RFC;
                rank.next_refresh += skipped * m_t.REFI;
                rank.since = rank.next_refresh;
                m_counters.refreshes += skipped;
            }
        }
        refresh(rank);
    }
}

BurstResult ChannelController::issue(Cycle now) {
    Cycle decision = std::max(now, m_next_decision);
    Cycle earliest = ~Cycle(0);
    for (const auto& r : m_queue) earliest = std::min(earliest, r.arrival);
    decision = std::max(decision, earliest);

    for (auto& rank : m_ranks) refresh_until(rank, decision);
    decision = std::max(decision, m_next_decision);
    m_command_bus.erase(m_command_bus.begin(), m_command_bus.lower_bound(decision));
    for (auto& rank : m_ranks) fold(rank, decision);  // nothing can be placed before `decision` any more

    const SchedulerView view{[this](const BurstRequest& r) { return row_hit(r); },
                             [this](const BurstRequest& r) {
                                 return m_t.CCD_L > m_t.CCD_S && m_bus_used && r.where.rank == m_bus_rank &&
                                        r.where.bank_group == m_last_cas_bank_group;
                             },
                             [this, decision](const BurstRequest& r) { return earliest_cas(r, decision); }};
    const std::size_t index = m_scheduler->pick(m_queue, decision, view);
    const BurstRequest req = m_queue[index];
    m_queue.erase(m_queue.begin() + std::ptrdiff_t(index));
    if (!m_backlog.empty()) {
        m_queue.push_back(m_backlog.front());
        m_backlog.pop_front();
    }

    const auto& w = req.where;
    Rank& rank = m_ranks[w.rank];
    Bank& bank = rank.banks[w.bank_group * m_config.geometry.banks_per_group + w.bank];
    BurstResult result;
    result.transaction = req.transaction;
    result.write = req.write;
    result.arrival = req.arrival;

    Cycle t = decision;
    Cycle first_command = ~Cycle(0);
    if (bank.open_row == std::int64_t(w.row)) {
        result.outcome = RowOutcome::hit;
        ++m_counters.row_hits;
    } else {
        if (bank.open_row >= 0) {
            result.outcome = RowOutcome::conflict;
            ++m_counters.row_conflicts;
            const Cycle pre = place(std::max(t, bank.ready_pre));
            precharge(rank, bank, pre);
            first_command = pre;
            t = pre + 1;
        } else {
            result.outcome = RowOutcome::miss;
            ++m_counters.row_misses;
        }
        Cycle act = place(act_ready(rank, bank, w.bank_group, t));
        first_command = std::min(first_command, act);
        rank.events.push({act, +1});
        bank.open_row = w.row;
        ++m_counters.activates;
        bank.ready_pre = act + m_t.RAS;
        bank.ready_act = act + m_t.RC;
        bank.ready_rd = act + m_t.RCD;
        bank.ready_wr = act + m_t.RCD_WR;
        rank.ready_act_any = act + m_t.RRD_S;
        rank.ready_act_bg[w.bank_group] = act + m_t.RRD_L;
        rank.last_acts[rank.act_count % 4] = act;
        ++rank.act_count;
        t = act + 1;
    }

    // Data bus: one burst at a time, plus turnarounds between ranks and from read to write.
    Cycle bus = m_bus_free;
    if (m_bus_used && m_bus_rank != w.rank) bus += m_t.RTRS;
    Cycle cas = cas_ready(rank, bank, w.bank_group, req.write, t);
    const unsigned latency = req.write ? m_t.CWL : m_t.CL;
    if (req.write && m_bus_used) bus = std::max(bus, m_last_read_end + m_t.RTW);
    if (bus > cas + latency) cas = bus - latency;
    cas = place(cas);
    first_command = std::min(first_command, cas);
    result.data_end = cas + latency + m_burst;
    if (req.write) {
        bank.ready_pre = std::max(bank.ready_pre, result.data_end + m_t.WR);
        rank.ready_rd_any = std::max(rank.ready_rd_any, result.data_end + m_t.WTR_S);
        rank.ready_rd_bg[w.bank_group] = std::max(rank.ready_rd_bg[w.bank_group], result.data_end + m_t.WTR_L);
        ++m_counters.writes;
    } else {
        bank.ready_pre = std::max(bank.ready_pre, cas + m_t.RTP);
        m_last_read_end = result.data_end;
        ++m_counters.reads;
    }
    rank.ready_cas_any = cas + m_t.CCD_S;
    rank.ready_cas_bg[w.bank_group] = cas + m_t.CCD_L;
    rank.last_command = std::max(rank.last_command, cas);
    m_bus_free = result.data_end;
    m_bus_used = true;
    m_bus_rank = w.rank;
    m_last_cas_bank_group = w.bank_group;
    m_next_decision = first_command + 1;
    result.cas = cas;
    return result;
}

void ChannelController::finish(Cycle end) {
    for (auto& rank : m_ranks) refresh_until(rank, end);
    m_accounted_until = std::max(m_accounted_until, end);
}

DramCounters ChannelController::counters() const {
    DramCounters c = m_counters;
    for (const auto& r : m_ranks) {
        Rank copy = r;  // accounting up to m_accounted_until must not consume events a later command may precede
        fold(copy, m_accounted_until);
        c.active_standby_cycles += copy.active;
        c.precharged_standby_cycles += copy.precharged;
        if (m_accounted_until > copy.since) (copy.open > 0 ? c.active_standby_cycles : c.precharged_standby_cycles) += m_accounted_until - copy.since;
    }
    return c;
}

}  // namespace spark::dram
