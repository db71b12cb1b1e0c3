// SPDX-License-Identifier: Apache-2.0
// Each PE in three operand-mode settings in one Verilated model: uu (weights and activations unsigned_u8),
// ss (both signed_i8), su (signed weights, unsigned activations: the project's default).
module cosim_pe_mixed (
    input  logic        clk,
    input  logic        reset,
    input  logic        uu_in_valid, ss_in_valid, su_in_valid,
    output logic        uu_in_ready, ss_in_ready, su_in_ready,
    input  logic [31:0] uu_weights, ss_weights, su_weights,
    input  logic [31:0] uu_activations, ss_activations, su_activations,
    output logic [31:0] uu_acc, ss_acc, su_acc,
    output logic        uu_step_done, ss_step_done, su_step_done
);
  spark_pe_mixed #(.WEIGHT_SIGNED(0), .ACT_SIGNED(0)) uu_pe (
      .clk, .reset, .in_valid(uu_in_valid), .in_ready(uu_in_ready), .weights(uu_weights),
      .activations(uu_activations), .acc(uu_acc), .step_done(uu_step_done));
  spark_pe_mixed #(.WEIGHT_SIGNED(1), .ACT_SIGNED(1)) ss_pe (
      .clk, .reset, .in_valid(ss_in_valid), .in_ready(ss_in_ready), .weights(ss_weights),
      .activations(ss_activations), .acc(ss_acc), .step_done(ss_step_done));
  spark_pe_mixed #(.WEIGHT_SIGNED(1), .ACT_SIGNED(0)) su_pe (
      .clk, .reset, .in_valid(su_in_valid), .in_ready(su_in_ready), .weights(su_weights),
      .activations(su_activations), .acc(su_acc), .step_done(su_step_done));
endmodule
