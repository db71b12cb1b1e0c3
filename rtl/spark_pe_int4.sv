// SPDX-License-Identifier: Apache-2.0
// The paper's INT4 PE: 8-bit W and A registers, one INT4 multiplier (5-bit signed digits, so both codec modes
// share it), a shifter and a partial-sum register; the same rule as spark::pe::PeInt4Shift and the clocked
// spark::pe_sc::ClockedPe (docs/pe.md, docs/rtl.md). A short operand is one digit, a long one two (low nibble,
// then high nibble of weight 16); the multiplier forms one digit product per cycle and the shifter aligns it by
// 0, 4 or 8 bits: short x short 1 cycle, short x long 2, long x long 4.
// Timing: a pair accepted at the edge ending cycle k (in_valid = in_ready = 1) occupies cycles k+1 .. k+C; the
// accumulator shows its product from cycle k+C+1 on, with step_done = 1 in that cycle. in_ready is 0 in the
// cycles of a step but its last. `reset` is synchronous, active high: idle, in_ready = 1, acc = 0. The
// accumulator wraps at ACC_BITS.
module spark_pe_int4 #(
    parameter int WEIGHT_SIGNED = 1,  // codec mode of the weight: 0 unsigned_u8, 1 signed_i8
    parameter int ACT_SIGNED    = 0,  // codec mode of the activation
    parameter int ACC_BITS      = 32
) (
    input  logic                clk,
    input  logic                reset,
    input  logic                in_valid,
    output logic                in_ready,
    input  logic [7:0]          weight,
    input  logic [7:0]          activation,
    output logic [ACC_BITS-1:0] acc,
    output logic                step_done
);
  localparam int SumBits = 20;  // one 8 x 8 product and its partial sums: |sum| < 2^17

  // b0..b5 of a value (v[7:2]): short iff b0..b4 are 0 (unsigned) or b0..b5 are all equal (signed).
  function automatic logic is_short(input logic [5:0] top, input int signed_mode);
    if (signed_mode != 0) is_short = (top == 6'b000000) || (top == 6'b111111);
    else is_short = (top[5:1] == 5'b00000);
  endfunction

  function automatic logic signed [4:0] digit(input logic [7:0] v, input logic is_long, input logic hi,
                                              input int signed_mode);
    if (!is_long) digit = v[4:0];
    else if (!hi) digit = {1'b0, v[3:0]};
    else digit = {(signed_mode != 0) ? v[7] : 1'b0, v[7:4]};
  endfunction

  logic [7:0] w_q, a_q;
  logic       w_long, a_long, busy;
  logic [1:0] count, last;  // digit product in this cycle, and the step's last one (cycles - 1)
  logic signed [SumBits-1:0] psum;

  logic in_w_long, in_a_long;
  assign in_w_long = !is_short(weight[7:2], WEIGHT_SIGNED);
  assign in_a_long = !is_short(activation[7:2], ACT_SIGNED);

  // Digit order: weight low x activation low, then the activation's high digit, then the weight's.
  logic w_hi, a_hi;
  assign w_hi = w_long & (a_long ? count[1] : count[0]);
  assign a_hi = a_long & count[0];

  logic signed [9:0] product;
  logic signed [SumBits-1:0] shifted, step_sum;
  assign product  = digit(w_q, w_long, w_hi, WEIGHT_SIGNED) * digit(a_q, a_long, a_hi, ACT_SIGNED);
  assign shifted  = SumBits'(product) <<< (4 * ({1'b0, w_hi} + {1'b0, a_hi}));
  assign step_sum = psum + shifted;

  always_ff @(posedge clk) begin
    if (reset) begin
      w_q       <= '0;
      a_q       <= '0;
      w_long    <= 1'b0;
      a_long    <= 1'b0;
      busy      <= 1'b0;
      count     <= '0;
      last      <= '0;
      psum      <= '0;
      acc       <= '0;
      in_ready  <= 1'b1;
      step_done <= 1'b0;
    end else begin
      step_done <= 1'b0;
      in_ready  <= 1'b1;
      if (busy) begin
        if (count == last) begin
          acc       <= acc + ACC_BITS'(step_sum);
          step_done <= 1'b1;
          busy      <= 1'b0;
        end else begin
          psum     <= step_sum;
          count    <= count + 2'd1;
          in_ready <= (count + 2'd1 == last);
        end
      end
      if (in_valid && in_ready) begin
        w_q      <= weight;
        a_q      <= activation;
        w_long   <= in_w_long;
        a_long   <= in_a_long;
        busy     <= 1'b1;
        count    <= '0;
        last     <= {in_w_long & in_a_long, in_w_long | in_a_long};
        psum     <= '0;
        in_ready <= !(in_w_long | in_a_long);
      end
    end
  end
endmodule
