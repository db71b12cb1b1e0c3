// SPDX-License-Identifier: Apache-2.0
// SPARK decoder: 4 bits per cycle plus `enable`. The same rule and timing as spark::codec::NibbleDecoder and the
// clocked spark::codec::Decoder (docs/codec.md, docs/rtl.md):
//   enable = 0, c0 = 0: short code, value = c1 c2 c3 (sign-extended in signed mode), presented next cycle;
//   enable = 0, c0 = 1: first half of a long code, held (bubbles with in_valid = 0 may follow);
//   enable = 1 after a first half: value = b0 b1..b7 with b0 = c3, b1..b7 = c1..c7, presented next cycle.
// Framing violations (enable = 1 with no long code started; enable = 0 while a first half waits) drop the
// offending nibble and any held first half; framing_error is 1 in the next cycle (the model counts them in
// activity().framing_errors and reports them). Outputs are registered; value keeps its last value while
// out_valid = 0. nibble and enable are only looked at when in_valid = 1, so an undriven (X) bus in idle cycles
// cannot reach the state. `reset` is synchronous, active high: empty, value = 0, out_valid = 0.
module spark_decoder #(
    parameter int SIGNED = 0  // 0: unsigned_u8, 1: signed_i8 (short codes sign-extended)
) (
    input  logic       clk,
    input  logic       reset,
    input  logic [3:0] nibble,
    input  logic       enable,
    input  logic       in_valid,
    output logic [7:0] value,
    output logic       out_valid,
    output logic       framing_error
);
  logic       pending;  // the first half of a long code is held
  logic [2:0] first_q;  // its c1 c2 c3 (c0 is 1)
  logic [7:0] short_value;

  assign short_value = (SIGNED != 0) ? {{5{nibble[2]}}, nibble[2:0]} : {5'b00000, nibble[2:0]};

  always_ff @(posedge clk) begin
    if (reset) begin
      pending       <= 1'b0;
      first_q       <= 3'b000;
      value         <= 8'h00;
      out_valid     <= 1'b0;
      framing_error <= 1'b0;
    end else begin
      out_valid     <= 1'b0;
      framing_error <= 1'b0;
      if (in_valid) begin
        if (pending) begin
          pending <= 1'b0;
          if (enable) begin
            value     <= {first_q[0], first_q, nibble};
            out_valid <= 1'b1;
          end else begin
            framing_error <= 1'b1;  // truncated long code: both halves dropped
          end
        end else if (enable) begin
          framing_error <= 1'b1;  // enable with no long code started: nibble dropped
        end else if (nibble[3]) begin
          pending <= 1'b1;
          first_q <= nibble[2:0];
        end else begin
          value     <= short_value;
          out_valid <= 1'b1;
        end
      end
    end
  end
endmodule
