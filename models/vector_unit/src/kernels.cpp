// SPDX-License-Identifier: Apache-2.0
#include "spark/vector_unit/kernels.h"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "spark/common/error.h"

namespace spark::vector_unit {

FixedMultiplier make_multiplier(double real) {
    if (!(real > 0.0) || !(real < 0x1.0p31))
        throw Error(fmt::format("requantisation multiplier {} is outside (0, 2^31)", real));
    int e = 0;
    const double f = std::frexp(real, &e);  // real = f * 2^e, f in [0.5, 1)
    FixedMultiplier m;
    m.mantissa = static_cast<std::int64_t>(std::round(std::ldexp(f, 31)));
    if (m.mantissa == (std::int64_t{1} << 31)) {
        m.mantissa >>= 1;
        ++e;
    }
    m.shift = 31 - e;
    if (m.shift > 62) {  // tiny multipliers: keep the shift in range, dropping mantissa bits
        m.mantissa = rounding_shift(m.mantissa, m.shift - 62);
        m.shift = 62;
    }
    return m;
}

void make_multiplier_pair(double real_a, double real_b, FixedMultiplier& a, FixedMultiplier& b) {
    const bool a_larger = real_a >= real_b;
    FixedMultiplier& big = a_larger ? a : b;
    FixedMultiplier& small = a_larger ? b : a;
    const double small_real = a_larger ? real_b : real_a;
    big = make_multiplier(a_larger ? real_a : real_b);
    if (!(small_real > 0.0)) throw Error(fmt::format("requantisation multiplier {} is not positive", small_real));
    small.shift = big.shift;
    small.mantissa = static_cast<std::int64_t>(std::round(std::ldexp(small_real, big.shift)));
}

std::int64_t rounding_shift(std::int64_t x, int shift) {
    if (shift <= 0) return x;
    // |x| < 2^62 (the header's contract) rounds to 0 past 62 bits, and a shift of 64 or more is undefined in C++:
    // a multiplier from a descriptor's scales can be as small as a double gets.
    if (shift > 62) return 0;
    const std::int64_t half = std::int64_t{1} << (shift - 1);
    return x >= 0 ? (x + half) >> shift : -((-x + half) >> shift);
}

std::int64_t apply(std::int64_t x, const FixedMultiplier& m) {
    constexpr std::int64_t limit = std::int64_t{1} << 31;
    if (x >= limit || x <= -limit) throw Error(fmt::format("requantisation input {} exceeds 2^31", x));
    return rounding_shift(x * m.mantissa, m.shift);
}

std::int32_t requantize(std::int64_t x, const FixedMultiplier& m, const Quant& out) {
    const std::int64_t q = out.zero_point + apply(x, m);
    return static_cast<std::int32_t>(std::clamp<std::int64_t>(q, out.min_code(), out.max_code()));
}

void require_zero_point(const Quant& q, const char* what) {
    if (q.zero_point < q.min_code() || q.zero_point > q.max_code())
        throw Error(fmt::format("{}: zero point {} outside the {} codes", what, q.zero_point, to_string(q.dtype)));
}

namespace {

QTensor make(const Shape& shape, const Quant& quant) {
    QTensor t;
    t.shape = shape;
    t.quant = quant;
    t.bytes.assign(static_cast<std::size_t>(element_count(shape)), 0);
    return t;
}

void require_nchw(const QTensor& t, const char* what) {
    if (t.shape.size() != 4)
        throw Error(fmt::format("{}: expected an NCHW tensor, got shape {}", what, to_string(t.shape)));
}

// Visits every output position of a pooling window, handing over the sum / max of the in-bounds codes (relative
// to the input zero point for the sum) and their count. `rows` picks output rows and says which input rows `in`
// holds (all of them, and every output row, for a whole pool).
template <typename Reduce>
QTensor pool(const QTensor& in, const PoolRows* rows, const Window2d& w, const Quant& out, const char* what,
             Reduce reduce) {
    require_nchw(in, what);
    require_zero_point(in.quant, what);
    require_zero_point(out, what);
    const std::int64_t n = in.shape[0], c = in.shape[1], held = in.shape[2], wd = in.shape[3];
    const std::int64_t in_row0 = rows ? rows->in_row0 : 0, h = rows ? rows->image_h : held;
    const std::int64_t oh = (h + 2 * w.pad_h - w.kernel_h) / w.stride_h + 1;
    const std::int64_t ow = (wd + 2 * w.pad_w - w.kernel_w) / w.stride_w + 1;
    if (oh < 1 || ow < 1) throw Error(fmt::format("{}: the window is larger than the padded input", what));
    const std::int64_t y_first = rows ? rows->out_row0 : 0, y_count = rows ? rows->out_rows : oh;
    if (in_row0 < 0 || held > h - in_row0 || y_first < 0 || y_count < 1 || y_count > oh - y_first)
        throw Error(fmt::format("{}: output rows {}..{} from input rows {}..{} of {} ({} output rows)", what, y_first,
                                y_first + y_count, in_row0, in_row0 + held, h, oh));
    QTensor o = make({n, c, y_count, ow}, out);
    std::size_t idx = 0;
    for (std::int64_t b = 0; b < n; ++b)
        for (std::int64_t ch = 0; ch < c; ++ch) {
            const std::size_t plane = static_cast<std::size_t>((b * c + ch) * held * wd);
            for (std::int64_t y = y_first; y < y_first + y_count; ++y)
                for (std::int64_t x = 0; x < ow; ++x) {
                    const std::int64_t y0 = std::max<std::int64_t>(y * w.stride_h - w.pad_h, 0);
                    const std::int64_t y1 = std::min<std::int64_t>(y * w.stride_h - w.pad_h + w.kernel_h, h);
                    const std::int64_t x0 = std::max<std::int64_t>(x * w.stride_w - w.pad_w, 0);
                    const std::int64_t x1 = std::min<std::int64_t>(x * w.stride_w - w.pad_w + w.kernel_w, wd);
                    if (y0 >= y1 || x0 >= x1) throw Error(fmt::format("{}: a window lies wholly in padding", what));
                    if (y0 < in_row0 || y1 > in_row0 + held)
                        throw Error(fmt::format("{}: output row {} reads input rows {}..{}, outside the {}..{} held",
                                                what, y, y0, y1, in_row0, in_row0 + held));
                    std::vector<std::int32_t> codes;
                    for (std::int64_t yy = y0; yy < y1; ++yy)
                        for (std::int64_t xx = x0; xx < x1; ++xx)
                            codes.push_back(in.code(plane + static_cast<std::size_t>((yy - in_row0) * wd + xx)));
                    o.set_code(idx++, reduce(codes));
                }
        }
    return o;
}

// The reductions of max_pool and avg_pool, for whole pools and rows of them.
auto max_of(const QTensor& in, const Quant& out) {
    return [m = make_multiplier(in.quant.scale / out.scale), zp = in.quant.zero_point,
            out](const std::vector<std::int32_t>& codes) {
        const std::int32_t top = *std::max_element(codes.begin(), codes.end());
        return requantize(top - zp, m, out);
    };
}

auto mean_of(const QTensor& in, const Quant& out) {
    // Border windows hold fewer elements: one multiplier per count.
    return [by_count = std::map<std::size_t, FixedMultiplier>{}, in_q = in.quant,
            out](const std::vector<std::int32_t>& codes) mutable {
        auto it = by_count.find(codes.size());
        if (it == by_count.end())
            it = by_count
                     .emplace(codes.size(),
                              make_multiplier(in_q.scale / (out.scale * static_cast<double>(codes.size()))))
                     .first;
        std::int64_t sum = 0;
        for (std::int32_t c : codes) sum += c - in_q.zero_point;
        return requantize(sum, it->second, out);
    };
}

}  // namespace

QTensor max_pool(const QTensor& in, const Window2d& w, const Quant& out) {
    return pool(in, nullptr, w, out, "max_pool", max_of(in, out));
}

QTensor avg_pool(const QTensor& in, const Window2d& w, const Quant& out) {
    return pool(in, nullptr, w, out, "avg_pool", mean_of(in, out));
}

QTensor max_pool_rows(const QTensor& in, const PoolRows& rows, const Window2d& w, const Quant& out) {
    return pool(in, &rows, w, out, "max_pool", max_of(in, out));
}

QTensor avg_pool_rows(const QTensor& in, const PoolRows& rows, const Window2d& w, const Quant& out) {
    return pool(in, &rows, w, out, "avg_pool", mean_of(in, out));
}

QTensor global_avg_pool(const QTensor& in, const Quant& out) {
    require_nchw(in, "global_avg_pool");
    Window2d w;
    w.kernel_h = w.stride_h = in.shape[2];
    w.kernel_w = w.stride_w = in.shape[3];
    return avg_pool(in, w, out);
}

QTensor add(const QTensor& a, const QTensor& b, const Quant& out) {
    for (const Quant* q : {&a.quant, &b.quant, &out}) require_zero_point(*q, "add");
    if (a.shape != b.shape)
        throw Error(fmt::format("add: shapes differ: {} and {}", to_string(a.shape), to_string(b.shape)));
    FixedMultiplier ma, mb;
    make_multiplier_pair(a.quant.scale / out.scale, b.quant.scale / out.scale, ma, mb);
    QTensor o = make(a.shape, out);
    for (std::size_t i = 0; i < o.bytes.size(); ++i) {
        const std::int64_t acc = std::int64_t{a.code(i) - a.quant.zero_point} * ma.mantissa +
                                 std::int64_t{b.code(i) - b.quant.zero_point} * mb.mantissa;
        const std::int64_t q = out.zero_point + rounding_shift(acc, ma.shift);
        o.set_code(i, static_cast<std::int32_t>(std::clamp<std::int64_t>(q, out.min_code(), out.max_code())));
    }
    return o;
}

QTensor relu(const QTensor& in, const Quant& out) {
    require_zero_point(in.quant, "relu");
    require_zero_point(out, "relu");
    const FixedMultiplier m = make_multiplier(in.quant.scale / out.scale);
    QTensor o = make(in.shape, out);
    for (std::size_t i = 0; i < o.bytes.size(); ++i)
        o.set_code(i, requantize(std::max(in.code(i), in.quant.zero_point) - in.quant.zero_point, m, out));
    return o;
}

QTensor requantize(const QTensor& in, const Quant& out) {
    require_zero_point(in.quant, "requantize");
    require_zero_point(out, "requantize");
    const FixedMultiplier m = make_multiplier(in.quant.scale / out.scale);
    QTensor o = make(in.shape, out);
    for (std::size_t i = 0; i < o.bytes.size(); ++i) o.set_code(i, requantize(in.code(i) - in.quant.zero_point, m, out));
    return o;
}

QTensor reshape(const QTensor& in, const Shape& shape) {
    if (element_count(shape) != element_count(in.shape))
        throw Error(fmt::format("reshape: {} does not hold the elements of {}", to_string(shape), to_string(in.shape)));
    QTensor o = in;
    o.shape = shape;
    return o;
}

QTensor transpose(const QTensor& in, const std::vector<std::int64_t>& perm) {
    const std::size_t r = in.shape.size();
    if (perm.size() != r) throw Error(fmt::format("transpose: perm has {} entries for rank {}", perm.size(), r));
    std::vector<std::int64_t> in_stride(r, 1);
    for (std::size_t d = r; d-- > 1;) in_stride[d - 1] = in_stride[d] * in.shape[d];
    Shape out_shape(r);
    for (std::size_t d = 0; d < r; ++d) out_shape[d] = in.shape.at(static_cast<std::size_t>(perm[d]));
    QTensor o = make(out_shape, in.quant);
    std::vector<std::int64_t> index(r, 0);  // output index, odometer order
    for (std::size_t i = 0; i < o.bytes.size(); ++i) {
        std::int64_t src = 0;
        for (std::size_t d = 0; d < r; ++d) src += index[d] * in_stride[static_cast<std::size_t>(perm[d])];
        o.bytes[i] = in.bytes[static_cast<std::size_t>(src)];
        for (std::size_t d = r; d-- > 0;) {
            if (++index[d] < out_shape[d]) break;
            index[d] = 0;
        }
    }
    return o;
}

QTensor concat(const std::vector<const QTensor*>& inputs, std::int64_t axis, const Quant& out) {
    if (inputs.empty()) throw Error("concat: no inputs");
    for (const QTensor* t : inputs) require_zero_point(t->quant, "concat");
    require_zero_point(out, "concat");
    Shape shape = inputs[0]->shape;
    const auto rank = static_cast<std::int64_t>(shape.size());
    if (axis < 0) axis += rank;
    if (axis < 0 || axis >= rank) throw Error(fmt::format("concat: axis {} outside rank {}", axis, rank));
    const auto ax = static_cast<std::size_t>(axis);
    // Every input must match the first but along the axis: the copy below walks each by the output's shape.
    for (const QTensor* t : inputs)
        for (std::size_t d = 0; d < shape.size(); ++d)
            if (t->shape.size() != shape.size() || (d != ax && t->shape[d] != shape[d]))
                throw Error(fmt::format("concat: shapes {} and {} differ off axis {}", to_string(inputs[0]->shape),
                                        to_string(t->shape), axis));
    shape[ax] = 0;
    for (const QTensor* t : inputs) shape[ax] += t->shape[ax];
    std::int64_t outer = 1, inner = 1;
    for (std::size_t d = 0; d < ax; ++d) outer *= shape[d];
    for (std::size_t d = ax + 1; d < shape.size(); ++d) inner *= shape[d];
    QTensor o = make(shape, out);
    std::size_t dst = 0;
    for (std::int64_t i = 0; i < outer; ++i)
        for (const QTensor* t : inputs) {
            const FixedMultiplier m = make_multiplier(t->quant.scale / out.scale);
            const std::int64_t block = t->shape[ax] * inner;
            for (std::int64_t j = 0; j < block; ++j)
                o.set_code(dst++, requantize(t->code(static_cast<std::size_t>(i * block + j)) - t->quant.zero_point,
                                             m, out));
        }
    return o;
}

}  // namespace spark::vector_unit
