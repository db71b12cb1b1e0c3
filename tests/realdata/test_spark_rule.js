// SPDX-License-Identifier: Apache-2.0
// Checks the JavaScript restatement of the SPARK rule (scripts/realdata/spark_rule.js) against the C++ codec:
// the reference tables tests/data/spark-codec-{signed,unsigned}.csv for all 256 values of both modes, and, when
// the spark-codec executable is given, its quantise -> encode -> decode --dequantize path on a float tensor.
// No network access.
//
// usage: node test_spark_rule.js SOURCE_DIR [SPARK_CODEC WORK_DIR]
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const [srcArg, codecExe, work] = process.argv.slice(2);
const src = srcArg && path.resolve(srcArg);
if (!srcArg) { console.error('usage: node test_spark_rule.js SOURCE_DIR [SPARK_CODEC WORK_DIR]'); process.exit(2); }
const rule = require(path.join(src, 'scripts', 'realdata', 'spark_rule.js'));
const { writeNpy } = require(path.join(src, 'scripts', 'realdata', 'npy.js'));

function readTable(mode) {
  const file = path.join(src, 'tests', 'data', `spark-codec-${mode}.csv`);
  const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
  assert.strictEqual(lines[0], 'value,code_bits,length,decoded', `${file}: header`);
  return lines.slice(1).map((l) => {
    const [value, bits, length, decoded] = l.split(',');
    return { value: Number(value), bits, length: Number(length), decoded: Number(decoded) };
  });
}

let checks = 0;
for (const mode of rule.MODES) {
  const rows = readTable(mode);
  assert.strictEqual(rows.length, 256, `${mode}: 256 rows`);
  const exact = rows.filter((r) => r.decoded === r.value).map((r) => r.value);
  for (const r of rows) {
    assert.strictEqual(rule.approximate(r.value, mode), r.decoded, `${mode} ${r.value}: truncate`);
    assert.strictEqual(rule.coded(r.value, mode, 'truncate'), r.decoded, `${mode} ${r.value}: truncate table`);
    assert.strictEqual(rule.codeBits(r.value, mode), r.length, `${mode} ${r.value}: code length`);
    assert.strictEqual(r.bits.length, r.length, `${mode} ${r.value}: code bits column`);
    // nearest: the exactly coded value (by the C++ table) at the smallest distance; the table has no ties.
    const distances = exact.map((e) => Math.abs(e - r.value));
    const d = Math.min(...distances);
    assert.strictEqual(distances.filter((x) => x === d).length, 1, `${mode} ${r.value}: a tie`);
    const n = rule.coded(r.value, mode, 'nearest');
    assert.strictEqual(Math.abs(n - r.value), d, `${mode} ${r.value}: nearest distance`);
    assert.ok(exact.includes(n), `${mode} ${r.value}: nearest ${n} is not exact`);
    checks += 5;
  }
}
// Examples from docs/real-data.md (signed mode).
for (const [x, t, n] of [[20, 15, 15], [24, 15, 32], [-90, -80, -97], [-1, -1, -1], [127, 111, 111]]) {
  assert.strictEqual(rule.coded(x, 'signed', 'truncate'), t, `signed ${x}: truncate`);
  assert.strictEqual(rule.coded(x, 'signed', 'nearest'), n, `signed ${x}: nearest`);
  checks += 2;
}

// Quantise-dequantise by hand: max |x| = 127 -> scale 1; 20.5 rounds half to even to 20, then codes to 15.
{
  const x = Float32Array.from([127, -127, 20.5, 24, -90, 2.5, 0]);
  const exact = rule.quantDequant(x, { mode: 'signed' });
  const trunc = rule.quantDequant(x, { mode: 'signed', rounding: 'truncate' });
  const near = rule.quantDequant(x, { mode: 'signed', rounding: 'nearest' });
  const steps = (r) => Array.from(r.values, (v) => Math.round(v / r.scale));
  assert.deepStrictEqual(steps(exact), [127, -127, 20, 24, -90, 2, 0]);
  assert.deepStrictEqual(steps(trunc), [111, -112, 15, 15, -80, 2, 0]);
  assert.deepStrictEqual(steps(near), [111, -112, 15, 32, -97, 2, 0]);
  assert.strictEqual(trunc.changed, 5);
  const u = rule.quantDequant(Float32Array.from([255, 20, 7, 130, 200]), { mode: 'unsigned', rounding: 'truncate' });
  assert.deepStrictEqual(Array.from(u.values, (v) => Math.round(v / u.scale)), [255, 15, 7, 144, 208]);
  const p = rule.quantDequant(Float32Array.from([0, 1, 2, 3, 100]), { mode: 'signed', percentile: 75 });
  assert.strictEqual(p.clipped, 1);
  checks += 6;
}

// The C++ quantiser and codec on the same float tensor: spark-codec encode (symmetric int8, signed mode, the
// hardware's rule) then decode --dequantize must give the values quantDequant gives, to float32 rounding.
if (codecExe) {
  fs.mkdirSync(work, { recursive: true });
  let seed = 12345;
  const next = () => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed / 4294967296; };
  const x = new Float32Array(4096);
  for (let i = 0; i < x.length; i++) { const u = next() - 0.5; x[i] = -Math.sign(u) * 0.05 * Math.log(1 - 2 * Math.abs(u)); }
  const inFile = path.join(work, 'x.npy');
  writeNpy(inFile, x, [64, 64]);
  execFileSync(codecExe, ['encode', inFile, path.join(work, 'x.spk')]);
  execFileSync(codecExe, ['decode', '--dequantize', path.join(work, 'x.spk'), path.join(work, 'y.npy')]);
  const buf = fs.readFileSync(path.join(work, 'y.npy'));
  const headerLen = buf.readUInt16LE(8);
  assert.ok(buf.toString('latin1', 10, 10 + headerLen).includes("'<f4'"), 'decoded dtype');
  const y = new Float32Array(buf.buffer.slice(buf.byteOffset + 10 + headerLen, buf.byteOffset + buf.length));
  const js = rule.quantDequant(x, { mode: 'signed', rounding: 'truncate' });
  assert.strictEqual(y.length, x.length);
  let moved = 0;
  for (let i = 0; i < x.length; i++) {
    assert.ok(Math.abs(y[i] - js.values[i]) <= 1e-6 * js.scale * 128, `element ${i}: C++ ${y[i]}, JS ${js.values[i]}`);
    if (Math.abs(js.values[i] - x[i]) > js.scale) moved++;
  }
  assert.ok(moved > 0, 'the tensor exercises approximated values');
  checks += x.length;
  console.log(`spark-codec round trip: ${x.length} values agree (${js.changed} moved by the code)`);
}
console.log(`spark_rule.js: ${checks} checks passed`);
