# SPDX-License-Identifier: Apache-2.0
"""docs/formats.md: the baselines' numeric formats measured on the face-api weights (`spark-codec report --format
all`), from the cache that scripts/realdata/fetch_faceapi.sh writes (SPARK_FACEAPI_CACHE, default
~/.cache/spark-tlm/faceapi). One report of about 6 s in Release serves both tables, so every row is cheap."""

import collections
import json
import os
import subprocess
import sys

MODELS = ("ssd_mobilenetv1_model", "face_recognition_model")
FORMATS = ("ant", "olive", "olaccel", "adafloat", "biscaled", "bitfusion4", "bitfusion8", "int8", "int16", "spark")
_report = {}


def weights_report(codec):
    if "json" not in _report:
        cache = os.environ.get("SPARK_FACEAPI_CACHE", os.path.expanduser("~/.cache/spark-tlm/faceapi"))
        dirs = [os.path.join(cache, "dump", m, "weights") for m in MODELS]
        for d in dirs:
            if not os.path.isdir(d):
                sys.exit(f"figures: formats: {d} is missing; run scripts/realdata/fetch_faceapi.sh")
        p = subprocess.run([codec, "report", "--format", "all", "--json", *dirs], capture_output=True, text=True)
        if p.returncode != 0:
            sys.exit(f"figures: spark-codec report --format all failed ({p.returncode}):\n{p.stderr}")
        _report["json"] = json.loads(p.stdout)
    return _report["json"]


def skipped():
    """Outside CI, SPARK_SKIP_REALDATA=1 skips the real networks here as it does in the tests."""
    if os.environ.get("SPARK_SKIP_REALDATA") == "1" and os.environ.get("CI") != "true":
        print("figures: formats entries skipped (SPARK_SKIP_REALDATA=1)", file=sys.stderr)
        return True
    return False


def db(x):
    return "inf" if x is None else f"{x:.2f} dB"


def weights_rows(tools, root, everything, work):
    """Totals per format over the 77 kernels."""
    if skipped():
        return []
    totals = {t["format"]: t for t in weights_report(tools["spark-codec"])["totals"]}
    rows = []
    for name in FORMATS:
        t = totals[name]
        rows.append([f"`{name}`", f"{t['bits_per_value']:.3f}", f"{t['metadata_bits'] / t['values']:.4f}",
                     f"{100 * t['outlier_share']:.2f} %", db(t["sqnr_db"]), db(t["mean_tensor_sqnr_db"]),
                     f"{t['max_abs_error']:.4g}"])
    return rows


def ant_type_rows(tools, root, everything, work):
    """How many kernels ANT's search gave each type."""
    if skipped():
        return []
    tensors = weights_report(tools["spark-codec"])["tensors"]
    counts = collections.Counter(t["detail"].split(",")[0] for t in tensors if t["format"] == "ant")
    values = collections.Counter()
    for t in tensors:
        if t["format"] == "ant":
            values[t["detail"].split(",")[0]] += t["values"]
    return [[f"`{ty}`", str(counts[ty]), str(values[ty])] for ty in ("int4", "flint4", "pot4")]


ENTRIES = {
    "formats-weights": ("docs/formats.md", weights_rows),
    "formats-ant-types": ("docs/formats.md", ant_type_rows),
}
