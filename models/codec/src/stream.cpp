// SPDX-License-Identifier: Apache-2.0
// The stream packer and unpacker are on the path of every simulated tensor transfer, so both have a fast path:
// pack assembles four codes at a time in a 64-bit bit accumulator; unpack walks the stream a byte at a time
// through a table that yields up to two values per byte. Framing faults can only show at the end of a stream
// (every nibble sequence is well framed until it stops), so the fast path covers everything but the last codes,
// and any fault found there is reported by a plain nibble-wise re-scan that names the nibble offset.
#include "spark/codec/stream.h"

#include <algorithm>
#include <array>
#include <cstring>

#include <fmt/format.h>

#include "spark/common/error.h"

namespace spark::codec {

namespace {

// Big-endian store of 8 bytes; compilers turn the shifts into one byte-swapped store.
inline void store_be64(std::uint8_t* p, std::uint64_t v) {
    p[0] = static_cast<std::uint8_t>(v >> 56);
    p[1] = static_cast<std::uint8_t>(v >> 48);
    p[2] = static_cast<std::uint8_t>(v >> 40);
    p[3] = static_cast<std::uint8_t>(v >> 32);
    p[4] = static_cast<std::uint8_t>(v >> 24);
    p[5] = static_cast<std::uint8_t>(v >> 16);
    p[6] = static_cast<std::uint8_t>(v >> 8);
    p[7] = static_cast<std::uint8_t>(v);
}

const Code* encode_table(Mode mode) {
    return mode == Mode::unsigned_u8 ? detail::kEncodeUnsigned.data() : detail::kEncodeSigned.data();
}

// What one stream byte yields, given whether it starts with the second half of a long code.
struct DecodeStep {
    std::uint8_t value[2];
    std::uint8_t count;
    std::uint8_t unused;
};

// Index b: the byte starts on a code boundary. Index 256 + (p & 7) * 256 + b: the byte starts with the second
// half of a long code whose first nibble p (c0 = 1, so 8 choices) ended the previous byte.
template <Mode M>
std::array<DecodeStep, 256 * 9> make_decode_table() {
    std::array<DecodeStep, 256 * 9> table{};
    for (unsigned b = 0; b < 256; ++b) {
        const auto high = static_cast<std::uint8_t>(b >> 4);
        const auto low = static_cast<std::uint8_t>(b & 0x0F);
        DecodeStep& aligned = table[b];
        if (high & 0x08) {
            aligned.value[0] = detail::decode_long(static_cast<std::uint8_t>(b));
            aligned.count = 1;
        } else {
            aligned.value[0] = detail::decode_short(high, M);
            aligned.value[1] = detail::decode_short(low, M);
            aligned.count = (low & 0x08) ? 1 : 2;
        }
        for (unsigned p = 0; p < 8; ++p) {
            DecodeStep& straddling = table[256 + p * 256 + b];
            straddling.value[0] = detail::decode_long(static_cast<std::uint8_t>(((0x08 | p) << 4) | high));
            straddling.value[1] = detail::decode_short(low, M);
            straddling.count = (low & 0x08) ? 1 : 2;
        }
    }
    return table;
}

const DecodeStep* decode_table(Mode mode) {
    static const auto unsigned_table = make_decode_table<Mode::unsigned_u8>();
    static const auto signed_table = make_decode_table<Mode::signed_i8>();
    return mode == Mode::unsigned_u8 ? unsigned_table.data() : signed_table.data();
}

std::uint8_t get_nibble(const std::vector<std::uint8_t>& bytes, std::uint64_t index) {
    const std::uint8_t byte = bytes[index / 2];
    return index % 2 == 0 ? static_cast<std::uint8_t>(byte >> 4) : static_cast<std::uint8_t>(byte & 0x0F);
}

// The reference decoder: one nibble at a time, every framing rule checked where it applies. The fast path
// falls back to it to name the first fault.
void unpack_checked(const EncodedStream& s, Mode mode, std::uint8_t* out) {
    std::uint64_t produced = 0;
    for (std::uint64_t i = 0; i < s.nibbles; ++i) {
        const std::uint8_t first = get_nibble(s.bytes, i);
        Code code{first, 4};
        if (first & 0x08) {
            if (i + 1 >= s.nibbles)
                throw Error(fmt::format("encoded stream: truncated long code at nibble {} (stream has {} nibbles)", i,
                                        s.nibbles));
            code = Code{static_cast<std::uint8_t>((first << 4) | get_nibble(s.bytes, ++i)), 8};
        }
        if (produced == s.values)
            throw Error(fmt::format("encoded stream: more codes than the {} values declared (extra code at nibble {})",
                                    s.values, code.is_long() ? i - 1 : i));
        out[produced++] = decode(code, mode);
    }
    if (produced != s.values)
        throw Error(fmt::format("encoded stream: {} values declared but {} nibbles hold only {}", s.values, s.nibbles,
                                produced));
    if (s.nibbles % 2 == 1 && (s.bytes.back() & 0x0F) != 0)
        throw Error(fmt::format("encoded stream: pad nibble after nibble {} is 0x{:X}, not 0", s.nibbles - 1,
                                s.bytes.back() & 0x0F));
}

}  // namespace

void pack(const std::uint8_t* raw, std::size_t n, Mode mode, EncodedStream& out) {
    if (out.bytes.size() != (out.nibbles + 1) / 2)
        throw Error(fmt::format("encoded stream: cannot append to a stream of {} nibbles held in {} bytes", out.nibbles,
                                out.bytes.size()));
    const Code* table = encode_table(mode);

    // The accumulator holds `bits` pending code bits right-aligned (0 or 4 between blocks); bits above them are
    // stale and shift out unused. An odd stream re-opens its last byte so the next code fills its low half.
    std::uint64_t acc = 0;
    unsigned bits = 0;
    std::size_t pos = out.bytes.size();
    if (out.nibbles % 2 == 1) {
        acc = out.bytes.back() >> 4;
        bits = 4;
        --pos;
    }
    // Worst case one byte per value, plus the slack the 8-byte stores run into.
    out.bytes.resize(pos + n + 9);
    std::uint8_t* const begin = out.bytes.data() + pos;
    std::uint8_t* dst = begin;
    std::uint64_t nibbles = 0;

    std::size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        const Code c0 = table[raw[i]], c1 = table[raw[i + 1]], c2 = table[raw[i + 2]], c3 = table[raw[i + 3]];
        // Combine the four codes independently of the accumulator so only one shift joins the carried chain.
        const std::uint32_t pair01 = (std::uint32_t{c0.bits} << c1.length_bits) | c1.bits;
        const std::uint32_t pair23 = (std::uint32_t{c2.bits} << c3.length_bits) | c3.bits;
        const unsigned len23 = unsigned{c2.length_bits} + c3.length_bits;
        const unsigned len = unsigned{c0.length_bits} + c1.length_bits + len23;
        const std::uint64_t block = (std::uint64_t{pair01} << len23) | pair23;
        acc = (acc << len) | block;
        bits += len;  // at most 4 + 32
        store_be64(dst, acc << (64 - bits));
        dst += bits >> 3;
        bits &= 7;
        nibbles += len >> 2;
    }
    for (; i < n; ++i) {
        const Code c = table[raw[i]];
        acc = (acc << c.length_bits) | c.bits;
        bits += c.length_bits;
        store_be64(dst, acc << (64 - bits));
        dst += bits >> 3;
        bits &= 7;
        nibbles += c.length_bits >> 2;
    }
    // A half byte left over: its nibble is already in the high half of *dst, with a zero pad below it.
    const std::size_t written = static_cast<std::size_t>(dst - begin) + (bits ? 1 : 0);
    out.bytes.resize(pos + written);
    out.nibbles += nibbles;
    out.values += n;
}

