// SPDX-License-Identifier: Apache-2.0
#include "spark/pe_array_sc/pe_array_module.h"

#include <algorithm>

#include <fmt/format.h>

#include "spark/common/error.h"
#include "spark/common/tlm_access.h"

namespace spark::pe_array {

namespace {

ArrayConfig without_codec(ArrayConfig c) {
    c.codec_enabled = false;
    return c;
}

}  // namespace

PeArrayModule::PeArrayModule(sc_core::sc_module_name name, const ArrayConfig& config, sc_core::sc_time clock_period,
                             GatedClock* pin_level_clock)
    : sc_core::sc_module(name),
      jobs("jobs"),
      weights("weights"),
      activations("activations"),
      outputs("outputs"),
      m_spark(config),
      m_raw(without_codec(config)),
      m_period(clock_period) {
    jobs.register_b_transport(this, &PeArrayModule::b_transport);
    if (pin_level_clock) {
        m_clock = pin_level_clock;
        m_cycle_model = std::make_unique<PeArrayCycleModel>("cycle_model");
        m_cycle_model->clk.bind(m_clock->clk);
        SC_HAS_PROCESS(PeArrayModule);
        SC_THREAD(replay);
    }
}

void PeArrayModule::trace(sc_core::sc_trace_file* tf) const {
    if (m_cycle_model) m_cycle_model->trace(tf);
}

void PeArrayModule::replay() {
    for (;;) {
        while (m_replays.empty()) wait(m_replay_added);
        Replay r = std::move(m_replays.front());
        m_replays.pop_front();
        if (r.start > sc_core::sc_time_stamp()) wait(r.start - sc_core::sc_time_stamp());
        const std::size_t before = m_cycle_model->results().size();
        m_cycle_model->enqueue(std::move(r.job));
        // Bounded like the banks' replays: a job the cycle model refuses (its error report may be set to go on)
        // must not keep the clock running.
        const sc_core::sc_time limit = m_period * static_cast<double>(4 * r.expected_cycles + 16);
        const sc_core::sc_time deadline = sc_core::sc_time_stamp() + limit;
        while (m_cycle_model->results().size() == before && sc_core::sc_time_stamp() < deadline)
            wait(deadline - sc_core::sc_time_stamp(), m_cycle_model->done);
        PinLevelCheck check;
        check.what = r.what;
        check.expected_cycles = r.expected_cycles;
        if (m_cycle_model->results().size() == before) {
            check.values_match = false;
            check.detail = "the cycle model did not finish the job";
        } else {
            const CycleResult& got = m_cycle_model->results().back();
            check.cycles = got.cycles;
            check.values_match = got.accumulators == r.expected_accumulators;
            if (!check.values_match) check.detail = "the cycle model's accumulators differ from the fast model's";
        }
        m_checks.push_back(check);
        m_clock->release();
    }
}

const PeArray& PeArrayModule::array_for(const TileJob& job) {
    if (job.spark) return m_spark;
    const ArrayConfig& cfg = m_raw.config();
    if (cfg.pe_type != pe::PeType::unit || job.precision_bits == 0 || job.precision_bits == cfg.unit.bits) return m_raw;
    auto& array = m_units[job.precision_bits];
    if (!array) {
        ArrayConfig c = cfg;
        c.unit.bits = job.precision_bits;  // validated by the array: a precision wider than the unit is refused
        array = std::make_unique<PeArray>(c);
    }
    return *array;
}

bool PeArrayModule::read_operand(tlm_utils::simple_initiator_socket<PeArrayModule>& socket, const OperandRead& operand,
                                 codec::Mode mode, TileJob& job, TileJob::Fault side,
                                 decoder_bank::StreamRequest& stream, std::vector<std::uint8_t>& values,
                                 std::uint64_t skip_values, std::uint64_t total_values, tlm::tlm_generic_payload& trans,
                                 sc_core::sc_time& delay) {
    const std::uint64_t n = operand.chunks * operand.chunk_values;
    values.assign(total_values, 0);
    stream.chunks = operand.chunks;
    stream.chunk_values = operand.chunk_values;
    stream.mode = mode;
    stream.spark = job.spark;
    stream.raw_bits = operand.raw_bits;
    stream.pin_level = job.pin_level;
    stream.pin_level_start = job.pin_level_start;
    const tlm::tlm_response_status status = tlm_access(socket, tlm::TLM_READ_COMMAND, operand.address,
                                                       values.data() + skip_values, static_cast<unsigned>(n), delay,
                                                       stream);
    if (!is_error(status)) return true;
    job.fault = side;
    job.error = stream.error.empty() ? fmt::format("{}: {}", name(), response_name(status)) : stream.error;
    trans.set_response_status(status);
    return false;
}

void PeArrayModule::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
    TileJob* job = nullptr;
    trans.get_extension(job);
    if (!job || trans.get_command() != tlm::TLM_WRITE_COMMAND) {
        if (job) {
            job->fault = TileJob::Fault::invalid_job;
            job->error = fmt::format("{}: a tile job is a WRITE", name());
        }
        trans.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
        return;
    }
    job->fault = TileJob::Fault::none;
    job->error.clear();
    if (job->spark && !m_spark.config().codec_enabled) {
        job->fault = TileJob::Fault::invalid_job;
        job->error = fmt::format("{}: a tile in SPARK codes on an array without decoders", name());
        trans.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
        return;
    }
    // Both edges stream at once; each bank reports its own time.
    sc_core::sc_time w_time = delay, a_time = delay;
    if (!read_operand(weights, job->weights, job->layer.weight_mode, *job, TileJob::Fault::weights, job->weight_stream,
                      m_weights, 0, job->weights.chunks * job->weights.chunk_values, trans, w_time))
        return;
    const std::uint64_t row = job->activations.chunk_values;
    const std::uint64_t rows = job->zero_rows_above + job->activations.chunks + job->zero_rows_below;
    if (!read_operand(activations, job->activations, job->layer.activation_mode, *job, TileJob::Fault::activations,
                      job->activation_stream, m_activations, job->zero_rows_above * row, rows * row, trans, a_time))
        return;
    const std::vector<std::uint8_t>* w = &m_weights;
    if (job->weights_by_rows) {
        // [K][N] -> [N][K]
        const std::uint64_t k = job->weights.chunks, n = job->weights.chunk_values;
        m_transposed.resize(k * n);
        for (std::uint64_t i = 0; i < k; ++i)
            for (std::uint64_t j = 0; j < n; ++j) m_transposed[j * k + i] = m_weights[i * n + j];
        w = &m_transposed;
    }
    const PeArray* array = nullptr;
    LayerResult r;
    try {
        array = &array_for(*job);
        r = array->run(job->layer, *w, m_activations);
    } catch (const Error& e) {
        job->fault = TileJob::Fault::invalid_job;
        job->error = e.what();
        trans.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
        return;
    }
    job->stats = r.stats;
    job->tile_timing = std::move(r.tile_timing);
    if (job->pin_level && m_clock) {
        Replay replay;
        replay.start = job->pin_level_start;
        replay.job.cfg = array->config();
        replay.job.layer = array->prepare(job->layer, *w, m_activations);
        replay.expected_accumulators = array->accumulate(replay.job.layer);
        replay.expected_cycles = r.stats.cycles;
        replay.what = fmt::format("{}: tile job {}", name(), m_jobs_done);
        m_clock->hold(replay.start);
        m_replays.push_back(std::move(replay));
        m_replay_added.notify(sc_core::SC_ZERO_TIME);
        // The encoders take the outputs once the array is done.
        job->output.pin_level = true;
        job->output.pin_level_start = job->pin_level_start + m_period * static_cast<double>(r.stats.cycles);
    }
    // The decoders stream into the array as it computes: the tile takes the longer of the two.
    sc_core::sc_time done =
        std::max({w_time, a_time, delay + m_period * static_cast<double>(r.stats.cycles)});

    const tlm::tlm_response_status status = tlm_access(outputs, tlm::TLM_WRITE_COMMAND, job->output_address,
                                                       r.output.data(), static_cast<unsigned>(r.output.size()), done,
                                                       job->output);
    if (is_error(status)) {
        job->fault = TileJob::Fault::outputs;
        job->error = job->output.error.empty() ? fmt::format("{}: {}", name(), response_name(status))
                                               : job->output.error;
        trans.set_response_status(status);
        return;
    }
    ++m_jobs_done;
    delay = done;
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace spark::pe_array
