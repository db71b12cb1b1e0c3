// SPDX-License-Identifier: Apache-2.0
#include "spark/dram/dram_core.h"

#include <algorithm>

#include <fmt/format.h>

#include "spark/common/error.h"

namespace spark::dram {

DramCore::DramCore(DramConfig config) : m_config(std::move(config)), m_mapping(m_config) {
    for (unsigned c = 0; c < m_config.geometry.channels; ++c)
        m_channels.push_back(std::make_unique<ChannelController>(m_config, make_scheduler(m_config.controller.scheduler, m_config.controller.starvation_cycles)));
}

unsigned DramCore::bursts_of(std::uint64_t address, std::uint32_t length) const {
    if (length == 0) return 0;
    const std::uint64_t burst = m_config.geometry.burst_bytes();
    return unsigned((address + length - 1) / burst - address / burst + 1);
}

bool DramCore::can_accept(std::uint64_t address, std::uint32_t length) const {
    return m_queued == 0 || m_queued + bursts_of(address, length) <= m_config.controller.queue_depth;
}

std::uint64_t DramCore::enqueue(bool write, std::uint64_t address, std::uint32_t length, Cycle arrival) {
    if (length == 0 || address >= size_bytes() || length > size_bytes() - address)
        throw Error(fmt::format("{}: access of {} bytes at 0x{:x} is outside the {} bytes of memory", m_config.name,
                                length, address, size_bytes()));
    const std::uint64_t id = m_next_id++;
    const std::uint64_t burst = m_config.geometry.burst_bytes();
    Pending p;
    p.arrival = arrival;
    p.bursts = p.remaining = bursts_of(address, length);
    m_pending.emplace(id, p);
    std::uint64_t at = address;
    const std::uint64_t end = address + length;
    while (at < end) {
        const std::uint64_t burst_end = (at / burst + 1) * burst;
        const auto bytes = std::uint32_t(std::min(end, burst_end) - at);
        BurstRequest r;
        r.transaction = id;
        r.write = write;
        r.where = m_mapping.decode(at);
        r.arrival = arrival;
        r.payload_bytes = bytes;
        auto& channel = *m_channels[r.where.channel];
        channel.push(r);
        channel.add_payload_bytes(write, bytes);
        ++m_queued;
        at = burst_end;
    }
    return id;
}

std::optional<Cycle> DramCore::next_decision() const {
    std::optional<Cycle> best;
    for (const auto& c : m_channels)
        if (auto d = c->next_decision(); d && (!best || *d < *best)) best = d;
    return best;
}

void DramCore::advance(Cycle now, std::vector<Completion>& done) {
    done.insert(done.end(), m_done_early.begin(), m_done_early.end());
    m_done_early.clear();
    for (auto& channel : m_channels) {
        while (true) {
            const auto d = channel->next_decision();
            if (!d || *d > now) break;
            const BurstResult r = channel->issue(now);
            --m_queued;
            auto it = m_pending.find(r.transaction);
            Pending& p = it->second;
            p.completion = std::max(p.completion, r.data_end);
            if (r.outcome == RowOutcome::hit) ++p.row_hits;
            if (--p.remaining == 0) {
                done.push_back({r.transaction, p.arrival, p.completion, p.bursts, p.row_hits});
                m_pending.erase(it);
            }
        }
    }
}

Completion DramCore::access(bool write, std::uint64_t address, std::uint32_t length, Cycle arrival) {
    const std::uint64_t id = enqueue(write, address, length, arrival);
    std::vector<Completion> done;
    while (true) {
        const auto d = next_decision();
        if (!d) break;
        advance(*d, done);
        const auto it = std::find_if(done.begin(), done.end(), [id](const Completion& c) { return c.transaction == id; });
        if (it != done.end()) {
            const Completion mine = *it;
            done.erase(it);
            m_done_early.insert(m_done_early.end(), done.begin(), done.end());
            return mine;
        }
    }
    throw Error(fmt::format("{}: internal error: transaction {} was never scheduled", m_config.name, id));
}

DramStats DramCore::stats(Cycle end) {
    DramStats s;
    for (auto& c : m_channels) {
        c->finish(end);
        s.counters += c->counters();
    }
    s.energy = compute_energy(m_config, s.counters);
    s.sim_cycles = end;
    return s;
}

}  // namespace spark::dram
