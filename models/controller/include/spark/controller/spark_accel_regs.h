/* SPDX-License-Identifier: Apache-2.0 */
/* Register map of the SPARK accelerator's CSR target socket, for driver writers (C and C++).
 * All registers are 32 bits wide and must be accessed with aligned 4-byte transactions; 64-bit counters are
 * read low word first (reading the low word latches the high word). Offsets are from the CSR base address. */
#ifndef SPARK_ACCEL_REGS_H
#define SPARK_ACCEL_REGS_H

#define SPARK_REG_ID              0x000u /* RO  0x5350524B ("SPRK") */
#define SPARK_REG_VERSION         0x004u /* RO  major << 16 | minor */
#define SPARK_REG_CTRL            0x008u /* WO  write 1 to a bit to act, see SPARK_CTRL_* */
#define SPARK_REG_STATUS          0x00Cu /* RO  see SPARK_STATUS_* */
#define SPARK_REG_IRQ_ENABLE      0x010u /* RW  see SPARK_IRQ_*: which events drive the irq line */
#define SPARK_REG_IRQ_STATUS      0x014u /* RW1C see SPARK_IRQ_*: events pending; the irq line is high while
                                             IRQ_STATUS & IRQ_ENABLE is non-zero */
#define SPARK_REG_ERROR           0x018u /* RO  SPARK_ERR_* of the last failure or refusal, 0 when none */
#define SPARK_REG_DESC_ADDR_LO    0x020u /* RW  address of the first layer descriptor, in the DMA address space;
                                             DESC_* writes while BUSY are refused (SPARK_ERR_BUSY) */
#define SPARK_REG_DESC_ADDR_HI    0x024u /* RW */
#define SPARK_REG_DESC_COUNT      0x028u /* RW  number of consecutive layer descriptors to run */
#define SPARK_REG_LAYERS_DONE     0x02Cu /* RO  descriptors completed since the last start */
#define SPARK_REG_ERROR_ADDR_LO   0x030u /* RO  address involved in the last error (descriptor or data) */
#define SPARK_REG_ERROR_ADDR_HI   0x034u /* RO */

/* 64-bit performance counters, cleared on start. */
#define SPARK_REG_CYCLES_LO       0x100u /* accelerator clock cycles from start to completion */
#define SPARK_REG_CYCLES_HI       0x104u
#define SPARK_REG_MACS_LO         0x108u /* multiply-accumulates performed */
#define SPARK_REG_MACS_HI         0x10Cu
#define SPARK_REG_DRAM_RD_LO      0x110u /* bytes the DMA read */
#define SPARK_REG_DRAM_RD_HI      0x114u
#define SPARK_REG_DRAM_WR_LO      0x118u /* bytes the DMA wrote */
#define SPARK_REG_DRAM_WR_HI      0x11Cu
#define SPARK_REG_STALL_LO        0x120u /* cycles the array waited for operands (DMA not done) */
#define SPARK_REG_STALL_HI        0x124u

#define SPARK_REG_MAP_SIZE        0x200u /* bytes of address space the CSR socket decodes */

#define SPARK_ID_VALUE            0x5350524Bu

#define SPARK_IRQ_DONE            (1u << 0) /* the run completed or failed */
#define SPARK_IRQ_LAYER           (1u << 1) /* a layer descriptor completed (LAYERS_DONE went up) */

#define SPARK_CTRL_START          (1u << 0) /* run DESC_COUNT descriptors from DESC_ADDR */
#define SPARK_CTRL_ABORT          (1u << 1) /* stop after the current layer, with SPARK_ERR_ABORTED */
#define SPARK_CTRL_RESET          (1u << 2) /* soft reset: every register to its power-on value, a run in progress
                                               stopped once its bursts in flight complete; no interrupt */

#define SPARK_STATUS_BUSY         (1u << 0)
#define SPARK_STATUS_DONE         (1u << 1) /* the last run completed without error */
#define SPARK_STATUS_ERROR        (1u << 2) /* the last run failed; see SPARK_REG_ERROR */
#define SPARK_STATUS_REFUSED      (1u << 3) /* a command was refused since the last accepted START; see SPARK_REG_ERROR.
                                               A refusal raises no interrupt and leaves a running job alone. */

#define SPARK_ERR_NONE            0u
#define SPARK_ERR_BUSY            1u /* START, or a DESC_* write, while a run is in progress */
#define SPARK_ERR_DESC_BUS        2u /* a descriptor read got a TLM error response */
#define SPARK_ERR_DESC_INVALID    3u /* a descriptor failed validation (magic, opcode, shape, sizes) */
#define SPARK_ERR_DATA_BUS        4u /* a data transfer got a TLM error response */
#define SPARK_ERR_DATA_INVALID    5u /* encoded data failed to decode */
#define SPARK_ERR_ABORTED         6u
#define SPARK_ERR_BAD_COMMAND     7u /* CTRL written with no or several command bits, or DESC_COUNT of 0 */

#endif /* SPARK_ACCEL_REGS_H */
