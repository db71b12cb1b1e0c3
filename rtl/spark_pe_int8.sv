// SPDX-License-Identifier: Apache-2.0
// The conventional INT8 PE of the baseline (spark::pe::PeInt8): two 8-bit multipliers and an accumulator, two
// operand pairs per step, one cycle per step whatever the data. It is here as the area reference of
// scripts/synth.sh (mixed-width PE : INT8 PE); its ports and timing follow spark_pe_mixed with lanes = 2 and
// C = 1, so in_ready stays 1 after reset. The operands are raw INT8 values (no codec); WEIGHT_SIGNED and
// ACT_SIGNED say how they are read.
module spark_pe_int8 #(
    parameter int WEIGHT_SIGNED = 1,
    parameter int ACT_SIGNED    = 0,
    parameter int ACC_BITS      = 32
) (
    input  logic                clk,
    input  logic                reset,
    input  logic                in_valid,
    output logic                in_ready,
    input  logic [15:0]         weights,
    input  logic [15:0]         activations,
    output logic [ACC_BITS-1:0] acc,
    output logic                step_done
);
  function automatic logic signed [8:0] extend(input logic [7:0] v, input int signed_mode);
    extend = {(signed_mode != 0) ? v[7] : 1'b0, v};
  endfunction

  logic [15:0] w_q, a_q;
  logic        busy;
  logic signed [17:0] p0, p1;
  assign p0 = extend(w_q[7:0], WEIGHT_SIGNED) * extend(a_q[7:0], ACT_SIGNED);
  assign p1 = extend(w_q[15:8], WEIGHT_SIGNED) * extend(a_q[15:8], ACT_SIGNED);

  always_ff @(posedge clk) begin
    if (reset) begin
      w_q       <= '0;
      a_q       <= '0;
      busy      <= 1'b0;
      acc       <= '0;
      in_ready  <= 1'b1;
      step_done <= 1'b0;
    end else begin
      step_done <= busy;
      in_ready  <= 1'b1;
      if (busy) acc <= acc + ACC_BITS'(p0) + ACC_BITS'(p1);
      busy <= in_valid;
      if (in_valid) begin
        w_q <= weights;
        a_q <= activations;
      end
    end
  end
endmodule
