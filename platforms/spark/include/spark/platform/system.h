// SPDX-License-Identifier: Apache-2.0
// One SPARK system: DRAM, the accelerator, and a host that loads a program into DRAM, starts the accelerator
// through its CSR socket, waits for the interrupt and reads the results back. Several systems can share one
// simulation (spark-sim runs SPARK and its INT8 baseline side by side).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <systemc>
#include <tlm_utils/simple_initiator_socket.h>

#include "spark/accelerator/accelerator.h"
#include "spark/dram/dram.h"
#include "spark/platform/arch.h"
#include "spark/platform/program.h"

namespace spark::platform {

// One layer as the accelerator ran it, with the DRAM's share over the same interval.
struct LayerRun {
    accelerator::LayerRecord record;
    dram::DramStats dram_delta;  // counters and energy accrued while the layer ran
};

struct SystemResult {
    bool ok = false;
    std::uint32_t error = 0;            // SPARK_ERR_* read from the accelerator
    std::uint64_t error_address = 0;
    std::uint64_t cycles = 0;           // CYCLES counter
    std::uint64_t macs = 0;
    std::uint64_t dram_bytes_read = 0;  // DMA counters
    std::uint64_t dram_bytes_written = 0;
    std::vector<LayerRun> layers;       // in descriptor order
    dram::DramStats dram_total;
    sc_core::sc_time elapsed;           // from START to the interrupt
};

class SparkSystem : public sc_core::sc_module {
public:
    // Writes the program's image into the DRAM at once (untimed); the image is not read again, so the caller may
    // release it (Program::image) after construction. The rest of `program` must outlive the system.
    SparkSystem(sc_core::sc_module_name name, const ArchConfig& arch, const Program& program);
    SC_HAS_PROCESS(SparkSystem);

    const SystemResult& result() const { return m_result; }
    bool finished() const { return m_finished; }
    accelerator::SparkAccelerator& accelerator() { return m_accelerator; }
    // Reads a tensor back from DRAM in row-major order (after the run).
    std::vector<std::uint8_t> read_tensor(const accelerator::TensorDesc& t);
    // Called after each layer with the number of layers done, e.g. for a progress bar.
    std::function<void(std::size_t)> on_progress;

private:
    void host();

    ArchConfig m_arch;
    const Program& m_program;
    dram::Dram m_dram;
    accelerator::SparkAccelerator m_accelerator;
    tlm_utils::simple_initiator_socket<SparkSystem> m_csr;
    sc_core::sc_signal<bool> m_irq;
    SystemResult m_result;
    dram::DramStats m_last_dram;
    bool m_finished = false;
};

// Compares every layer output the accelerator left in DRAM with the golden reference (golden.h): one line per
// layer that differs, naming the workload file and the layer.
std::vector<std::string> check_outputs(SparkSystem& system, const workload::Network& network, const Program& program,
                                       const TensorData& golden);

}  // namespace spark::platform
