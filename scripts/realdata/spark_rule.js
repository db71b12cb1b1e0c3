// SPDX-License-Identifier: Apache-2.0
// The SPARK code's value rule (docs/codec.md) restated in JavaScript, and per-tensor quantise-dequantise of float
// tensors through it, for running trained networks with coded weights and activations in tfjs.
//
// The C++ codec (models/codec/include/spark/codec/codec.h, variants.h) is the reference; test_spark_rule.js
// checks this file against its exported tables for all 256 values of both modes.
'use strict';

const MODES = ['signed', 'unsigned'];
const ROUNDINGS = ['truncate', 'nearest'];

function checkMode(mode) {
  if (!MODES.includes(mode)) throw new Error(`unknown codec mode '${mode}' (expected 'signed' or 'unsigned')`);
}

// Raw bits (0..255) of an integer of the mode: -128..127 (two's complement) or 0..255.
function toRaw(x) { return x & 0xff; }
function toInt(raw, mode) { return mode === 'signed' && raw >= 128 ? raw - 256 : raw; }

// Short code: unsigned 0..7 (b0..b4 zero), signed -4..3 (b0..b5 equal).
function isShort(x, mode) {
  checkMode(mode);
  return mode === 'unsigned' ? x >= 0 && x <= 7 : x >= -4 && x <= 3;
}

// The value the decoder gives back for integer x (the hardware's encoder: `truncate`). A long code drops b0 and
// the decoder copies it from b3; a value with b0 != b3 moves to the edge of the exact block on its side of 128.
function approximate(x, mode) {
  if (isShort(x, mode)) return x;
  const raw = toRaw(x);
  const b0 = (raw & 0x80) !== 0;
  const b3 = (raw & 0x10) !== 0;
  if (b0 === b3) return x;
  const moved = b0 ? (raw & 0xe0) | 0x10 : (raw & 0xe0) | 0x0f;
  return toInt(moved, mode);
}

function isExact(x, mode) { return approximate(x, mode) === x; }

// Code length in bits of integer x.
function codeBits(x, mode) { return isShort(x, mode) ? 4 : 8; }

// Lookup tables indexed by raw bits, built once from the rule above.
const tables = {};
function table(mode, rounding) {
  checkMode(mode);
  if (!ROUNDINGS.includes(rounding)) throw new Error(`unknown rounding '${rounding}' (expected 'truncate' or 'nearest')`);
  const key = `${mode}/${rounding}`;
  if (tables[key]) return tables[key];
  const lo = mode === 'signed' ? -128 : 0;
  const exact = [];
  for (let x = lo; x < lo + 256; x++) if (isExact(x, mode)) exact.push(x);
  const t = new Int16Array(256);
  for (let x = lo; x < lo + 256; x++) {
    if (rounding === 'truncate') { t[toRaw(x)] = approximate(x, mode); continue; }
    // Exact blocks are separated by gaps of 16 or 32 integers, so there is never a tie.
    let best = exact[0];
    for (const e of exact) if (Math.abs(e - x) < Math.abs(best - x)) best = e;
    t[toRaw(x)] = best;
  }
  tables[key] = t;
  return t;
}

// The integer the PE array computes with when x is stored under a rounding rule.
function coded(x, mode, rounding = 'truncate') { return table(mode, rounding)[toRaw(x)]; }

// Round half to even, as the C++ quantiser (and NumPy) round.
function roundHalfEven(v) {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

// Largest |x| or, with a percentile p < 100, the p-th percentile of |x| (linear interpolation as numpy).
function absRange(values, percentile = 100) {
  if (percentile >= 100) {
    let m = 0;
    for (let i = 0; i < values.length; i++) { const a = Math.abs(values[i]); if (a > m) m = a; }
    return m;
  }
  const a = Float64Array.from(values, Math.abs).sort();
  const pos = (percentile / 100) * (a.length - 1);
  const i = Math.floor(pos);
  return i + 1 < a.length ? a[i] + (a[i + 1] - a[i]) * (pos - i) : a[i];
}

// Quantises a float tensor per tensor and returns it dequantised, optionally through the SPARK code.
//   mode 'signed':   symmetric int8, scale = range / 127, q in -127..127
//   mode 'unsigned': uint8 with zero point 0, scale = range / 255, q in 0..255 (for non-negative tensors;
//                    negative values clamp to 0)
//   rounding: null (exact INT8), 'truncate' (the hardware's rule) or 'nearest' (offline re-quantisation)
//   percentile: 100 for min-max, else the clipping percentile of |x|
// Returns { values: Float32Array, scale, clipped, changed } (changed: values the code moved).
function quantDequant(values, { mode = 'signed', rounding = null, percentile = 100 } = {}) {
  checkMode(mode);
  const qmin = mode === 'signed' ? -127 : 0;
  const qmax = mode === 'signed' ? 127 : 255;
  const range = absRange(values, percentile);
  const out = new Float32Array(values.length);
  if (range === 0 || !Number.isFinite(range)) {
    if (!Number.isFinite(range)) throw new Error('quantisation needs finite values');
    return { values: out, scale: 1, clipped: 0, changed: 0 };
  }
  const scale = range / qmax;
  const t = rounding ? table(mode, rounding) : null;
  let clipped = 0;
  let changed = 0;
  for (let i = 0; i < values.length; i++) {
    let q = roundHalfEven(values[i] / scale);
    if (q < qmin) { q = qmin; clipped++; } else if (q > qmax) { q = qmax; clipped++; }
    if (t) { const c = t[toRaw(q)]; if (c !== q) changed++; q = c; }
    out[i] = q * scale;
  }
  return { values: out, scale, clipped, changed };
}

module.exports = { MODES, ROUNDINGS, toRaw, toInt, isShort, approximate, isExact, codeBits, coded, roundHalfEven,
  absRange, quantDequant };
