// SPDX-License-Identifier: Apache-2.0
// End-to-end quality of the face-api networks with SPARK-coded weights and activations: runs the SSD-MobileNet-v1
// detector, the 68-point landmark net, the face-recognition net and the age/gender net on the package's sample
// photos with float weights and with each coding variant, and reports how the outputs move.
//
// usage: node quality_faceapi.js CACHE_DIR [--out FILE.json] [--photos N] [--variants a,b,...]
//                                [--act-percentile P] [--backend wasm|cpu]
//
// Variants (weights: every conv / dense kernel, per-tensor symmetric int8; biases and batch-norm vectors stay
// float, as the accumulator adds them at full width):
//   float              the shipped weights
//   int8_w             exact INT8 weights (quantise-dequantise)
//   spark_w_truncate   INT8 weights through the SPARK code, signed mode, the hardware's rule
//   spark_w_nearest    INT8 weights re-quantised to the nearest exactly coded value (offline)
//   int8_wa            INT8 weights and INT8 activations
//   spark_wa_truncate  SPARK weights (truncate) and SPARK activations (truncate: activations are coded online)
//   spark_wa_nearest   SPARK weights (nearest) and SPARK activations (truncate)
// Activations: every convolution input and dense-layer input is quantised per tensor at run time (scale from
// this tensor's own max |x|, or its --act-percentile), unsigned mode (uint8, zero point 0) for non-negative
// tensors, signed symmetric int8 otherwise (the normalised image), then coded.
//
// Every variant sees the same inputs: the detector the photo; the landmark net the float detector's face boxes;
// the recognition and age/gender nets the crops aligned with the float landmarks. So each figure is the effect
// of coding that net alone on identical inputs (plus, for detections, the detector's own output).
'use strict';
const fs = require('fs');
const path = require('path');
const rule = require('./spark_rule');

const VARIANTS = {
  float: { weights: null, acts: null },
  int8_w: { weights: 'int8', acts: null },
  spark_w_truncate: { weights: 'truncate', acts: null },
  spark_w_nearest: { weights: 'nearest', acts: null },
  int8_wa: { weights: 'int8', acts: 'int8' },
  spark_wa_truncate: { weights: 'truncate', acts: 'truncate' },
  spark_wa_nearest: { weights: 'nearest', acts: 'truncate' },
};
const MIN_CONFIDENCE = 0.5; // face-api's SsdMobilenetv1Options default
const MATCH_IOU = 0.5;
const SAME_PERSON = 0.6; // face-api's FaceMatcher default distance threshold

function fail(msg) { console.error(`error: ${msg}`); process.exit(1); }

function parseArgs(argv) {
  const opts = { out: null, photos: 0, variants: Object.keys(VARIANTS), actPercentile: 100, backend: 'wasm' };
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => { if (i + 1 >= argv.length) fail(`${a} needs a value`); return argv[++i]; };
    if (a === '--out') opts.out = value();
    else if (a === '--photos') {
      opts.photos = Number(value());
      if (!Number.isInteger(opts.photos) || opts.photos < 1) fail(`--photos: expected a positive integer, got '${argv[i]}'`);
    } else if (a === '--variants') {
      opts.variants = value().split(',').filter(Boolean);
      for (const v of opts.variants) if (!VARIANTS[v]) fail(`--variants: unknown variant '${v}' (known: ${Object.keys(VARIANTS).join(', ')})`);
      if (!opts.variants.includes('float')) opts.variants.unshift('float');
    } else if (a === '--act-percentile') {
      opts.actPercentile = Number(value());
      if (!(opts.actPercentile > 50 && opts.actPercentile <= 100)) fail(`--act-percentile: expected 50 < P <= 100, got '${argv[i]}'`);
    } else if (a === '--backend') {
      opts.backend = value();
      if (!['wasm', 'cpu'].includes(opts.backend)) fail(`--backend: expected 'wasm' or 'cpu', got '${opts.backend}'`);
    } else if (a.startsWith('--')) fail(`unknown option ${a}`);
    else rest.push(a);
  }
  if (rest.length !== 1) fail('usage: node quality_faceapi.js CACHE_DIR [--out FILE.json] [--photos N] [--variants a,b,...] [--act-percentile P] [--backend wasm|cpu]');
  opts.cache = rest[0];
  return opts;
}

