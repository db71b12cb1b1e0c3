// SPDX-License-Identifier: Apache-2.0
// Dumps the weights of the networks shipped in @vladmandic/face-api as float32 .npy files, and the real input
// activations of their convolutions on the shipped photos.
//
// usage: node dump_faceapi.js CACHE_DIR OUT_DIR [--activations]
//
// Weights are decoded from the tfjs weight manifests (model/*-weights_manifest.json + .bin shards) here, not by
// tfjs: float32/int32 as stored; quantised entries as tfjs defines them: uint8/uint16 affine
// (value = q * scale + min), float16 (IEEE half). Only float tensors are written (int32 entries are shape
// constants). OUT_DIR/<model>/weights/<name>.npy (kernels; other tensors in vectors/) keeps the tfjs layout (conv filters HWIO, depthwise HWC1);
// OUT_DIR/<model>/weights.json lists each tensor with its shape, layout and how the file stored it.
//
// With --activations the networks run in tfjs on its pure-JavaScript CPU backend (no native bindings) on the
// sample photos; every Conv2D / depthwise input of the first photo is written to OUT_DIR/<model>/activations/
// (NHWC float32) with an index in activations.json.
'use strict';
const fs = require('fs');
const path = require('path');
const { writeNpy } = require('./npy');

const MODELS = ['ssd_mobilenetv1_model', 'face_recognition_model', 'face_landmark_68_model', 'age_gender_model'];

function fail(msg) { console.error(`error: ${msg}`); process.exit(1); }

function halfToFloat(h) {
  const s = (h & 0x8000) ? -1 : 1; const e = (h >> 10) & 0x1f; const f = h & 0x3ff;
  if (e === 0) return s * Math.pow(2, -14) * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * Math.pow(2, e - 15) * (1 + f / 1024);
}

function decodeManifest(modelDir, model) {
  const manifestPath = path.join(modelDir, `${model}-weights_manifest.json`);
  if (!fs.existsSync(manifestPath)) fail(`${manifestPath}: no such manifest`);
  const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  const tensors = [];
  for (const group of manifest) {
    const shards = group.paths.map((p) => fs.readFileSync(path.join(modelDir, p)));
    const buf = Buffer.concat(shards);
    let offset = 0;
    for (const w of group.weights) {
      const count = w.shape.reduce((a, b) => a * b, 1);
      const q = w.quantization;
      let values;
      let bytes;
      if (q) {
        const size = { uint8: 1, uint16: 2, float16: 2 }[q.dtype];
        if (!size) fail(`${manifestPath}: ${w.name}: unsupported quantisation dtype ${q.dtype}`);
        bytes = count * size;
        if (offset + bytes > buf.length) fail(`${manifestPath}: ${w.name}: shard data ends early`);
        values = new Float32Array(count);
        for (let i = 0; i < count; i++) {
          const at = offset + i * size;
          if (q.dtype === 'uint8') values[i] = buf[at] * q.scale + q.min;
          else if (q.dtype === 'uint16') values[i] = buf.readUInt16LE(at) * q.scale + q.min;
          else values[i] = halfToFloat(buf.readUInt16LE(at));
        }
        if (w.dtype === 'int32') values = Int32Array.from(values, Math.round);
      } else {
        if (w.dtype !== 'float32' && w.dtype !== 'int32') fail(`${manifestPath}: ${w.name}: unsupported dtype ${w.dtype}`);
        bytes = count * 4;
        if (offset + bytes > buf.length) fail(`${manifestPath}: ${w.name}: shard data ends early`);
        const copy = Buffer.from(buf.subarray(offset, offset + bytes));
        values = w.dtype === 'float32' ? new Float32Array(copy.buffer, copy.byteOffset, count)
          : new Int32Array(copy.buffer, copy.byteOffset, count);
      }
      offset += bytes;
      tensors.push({ name: w.name, shape: w.shape, dtype: w.dtype, quantization: q || null, values });
    }
    if (offset !== buf.length) fail(`${manifestPath}: ${buf.length - offset} bytes left after the last weight`);
  }
  return tensors;
}

function layoutOf(name, shape) {
  if (shape.length === 4 && /depthwise/.test(name)) return 'HWC1 (depthwise)';
  if (shape.length === 4) return 'HWIO';
  if (shape.length === 2) return 'IO (dense)';
  return 'vector';
}

function fileName(name) { return name.replace(/[^A-Za-z0-9_.-]/g, '__') + '.npy'; }

function dumpWeights(modelDir, outDir) {
  for (const model of MODELS) {
    // Kernels (rank 4 conv filters, rank 2 dense matrices) go to weights/; biases, batch-norm vectors and the SSD's
    // anchor table (Output/extra_dim, rank 3) go to vectors/,
    // so a report over weights/ counts what the PE array multiplies.
    for (const sub of ['weights', 'vectors']) fs.mkdirSync(path.join(outDir, model, sub), { recursive: true });
    const index = [];
    let count = 0;
    for (const t of decodeManifest(modelDir, model)) {
      if (t.dtype !== 'float32') continue;
      const kernel = t.shape.length === 2 || t.shape.length === 4;
      const file = `${kernel ? 'weights' : 'vectors'}/${fileName(t.name)}`;
      writeNpy(path.join(outDir, model, file), t.values, t.shape);
      index.push({ name: t.name, file, shape: t.shape, layout: layoutOf(t.name, t.shape),
        stored_as: t.quantization ? `${t.quantization.dtype} affine (scale ${t.quantization.scale}, min ${t.quantization.min})`
          : 'float32' });
      if (kernel) count += t.values.length;
    }
    fs.writeFileSync(path.join(outDir, model, 'weights.json'), JSON.stringify(index, null, 1));
    console.log(`${model}: ${index.length} float tensors, ${count} kernel weights -> ${path.join(outDir, model)}`);
  }
}

