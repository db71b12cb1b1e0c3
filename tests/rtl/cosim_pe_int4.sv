// SPDX-License-Identifier: Apache-2.0
// The INT4 PE in the same three operand-mode settings as cosim_pe_mixed (uu, ss, su).
module cosim_pe_int4 (
    input  logic        clk,
    input  logic        reset,
    input  logic        uu_in_valid, ss_in_valid, su_in_valid,
    output logic        uu_in_ready, ss_in_ready, su_in_ready,
    input  logic [7:0]  uu_weight, ss_weight, su_weight,
    input  logic [7:0]  uu_activation, ss_activation, su_activation,
    output logic [31:0] uu_acc, ss_acc, su_acc,
    output logic        uu_step_done, ss_step_done, su_step_done
);
  spark_pe_int4 #(.WEIGHT_SIGNED(0), .ACT_SIGNED(0)) uu_pe (
      .clk, .reset, .in_valid(uu_in_valid), .in_ready(uu_in_ready), .weight(uu_weight),
      .activation(uu_activation), .acc(uu_acc), .step_done(uu_step_done));
  spark_pe_int4 #(.WEIGHT_SIGNED(1), .ACT_SIGNED(1)) ss_pe (
      .clk, .reset, .in_valid(ss_in_valid), .in_ready(ss_in_ready), .weight(ss_weight),
      .activation(ss_activation), .acc(ss_acc), .step_done(ss_step_done));
  spark_pe_int4 #(.WEIGHT_SIGNED(1), .ACT_SIGNED(0)) su_pe (
      .clk, .reset, .in_valid(su_in_valid), .in_ready(su_in_ready), .weight(su_weight),
      .activation(su_activation), .acc(su_acc), .step_done(su_step_done));
endmodule