function iou(a, b) {
  const x0 = Math.max(a.x, b.x); const y0 = Math.max(a.y, b.y);
  const x1 = Math.min(a.x + a.width, b.x + b.width); const y1 = Math.min(a.y + a.height, b.y + b.height);
  const inter = Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
  const union = a.width * a.height + b.width * b.height - inter;
  return union > 0 ? inter / union : 0;
}

// Greedy one-to-one matching: float detections by falling score each take the free variant detection of
// highest IoU, if that IoU reaches MATCH_IOU.
function matchDetections(ref, got) {
  const order = ref.map((d, i) => i).sort((i, j) => ref[j].score - ref[i].score || i - j);
  const taken = new Array(got.length).fill(false);
  const pairs = [];
  for (const i of order) {
    let best = -1; let bestIou = MATCH_IOU;
    got.forEach((g, j) => { const v = iou(ref[i].box, g.box); if (!taken[j] && v >= bestIou) { best = j; bestIou = v; } });
    if (best >= 0) { taken[best] = true; pairs.push({ ref: i, got: best, iou: bestIou, dscore: Math.abs(got[best].score - ref[i].score) }); }
  }
  return pairs;
}

function euclidean(a, b) { let s = 0; for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2; return Math.sqrt(s); }
function mean(xs) { return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null; }
function max(xs) { return xs.length ? Math.max(...xs) : null; }

// The networks whose kernels are coded. The landmark and age/gender nets keep their convolutional trunk in a
// separate feature-extractor object with its own parameter list.
function paramOwners(faceapi) {
  const n = faceapi.nets;
  return [
    ['ssd_mobilenetv1', n.ssdMobilenetv1], ['face_landmark_68', n.faceLandmark68Net],
    ['face_landmark_68/features', n.faceLandmark68Net.faceFeatureExtractor],
    ['face_recognition', n.faceRecognitionNet], ['age_gender', n.ageGenderNet],
    ['age_gender/features', n.ageGenderNet.faceFeatureExtractor],
  ];
}

class WeightSwapper {
  constructor(tf, faceapi) {
    this.tf = tf;
    this.kernels = [];
    for (const [owner, net] of paramOwners(faceapi)) {
      for (const { path: p, tensor } of net.getParamList()) {
        if (tensor.rank !== 2 && tensor.rank !== 4) continue; // biases, batch-norm vectors, the SSD anchor table
        this.kernels.push({ owner, net, path: p, shape: tensor.shape.slice(), float: Float32Array.from(tensor.dataSync()) });
      }
    }
    this.current = 'float';
  }

  count() { return this.kernels.reduce((s, k) => s + k.float.length, 0); }

  // Replaces every kernel with its `weights` form (null: float; 'int8', 'truncate', 'nearest') and returns the
  // share of weights the code moved off their INT8 value. The old tensors are disposed by face-api.
  apply(weights) {
    let changed = 0;
    for (const k of this.kernels) {
      let values = k.float;
      if (weights) {
        const q = rule.quantDequant(k.float, { mode: 'signed', rounding: weights === 'int8' ? null : weights });
        values = q.values; changed += q.changed;
      }
      k.net.reassignParamFromPath(k.path, this.tf.tensor(values, k.shape, 'float32'));
    }
    this.current = weights || 'float';
    this.ids = new Set(this.kernels.map((k) => k.net.getParamFromPath(k.path).id));
    return changed / this.count();
  }
}