function loadImage(tf, file) {
  const jpeg = require(path.join(process.env.SPARK_FACEAPI_NODE_MODULES, 'jpeg-js'));
  const img = jpeg.decode(fs.readFileSync(file), { useTArray: true, formatAsRGBA: true });
  const rgb = new Int32Array(img.width * img.height * 3);
  for (let i = 0, j = 0; i < img.data.length; i += 4) { rgb[j++] = img.data[i]; rgb[j++] = img.data[i + 1]; rgb[j++] = img.data[i + 2]; }
  return tf.tensor3d(rgb, [img.height, img.width, 3], 'int32');
}

async function dumpActivations(env, outDir) {
  const { tf, faceapi, modelDir, photos } = env;
  const engine = tf.engine();
  const original = engine.runKernel.bind(engine);
  let capture = null;
  engine.runKernel = function (kernelName, inputs, attrs) {
    if (capture && /Conv2D|DepthwiseConv2d/.test(kernelName) && inputs.x && inputs.filter) {
      capture.push({ kernel: kernelName, shape: inputs.x.shape.slice(), filter: inputs.filter.shape.slice(),
        strides: attrs.strides, pad: attrs.pad,
        values: inputs.x.dataSync().slice() });
    }
    return original(kernelName, inputs, attrs);
  };
  await faceapi.nets.ssdMobilenetv1.loadFromDisk(modelDir);
  await faceapi.nets.faceLandmark68Net.loadFromDisk(modelDir);
  await faceapi.nets.faceRecognitionNet.loadFromDisk(modelDir);
  const image = loadImage(tf, photos[0]);
  const stages = [
    ['ssd_mobilenetv1_model', () => faceapi.nets.ssdMobilenetv1.forwardInput ? faceapi.nets.ssdMobilenetv1.locateFaces(image) : null],
    ['face_recognition_model', async () => {
      const det = await faceapi.detectSingleFace(image, new faceapi.SsdMobilenetv1Options({ minConfidence: 0.5 }))
        .withFaceLandmarks();
      if (!det) return null;
      const [face] = await faceapi.extractFaceTensors(image, [det.alignedRect]);
      capture = [];
      await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(face);
      return true;
    }],
  ];
  for (const [model, run] of stages) {
    capture = model === 'ssd_mobilenetv1_model' ? [] : null;
    await run();
    const taken = capture || [];
    capture = null;
    const dir = path.join(outDir, model, 'activations');
    fs.mkdirSync(dir, { recursive: true });
    const index = taken.map((c, i) => {
      const file = `conv${String(i).padStart(3, '0')}_input.npy`;
      writeNpy(path.join(dir, file), c.values, c.shape);
      return { call: i, kernel: c.kernel, file: `activations/${file}`, shape: c.shape, filter_shape: c.filter,
        strides: c.strides, pad: c.pad };
    });
    fs.writeFileSync(path.join(outDir, model, 'activations.json'), JSON.stringify({ photo: path.basename(photos[0]), layers: index }, null, 1));
    console.log(`${model}: ${index.length} convolution inputs from ${path.basename(photos[0])}`);
  }
  engine.runKernel = original;
}

async function main() {
  const [cache, outDir, ...flags] = process.argv.slice(2);
  if (!cache || !outDir) fail('usage: node dump_faceapi.js CACHE_DIR OUT_DIR [--activations]');
  const nm = path.join(cache, 'node_modules');
  const pkg = path.join(nm, '@vladmandic', 'face-api');
  if (!fs.existsSync(pkg)) fail(`no @vladmandic/face-api under ${nm} (run scripts/realdata/fetch_faceapi.sh)`);
  const modelDir = path.join(pkg, 'model');
  dumpWeights(modelDir, outDir);
  if (flags.includes('--activations')) {
    process.env.SPARK_FACEAPI_NODE_MODULES = nm;
    const tf = require(path.join(nm, '@tensorflow', 'tfjs'));
    const faceapi = require(path.join(pkg, 'dist', 'face-api.node-wasm.js'));
    await tf.setBackend('cpu');
    await tf.ready();
    const photos = fs.readdirSync(path.join(pkg, 'demo')).filter((f) => /^sample\d+\.jpg$/.test(f)).sort()
      .map((f) => path.join(pkg, 'demo', f));
    await dumpActivations({ tf, faceapi, modelDir, photos }, outDir);
  }
}

if (require.main === module) main().catch((e) => fail(e.stack || String(e)));
module.exports = { decodeManifest, loadImage, MODELS };
