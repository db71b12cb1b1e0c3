// SPDX-License-Identifier: Apache-2.0
// SPARK encoder: one 8-bit value in, one 4-bit code nibble plus `enable` out per cycle. The same rule and timing
// as spark::codec::encode() and the clocked spark::codec::Encoder (docs/codec.md, docs/rtl.md):
//   short code  (zero detector: b0..b4 == 0, signed mode b0..b5 all equal)  -> 0 b5 b6 b7
//   long code                                                               -> 1 b1 b2 b0 | b4' b5' b6' b7'
//   where b0 XOR b3 = 1 (not representable) forces b4'..b7' to ~b0 (and b3 to b0), else b4'..b7' = b4..b7.
// Bit b0 is the most significant bit (in_value[7]).
// Timing: a value accepted at the edge ending cycle k (in_valid = in_ready = 1) presents its first nibble in
// cycle k+1; a long code's second nibble follows in cycle k+2 with enable = 1, and in_ready is 0 in cycle k+1.
// All outputs are registered; nibble and enable read 0 when out_valid = 0. `reset` is synchronous, active high,
// and puts the encoder in the state the model starts in (idle, in_ready = 1); in_value is only looked at when
// in_valid = 1 and in_ready = 1.
module spark_encoder #(
    parameter int SIGNED = 0  // 0: unsigned_u8 (the source's rule), 1: signed_i8 (the project's mode)
) (
    input  logic       clk,
    input  logic       reset,
    input  logic [7:0] in_value,
    input  logic       in_valid,
    output logic       in_ready,
    output logic [3:0] nibble,
    output logic       enable,
    output logic       out_valid
);
  logic       is_short;
  logic       fix;           // b0 XOR b3: the long code must move the value to the nearest exact one
  logic [3:0] first_nibble;  // the whole short code, or the high half of a long one
  logic [3:0] second_nibble;
  logic       second_pending;
  logic [3:0] second_q;

  // Zero detector over b0..b4; in signed mode b0..b5 all equal (-4..3).
  if (SIGNED != 0) begin : g_signed
    assign is_short = (in_value[7:2] == 6'b000000) || (in_value[7:2] == 6'b111111);
  end else begin : g_unsigned
    assign is_short = (in_value[7:3] == 5'b00000);
  end

  assign fix           = in_value[7] ^ in_value[4];
  // A long code's b3 is always b0 (the decoder copies b0 from it), whether or not the value moved.
  assign first_nibble  = is_short ? {1'b0, in_value[2:0]} : {1'b1, in_value[6:5], in_value[7]};
  assign second_nibble = fix ? {4{~in_value[7]}} : in_value[3:0];

  always_ff @(posedge clk) begin
    if (reset) begin
      second_pending <= 1'b0;
      second_q       <= 4'b0000;
      in_ready       <= 1'b1;
      nibble         <= 4'b0000;
      enable         <= 1'b0;
      out_valid      <= 1'b0;
    end else if (second_pending) begin
      // in_ready was 0 in the cycle that ends now: no value is accepted at this edge.
      second_pending <= 1'b0;
      nibble         <= second_q;
      enable         <= 1'b1;
      out_valid      <= 1'b1;
      in_ready       <= 1'b1;
    end else if (in_valid) begin
      nibble    <= first_nibble;
      enable    <= 1'b0;
      out_valid <= 1'b1;
      if (!is_short) begin
        second_pending <= 1'b1;
        second_q       <= second_nibble;
        in_ready       <= 1'b0;
      end
    end else begin
      nibble    <= 4'b0000;
      enable    <= 1'b0;
      out_valid <= 1'b0;
    end
  end
endmodule