// Quantises the activation input of every convolution and of every dense layer (a matrix product whose right
// operand is a network kernel) at tfjs's kernel dispatch, the point dump_faceapi.js captures them.
class ActivationHook {
  constructor(tf, swapper) {
    this.tf = tf; this.swapper = swapper; this.engine = tf.engine();
    this.original = this.engine.runKernel.bind(this.engine);
    this.mode = null; this.percentile = 100;
    this.stats = { tensors: 0, values: 0, changed: 0, signed_tensors: 0 };
    const hook = this;
    this.engine.runKernel = function (kernelName, inputs, attrs) {
      if (!hook.mode) return hook.original(kernelName, inputs, attrs);
      let key = null;
      if (/Conv2D|DepthwiseConv2d/.test(kernelName) && inputs.x && inputs.filter) key = 'x';
      else if (/MatMul/.test(kernelName) && inputs.a && inputs.b && hook.swapper.ids.has(inputs.b.id)) key = 'a';
      if (!key) return hook.original(kernelName, inputs, attrs);
      const x = inputs[key];
      const data = x.dataSync();
      let negative = false;
      for (let i = 0; i < data.length; i++) if (data[i] < 0) { negative = true; break; }
      const q = rule.quantDequant(data, { mode: negative ? 'signed' : 'unsigned',
        rounding: hook.mode === 'int8' ? null : hook.mode, percentile: hook.percentile });
      hook.stats.tensors++; hook.stats.values += data.length; hook.stats.changed += q.changed;
      if (negative) hook.stats.signed_tensors++;
      const replaced = hook.tf.tensor(q.values, x.shape, 'float32');
      try {
        return hook.original(kernelName, { ...inputs, [key]: replaced }, attrs);
      } finally {
        replaced.dispose();
      }
    };
  }

  set(mode, percentile) { this.mode = mode; this.percentile = percentile; this.stats = { tensors: 0, values: 0, changed: 0, signed_tensors: 0 }; }
  remove() { this.engine.runKernel = this.original; }
}