EncodedStream pack(const std::vector<std::uint8_t>& raw, Mode mode) {
    EncodedStream s;
    pack(raw.data(), raw.size(), mode, s);
    return s;
}

std::uint64_t encoded_nibbles(const std::uint8_t* raw, std::size_t n, Mode mode) {
    const Code* table = encode_table(mode);
    std::uint64_t nibbles = 0;
    for (std::size_t i = 0; i < n; ++i) nibbles += table[raw[i]].length_bits >> 2;
    return nibbles;
}

void unpack(const EncodedStream& s, Mode mode, std::uint8_t* out, std::size_t out_capacity) {
    if ((s.nibbles + 1) / 2 != s.bytes.size())
        throw Error(fmt::format("encoded stream: {} nibbles need {} bytes but {} are present", s.nibbles,
                                (s.nibbles + 1) / 2, s.bytes.size()));
    if (s.values > out_capacity)
        throw Error(fmt::format("encoded stream: {} values do not fit an output of {}", s.values, out_capacity));

    const DecodeStep* const table = decode_table(mode);
    const std::uint8_t* const in = s.bytes.data();
    const std::size_t full_bytes = static_cast<std::size_t>(s.nibbles / 2);
    // A local, not s.values: stores through `out` (a byte pointer) may alias anything, so the compiler would
    // reload the field after every store.
    const std::uint64_t values = s.values;
    std::uint64_t produced = 0;
    unsigned straddle = 0;  // 1 when the next byte starts with the second half of a long code
    unsigned previous = 0;
    std::size_t i = 0;
    // Each step stores two values and keeps `count` of them, so it runs while two more fit the declared count.
    const auto step = [&](unsigned b) {
        const DecodeStep d = table[b + straddle * (256 + ((previous & 7) << 8))];
        out[produced] = d.value[0];
        out[produced + 1] = d.value[1];
        produced += d.count;
        // A long code starts in the low half unless the high half itself began one (which then fills the byte).
        straddle = (b >> 3) & 1 & (straddle | ((b >> 7) ^ 1));
        previous = b;
    };
    // Blocks of eight bytes while sixteen more values fit (a byte yields at most two), so the block's steps need
    // no count check. A block on a code boundary whose eight bytes all start with a long code's indicator is
    // eight whole long codes (a run of large values): decoded together.
    constexpr std::uint64_t kIndicators = 0x8080808080808080ull;
    while (i + 8 <= full_bytes && produced + 16 <= values) {
        std::uint64_t w;
        std::memcpy(&w, in + i, 8);
        if (straddle == 0 && (w & kIndicators) == kIndicators) {
            const std::uint64_t decoded = (w & 0x7F7F7F7F7F7F7F7Full) | ((w & 0x1010101010101010ull) << 3);
            std::memcpy(out + produced, &decoded, 8);
            produced += 8;
            previous = in[i + 7];
        } else {
            for (unsigned j = 0; j < 8; ++j) step(in[i + j]);
        }
        i += 8;
    }
    for (; i < full_bytes && produced + 2 <= values; ++i) step(in[i]);

    // The last codes, nibble by nibble; any disagreement with the declared counts is left to the re-scan.
    bool fault = false;
    std::uint64_t nibble = 2 * std::uint64_t{i};
    if (straddle) {
        // The first half of a long code ended the last byte of the fast path.
        if (nibble >= s.nibbles || produced >= s.values) {
            fault = true;
        } else {
            out[produced++] = decode(Code{static_cast<std::uint8_t>((previous << 4) | get_nibble(s.bytes, nibble)), 8},
                                     mode);
            ++nibble;
        }
    }
    while (!fault && nibble < s.nibbles) {
        const std::uint8_t first = get_nibble(s.bytes, nibble++);
        Code code{first, 4};
        if (first & 0x08) {
            if (nibble >= s.nibbles) {
                fault = true;
                break;
            }
            code = Code{static_cast<std::uint8_t>((first << 4) | get_nibble(s.bytes, nibble++)), 8};
        }
        if (produced == s.values) {
            fault = true;
            break;
        }
        out[produced++] = decode(code, mode);
    }
    if (fault || produced != s.values || (s.nibbles % 2 == 1 && (s.bytes.back() & 0x0F) != 0))
        unpack_checked(s, mode, out);
}

std::vector<std::uint8_t> unpack(const EncodedStream& s, Mode mode) {
    // Each value needs at least one nibble, so a declared count beyond the nibbles is caught before allocating.
    if (s.values > s.nibbles)
        throw Error(fmt::format("encoded stream: {} values declared but only {} nibbles present", s.values, s.nibbles));
    std::vector<std::uint8_t> out(s.values);
    unpack(s, mode, out.data(), out.size());
    return out;
}

}  // namespace spark::codec
