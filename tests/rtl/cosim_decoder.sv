// SPDX-License-Identifier: Apache-2.0
// Both codec modes of the decoder in one Verilated model (u_*: unsigned_u8, s_*: signed_i8).
module cosim_decoder (
    input  logic       clk,
    input  logic       reset,
    input  logic [3:0] u_nibble,
    input  logic       u_enable,
    input  logic       u_in_valid,
    output logic [7:0] u_value,
    output logic       u_out_valid,
    output logic       u_framing_error,
    input  logic [3:0] s_nibble,
    input  logic       s_enable,
    input  logic       s_in_valid,
    output logic [7:0] s_value,
    output logic       s_out_valid,
    output logic       s_framing_error
);
  spark_decoder #(.SIGNED(0)) u_dec (
      .clk, .reset, .nibble(u_nibble), .enable(u_enable), .in_valid(u_in_valid), .value(u_value),
      .out_valid(u_out_valid), .framing_error(u_framing_error));
  spark_decoder #(.SIGNED(1)) s_dec (
      .clk, .reset, .nibble(s_nibble), .enable(s_enable), .in_valid(s_in_valid), .value(s_value),
      .out_valid(s_out_valid), .framing_error(s_framing_error));
endmodule