function r(x, digits = 6) { return x === null || x === undefined ? null : Number(x.toFixed(digits)); }

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const nm = path.join(opts.cache, 'node_modules');
  const pkg = path.join(nm, '@vladmandic', 'face-api');
  if (!fs.existsSync(path.join(pkg, 'model'))) fail(`no @vladmandic/face-api under ${nm} (run scripts/realdata/fetch_faceapi.sh)`);
  process.env.SPARK_FACEAPI_NODE_MODULES = nm;
  const { loadImage } = require('./dump_faceapi');
  const tf = require(path.join(nm, '@tensorflow', 'tfjs'));
  const faceapi = require(path.join(pkg, 'dist', 'face-api.node-wasm.js'));
  if (opts.backend === 'wasm') {
    const wasm = require(path.join(nm, '@tensorflow', 'tfjs-backend-wasm'));
    wasm.setWasmPaths(path.join(nm, '@tensorflow', 'tfjs-backend-wasm', 'dist') + path.sep);
  }
  if (!(await tf.setBackend(opts.backend))) fail(`tfjs backend '${opts.backend}' did not initialise`);
  await tf.ready();
  const modelDir = path.join(pkg, 'model');
  for (const n of ['ssdMobilenetv1', 'faceLandmark68Net', 'faceRecognitionNet', 'ageGenderNet']) await faceapi.nets[n].loadFromDisk(modelDir);
  let photos = fs.readdirSync(path.join(pkg, 'demo')).filter((f) => /^sample\d+\.jpg$/.test(f)).sort();
  if (opts.photos) photos = photos.slice(0, opts.photos);
  if (!photos.length) fail(`no sample photos in ${path.join(pkg, 'demo')}`);

  const swapper = new WeightSwapper(tf, faceapi);
  swapper.apply(null);
  const hook = new ActivationHook(tf, swapper);
  const detOptions = new faceapi.SsdMobilenetv1Options({ minConfidence: MIN_CONFIDENCE });
  const net = faceapi.nets;

  // Per photo: the float reference, and the crops every variant is run on.
  const ref = [];
  const results = {};
  for (const variant of opts.variants) {
    const spec = VARIANTS[variant];
    const changedShare = swapper.apply(spec.weights === 'int8' ? 'int8' : spec.weights);
    hook.set(spec.acts, opts.actPercentile);
    const perPhoto = [];
    for (let p = 0; p < photos.length; p++) {
      const image = loadImage(tf, path.join(pkg, 'demo', photos[p]));
      const dets = (await net.ssdMobilenetv1.locateFaces(image, detOptions))
        .map((d) => ({ score: d.score, box: { x: d.box.x, y: d.box.y, width: d.box.width, height: d.box.height } }));
      if (variant === 'float') {
        const boxes = await faceapi.extractFaceTensors(image, dets.map((d) => new faceapi.Rect(d.box.x, d.box.y, d.box.width, d.box.height)));
        const faces = [];
        for (let i = 0; i < dets.length; i++) {
          const marks = await net.faceLandmark68Net.detectLandmarks(boxes[i]);
          const aligned = marks.shiftBy(dets[i].box.x, dets[i].box.y).align();
          const [crop] = await faceapi.extractFaceTensors(image, [aligned]);
          faces.push({ box: boxes[i], crop });
        }
        ref.push({ photo: photos[p], dets, faces });
      }
      const faces = [];
      for (const f of ref[p].faces) {
        const marks = await net.faceLandmark68Net.detectLandmarks(f.box);
        const descriptor = await net.faceRecognitionNet.computeFaceDescriptor(f.crop);
        const ag = await net.ageGenderNet.predictAgeAndGender(f.crop);
        faces.push({ landmarks: marks.positions.map((pt) => [pt.x, pt.y]), width: f.box.shape[1],
          descriptor: Array.from(descriptor), age: ag.age, gender: ag.gender });
      }
      image.dispose();
      perPhoto.push({ dets, faces });
    }
    results[variant] = { perPhoto, weights_changed_share: changedShare, activations: { ...hook.stats } };
    console.error(`${variant}: done (${photos.length} photos)`);
  }
  hook.remove();

  // Comparison with float.
  const report = { tool: 'quality_faceapi.js', backend: opts.backend, tfjs: tf.version.tfjs, photos,
    min_confidence: MIN_CONFIDENCE, match_iou: MATCH_IOU, same_person_threshold: SAME_PERSON,
    act_percentile: opts.actPercentile, kernels: swapper.kernels.length, kernel_weights: swapper.count(), variants: {} };
  const fl = results.float;
  // For scale: descriptor distances between the different faces of the float run (face-api calls a distance
  // below 0.6 the same person).
  const floatDescriptors = fl.perPhoto.flatMap((x) => x.faces.map((f) => f.descriptor));
  const between = [];
  for (let i = 0; i < floatDescriptors.length; i++) for (let j = i + 1; j < floatDescriptors.length; j++) between.push(euclidean(floatDescriptors[i], floatDescriptors[j]));
  report.float_between_faces = { pairs: between.length, min_descriptor_distance: r(between.length ? Math.min(...between) : null),
    mean_descriptor_distance: r(mean(between)), pairs_below_same_person_threshold: between.filter((d) => d < SAME_PERSON).length };
  for (const variant of opts.variants) {
    const v = results[variant];
    const rows = [];
    const all = { float_dets: 0, dets: 0, matched: 0, ious: [], dscores: [], dists: [], marks: [], ages: [], flips: 0, faces: 0 };
    photos.forEach((photo, p) => {
      const a = fl.perPhoto[p]; const b = v.perPhoto[p];
      const pairs = matchDetections(a.dets, b.dets);
      const dists = b.faces.map((f, i) => euclidean(f.descriptor, a.faces[i].descriptor));
      // Landmark displacement in pixels of the face box crop, as a share of the crop width.
      const marks = b.faces.map((f, i) => mean(f.landmarks.map((pt, k) => Math.hypot(pt[0] - a.faces[i].landmarks[k][0], pt[1] - a.faces[i].landmarks[k][1]))) / f.width);
      const ages = b.faces.map((f, i) => Math.abs(f.age - a.faces[i].age));
      const flips = b.faces.filter((f, i) => f.gender !== a.faces[i].gender).length;
      const row = { photo, float_detections: a.dets.length, detections: b.dets.length, matched: pairs.length,
        lost: a.dets.length - pairs.length, gained: b.dets.length - pairs.length,
        mean_iou: r(mean(pairs.map((x) => x.iou))), mean_abs_score_change: r(mean(pairs.map((x) => x.dscore))),
        faces: dists.length, mean_descriptor_distance: r(mean(dists)), max_descriptor_distance: r(max(dists)),
        faces_over_same_person_threshold: dists.filter((d) => d >= SAME_PERSON).length,
        mean_landmark_shift_share: r(mean(marks)), mean_abs_age_change_years: r(mean(ages)), gender_flips: flips };
      rows.push(row);
      all.float_dets += a.dets.length; all.dets += b.dets.length; all.matched += pairs.length;
      all.ious.push(...pairs.map((x) => x.iou)); all.dscores.push(...pairs.map((x) => x.dscore));
      all.dists.push(...dists); all.marks.push(...marks); all.ages.push(...ages); all.flips += flips; all.faces += dists.length;
    });
    report.variants[variant] = {
      weights: VARIANTS[variant].weights || 'float', activations: VARIANTS[variant].acts || 'float',
      weights_changed_by_code_share: r(v.weights_changed_share),
      activation_tensors: v.activations.tensors, activation_values: v.activations.values,
      activations_changed_by_code_share: v.activations.values ? r(v.activations.changed / v.activations.values) : null,
      total: { float_detections: all.float_dets, detections: all.dets, matched: all.matched,
        lost: all.float_dets - all.matched, gained: all.dets - all.matched,
        mean_iou: r(mean(all.ious)), mean_abs_score_change: r(mean(all.dscores)), faces: all.faces,
        mean_descriptor_distance: r(mean(all.dists)), max_descriptor_distance: r(max(all.dists)),
        faces_over_same_person_threshold: all.dists.filter((d) => d >= SAME_PERSON).length,
        mean_landmark_shift_share: r(mean(all.marks)), mean_abs_age_change_years: r(mean(all.ages)),
        gender_flips: all.flips },
      photos: rows,
    };
  }
  for (const f of ref.flatMap((x) => x.faces)) { f.box.dispose(); f.crop.dispose(); }

  const json = JSON.stringify(report, null, 1) + '\n';
  if (opts.out) fs.writeFileSync(opts.out, json);
  printTable(report);
}

