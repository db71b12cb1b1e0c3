// SPDX-License-Identifier: Apache-2.0
#include "spark/dram/scheduler.h"

namespace spark::dram {

std::size_t SchedulerFrFcfs::pick(const std::vector<BurstRequest>& queue, Cycle decision,
                                  const SchedulerView& view) const {
    std::size_t oldest = queue.size();
    for (std::size_t i = 0; i < queue.size(); ++i) {
        if (queue[i].arrival > decision) continue;
        if (view.row_hit(queue[i]) && !view.slow_cas(queue[i])) return i;
        if (oldest == queue.size()) oldest = i;
    }
    return oldest;
}

std::size_t SchedulerFcfs::pick(const std::vector<BurstRequest>& queue, Cycle decision, const SchedulerView&) const {
    for (std::size_t i = 0; i < queue.size(); ++i)
        if (queue[i].arrival <= decision) return i;
    return queue.size();
}

std::unique_ptr<Scheduler> make_scheduler(SchedulerKind kind) {
    switch (kind) {
    case SchedulerKind::fcfs: return std::make_unique<SchedulerFcfs>();
    case SchedulerKind::fr_fcfs: break;
    }
    return std::make_unique<SchedulerFrFcfs>();
}

}  // namespace spark::dram
