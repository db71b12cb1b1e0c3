// SPDX-License-Identifier: Apache-2.0
#include "spark/dram/scheduler.h"

namespace spark::dram {

std::size_t SchedulerFrFcfs::pick(const std::vector<BurstRequest>& queue, Cycle decision,
                                  const SchedulerView& view) const {
    std::size_t best = queue.size();
    Cycle best_cas = ~Cycle(0);
    for (std::size_t i = 0; i < queue.size(); ++i) {
        const BurstRequest& r = queue[i];
        if (r.arrival > decision) continue;
        // The queue is in arrival order: the first arrived burst is the oldest.
        if (best == queue.size() && m_starvation && decision - r.arrival >= m_starvation) return i;
        const Cycle cas = view.earliest_cas(r);
        if (cas < best_cas) {
            best = i;
            best_cas = cas;
        }
    }
    return best;
}

std::size_t SchedulerFcfs::pick(const std::vector<BurstRequest>& queue, Cycle decision, const SchedulerView&) const {
    for (std::size_t i = 0; i < queue.size(); ++i)
        if (queue[i].arrival <= decision) return i;
    return queue.size();
}

std::unique_ptr<Scheduler> make_scheduler(SchedulerKind kind, Cycle starvation_cycles) {
    switch (kind) {
    case SchedulerKind::fcfs: return std::make_unique<SchedulerFcfs>();
    case SchedulerKind::fr_fcfs: break;
    }
    return std::make_unique<SchedulerFrFcfs>(starvation_cycles);
}

}  // namespace spark::dram
