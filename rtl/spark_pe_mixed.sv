// SPDX-License-Identifier: Apache-2.0
// The SPARK mixed-width PE: four 4-bit multipliers (a weight digit times an activation), paired two by two into
// 8-bit multipliers, and an accumulator. The same rule as spark::pe::PeMixedWidth and the clocked
// spark::pe_sc::ClockedPe (docs/pe.md, docs/rtl.md):
//   a step takes four operand pairs (lane i in bits 8i+7..8i of weights/activations, lane 0 first along the
//   reduction); it takes 1 cycle when all eight operands are short (four 4-bit MACs, one per multiplier) and
//   2 cycles otherwise (two 8-bit MACs per cycle: lanes 0 and 1, then lanes 2 and 3).
// An operand is short when its value has a 4-bit code in its codec mode (unsigned 0..7, signed -4..3), the
// rule of spark::codec::is_short. A long weight is split into its low nibble (0..15) and high nibble (weight 16,
// signed in signed mode); each multiplier takes one 5-bit signed digit and the 9-bit activation, so one multiplier
// pair forms an 8 x 8 product in a cycle and both codec modes share the datapath.
// Timing: a step accepted at the edge ending cycle k (in_valid = in_ready = 1) occupies cycles k+1 .. k+C; the
// accumulator shows the whole step's products from cycle k+C+1 on, with step_done = 1 in that cycle. in_ready is
// 0 in the cycles of a step but its last, so a source holding in_valid = 1 starts a step every C cycles.
// `reset` is synchronous, active high: idle, in_ready = 1, acc = 0. The accumulator wraps at ACC_BITS.
module spark_pe_mixed #(
    parameter int WEIGHT_SIGNED = 1,  // codec mode of the weights: 0 unsigned_u8, 1 signed_i8
    parameter int ACT_SIGNED    = 0,  // codec mode of the activations
    parameter int ACC_BITS      = 32
) (
    input  logic                clk,
    input  logic                reset,
    input  logic                in_valid,
    output logic                in_ready,
    input  logic [31:0]         weights,
    input  logic [31:0]         activations,
    output logic [ACC_BITS-1:0] acc,
    output logic                step_done
);
  localparam int SumBits = 20;  // four 8 x 8 products: |sum| < 2^18

  // b0..b5 of a value (v[7:2]): short iff b0..b4 are 0 (unsigned) or b0..b5 are all equal (signed).
  function automatic logic is_short(input logic [5:0] top, input int signed_mode);
    if (signed_mode != 0) is_short = (top == 6'b000000) || (top == 6'b111111);
    else is_short = (top[5:1] == 5'b00000);
  endfunction

  // Digit `hi` of an operand as a 5-bit signed number: a short value is one digit (v[4:0] holds it in both modes),
  // a long one is low nibble (unsigned) and high nibble (signed in signed mode).
  function automatic logic signed [4:0] digit(input logic [7:0] v, input logic is_long, input logic hi,
                                              input int signed_mode);
    if (!is_long) digit = hi ? 5'sd0 : v[4:0];
    else if (!hi) digit = {1'b0, v[3:0]};
    else digit = {(signed_mode != 0) ? v[7] : 1'b0, v[7:4]};
  endfunction

  function automatic logic signed [8:0] extend(input logic [7:0] v, input int signed_mode);
    extend = {(signed_mode != 0) ? v[7] : 1'b0, v};
  endfunction

  logic [31:0] w_q, a_q;
  logic        busy, long_q, phase;
  logic signed [SumBits-1:0] psum;  // lanes 0 and 1 of a 2-cycle step

  logic in_long;
  always_comb begin
    in_long = 1'b0;
    for (int i = 0; i < 4; i++)
      in_long = in_long | !is_short(weights[8*i+2+:6], WEIGHT_SIGNED) | !is_short(activations[8*i+2+:6], ACT_SIGNED);
  end

  // Multiplier j takes lane j in a 1-cycle step; in a 2-cycle step multipliers 2p and 2p+1 form lane 2*phase+p's
  // 8-bit product from the weight's low and high digit.
  logic signed [13:0] m[4];
  logic signed [SumBits-1:0] cycle_sum;
  always_comb begin
    for (int j = 0; j < 4; j++) begin
      logic [1:0] lane;
      logic [7:0] w, a;
      logic       hi;
      lane = long_q ? {phase, j[1]} : j[1:0];
      hi   = long_q & j[0];
      w    = w_q[8*lane+:8];
      a    = a_q[8*lane+:8];
      m[j] = digit(w, !is_short(w[7:2], WEIGHT_SIGNED), hi, WEIGHT_SIGNED) * extend(a, ACT_SIGNED);
    end
    if (long_q)
      cycle_sum = SumBits'(m[0]) + (SumBits'(m[1]) <<< 4) + SumBits'(m[2]) + (SumBits'(m[3]) <<< 4);
    else
      cycle_sum = SumBits'(m[0]) + SumBits'(m[1]) + SumBits'(m[2]) + SumBits'(m[3]);
  end

  logic signed [SumBits-1:0] step_sum;
  assign step_sum = psum + cycle_sum;

  always_ff @(posedge clk) begin
    if (reset) begin
      w_q       <= '0;
      a_q       <= '0;
      busy      <= 1'b0;
      long_q    <= 1'b0;
      phase     <= 1'b0;
      psum      <= '0;
      acc       <= '0;
      in_ready  <= 1'b1;
      step_done <= 1'b0;
    end else begin
      step_done <= 1'b0;
      in_ready  <= 1'b1;
      if (busy) begin
        if (!long_q || phase) begin
          acc       <= acc + ACC_BITS'(step_sum);
          step_done <= 1'b1;
          busy      <= 1'b0;
        end else begin
          psum  <= cycle_sum;
          phase <= 1'b1;
        end
      end
      if (in_valid && in_ready) begin
        w_q      <= weights;
        a_q      <= activations;
        busy     <= 1'b1;
        long_q   <= in_long;
        phase    <= 1'b0;
        psum     <= '0;
        in_ready <= !in_long;
      end
    end
  end
endmodule
