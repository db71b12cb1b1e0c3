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
        r.ready_rd_bg.assign(g.bank_groups, 0);
        r.acts_bg.resize(g.bank_groups);
        r.cas_bg.resize(g.bank_groups);
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

namespace {

// The first cycle >= t that keeps `gap` from every reserved cycle in `slots`; t itself when none is within reach.
Cycle clear_of(const std::set<Cycle>& slots, Cycle t, unsigned gap) {
    if (gap == 0) return t;
    auto it = slots.lower_bound(t >= gap ? t - gap + 1 : 0);
    while (it != slots.end() && *it < t + gap) {
        t = *it + gap;
        ++it;
    }
    return t;
}

}  // namespace

// Five ACTs within tFAW: in the sorted ACTs with t added, some five in a row span less than tFAW.
bool ChannelController::faw_violated(const std::set<Cycle>& acts, Cycle t) const {
    if (m_t.FAW == 0) return false;
    std::array<Cycle, 9> v{};
    std::size_t n = 0, at = 0;
    auto below = acts.lower_bound(t);
    std::array<Cycle, 4> before{};
    std::size_t nb = 0;
    for (auto it = below; it != acts.begin() && nb < 4;) before[nb++] = *--it;
    for (std::size_t i = nb; i-- > 0;) v[n++] = before[i];
    at = n;
    v[n++] = t;
    for (auto it = below; it != acts.end() && n < 9; ++it) v[n++] = *it;
    for (std::size_t first = at >= 4 ? at - 4 : 0; first <= at && first + 4 < n; ++first)
        if (v[first + 4] - v[first] < m_t.FAW) return true;
    return false;
}

Cycle ChannelController::act_ready(const Rank& rank, const Bank& bank, unsigned bank_group, Cycle t) const {
    t = std::max({t, bank.ready_act, rank.busy_until});
    for (;;) {
        Cycle next = clear_of(rank.acts, t, m_t.RRD_S);
        next = clear_of(rank.acts_bg[bank_group], next, m_t.RRD_L);
        if (next == t && faw_violated(rank.acts, t)) next = t + 1;
        if (next == t) return t;
        t = next;
    }
}

Cycle ChannelController::cas_ready(const Rank& rank, unsigned rank_index, const Bank& bank, unsigned bank_group,
                                   bool write, Cycle t) const {
    const unsigned latency = write ? m_t.CWL : m_t.CL;
    if (write) {
        t = std::max(t, bank.ready_wr);
        // A write's data follows every read's data by tRTW.
        if (m_last_read_end + m_t.RTW > t + latency) t = m_last_read_end + m_t.RTW - latency;
    } else {
        t = std::max({t, bank.ready_rd, rank.ready_rd_any, rank.ready_rd_bg[bank_group]});
    }
    for (;;) {
        Cycle next = clear_of(rank.cas, t, m_t.CCD_S);
        next = clear_of(rank.cas_bg[bank_group], next, m_t.CCD_L);
        // The data slot [start, end) must not overlap a reserved one (plus tRTRS when the ranks differ).
        const Cycle start = next + latency, end = start + m_burst;
        auto it = m_bus.upper_bound(end + m_t.RTRS);
        while (it != m_bus.begin()) {
            --it;
            const Cycle gap = it->second.second == rank_index ? 0 : m_t.RTRS;
            // Slots do not overlap, so the earlier ones end earlier still.
            if (it->second.first + m_t.RTRS <= start) break;
            if (it->second.first + gap <= start) continue;
            if (it->first < end + gap) {
                next = it->second.first + gap - latency;
                break;
            }
        }
        if (next == t) return t;
        t = next;
    }
}

