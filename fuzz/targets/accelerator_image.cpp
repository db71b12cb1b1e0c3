// SPDX-License-Identifier: Apache-2.0
// A whole accelerator on an arbitrary memory image (descriptor list, chunk tables, codes; the format is in
// accelerator_bench.h). Memory contents are the driver's: whatever they hold, the run must end, in bounded
// simulated time, with exactly one of DONE and ERROR, an error code and an address that name what went wrong, the
// interrupt the driver enabled, and an accelerator that runs the next job right. One elaboration serves every
// input (SystemC allows one per process); the inputs run one after another on the same accelerator.
#include <cstdlib>

#include <fmt/format.h>

#include "accelerator_bench.h"
#include "fuzz_support.h"

namespace {

using namespace spark::fuzz::accel;
using spark::accelerator::LayerDescriptor;
using spark::accelerator::TensorDesc;

constexpr const char* kTarget = "accelerator_image";
// A known-good run follows every failed run and every kGoodRunInterval-th input.
constexpr std::uint64_t kGoodRunInterval = 64;
// Simulated time a run may take, per descriptor: 32 accelerator cycles for every byte of memory. A layer reads and
// writes no more than memory holds before a bus error stops it, and no tile takes more than a few cycles per byte
// it moves, so a run past this bound is a hang.
constexpr std::uint64_t kCyclesPerMemoryByte = 32;

struct State {
    Bench* bench = nullptr;
    Example good;
    Header good_header;
    std::vector<std::uint8_t> good_image;
    spark::platform::TensorData golden;
    sc_core::sc_time clock_period;
    std::uint64_t inputs = 0;
    bool verbose = std::getenv("SPARK_FUZZ_VERBOSE") != nullptr;  // one line per input on stderr
};

sc_core::sc_time bound_for(const State& s, std::uint32_t count) {
    return s.clock_period * static_cast<double>(kMemoryBytes * kCyclesPerMemoryByte * std::max<std::uint32_t>(count, 1));
}

void check_good_run(State& s, const char* when) {
    const RunResult r = s.bench->run(s.good_header, s.good_image.data(), s.good_image.size(),
                                     bound_for(s, s.good_header.count));
    if (!(r.status & SPARK_STATUS_DONE))
        spark::fuzz::fail(kTarget, fmt::format("the known-good image {}: status 0x{:X}, error {} at 0x{:X} after {} "
                                               "layers",
                                               when, r.status, r.error, r.error_address, r.layers_done));
    const spark::platform::TensorData got = read_outputs(s.good, s.bench->memory.bytes);
    for (const auto& [name, values] : got)
        if (values != s.golden.at(name))
            spark::fuzz::fail(kTarget, fmt::format("the known-good image {}: tensor '{}' differs from the reference",
                                                   when, name));
}

State& state() {
    static State* s = [] {
        sc_core::sc_report_handler::set_actions(sc_core::SC_WARNING, sc_core::SC_DO_NOTHING);
        sc_core::sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
        auto* st = new State;
        const spark::platform::ArchConfig arch = small_arch();
        st->clock_period = arch.accelerator.datapath.clock_period();
        st->bench = new Bench("bench", arch.accelerator);
        st->good = build_example(seed_networks().front(), true);
        st->good_header = header_of(st->good.program);
        st->good_image = flatten(st->good.program);
        st->golden = spark::platform::golden_tensors(st->good.network, st->good.data, true);
        sc_core::sc_start(sc_core::SC_ZERO_TIME);
        check_good_run(*st, "on a fresh accelerator");
        return st;
    }();
    return *s;
}

bool in_window(std::uint64_t address, std::uint64_t base, std::uint64_t size) {
    return address - base < size;  // modulo 2^64: the window may wrap
}

// The address a failed run names must be one it can justify.
void check_error_address(const Header& h, const RunResult& r) {
    const std::uint64_t desc = h.descriptor_address + std::uint64_t{r.layers_done} * LayerDescriptor::kBytes;
    const std::uint64_t a = r.error_address;
    switch (r.error) {
        case SPARK_ERR_ABORTED:
            if (!(h.irq_enable & kAbortFlag) || a != 0)
                spark::fuzz::fail(kTarget, fmt::format("ABORTED at 0x{:X}{}", a,
                                                       h.irq_enable & kAbortFlag ? "" : " with no ABORT written"));
            return;
        case SPARK_ERR_DESC_BUS:
            // The failing fetch is the descriptor after the last completed one, and its faulting burst leaves memory.
            if (!in_window(a, desc, LayerDescriptor::kBytes) || a < kMemoryBytes)
                spark::fuzz::fail(kTarget, fmt::format("DESC_BUS at 0x{:X}, descriptor {} at 0x{:X}", a, r.layers_done,
                                                       desc));
            return;
        case SPARK_ERR_DESC_INVALID:
            if (a != desc)
                spark::fuzz::fail(kTarget, fmt::format("DESC_INVALID names 0x{:X}, the failing descriptor {} is at "
                                                       "0x{:X}",
                                                       a, r.layers_done, desc));
            return;
        case SPARK_ERR_DATA_BUS:
            // Bursts never straddle a 64-byte line and memory ends on one: only a burst from past its end fails.
            if (a < kMemoryBytes)
                spark::fuzz::fail(kTarget, fmt::format("DATA_BUS at 0x{:X}, inside memory", a));
            return;
        case SPARK_ERR_DATA_INVALID: {
            // An entry or a chunk read from memory, or a place the failing descriptor gives (a tensor's table or
            // data, or a chunk its table puts at a 32-bit offset from the data).
            if (a <= kMemoryBytes) return;
            if (r.failed_descriptor.size() != LayerDescriptor::kBytes)
                spark::fuzz::fail(kTarget, fmt::format("DATA_INVALID at 0x{:X} from descriptor {}, which was never "
                                                       "fetched whole",
                                                       a, r.layers_done));
            LayerDescriptor d;
            if (!spark::fuzz::accepts([&] { d = LayerDescriptor::decode(r.failed_descriptor.data(), r.failed_descriptor.size()); }))
                spark::fuzz::fail(kTarget, fmt::format("DATA_INVALID at 0x{:X} from descriptor {}, which does not decode",
                                                       a, r.layers_done));
            for (const TensorDesc* t : {&d.input, &d.input2, &d.weights, &d.output})
                if (a == t->table_address || in_window(a, t->data_address, std::uint64_t{1} << 32))
                    return;
            spark::fuzz::fail(kTarget, fmt::format("DATA_INVALID at 0x{:X}: outside memory and none of descriptor {}'s "
                                                   "tensors",
                                                   a, r.layers_done));
        }
        default:
            spark::fuzz::fail(kTarget, fmt::format("the run failed with error code {}, not one a run can end with",
                                                   r.error));
    }
}

void check_run(const State& s, const Header& h, const RunResult& r) {
    if (r.timed_out)
        spark::fuzz::fail(kTarget, fmt::format("still busy after {} of simulated time ({} descriptors): a hang",
                                               bound_for(s, h.count).to_string(), h.count));
    if (r.stuck) spark::fuzz::fail(kTarget, "still busy with nothing left to simulate");
    const std::uint32_t enabled = h.irq_enable & (SPARK_IRQ_DONE | SPARK_IRQ_LAYER);
    if (h.count == 0) {
        // START with DESC_COUNT 0 is refused: no run, no interrupt.
        if (!(r.status & SPARK_STATUS_REFUSED) || (r.status & SPARK_STATUS_BUSY) || r.error != SPARK_ERR_BAD_COMMAND ||
            r.irq_status != 0 || r.irq)
            spark::fuzz::fail(kTarget, fmt::format("START with no descriptors: status 0x{:X}, error {}, irq status {}",
                                                   r.status, r.error, r.irq_status));
        return;
    }
    const bool done = r.status & SPARK_STATUS_DONE, failed = r.status & SPARK_STATUS_ERROR;
    if (done == failed || (r.status & (SPARK_STATUS_BUSY | SPARK_STATUS_REFUSED)))
        spark::fuzz::fail(kTarget, fmt::format("status 0x{:X} after the run: exactly one of DONE and ERROR expected",
                                               r.status));
    if (done && (r.error != 0 || r.layers_done != h.count))
        spark::fuzz::fail(kTarget, fmt::format("DONE with error {} after {} of {} layers", r.error, r.layers_done,
                                               h.count));
    if (failed) {
        if (r.layers_done >= h.count)
            spark::fuzz::fail(kTarget, fmt::format("ERROR after all {} layers completed", h.count));
        check_error_address(h, r);
    }
    const std::uint32_t pending = SPARK_IRQ_DONE | (r.layers_done > 0 ? SPARK_IRQ_LAYER : 0u);
    if (r.irq_status != pending || r.irq != ((pending & enabled) != 0) || !r.irq_cleared)
        spark::fuzz::fail(kTarget, fmt::format("interrupt: status {} (expected {}), enable {}, line {}, {} after "
                                               "clearing",
                                               r.irq_status, pending, enabled, r.irq, r.irq_cleared ? "low" : "high"));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    State& s = state();
    if (size < kHeaderBytes) return 0;
    const Header h = decode_header(data);
    const RunResult r = s.bench->run(h, data + kHeaderBytes, size - kHeaderBytes, bound_for(s, h.count));
    if (s.verbose)
        fmt::print(stderr, "{}: {} descriptors at 0x{:X}: status 0x{:X}, error {} at 0x{:X}, {} layers done, {}\n", kTarget,
                   h.count, h.descriptor_address, r.status, r.error, r.error_address, r.layers_done,
                   r.elapsed.to_string());
    check_run(s, h, r);
    ++s.inputs;
    if ((r.status & SPARK_STATUS_ERROR) || s.inputs % kGoodRunInterval == 0) check_good_run(s, "after this input");
    return 0;
}
