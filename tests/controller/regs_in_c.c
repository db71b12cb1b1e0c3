/* SPDX-License-Identifier: Apache-2.0 */
/* The register header as a C driver sees it: it must compile as C99 with every warning, and its offsets and bits
 * must be usable in constant expressions. */
#include "spark/controller/spark_accel_regs.h"

typedef char offsets_are_word_aligned[(SPARK_REG_DESC_COUNT % 4u == 0u && SPARK_REG_STALL_HI % 4u == 0u) ? 1 : -1];
typedef char map_holds_every_register[(SPARK_REG_STALL_HI < SPARK_REG_MAP_SIZE) ? 1 : -1];
typedef char irq_bits_are_distinct[((SPARK_IRQ_DONE & SPARK_IRQ_LAYER) == 0u) ? 1 : -1];

unsigned spark_start_command(void) { return SPARK_CTRL_START; }