Cycle ChannelController::earliest_cas(const BurstRequest& r, Cycle decision) const {
    const auto& w = r.where;
    const Rank& rank = m_ranks[w.rank];
    const Bank& bank = rank.banks[w.bank_group * m_config.geometry.banks_per_group + w.bank];
    if (bank.open_row == std::int64_t(w.row)) return cas_ready(rank, w.rank, bank, w.bank_group, r.write, decision);
    Cycle t = decision;
    Bank opened = bank;
    if (bank.open_row >= 0) {
        t = std::max(t, bank.ready_pre) + 1;
        opened.ready_act = std::max(opened.ready_act, t - 1 + m_t.RP);
    }
    const Cycle act = act_ready(rank, opened, w.bank_group, t);
    opened.ready_rd = act + m_t.RCD;
    opened.ready_wr = act + m_t.RCD_WR;
    return cas_ready(rank, w.rank, opened, w.bank_group, r.write, act + 1);
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

Cycle ChannelController::place(Cycle t, bool column) {
    std::set<Cycle>& bus = column && m_config.geometry.split_command_bus ? m_column_bus : m_command_bus;
    while (bus.count(t)) ++t;
    bus.insert(t);
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
    m_column_bus.erase(m_column_bus.begin(), m_column_bus.lower_bound(decision));
    for (auto& rank : m_ranks) fold(rank, decision);  // nothing can be placed before `decision` any more
    prune(decision);

    const SchedulerView view{[this](const BurstRequest& r) { return row_hit(r); },
                             [this](const BurstRequest& r) {
                                 return m_t.CCD_L > m_t.CCD_S && m_cas_used && r.where.rank == m_last_cas_rank &&
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
        rank.acts.insert(act);
        rank.acts_bg[w.bank_group].insert(act);
        t = act + 1;
    }

    const unsigned latency = req.write ? m_t.CWL : m_t.CL;
    Cycle cas = cas_ready(rank, w.rank, bank, w.bank_group, req.write, t);
    // The command bus may push it later: find a cycle both the command bus and every slot rule allow.
    const std::set<Cycle>& column_bus = m_config.geometry.split_command_bus ? m_column_bus : m_command_bus;
    for (;;) {
        Cycle free = cas;
        while (column_bus.count(free)) ++free;
        const Cycle legal = cas_ready(rank, w.rank, bank, w.bank_group, req.write, free);
        if (legal == free) {
            cas = free;
            break;
        }
        cas = legal;
    }
    cas = place(cas, true);
    first_command = std::min(first_command, cas);
    result.data_end = cas + latency + m_burst;
    m_bus.emplace(cas + latency, std::make_pair(result.data_end, unsigned(w.rank)));
    if (req.write) {
        bank.ready_pre = std::max(bank.ready_pre, result.data_end + m_t.WR);
        rank.ready_rd_any = std::max(rank.ready_rd_any, result.data_end + m_t.WTR_S);
        rank.ready_rd_bg[w.bank_group] = std::max(rank.ready_rd_bg[w.bank_group], result.data_end + m_t.WTR_L);
        m_last_write_end = std::max(m_last_write_end, result.data_end);
        ++m_counters.writes;
    } else {
        bank.ready_pre = std::max(bank.ready_pre, cas + m_t.RTP);
        m_last_read_end = std::max(m_last_read_end, result.data_end);
        ++m_counters.reads;
    }
    // The bank's next commands follow this one.
    bank.ready_rd = std::max(bank.ready_rd, cas + 1);
    bank.ready_wr = std::max(bank.ready_wr, cas + 1);
    rank.cas.insert(cas);
    rank.cas_bg[w.bank_group].insert(cas);
    rank.last_command = std::max(rank.last_command, cas);
    // Directions change in decision order (reads wait for every write and writes for every read), so these are
    // the data bus's turnarounds.
    if (m_cas_used && m_last_cas_write != req.write) ++(req.write ? m_counters.read_to_write : m_counters.write_to_read);
    m_last_cas_write = req.write;
    m_cas_used = true;
    m_last_cas_rank = w.rank;
    m_last_cas_bank_group = w.bank_group;
    m_next_decision = decision + 1;
    result.cas = cas;
    return result;
}

// Reservations that no command placed at or after `decision` can come near any more.
void ChannelController::prune(Cycle decision) {
    const Cycle reach = std::max({m_t.FAW, m_t.RRD_L, m_t.RRD_S, m_t.CCD_L, m_t.CCD_S}) + 1;
    if (decision <= reach) return;
    const Cycle before = decision - reach;
    for (auto& rank : m_ranks) {
        rank.acts.erase(rank.acts.begin(), rank.acts.lower_bound(before));
        rank.cas.erase(rank.cas.begin(), rank.cas.lower_bound(before));
        for (auto& s : rank.acts_bg) s.erase(s.begin(), s.lower_bound(before));
        for (auto& s : rank.cas_bg) s.erase(s.begin(), s.lower_bound(before));
    }
    // A data slot ending before the earliest data start still possible (decision + the shorter latency) is past.
    const Cycle earliest_data = decision + std::min(m_t.CL, m_t.CWL);
    while (!m_bus.empty() && m_bus.begin()->second.first + m_t.RTRS < earliest_data) m_bus.erase(m_bus.begin());
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
