// SPDX-License-Identifier: Apache-2.0
// Request scheduling policies. The controller asks the policy which queued burst to serve next; the policy sees
// the queue in arrival order and whether each burst would hit an open row.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "spark/dram/address_mapping.h"
#include "spark/dram/config.h"

namespace spark::dram {

struct BurstRequest {
    std::uint64_t transaction = 0;  // owner transaction
    bool write = false;
    DecodedAddress where;
    Cycle arrival = 0;
    std::uint32_t payload_bytes = 0;  // bytes of this burst the initiator asked for
};

// What a policy may ask the controller about a queued burst.
struct SchedulerView {
    std::function<bool(const BurstRequest&)> row_hit;
    // True when the burst's CAS would follow the previous CAS at tCCD_L rather than tCCD_S (same rank and bank
    // group, on a device whose tCCD_L is longer).
    std::function<bool(const BurstRequest&)> slow_cas;
    // The earliest cycle the burst's RD/WR could issue if it were served now: after its PRE and ACT when it
    // needs them, and after every bank, bank-group, rank and tFAW constraint recorded so far.
    std::function<Cycle(const BurstRequest&)> earliest_cas;
};

class Scheduler {
public:
    virtual ~Scheduler() = default;
    // Index into `queue` of the burst to serve at `decision`. Only bursts with arrival <= decision may be chosen;
    // the controller guarantees at least one exists.
    virtual std::size_t pick(const std::vector<BurstRequest>& queue, Cycle decision, const SchedulerView& view) const = 0;
};

// First-ready, first-come first-served: the burst whose column command can go out first, the oldest among equals.
// A row hit is usually first (its CAS needs no ACT); a miss to a bank that is free now goes before a conflict
// that waits for its bank's tRAS, so one slow bank does not hold up the others. A burst that has waited
// `starvation_cycles` (0: never) goes next whatever its readiness.
class SchedulerFrFcfs final : public Scheduler {
public:
    explicit SchedulerFrFcfs(Cycle starvation_cycles = 0) : m_starvation(starvation_cycles) {}
    std::size_t pick(const std::vector<BurstRequest>& queue, Cycle decision, const SchedulerView& view) const override;

private:
    Cycle m_starvation;
};

// Strict arrival order.
class SchedulerFcfs final : public Scheduler {
public:
    std::size_t pick(const std::vector<BurstRequest>& queue, Cycle decision, const SchedulerView& view) const override;
};

std::unique_ptr<Scheduler> make_scheduler(SchedulerKind kind, Cycle starvation_cycles = 0);

}  // namespace spark::dram
