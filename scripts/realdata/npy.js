// SPDX-License-Identifier: Apache-2.0
// Minimal NumPy .npy writer (format 1.0, C order, little-endian) for float32 and int32 arrays.
'use strict';
const fs = require('fs');

function npyBytes(data, shape) {
  const descr = data instanceof Float32Array ? '<f4' : data instanceof Int32Array ? '<i4'
    : data instanceof Int8Array ? '|i1' : data instanceof Uint8Array ? '|u1' : null;
  if (!descr) throw new Error('npy: unsupported array type');
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // Magic (6) + version (2) + length (2) + header + '\n' padded to a multiple of 64, as numpy does.
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1; head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
}

function writeNpy(path, data, shape) {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new Error(`npy: ${path}: shape [${shape}] holds ${count} values, data ${data.length}`);
  fs.writeFileSync(path, npyBytes(data, shape));
}

module.exports = { writeNpy, npyBytes };
