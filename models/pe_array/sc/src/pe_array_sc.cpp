// SPDX-License-Identifier: Apache-2.0
#include "spark/pe_array_sc/pe_array_sc.h"

#include <string>

#include "spark/codec/codec.h"
#include "spark/common/error.h"
#include "spark/pe/factory.h"
#include "spark/pe_array/sync.h"
#include "spark/pe_array/timing.h"

namespace spark::pe_array {

PeArrayCycleModel::PeArrayCycleModel(const sc_core::sc_module_name& name, unsigned traced_rows,
                                     unsigned traced_cols)
    : sc_module(name),
      clk("clk"),
      phase("phase", 0),
      tile("tile", 0),
      step("step", 0),
      busy_pes("busy_pes", 0),
      stall("stall", false),
      m_traced_rows(traced_rows),
      m_traced_cols(traced_cols) {
    for (unsigned i = 0; i < traced_rows; ++i)
        for (unsigned j = 0; j < traced_cols; ++j)
            m_pe_busy.push_back(std::make_unique<sc_core::sc_signal<bool>>(
                sc_core::sc_gen_unique_name(("pe_" + std::to_string(i) + "_" + std::to_string(j) + "_busy").c_str()),
                false));
    SC_HAS_PROCESS(PeArrayCycleModel);
    SC_THREAD(run);
    sensitive << clk.pos();
    dont_initialize();
}

void PeArrayCycleModel::enqueue(CycleJob job) {
    job.cfg.validate();
    m_jobs.push_back(std::move(job));
    if (m_finished) {
        // Jobs may arrive while the simulation runs (a pin-level window): the thread waits for them.
        m_finished = false;
        m_job_added.notify(sc_core::SC_ZERO_TIME);
    }
}

void PeArrayCycleModel::trace(sc_core::sc_trace_file* tf) const {
    sc_core::sc_trace(tf, phase, phase.name());
    sc_core::sc_trace(tf, tile, tile.name());
    sc_core::sc_trace(tf, step, step.name());
    sc_core::sc_trace(tf, busy_pes, busy_pes.name());
    sc_core::sc_trace(tf, stall, stall.name());
    for (const auto& s : m_pe_busy) sc_core::sc_trace(tf, *s, s->name());
}

void PeArrayCycleModel::run() {
    for (;;) {
        while (!m_jobs.empty()) {
            const CycleJob job = std::move(m_jobs.front());
            m_jobs.pop_front();
            try {
                m_results.push_back(run_job(job));
            } catch (const Error& e) {
                SC_REPORT_ERROR(name(), e.what());
            }
        }
        phase.write(0);
        busy_pes.write(0);
        stall.write(false);
        m_finished = true;
        done.notify(sc_core::SC_ZERO_TIME);
        // More jobs start at the clock edge after they arrive.
        wait(m_job_added);
        wait();
    }
}

void PeArrayCycleModel::idle_cycle(unsigned total_pes, CycleResult& r) {
    busy_pes.write(0);
    stall.write(false);
    for (auto& s : m_pe_busy) s->write(false);
    wait();
    ++r.cycles;
    r.idle_pe_cycles += total_pes;
}

void PeArrayCycleModel::clock_cycle(std::vector<PeState>& pes, std::size_t rows, std::size_t cols,
                                    unsigned total_pes, CycleResult& r) {
    unsigned busy = 0, waiting = 0;
    for (std::size_t i = 0; i < rows; ++i)
        for (std::size_t j = 0; j < cols; ++j) {
            PeState& p = pes[i * cols + j];
            const bool working = p.remaining > 0;
            if (working) {
                ++busy;
                --p.remaining;
            } else if (p.in_span) {
                ++waiting;
            }
            if (i < m_traced_rows && j < m_traced_cols) m_pe_busy[i * m_traced_cols + j]->write(working);
        }
    busy_pes.write(busy);
    stall.write(waiting > 0);
    wait();
    ++r.cycles;
    ++r.compute_cycles;
    r.busy_pe_cycles += busy;
    r.stalled_pe_cycles += waiting;
    r.idle_pe_cycles += total_pes - busy - waiting;
}

CycleResult PeArrayCycleModel::run_job(const CycleJob& job) {
    const ArrayConfig& cfg = job.cfg;
    const PreparedLayer& layer = job.layer;
    const auto pe = pe::make_pe(cfg.pe_type, cfg.unit);
    if (pe->lanes() != layer.lanes) throw Error("cycle model: the layer was prepared for a PE with other lanes");
    const std::size_t L = pe->lanes();
    const pe::OperandModes& modes = layer.modes;
    const bool os = cfg.dataflow == Dataflow::output_stationary;
    const unsigned total_pes = cfg.rows * cfg.cols;
    const std::size_t depth = cfg.fifo_depth;

    CycleResult r;
    r.accumulators.assign(layer.layer.output_count(), 0);
    const sc_core::sc_time start = sc_core::sc_time_stamp();
    const std::vector<Tile> tiles = plan_tiles(cfg, layer);
    for (std::size_t ti = 0; ti < tiles.size(); ++ti) {
        const Tile& t = tiles[ti];
        const GemmInstance& g = layer.instances[t.instance];
        const std::size_t rows = t.rows, cols = t.cols;
        const std::size_t stream = os ? g.groups : g.m;
        const SyncShape shape = SyncShape::of(cfg.sync, rows, cols, stream);
        const std::size_t UR = shape.unit_rows(), UC = shape.unit_cols(), U = shape.units();
        const std::size_t T = shape.steps_per_unit();
        tile.write(static_cast<unsigned>(ti));
        std::vector<PeState> pes(rows * cols);
        std::vector<std::vector<std::size_t>> members(U);  // PE indices of each unit
        for (std::size_t i = 0; i < rows; ++i)
            for (std::size_t j = 0; j < cols; ++j) members[shape.unit_of(i, j)].push_back(i * cols + j);
        // FIFO state as counters: a FIFO from unit p to unit q holds released[p] - started[q] steps.
        std::vector<std::size_t> started(U, 0), released(U, 0);

        if (!os) {
            phase.write(1);  // weights shift in from the top, one row per cycle
            for (std::size_t c = 0; c < rows; ++c) idle_cycle(total_pes, r);
            r.setup_cycles += rows;
        }
        phase.write(2);

        // PE (i, j) takes stream element e in its unit's local step e + offset: load the lanes of that step.
        const auto load = [&](std::size_t i, std::size_t j, std::size_t e) {
            PeState& p = pes[i * cols + j];
            const std::size_t group = os ? e : t.g0 + i;
            const std::size_t a_row = os ? t.m0 + i : e;
            const std::size_t w_row = t.n0 + j;
            bool wl_any = false, al_any = false;
            std::int64_t products = 0;
            for (std::size_t k = group * L; k < std::min(g.k, (group + 1) * L); ++k) {
                const std::uint8_t wr = g.w_raw[w_row * g.k + k];
                const std::uint8_t ar = g.a_raw[a_row * g.k + k];
                const bool wl = pe::is_long(wr, modes.weight, modes.codec_enabled);
                const bool al = pe::is_long(ar, modes.activation, modes.codec_enabled);
                wl_any |= wl;
                al_any |= al;
                if (wl && al) ++r.macs.long_long;
                else if (wl || al) ++r.macs.short_long;
                else ++r.macs.short_short;
                const std::uint8_t wv = modes.codec_enabled ? codec::approximate(wr, modes.weight) : wr;
                const std::uint8_t av = modes.codec_enabled ? codec::approximate(ar, modes.activation) : ar;
                products += pe->multiply(codec::to_int(wv, modes.weight), codec::to_int(av, modes.activation), wl, al);
            }
            p.remaining = pe->step_cycles(wl_any, al_any);
            if (os) {
                p.accumulator += products;
            } else {
                // The partial sum of output row e passing down column j picks up this PE's products.
                auto& out = r.accumulators[output_index(layer.layer, t.instance, e, w_row)];
                out = static_cast<std::int32_t>(out + products);
            }
        };
        const auto computing = [&](std::size_t u) {
            for (std::size_t q : members[u])
                if (pes[q].remaining > 0) return true;
            return false;
        };
        // Everything that happens at one clock edge: releases and starts, repeated until none is left (a release
        // may make room for a start at the same edge and the other way round).
        const auto settle = [&]() {
            bool changed = true;
            while (changed) {
                changed = false;
                for (std::size_t a = 0; a < UR; ++a)
                    for (std::size_t b = 0; b < UC; ++b) {
                        const std::size_t u = a * UC + b;
                        if (released[u] < started[u] && !computing(u)) {
                            const std::size_t s = released[u];  // finished step waiting for room downstream
                            bool room = true;
                            if (s >= depth) {
                                if (a + 1 < UR) room &= started[u + UC] >= s - depth + 1;
                                if (b + 1 < UC) room &= started[u + 1] >= s - depth + 1;
                            }
                            if (room) {
                                ++released[u];
                                changed = true;
                            }
                        }
                        if (released[u] == started[u] && started[u] < T) {
                            const std::size_t s = started[u];
                            bool inputs = true;
                            if (a > 0) inputs &= released[u - UC] >= s + 1;
                            if (b > 0) inputs &= released[u - 1] >= s + 1;
                            if (inputs) {
                                for (std::size_t q : members[u]) {
                                    const std::size_t i = q / cols, j = q % cols;
                                    const std::size_t o = shape.offset(i, j);
                                    if (s >= o && s - o < stream) load(i, j, s - o);
                                }
                                ++started[u];
                                ++r.steps;
                                changed = true;
                            }
                        }
                    }
            }
            bool all_done = true;
            for (std::size_t i = 0; i < rows; ++i)
                for (std::size_t j = 0; j < cols; ++j) {
                    const std::size_t u = shape.unit_of(i, j), o = shape.offset(i, j);
                    pes[i * cols + j].in_span = started[u] > o && released[u] < o + stream;
                }
            for (std::size_t u = 0; u < U; ++u) all_done &= released[u] == T;
            step.write(static_cast<unsigned>(started[0] ? started[0] - 1 : 0));
            return all_done;
        };
        while (!settle()) {
            bool any_busy = false;
            for (const PeState& p : pes) any_busy |= p.remaining > 0;
            if (!any_busy) throw Error("cycle model: the units deadlocked (no PE busy, no step can start)");
            clock_cycle(pes, rows, cols, total_pes, r);
        }
        if (os) {
            phase.write(3);  // accumulators shift out to the encoders, one row per cycle
            for (std::size_t i = 0; i < rows; ++i)
                for (std::size_t j = 0; j < cols; ++j)
                    r.accumulators[output_index(layer.layer, t.instance, t.m0 + i, t.n0 + j)] =
                        static_cast<std::int32_t>(pes[i * cols + j].accumulator);
            for (std::size_t c = 0; c < rows; ++c) idle_cycle(total_pes, r);
            r.drain_cycles += rows;
        }
    }
    phase.write(0);
    r.elapsed = sc_core::sc_time_stamp() - start;
    return r;
}

}  // namespace spark::pe_array
