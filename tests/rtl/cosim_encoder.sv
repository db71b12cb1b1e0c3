// SPDX-License-Identifier: Apache-2.0
// Co-simulation tops: each block in both codec modes in one Verilated model, so every block is Verilated once.
// u_* is the unsigned_u8 instance, s_* the signed_i8 one; the ports are the block's own.
module cosim_encoder (
    input  logic       clk,
    input  logic       reset,
    input  logic [7:0] u_in_value,
    input  logic       u_in_valid,
    output logic       u_in_ready,
    output logic [3:0] u_nibble,
    output logic       u_enable,
    output logic       u_out_valid,
    input  logic [7:0] s_in_value,
    input  logic       s_in_valid,
    output logic       s_in_ready,
    output logic [3:0] s_nibble,
    output logic       s_enable,
    output logic       s_out_valid
);
  spark_encoder #(.SIGNED(0)) u_enc (
      .clk, .reset, .in_value(u_in_value), .in_valid(u_in_valid), .in_ready(u_in_ready), .nibble(u_nibble),
      .enable(u_enable), .out_valid(u_out_valid));
  spark_encoder #(.SIGNED(1)) s_enc (
      .clk, .reset, .in_value(s_in_value), .in_valid(s_in_valid), .in_ready(s_in_ready), .nibble(s_nibble),
      .enable(s_enable), .out_valid(s_out_valid));
endmodule
