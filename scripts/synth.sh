#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Synthesises each block of rtl/ with Yosys (Debian's `yosys`) in each parameter setting and reports, per block:
# cells after mapping to a static-CMOS gate set (NAND, NOR, NOT, D flip-flops), Yosys' transistor estimate
# (`stat -tech cmos`: 2 per NOT, 4 per NAND/NOR, 16 per flip-flop) and the longest combinational path in gates
# (`ltp -noff`). Writes out/synth/<block>_<setting>.log (the Yosys logs) and out/synth/summary.csv, and prints the
# table. docs/rtl.md reads its figures from here.
#   scripts/synth.sh [OUT_DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/out/synth}"
command -v yosys >/dev/null || { echo "synth: yosys is missing (Debian: apt-get install yosys)" >&2; exit 1; }
mkdir -p "$out"

# block setting parameters (name=value, comma-separated)
configs=(
  "spark_encoder unsigned SIGNED=0"
  "spark_encoder signed SIGNED=1"
  "spark_decoder unsigned SIGNED=0"
  "spark_decoder signed SIGNED=1"
  "spark_pe_int4 uu WEIGHT_SIGNED=0,ACT_SIGNED=0"
  "spark_pe_int4 ss WEIGHT_SIGNED=1,ACT_SIGNED=1"
  "spark_pe_int4 su WEIGHT_SIGNED=1,ACT_SIGNED=0"
  "spark_pe_int4 su_acc16 WEIGHT_SIGNED=1,ACT_SIGNED=0,ACC_BITS=16"
  "spark_pe_mixed uu WEIGHT_SIGNED=0,ACT_SIGNED=0"
  "spark_pe_mixed ss WEIGHT_SIGNED=1,ACT_SIGNED=1"
  "spark_pe_mixed su WEIGHT_SIGNED=1,ACT_SIGNED=0"
  "spark_pe_mixed su_acc16 WEIGHT_SIGNED=1,ACT_SIGNED=0,ACC_BITS=16"
  "spark_pe_int8 uu WEIGHT_SIGNED=0,ACT_SIGNED=0"
  "spark_pe_int8 ss WEIGHT_SIGNED=1,ACT_SIGNED=1"
  "spark_pe_int8 su WEIGHT_SIGNED=1,ACT_SIGNED=0"
  "spark_pe_int8 su_acc16 WEIGHT_SIGNED=1,ACT_SIGNED=0,ACC_BITS=16"
)

summary="$out/summary.csv"
echo "block,setting,cells,flip_flops,nand,nor,not,transistors,longest_path_gates" > "$summary"
for c in "${configs[@]}"; do
  read -r block setting params <<<"$c"
  chparam=""
  IFS=, read -ra kv <<<"$params"
  for p in "${kv[@]}"; do chparam+="chparam -set ${p%%=*} ${p#*=} $block; "; done
  log="$out/${block}_${setting}.log"
  yosys -l "$log" -q -p "read_verilog -sv $root/rtl/$block.sv; $chparam synth -flatten -top $block; \
    dfflegalize -cell \$_DFF_P_ 01; abc -g cmos2; opt_clean; tee -o /dev/null stat -tech cmos; tee -o /dev/null ltp -noff" \
    >/dev/null
  count() { awk -v k="$1" '$1 == k {n = $2} END {print n + 0}' "$log"; }
  cells="$(awk '/Number of cells:/ {n = $4} END {print n}' "$log")"
  transistors="$(awk '/Estimated number of transistors:/ {n = $5} END {print n}' "$log")"
  path="$(sed -n 's/.*Longest topological path in .* (length=\([0-9]*\)).*/\1/p' "$log" | tail -1)"
  echo "$block,$setting,$cells,$(count '$_DFF_P_'),$(count '$_NAND_'),$(count '$_NOR_'),$(count '$_NOT_'),$transistors,$path" \
    >> "$summary"
done
column -s, -t "$summary"
echo "synth: logs and $summary"