function fmt(x, digits) { return x === null ? '-' : x.toFixed(digits); }

function printTable(report) {
  console.log(`face-api quality: ${report.photos.length} photos, ${report.kernels} kernels (${report.kernel_weights} weights), ` +
    `tfjs ${report.tfjs} ${report.backend}, min confidence ${report.min_confidence}, match IoU >= ${report.match_iou}` +
    (report.act_percentile < 100 ? `, activation percentile ${report.act_percentile}` : ''));
  const b = report.float_between_faces;
  console.log(`float descriptors of different faces: ${b.pairs} pairs, distance min ${fmt(b.min_descriptor_distance, 4)}, ` +
    `mean ${fmt(b.mean_descriptor_distance, 4)}, ${b.pairs_below_same_person_threshold} below ${report.same_person_threshold}`);
  const head = ['variant', 'photo', 'dets', 'match', 'lost', 'gain', 'IoU', '|dscore|', 'faces', 'desc.dist', 'max', '>=0.6', 'lmk.shift', '|dage|', 'g.flip'];
  const lines = [head];
  for (const [name, v] of Object.entries(report.variants)) {
    if (name === 'float') continue;
    for (const row of [...v.photos, { ...v.total, photo: 'total' }]) {
      lines.push([name, row.photo, `${row.detections}/${row.float_detections}`, row.matched, row.lost, row.gained,
        fmt(row.mean_iou, 4), fmt(row.mean_abs_score_change, 4), row.faces, fmt(row.mean_descriptor_distance, 4),
        fmt(row.max_descriptor_distance, 4), row.faces_over_same_person_threshold,
        row.mean_landmark_shift_share === null ? '-' : `${(100 * row.mean_landmark_shift_share).toFixed(2)}%`,
        fmt(row.mean_abs_age_change_years, 2), row.gender_flips]);
    }
  }
  const widths = head.map((_, c) => Math.max(...lines.map((l) => String(l[c]).length)));
  for (const l of lines) console.log(l.map((x, c) => (c < 2 ? String(x).padEnd(widths[c]) : String(x).padStart(widths[c]))).join('  '));
  console.log('coded share: weights moved by the code / activations moved by the code');
  for (const [name, v] of Object.entries(report.variants)) {
    if (name === 'float') continue;
    console.log(`  ${name.padEnd(18)} ${v.weights_changed_by_code_share === null ? '-' : (100 * v.weights_changed_by_code_share).toFixed(2) + '%'}` +
      ` / ${v.activations_changed_by_code_share === null ? '-' : (100 * v.activations_changed_by_code_share).toFixed(2) + '%'}` +
      (v.activation_tensors ? ` (${v.activation_tensors} activation tensors, ${v.activation_values} values)` : ''));
  }
}

if (require.main === module) main().catch((e) => fail(e.stack || String(e)));
module.exports = { VARIANTS, iou, matchDetections, euclidean };
