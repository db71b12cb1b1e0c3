# SPDX-License-Identifier: Apache-2.0
"""docs/real-data.md: the tables measured on the face-api networks ("Measured on the weights", the source's claims
beside them, "Measured on real activations", "End-to-end quality with coded weights and activations" and "The
platform on real data"). Every entry reads the face-api cache that scripts/realdata/fetch_faceapi.sh --activations
writes (SPARK_FACEAPI_CACHE, default ~/.cache/spark-tlm/faceapi)."""

import csv
import json
import os
import shutil
import subprocess
import sys

MODELS = ("ssd_mobilenetv1_model", "face_recognition_model")


def cache_dir():
    return os.environ.get("SPARK_FACEAPI_CACHE", os.path.expanduser("~/.cache/spark-tlm/faceapi"))


def need_cache(*parts):
    """The cache path, or exit naming what is missing (CI fetches the cache, so a missing one there is a fault)."""
    path = os.path.join(cache_dir(), *parts)
    if not os.path.exists(path):
        sys.exit(f"figures: real-data: {path} is missing (no face-api cache at {cache_dir()}, or one fetched without "
                 "activations); run scripts/realdata/fetch_faceapi.sh --activations")
    return path


def skipped():
    """Outside CI, SPARK_SKIP_REALDATA=1 skips the real networks here as it does in the tests (docs/reliability.md)."""
    if os.environ.get("SPARK_SKIP_REALDATA") == "1" and os.environ.get("CI") != "true":
        print("figures: real-data entries skipped (SPARK_SKIP_REALDATA=1)", file=sys.stderr)
        return True
    return False


def run(cmd, env=None):
    p = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, **(env or {})))
    if p.returncode != 0:
        sys.exit(f"figures: {' '.join(cmd)} failed ({p.returncode}):\n{p.stderr}")
    return p.stdout


# Several tables quote the same report (the claims table reuses the weights table's per-tensor run), and the
# calibrated variant's range search takes seconds: each distinct command runs once per figures.py run.
_reports = {}


def report(codec, args, inputs):
    key = (codec, tuple(args), tuple(inputs))
    if key not in _reports:
        _reports[key] = json.loads(run([codec, "report", "--json", *args, *inputs]))
    return _reports[key]


def weight_dirs(models=MODELS):
    return [need_cache("dump", m, "weights") for m in models]


def pct(x, digits=2):
    return f"{100 * x:.{digits}f} %"


# "Measured on the weights": (OPTIONS cell, report options, variants in the table); a row is "OPTIONS variant". The
# calibrated variant's range search is the slow part (about 7 s per run), so it runs only with --all.
WEIGHT_ROWS = [
    ("(per tensor, min-max)", [], ["truncate", "nearest", "calibrated"]),
    ("`--axis -1` (per output channel)", ["--axis", "-1"], ["truncate", "nearest", "calibrated"]),
    ("`--calibration percentile --percentile 99.9`", ["--calibration", "percentile", "--percentile", "99.9"],
     ["truncate", "nearest"]),
]
EXPENSIVE_VARIANTS = {"calibrated"}


def weights_rows(tools, root, everything, work):
    """`spark-codec report --variant ... [OPTIONS] $D/ssd_mobilenetv1_model/weights $D/face_recognition_model/weights`."""
    if skipped():
        return []
    rows = []
    for options, args, variants in WEIGHT_ROWS:
        run_variants = [v for v in variants if everything or v not in EXPENSIVE_VARIANTS]
        totals = {t["variant"]: t for t in
                  report(tools["spark-codec"], ["--variant", ",".join(run_variants), *args], weight_dirs())["totals"]}
        for v in run_variants:
            t = totals[v]
            rows.append([f"{options} {v}", pct(t["share_int4_range"]), pct(t["share_short"]),
                         pct(t["share_approximated"]), f"{t['mean_bits_per_value']:.3f}",
                         f"{t['sqnr_vs_int8_db']:.2f} dB",
                         f"{t['sqnr_vs_float_db']:.2f} dB ({t['sqnr_int8_vs_float_db']:.2f} dB)"])
    return rows


def claims_rows(tools, root, everything, work):
    """"Beside the source's claims": the per-tensor truncate totals, on both networks and on each alone."""
    if skipped():
        return []
    codec = tools["spark-codec"]
    both = report(codec, ["--variant", "truncate"], weight_dirs())["totals"][0]
    ssd = report(codec, ["--variant", "truncate"], weight_dirs(MODELS[:1]))["totals"][0]
    rec = report(codec, ["--variant", "truncate"], weight_dirs(MODELS[1:]))["totals"][0]

    def three(f):
        return f"{f(both)} (SSD {f(ssd)}, face recognition {f(rec)})"
    return [
        ["values in the INT4 range", "about 80 %", three(lambda t: pct(t["share_int4_range"], 1))],
        ["values encoded without loss", "more than 95 %", three(lambda t: pct(1 - t["share_approximated"], 1))],
        ["bits per value, CNNs", "5.11 to 5.33", f"{both['mean_bits_per_value']:.2f}"],
        ["accuracy", "within 0.2 points of FP32 after training with the code",
         f"not measured; weight SQNR (pooled) falls from {both['sqnr_int8_vs_float_db']:.1f} dB (INT8) to "
         f"{both['sqnr_vs_float_db']:.1f} dB"],
    ]


