// SPDX-License-Identifier: Apache-2.0
#include "spark/vector_unit_sc/vector_unit_module.h"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "spark/accelerator/layout.h"
#include "spark/common/error.h"
#include "spark/common/tlm_access.h"
#include "spark/vector_unit/kernels.h"

namespace spark::vector_unit {

using accelerator::Opcode;
using accelerator::TensorDesc;

namespace {

// A job that cannot go on: which side and why.
struct JobFault {
    VectorJob::Fault fault;
    std::string message;
    tlm::tlm_response_status status = tlm::TLM_GENERIC_ERROR_RESPONSE;
};

Quant quant_of(const TensorDesc& t) {
    Quant q;
    q.dtype = t.is_signed ? DType::int8 : DType::uint8;
    q.scale = t.scale;
    q.zero_point = t.zero_point;
    return q;
}

Shape shape_of(const TensorDesc& t) {
    Shape s;
    for (std::uint8_t i = 0; i < t.rank; ++i) s.push_back(t.dims[i]);
    return s;
}

// One image of a feature map, for a pooling strip.
TensorDesc one_image(TensorDesc t) {
    t.dims[0] = 1;
    return t;
}

Window2d window_of(const accelerator::LayerDescriptor& d) {
    Window2d w;
    w.kernel_h = d.kernel_h;
    w.kernel_w = d.kernel_w;
    w.stride_h = d.stride_h;
    w.stride_w = d.stride_w;
    w.pad_h = d.pad_h;
    w.pad_w = d.pad_w;
    w.dilation_h = d.dilation_h;
    w.dilation_w = d.dilation_w;
    return w;
}

}  // namespace

VectorUnitModule::VectorUnitModule(sc_core::sc_module_name name, const VectorUnitConfig& config)
    : sc_core::sc_module(name), jobs("jobs"), input("input"), input2("input2"), output("output"), m_config(config) {
    if (m_config.lanes == 0) throw Error(fmt::format("{}: lanes must be positive", this->name()));
    jobs.register_b_transport(this, &VectorUnitModule::b_transport);
}

std::vector<std::uint8_t> VectorUnitModule::read(tlm_utils::simple_initiator_socket<VectorUnitModule>& socket,
                                                 const TensorDesc& t, const VectorOperand& operand, bool spark,
                                                 decoder_bank::StreamRequest& stream, VectorJob::Fault side,
                                                 sc_core::sc_time& delay) {
    std::vector<std::uint8_t> values(operand.chunks * t.chunk_values());
    stream.chunks = operand.chunks;
    stream.chunk_values = t.chunk_values();
    stream.mode = t.is_signed ? codec::Mode::signed_i8 : codec::Mode::unsigned_u8;
    stream.spark = spark;
    stream.raw_bits = t.raw_bits;
    const tlm::tlm_response_status status = tlm_access(socket, tlm::TLM_READ_COMMAND, operand.address, values.data(),
                                                       static_cast<unsigned>(values.size()), delay, stream);
    if (is_error(status))
        throw JobFault{side,
                       stream.error.empty() ? fmt::format("{}: {}", name(), response_name(status))
                                            : stream.error,
                       status};
    return values;
}

void VectorUnitModule::run(VectorJob& job, sc_core::sc_time& delay) {
    const accelerator::LayerDescriptor& d = job.layer;
    const bool strip = job.part;
    const bool pooling = d.opcode == Opcode::max_pool || d.opcode == Opcode::avg_pool;
    const bool elementwise = d.opcode == Opcode::relu || d.opcode == Opcode::add;
    const bool global = d.opcode == Opcode::global_avg_pool;
    if (strip && !pooling && !elementwise && !global)
        throw JobFault{VectorJob::Fault::invalid_job, "only pooling and element-wise layers run in parts"};
    sc_core::sc_time in_time = delay, in2_time = delay;
    std::vector<std::uint8_t> a_chunks =
        read(input, d.input, job.input, job.spark, job.input_stream, VectorJob::Fault::input, in_time);
    if (strip && global) {
        run_global_part(job, a_chunks, delay, in_time);
        return;
    }
    if (strip && elementwise) {
        // A block of chunks of operands chunked like the output (plan.h): the values line up in chunk order.
        const Shape flat{static_cast<std::int64_t>(a_chunks.size())};
        const QTensor a{flat, quant_of(d.input), std::move(a_chunks)};
        QTensor result;
        try {
            if (d.opcode == Opcode::add) {
                const QTensor b{flat, quant_of(d.input2),
                                read(input2, d.input2, job.input2, job.spark, job.input2_stream,
                                     VectorJob::Fault::input2, in2_time)};
                result = add(a, b, quant_of(d.output));
            } else {
                result = relu(a, quant_of(d.output));
            }
        } catch (const Error& e) {
            throw JobFault{VectorJob::Fault::invalid_job, e.what()};
        }
        job.elements = result.bytes.size();
        job.cycles = (job.elements + m_config.lanes - 1) / m_config.lanes;
        delay = write_output(job, result.bytes,
                             std::max({in_time, in2_time, delay + m_config.clock_period * static_cast<double>(job.cycles)}));
        return;
    }
    if (strip) {
        run_pool_strip(job, std::move(a_chunks), delay, in_time);
        return;
    }
    const TensorDesc& a_desc = d.input;
    QTensor a{shape_of(a_desc), quant_of(a_desc), accelerator::chunks_to_row_major(a_desc, a_chunks)};
    std::optional<QTensor> b;
    if (d.opcode == Opcode::add || d.opcode == Opcode::concat) {
        const std::vector<std::uint8_t> b_chunks =
            read(input2, d.input2, job.input2, job.spark, job.input2_stream, VectorJob::Fault::input2, in2_time);
        b = QTensor{shape_of(d.input2), quant_of(d.input2), accelerator::chunks_to_row_major(d.input2, b_chunks)};
    }
    const TensorDesc& out_desc = d.output;
    const Quant out_q = quant_of(out_desc);
    const Shape out_shape = shape_of(out_desc);
    const Window2d window = window_of(d);
    QTensor result;
    try {
        switch (d.opcode) {
            case Opcode::max_pool: result = max_pool(a, window, out_q); break;
            case Opcode::avg_pool: result = avg_pool(a, window, out_q); break;
            case Opcode::global_avg_pool: result = global_avg_pool(a, out_q); break;
            case Opcode::add: result = add(a, *b, out_q); break;
            case Opcode::relu: result = relu(a, out_q); break;
            case Opcode::reshape: result = requantize(reshape(a, out_shape), out_q); break;
            case Opcode::transpose: {
                std::vector<std::int64_t> perm(d.perm.begin(), d.perm.begin() + static_cast<std::ptrdiff_t>(a.shape.size()));
                result = requantize(transpose(a, perm), out_q);
                break;
            }
            case Opcode::concat: result = concat({&a, &*b}, d.axis, out_q); break;
            default:
                throw JobFault{VectorJob::Fault::invalid_job,
                               fmt::format("opcode {} is not a vector-unit operation", accelerator::to_string(d.opcode))};
        }
    } catch (const Error& e) {
        throw JobFault{VectorJob::Fault::invalid_job, e.what()};
    }
    if (result.shape != out_shape)
        throw JobFault{VectorJob::Fault::invalid_job,
                       fmt::format("{} produces {} but the output tensor is {}", accelerator::to_string(d.opcode),
                                   to_string(result.shape), to_string(out_shape))};
    std::vector<std::uint8_t> out_chunks = accelerator::row_major_to_chunks(out_desc, result.bytes);
    const std::uint64_t in_elements = a.bytes.size();
    job.elements = out_chunks.size();
    job.cycles = (std::max<std::uint64_t>(out_chunks.size(), in_elements) + m_config.lanes - 1) / m_config.lanes;

    delay = write_output(job, out_chunks,
                         std::max({in_time, in2_time, delay + m_config.clock_period * static_cast<double>(job.cycles)}));
}

void VectorUnitModule::run_pool_strip(VectorJob& job, std::vector<std::uint8_t> rows, sc_core::sc_time& delay,
                                      sc_core::sc_time in_time) {
    // Only the strip: its input rows in, its output rows out. The image around it may be far larger than any buffer
    // (its height is a descriptor field), so nothing here is sized by it.
    const accelerator::LayerDescriptor& d = job.layer;
    const std::uint64_t h = d.input.dims[2], oh = d.output.dims[2];
    const std::uint64_t row0 = job.input.first_chunk % h, first = job.output_first_chunk % oh;
    if (row0 + job.input.chunks > h) throw JobFault{VectorJob::Fault::invalid_job, "a strip crosses images"};
    if (first + job.output_chunks > oh) throw JobFault{VectorJob::Fault::invalid_job, "an output strip crosses images"};
    TensorDesc in_rows = one_image(d.input), out_rows = one_image(d.output);
    in_rows.dims[2] = static_cast<std::uint32_t>(job.input.chunks);
    out_rows.dims[2] = static_cast<std::uint32_t>(job.output_chunks);
    const QTensor a{shape_of(in_rows), quant_of(in_rows), accelerator::chunks_to_row_major(in_rows, rows)};
    const PoolRows span{static_cast<std::int64_t>(row0), static_cast<std::int64_t>(h), static_cast<std::int64_t>(first),
                        static_cast<std::int64_t>(job.output_chunks)};
    QTensor result;
    try {
        result = d.opcode == Opcode::max_pool ? max_pool_rows(a, span, window_of(d), quant_of(out_rows))
                                              : avg_pool_rows(a, span, window_of(d), quant_of(out_rows));
    } catch (const Error& e) {
        throw JobFault{VectorJob::Fault::invalid_job, e.what()};
    }
    if (result.shape != shape_of(out_rows))
        throw JobFault{VectorJob::Fault::invalid_job,
                       fmt::format("{} produces rows of {} but the output tensor is {}", accelerator::to_string(d.opcode),
                                   to_string(result.shape), to_string(shape_of(d.output)))};
    std::vector<std::uint8_t> out_chunks = accelerator::row_major_to_chunks(out_rows, result.bytes);
    job.elements = out_chunks.size();
    job.cycles = (std::max<std::uint64_t>(out_chunks.size(), a.bytes.size()) + m_config.lanes - 1) / m_config.lanes;
    delay = write_output(job, out_chunks, std::max(in_time, delay + m_config.clock_period * static_cast<double>(job.cycles)));
}

void VectorUnitModule::run_global_part(VectorJob& job, const std::vector<std::uint8_t>& rows, sc_core::sc_time& delay,
                                       sc_core::sc_time in_time) {
    const accelerator::LayerDescriptor& d = job.layer;
    const std::uint64_t c = d.input.dims[1], h = d.input.dims[2], w = d.input.dims[3];
    const std::uint64_t row0 = job.input.first_chunk % h;
    if (row0 + job.input.chunks > h) throw JobFault{VectorJob::Fault::invalid_job, "a part crosses images"};
    if (row0 == 0) m_channel_sums.assign(c, 0);
    if (m_channel_sums.size() != c) throw JobFault{VectorJob::Fault::invalid_job, "a part of an image never started"};
    const Quant in_q = quant_of(d.input);
    try {
        require_zero_point(in_q, "global_avg_pool");
    } catch (const Error& e) {
        throw JobFault{VectorJob::Fault::invalid_job, e.what()};
    }
    // Chunk (n, h) holds (w, c): the channel is innermost.
    for (std::uint64_t i = 0; i < rows.size(); ++i) {
        const std::int32_t code = in_q.dtype == DType::int8 ? static_cast<std::int8_t>(rows[i]) : rows[i];
        m_channel_sums[i % c] += code - in_q.zero_point;
    }
    job.cycles = (rows.size() + m_config.lanes - 1) / m_config.lanes;
    job.elements = 0;
    sc_core::sc_time done = std::max(in_time, delay + m_config.clock_period * static_cast<double>(job.cycles));
    if (row0 + job.input.chunks == h) {
        // The same rule as kernels.h's global_avg_pool: the sum over H x W times in_scale / (out_scale x H x W).
        const Quant out_q = quant_of(d.output);
        const FixedMultiplier m = make_multiplier(in_q.scale / (out_q.scale * static_cast<double>(h * w)));
        std::vector<std::uint8_t> out(c);
        for (std::uint64_t ch = 0; ch < c; ++ch)
            out[ch] = static_cast<std::uint8_t>(requantize(m_channel_sums[ch], m, out_q) & 0xFF);
        m_channel_sums.clear();
        job.elements = c;
        done = write_output(job, out, done);
    }
    delay = done;
}

sc_core::sc_time VectorUnitModule::write_output(VectorJob& job, std::vector<std::uint8_t>& values, sc_core::sc_time at) {
    const tlm::tlm_response_status status = tlm_access(output, tlm::TLM_WRITE_COMMAND, job.output_address, values.data(),
                                                       static_cast<unsigned>(values.size()), at, job.output);
    if (is_error(status))
        throw JobFault{VectorJob::Fault::output,
                       job.output.error.empty() ? fmt::format("{}: {}", name(), response_name(status))
                                                : job.output.error,
                       status};
    return at;
}

void VectorUnitModule::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
    VectorJob* job = nullptr;
    trans.get_extension(job);
    if (!job || trans.get_command() != tlm::TLM_WRITE_COMMAND) {
        if (job) {
            job->fault = VectorJob::Fault::invalid_job;
            job->error = fmt::format("{}: a vector job is a WRITE", name());
        }
        trans.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
        return;
    }
    job->fault = VectorJob::Fault::none;
    job->error.clear();
    try {
        run(*job, delay);
    } catch (const JobFault& f) {
        job->fault = f.fault;
        job->error = f.message;
        trans.set_response_status(f.status);
        return;
    } catch (const std::exception& e) {
        // Descriptors are the driver's memory: whatever a kernel throws on one is a refused job, not a crash.
        job->fault = VectorJob::Fault::invalid_job;
        job->error = fmt::format("{}: {}", name(), e.what());
        trans.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
        return;
    }
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace spark::vector_unit
