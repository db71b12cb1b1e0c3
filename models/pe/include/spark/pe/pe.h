// SPDX-License-Identifier: Apache-2.0
// One processing element of the array: how many cycles a step takes given the widths of its operands, and the
// exact product it accumulates. Every PE type is described by the same two facts, which is what lets the fast
// array model count per row and column instead of per MAC:
//   - lanes(): operand pairs (weight, activation) a PE takes per step, consecutive along the reduction;
//   - step_cycles(weight_long, activation_long): cycles of one step, where weight_long is true when any weight
//     in the step's lanes has a long (8-bit) code and activation_long likewise. Unused lanes carry zero, a short
//     code. The table must be monotone (a longer operand never makes a step shorter); the factory checks it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "spark/codec/codec.h"

namespace spark::pe {

enum class PeType : std::uint8_t { mixed_width, int4_shift, int8, unit };

// The geometry of a precision-scalable unit (PeType::unit): its widest and narrowest operand and the precision it
// runs at now.
struct UnitShape {
    unsigned pmax_bits = 8;
    unsigned pmin_bits = 4;
    unsigned bits = 8;
    // Operands of `width` bits packed per side: floor(pmax / max(width, pmin)); 0 when wider than pmax.
    unsigned packing(unsigned width) const;
    void validate() const;  // throws spark::Error naming the field
};

std::string_view to_string(PeType type);
// Accepts "mixed", "mixed_width", "spark"; "int4", "int4_shift"; "int8"; "unit". Throws spark::Error naming the
// text.
PeType parse_pe_type(std::string_view text);

// How raw operand bytes are read. With the codec off (the INT8 baseline) nothing is stored in a short code, so
// every operand counts as long.
struct OperandModes {
    codec::Mode weight = codec::Mode::signed_i8;
    codec::Mode activation = codec::Mode::unsigned_u8;
    bool codec_enabled = true;
};

constexpr bool is_long(std::uint8_t raw, codec::Mode mode, bool codec_enabled) {
    return !codec_enabled || !codec::is_short(raw, mode);
}

// A MAC's class by the code lengths of its two operands (short = 4-bit code, long = 8-bit code).
struct MacCounts {
    std::uint64_t short_short = 0;
    std::uint64_t short_long = 0;  // either operand long, the other short
    std::uint64_t long_long = 0;

    std::uint64_t total() const { return short_short + short_long + long_long; }
    MacCounts& operator+=(const MacCounts& o) {
        short_short += o.short_short;
        short_long += o.short_long;
        long_long += o.long_long;
        return *this;
    }
    friend bool operator==(const MacCounts& a, const MacCounts& b) {
        return a.short_short == b.short_short && a.short_long == b.short_long && a.long_long == b.long_long;
    }
};

struct OperandPair {
    std::uint8_t weight = 0;      // raw bits in OperandModes::weight
    std::uint8_t activation = 0;  // raw bits in OperandModes::activation
};

// The outcome of feeding a sequence of pairs through one PE, lanes() pairs per step in order.
struct PeRun {
    std::uint64_t cycles = 0;
    std::uint64_t steps = 0;
    MacCounts macs;
    std::int64_t accumulator = 0;  // sum of products of the values the decoders deliver (approximated)
};

class ProcessingElement {
public:
    virtual ~ProcessingElement() = default;

    virtual PeType type() const = 0;
    virtual std::string_view name() const = 0;
    virtual unsigned lanes() const = 0;
    virtual unsigned step_cycles(bool weight_long, bool activation_long) const = 0;
    // 4-bit MACs the PE can do per cycle at best; sizes the default array to the paper's 4096 4-bit MAC units.
    virtual unsigned peak_4bit_macs_per_cycle() const = 0;
    // The product as the PE's datapath forms it (each variant builds it from its own partial products);
    // operands are integer values of their modes (-128..255). Always equal to weight * activation.
    virtual std::int32_t multiply(int weight, int activation, bool weight_long, bool activation_long) const = 0;

    // Steps through `pairs` lanes() at a time (the last step padded with zeros).
    PeRun run(const OperandPair* pairs, std::size_t count, const OperandModes& modes) const;
};

}  // namespace spark::pe