def activations_rows(tools, root, everything, work):
    """`spark-codec report --json --variant truncate $T/ssd_mobilenetv1_model.yaml $T/face_recognition_model.yaml`,
    pooled separately over the captured inputs (`*.ifmap`) and the kernels (`*.weight`)."""
    if skipped():
        return []
    for m in MODELS:
        need_cache("dump", m, "activations.json")  # traces made without --activations have synthetic inputs
    traces = [need_cache("traces", m + ".yaml") for m in MODELS]
    tensors = report(tools["spark-codec"], ["--variant", "truncate"], traces)["tensors"]
    rows = []
    for suffix, label in (("ifmap", "activations ({})"), ("weight", "weights ({}, int8 traces)")):
        group = [t for t in tensors if t["tensor"].endswith("." + suffix)]
        values = sum(t["values"] for t in group)
        rows.append([label.format(len(group)), pct(sum(t["int4_range"] for t in group) / values, 1),
                     pct(sum(t["short_codes"] for t in group) / values, 1),
                     pct(sum(t["approximated"] for t in group) / values, 1),
                     f"{sum(t['code_bits'] for t in group) / values:.2f}"])
    return rows


# "End-to-end quality": every row comes from one run of quality_faceapi.sh (about 50 s of CPU time), so all are
# expensive.
QUALITY_VARIANTS = ["int8_w", "spark_w_truncate", "spark_w_nearest", "int8_wa", "spark_wa_truncate",
                    "spark_wa_nearest"]


def quality_rows(tools, root, everything, work):
    """`scripts/realdata/quality_faceapi.sh OUT_DIR`: totals over the six photos, per variant."""
    if not everything or skipped():
        return []
    need_cache("node_modules", "@vladmandic", "face-api")
    need_cache("node_modules", "@tensorflow", "tfjs-backend-wasm")
    if shutil.which("node") is None:
        sys.exit("figures: real-data-quality needs node (Node.js 18 or newer), which is not installed")
    out = os.path.join(work, "quality-faceapi")
    run(["bash", os.path.join(root, "scripts", "realdata", "quality_faceapi.sh"), out])
    with open(os.path.join(out, "quality.json")) as f:
        variants = json.load(f)["variants"]

    def num(x, fmt):
        return "-" if x is None else format(x, fmt)
    rows = []
    for v in QUALITY_VARIANTS:
        t = variants[v]["total"]
        rows.append([f"`{v}`", f"{t['matched']} / {t['float_detections']}", str(t["lost"]), num(t["mean_iou"], ".3f"),
                     num(t["mean_abs_score_change"], ".3f"),
                     f"{t['mean_descriptor_distance']:.3f} ({t['max_descriptor_distance']:.3f})",
                     str(t["faces_over_same_person_threshold"]), pct(t["mean_landmark_shift_share"]),
                     f"{t['mean_abs_age_change_years']:.2f} y", str(t["gender_flips"])])
    return rows


# "The platform on real data": (row label, trace). Both runs are cheap (about 5 s and 0.3 s in Release).
PLATFORM_ROWS = [
    ("SSD-MobileNet-v1", "ssd_mobilenetv1_model"),
    ("face recognition (ResNet-34 style)", "face_recognition_model"),
]


def platform_rows(tools, root, everything, work):
    """`spark-sim --workload $T/<model>.yaml --baseline --out DIR`, from the two configurations' totals."""
    if skipped():
        return []
    for _, trace in PLATFORM_ROWS:
        need_cache("dump", trace, "activations.json")  # the doc's figures are on the captured inputs
    rows = []
    for label, trace in PLATFORM_ROWS:
        out = os.path.join(work, "real-data-" + trace)
        run([tools["spark-sim"], "--workload", need_cache("traces", trace + ".yaml"), "--baseline", "--out", out,
             "--no-progress", "--max-rows", "1"], env={"SYSTEMC_DISABLE_COPYRIGHT_MESSAGE": "1"})
        with open(os.path.join(out, "layers.csv")) as f:
            totals = {r["config"]: r for r in csv.DictReader(f) if r["layer"] == "total"}
        s, b = totals["spark"], totals["baseline"]
        s_cycles, b_cycles = int(s["cycles"]), int(b["cycles"])
        s_uj, b_uj = float(s["energy_total_pj"]) / 1e6, float(b["energy_total_pj"]) / 1e6
        s_bytes = int(s["dram_read_bytes"]) + int(s["dram_written_bytes"])
        b_bytes = int(b["dram_read_bytes"]) + int(b["dram_written_bytes"])
        rows.append([label, f"{int(s['macs']) / 1e9:.3f}", str(s_cycles), str(b_cycles), f"{b_cycles / s_cycles:.3f}",
                     f"{s_uj:.1f}", f"{b_uj:.1f}", f"{s_uj / b_uj:.3f}", f"{s_bytes / b_bytes:.3f}",
                     f"{float(s['bits_per_value']):.2f}", pct(float(s["share_approximated"]), 1)])
    return rows


ENTRIES = {
    "real-data-weights": ("docs/real-data.md", weights_rows),
    "real-data-claims": ("docs/real-data.md", claims_rows),
    "real-data-activations": ("docs/real-data.md", activations_rows),
    "real-data-quality": ("docs/real-data.md", quality_rows),
    "real-data-platform": ("docs/real-data.md", platform_rows),
}
