// SPDX-License-Identifier: Apache-2.0
// The DRAM without SystemC: address mapping, one ChannelController per channel, transactions split into bursts.
// Two ways in:
//  - queued (AT): enqueue() transactions, then advance(now) at each next_decision(); a transaction is reported
//    done once its last burst is scheduled, with the cycle its data completes (which may lie ahead of `now`);
//  - blocking (LT and platform fast path): access() schedules one transaction at once and returns its completion.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "spark/dram/address_mapping.h"
#include "spark/dram/channel_controller.h"
#include "spark/dram/config.h"
#include "spark/dram/stats.h"

namespace spark::dram {

struct Completion {
    std::uint64_t transaction = 0;
    Cycle arrival = 0;
    Cycle completion = 0;  // cycle after the last data beat of the last burst
    unsigned bursts = 0;
    unsigned row_hits = 0;
};

class DramCore {
public:
    explicit DramCore(DramConfig config);

    const DramConfig& config() const { return m_config; }
    const AddressMapping& mapping() const { return m_mapping; }
    std::uint64_t size_bytes() const { return m_config.size_bytes(); }
    // Bursts a transaction of `length` bytes at `address` occupies (it may straddle burst boundaries).
    unsigned bursts_of(std::uint64_t address, std::uint32_t length) const;

    // An empty queue takes any transaction; otherwise all its bursts must fit in queue_depth.
    bool can_accept(std::uint64_t address, std::uint32_t length) const;
    std::uint64_t enqueue(bool write, std::uint64_t address, std::uint32_t length, Cycle arrival);
    std::optional<Cycle> next_decision() const;
    void advance(Cycle now, std::vector<Completion>& done);

    Completion access(bool write, std::uint64_t address, std::uint32_t length, Cycle arrival);

    // Statistics up to `end` (runs due refreshes and closes the background accounting at `end`).
    DramStats stats(Cycle end);
    std::size_t queued_bursts() const { return m_queued; }

private:
    struct Pending {
        Cycle arrival = 0;
        Cycle completion = 0;
        unsigned remaining = 0;
        unsigned bursts = 0;
        unsigned row_hits = 0;
    };

    DramConfig m_config;
    AddressMapping m_mapping;
    std::vector<std::unique_ptr<ChannelController>> m_channels;
    std::unordered_map<std::uint64_t, Pending> m_pending;
    std::vector<Completion> m_done_early;  // completions found by access() that belong to queued transactions
    std::uint64_t m_next_id = 1;
    std::size_t m_queued = 0;
};

}  // namespace spark::dram
