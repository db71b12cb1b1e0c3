# SPDX-License-Identifier: Apache-2.0
"""End-to-end checks of the spark-codec executable.

usage: test_spark_codec.py TOOL WORKDIR CASE

The codec rule is restated here from the spec, independently of the C++ code, so a round trip through the tool
is checked against a second implementation. Files are written into WORKDIR only.
"""
import json
import os
import shutil
import struct
import subprocess
import sys
import zlib

import numpy as np

TOOL, WORK, CASE = sys.argv[1], sys.argv[2], sys.argv[3]


def approximate_u8(v):
    """The spec's rule on raw bits: exact for 0..7 or b0 == b3, else to the nearest exact block."""
    v = np.asarray(v, dtype=np.int64)
    b0 = (v >> 7) & 1
    b3 = (v >> 4) & 1
    down = (v & 0xE0) | 0x0F
    up = (v & 0xE0) | 0x10
    return np.where(b0 == b3, v, np.where(b0 == 1, up, down))


def approximate(raw_bits, signed):
    raw_bits = np.asarray(raw_bits, dtype=np.int64) & 0xFF
    if signed:
        value = np.where(raw_bits >= 128, raw_bits - 256, raw_bits)
        short = (value >= -4) & (value <= 3)
    else:
        short = raw_bits < 8
    return np.where(short, raw_bits, approximate_u8(raw_bits))


def is_short(raw_bits, signed):
    raw_bits = np.asarray(raw_bits, dtype=np.int64) & 0xFF
    if signed:
        value = np.where(raw_bits >= 128, raw_bits - 256, raw_bits)
        return (value >= -4) & (value <= 3)
    return raw_bits < 8


def run(*args, expect=0):
    result = subprocess.run([TOOL, *args], capture_output=True, text=True)
    if expect is not None and result.returncode != expect:
        raise AssertionError(f"spark-codec {' '.join(args)}: exit {result.returncode}, expected {expect}\n"
                             f"stdout: {result.stdout}\nstderr: {result.stderr}")
    return result


def path(name):
    return os.path.join(WORK, name)


def long_tailed_int8(n, seed):
    rng = np.random.default_rng(seed)
    return np.clip(np.round(rng.laplace(0.0, 5.0, n)), -128, 127).astype(np.int8)


def check_round_trip(name, array, extra=()):
    np.save(path(name + ".npy"), array)
    run("encode", *extra, path(name + ".npy"), path(name + ".spk"))
    run("decode", path(name + ".spk"), path(name + ".out.npy"))
    back = np.load(path(name + ".out.npy"))
    assert back.dtype == array.dtype and back.shape == array.shape, (back.dtype, back.shape)
    return back


def case_round_trip_int8():
    for shape in [(0,), (1,), (7,), (3, 5, 7), (100000,)]:
        array = long_tailed_int8(int(np.prod(shape)), 1).reshape(shape)
        back = check_round_trip("i8", array)
        expected = approximate(array.view(np.uint8), signed=True).astype(np.uint8).view(np.int8)
        assert np.array_equal(back, expected.reshape(shape)), shape
    # Every int8 value, also in unsigned mode (the raw bits coded by the unsigned rule).
    every = np.arange(-128, 128, dtype=np.int8)
    back = check_round_trip("i8u", every, ["--mode", "unsigned"])
    assert np.array_equal(back.view(np.uint8), approximate(every.view(np.uint8), signed=False).astype(np.uint8))


def case_round_trip_uint8():
    every = np.arange(256, dtype=np.uint8).reshape(16, 16)
    back = check_round_trip("u8", every)
    assert np.array_equal(back, approximate(every, signed=False).astype(np.uint8))


def quantise(x, scheme, dtype):
    """The quantisation rule as docs/spark-codec.md states it."""
    x64 = x.astype(np.float64)
    if scheme == "symmetric":
        scale, zero_point, lo, hi = float(np.max(np.abs(x64))) / 127.0, 0, -127, 127
    else:
        lo_x, hi_x = min(float(x64.min()), 0.0), max(float(x64.max()), 0.0)
        lo, hi = (-128, 127) if dtype == np.int8 else (0, 255)
        scale = (hi_x - lo_x) / 255.0
        zero_point = int(np.clip(np.round(lo - lo_x / scale), lo, hi))
    q = np.clip(np.round(x64 / scale) + zero_point, lo, hi).astype(np.int64)
    return q, scale, zero_point


def case_round_trip_float32():
    rng = np.random.default_rng(3)
    x = rng.laplace(0.0, 0.05, (32, 48)).astype(np.float32)
    for scheme, mode, dtype in [("symmetric", None, np.int8), ("asymmetric", None, np.uint8),
                                ("asymmetric", "signed", np.int8)]:
        extra = ["--quant", scheme] + (["--mode", mode] if mode else [])
        name = f"f32-{scheme}-{mode}"
        np.save(path(name + ".npy"), x)
        run("encode", *extra, path(name + ".npy"), path(name + ".spk"))
        run("decode", path(name + ".spk"), path(name + ".q.npy"))
        run("decode", "--dequantize", path(name + ".spk"), path(name + ".f.npy"))
        q, scale, zero_point = quantise(x, scheme, dtype)
        signed = dtype == np.int8
        coded = approximate(q & 0xFF, signed).astype(np.uint8).view(dtype).astype(np.int64)
        back = np.load(path(name + ".q.npy"))
        assert back.dtype == dtype, (name, back.dtype)
        assert np.array_equal(back.astype(np.int64), coded), name
        floats = np.load(path(name + ".f.npy"))
        assert floats.dtype == np.float32 and floats.shape == x.shape
        assert np.array_equal(floats, ((coded - zero_point) * scale).astype(np.float32)), name


def case_spk_layout():
    array = np.array([1, 210 - 256, 3], dtype=np.int8)  # short, long, short
    np.save(path("small.npy"), array)
    run("encode", path("small.npy"), path("small.spk"))
    data = open(path("small.spk"), "rb").read()
    magic, version, mode, dtype, quant, ndim, reserved, zp, scale, values, nibbles = struct.unpack_from(
        "<4sHBBBBHidQQ", data)
    assert (magic, version, mode, dtype, quant, ndim, reserved, zp, scale) == (b"\x89SPK", 1, 1, 1, 0, 1, 0, 0, 0.0)
    assert (values, nibbles) == (3, 4)
    assert struct.unpack_from("<Q", data, 40)[0] == 3
    # -46 = 0xD2: b0 = 1, b3 = 1, exact; long code 1101 0010 between short codes 0001 and 0011.
    assert data[48:50] == bytes([0x1D, 0x23]), data[48:50].hex()
    assert len(data) == 48 + 2 + 4
    assert struct.unpack_from("<I", data, len(data) - 4)[0] == zlib.crc32(data[:-4])


def case_stats_json():
    array = long_tailed_int8(20000, 5).reshape(100, 200)
    np.save(path("t.npy"), array)
    result = run("stats", "--json", path("t.npy"))
    report = json.loads(result.stdout)
    assert len(report) == 1
    r = report[0]
    raw = array.view(np.uint8).ravel()
    short = is_short(raw, True)
    decoded = approximate(raw, True).astype(np.uint8).view(np.int8).astype(np.int64)
    error = decoded - array.ravel().astype(np.int64)
    assert r["file"] == path("t.npy") and r["mode"] == "signed" and r["shape"] == [100, 200]
    assert r["values"] == 20000
    assert r["short_codes"] == int(short.sum())
    assert r["approximated"] == int((error != 0).sum())
    assert r["code_bits"] == int(np.where(short, 4, 8).sum())
    assert r["max_abs_error_steps"] == int(np.abs(error).max())
    signal = float((array.astype(np.float64) ** 2).sum())
    noise = float((error.astype(np.float64) ** 2).sum())
    assert abs(r["sqnr_vs_int8_db"] - 10 * np.log10(signal / noise)) < 1e-9
    assert r["quantization"] is None and r["sqnr_vs_float_db"] is None
    # An exact tensor has infinite SQNR, written as null.
    np.save(path("exact.npy"), np.array([0, 1, -4, 3], dtype=np.int8))
    exact = json.loads(run("stats", "--json", path("exact.npy")).stdout)[0]
    assert exact["approximated"] == 0 and exact["sqnr_vs_int8_db"] is None and exact["share_short"] == 1.0


def case_stats_text():
    np.save(path("a.npy"), np.array([0, 1, 2, 200, 16, 255, 7, 8], dtype=np.uint8))
    x = np.random.default_rng(9).normal(0.0, 1.0, 1000).astype(np.float32)
    np.save(path("f.npy"), x)
    np.save(path("zeros.npy"), np.zeros((4, 4), np.float32))
    out = run("stats", path("a.npy"), path("f.npy"), path("zeros.npy"))
    text = out.stdout
    assert f"{path('a.npy')}: uint8 (8,), unsigned mode" in text, text
    assert "share short          50.00 %" in text, text
    assert "mean bits/value      6.000" in text, text
    assert "SQNR vs float32" in text and "INT8 alone" in text, text
    assert f"{path('f.npy')}: float32 (1000,), symmetric int8" in text, text
    assert "n/a (no signal)" in text, text
    assert "every value is 0.0" in out.stderr and path("zeros.npy") in out.stderr, out.stderr


def write_spk(name, header_fields=None, shape=(4,), stream=b"\x11\x11", crc=None, tail=b""):
    fields = dict(magic=b"\x89SPK", version=1, mode=1, dtype=1, quant=0, ndim=len(shape), reserved=0, zp=0,
                  scale=0.0, values=int(np.prod(shape)), nibbles=len(stream) * 2)
    fields.update(header_fields or {})
    body = struct.pack("<4sHBBBBHidQQ", *fields.values())
    body += b"".join(struct.pack("<Q", s) for s in shape) + stream
    body += struct.pack("<I", zlib.crc32(body) if crc is None else crc) + tail
    with open(path(name), "wb") as f:
        f.write(body)
    return path(name)


def expect_error(args, fragments, code=1):
    result = run(*args, expect=code)
    for fragment in fragments:
        assert fragment in result.stderr, f"{args}: '{fragment}' not in stderr: {result.stderr}"
    assert result.stderr.startswith("error: "), result.stderr


def case_malformed_spk():
    good = write_spk("good.spk")
    run("decode", good, path("good.npy"))
    assert np.array_equal(np.load(path("good.npy")), np.ones(4, np.int8))
    data = open(good, "rb").read()
    cases = {
        "empty.spk": (b"", "truncated"),
        "magic.spk": (b"\x89SPX" + data[4:], "bad magic"),
        "cut.spk": (data[:-3], "truncated"),
        "cut-stream.spk": (data[:49] + data[-4:], "truncated: 4 nibbles need 2 stream bytes but only 1"),
        "trailing.spk": (data + b"\x00", "1 trailing byte(s) after the 2-byte stream"),
        "crc.spk": (data[:48] + b"\x12" + data[49:], "checksum mismatch"),
    }
    for name, (content, fragment) in cases.items():
        with open(path(name), "wb") as f:
            f.write(content)
        expect_error(["decode", path(name), path("out.npy")], [path(name), fragment])
    crafted = {
        "version.spk": (dict(version=2), {}, "unsupported .spk version 2"),
        "mode.spk": (dict(mode=7), {}, "codec mode byte is 7"),
        "dtype.spk": (dict(dtype=3), {}, "value type byte is 3"),
        "quant.spk": (dict(quant=9), {}, "quantisation byte is 9"),
        "reserved.spk": (dict(reserved=1), {}, "reserved bytes"),
        "scale.spk": (dict(quant=1, scale=float("nan")), {}, "scale nan is not a positive finite number"),
        "zp.spk": (dict(quant=2, scale=0.5, zp=300), {}, "zero point 300 is outside int8"),
        "stray-scale.spk": (dict(scale=2.0), {}, "given without quantisation"),
        "ndim.spk": (dict(ndim=40), {}, "ndim is 40"),
        "count.spk": (dict(values=5), {}, "holds 4 values but the value count is 5"),
        "nibbles.spk": (dict(nibbles=9), {}, "nibble count 9 is impossible for 4 values"),
        "huge.spk": (dict(values=2**62, nibbles=2**63), dict(shape=(2**31, 2**31)), "truncated"),
        "overflow.spk": ({}, dict(shape=(2**40, 2**40)), "overflows 64 bits"),
        # A long code cut after its first half: 1 short code, then 0xD; the checksum is valid.
        "cut-long.spk": (dict(values=2, nibbles=2), dict(shape=(2,), stream=b"\x1D"),
                         "truncated long code at nibble 1"),
        "short-count.spk": (dict(values=3, nibbles=4), dict(shape=(3,), stream=b"\x11\x11"), "more codes than the 3"),
        "pad.spk": (dict(values=3, nibbles=3), dict(shape=(3,), stream=b"\x11\x15"), "pad nibble"),
    }
    for name, (fields, extra, fragment) in crafted.items():
        file = write_spk(name, fields, **extra)
        expect_error(["decode", file, path("out.npy")], [file, fragment])
    expect_error(["decode", path("missing.spk"), path("out.npy")], [path("missing.spk"), "cannot open"])
    expect_error(["decode", "--dequantize", good, path("out.npy")], [good, "--dequantize needs a file encoded"])


def npy_file(name, header, data, version=1):
    h = header.encode()
    length = struct.pack("<H" if version == 1 else "<I", len(h))
    with open(path(name), "wb") as f:
        f.write(b"\x93NUMPY" + bytes([version, 0]) + length + h + data)
    return path(name)


def case_malformed_npy():
    files = {
        "magic.npy": (npy_file("magic.npy", "{}", b"")[:-1], None),
        "fortran.npy": (npy_file("fortran.npy", "{'descr': '|i1', 'fortran_order': True, 'shape': (2, 2), }\n",
                                 b"\x00" * 4), "Fortran-order"),
        "dtype.npy": (npy_file("dtype.npy", "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }\n",
                               b"\x00" * 8), "unsupported dtype '<c8'"),
        "cut.npy": (npy_file("cut.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }\n", b"\x00" * 15),
                    "truncated"),
        "header.npy": (npy_file("header.npy", "{'descr': '<f4', 'fortran_order': Fals", b""), "header does not parse"),
    }
    with open(path("magic.npy"), "wb") as f:
        f.write(b"not a numpy file at all")
    files["magic.npy"] = (path("magic.npy"), "bad magic")
    for name, (file, fragment) in files.items():
        for command in (["stats"], ["encode"]):
            args = command + [file] + ([path("out.spk")] if command == ["encode"] else [])
            expect_error(args, [file, fragment])
    np.save(path("f64.npy"), np.zeros(3))
    expect_error(["encode", path("f64.npy"), path("out.spk")], [path("f64.npy"), "dtype float64 cannot be encoded"])
    # A folder where a file belongs: named, not an allocation failure.
    os.makedirs(path("folder.npy"), exist_ok=True)
    expect_error(["stats", path("folder.npy")], [path("folder.npy"), "is a directory"])
    expect_error(["decode", path("folder.npy"), path("x.npy")], [path("folder.npy"), "is a directory"])


def case_bad_float_input():
    x = np.ones((2, 3), np.float32)
    x[1, 2] = np.nan
    np.save(path("nan.npy"), x)
    expect_error(["encode", path("nan.npy"), path("out.spk")], [path("nan.npy"), "element 5 (index [1, 2]) is NaN"])
    x[1, 2] = -np.inf
    np.save(path("inf.npy"), x)
    expect_error(["stats", path("inf.npy")], [path("inf.npy"), "is -Inf"])
    np.save(path("zeros.npy"), np.zeros(5, np.float32))
    result = run("encode", path("zeros.npy"), path("zeros.spk"))
    assert "every value is 0.0; quantisation scale set to 1.0" in result.stderr
    run("decode", "--dequantize", path("zeros.spk"), path("zeros.out.npy"))
    assert np.array_equal(np.load(path("zeros.out.npy")), np.zeros(5, np.float32))


def case_usage_errors():
    np.save(path("i8.npy"), np.zeros(3, np.int8))
    np.save(path("f.npy"), np.ones(3, np.float32))
    expect_error([], ["missing command"], code=2)
    expect_error(["squash"], ["unknown command 'squash'"], code=2)
    expect_error(["encode", path("i8.npy")], ["encode takes two paths"], code=2)
    expect_error(["stats", "--bogus", path("i8.npy")], ["bogus"], code=2)
    expect_error(["stats", "--quant", "symmetric", path("i8.npy")], ["--quant applies to float32 input"], code=2)
    expect_error(["stats", "--quant", "symmetric", "--mode", "unsigned", path("f.npy")],
                 ["use --quant asymmetric"], code=2)
    expect_error(["stats", "--mode", "sideways", path("i8.npy")], ["unknown codec mode 'sideways'"], code=2)
    expect_error(["stats", "--quant", "minmax", path("f.npy")], ["unknown quantisation scheme 'minmax'"], code=2)
    assert "encode" in run("--help").stdout


def case_report_formats():
    """--format on a small float tensor: sizes as docs/formats.md lays them out, the INT formats' SQNR restated."""
    rng = np.random.default_rng(4)
    x = rng.laplace(0.0, 0.05, (7, 143)).astype(np.float32)
    n = x.size
    np.save(path("w.npy"), x)
    report = json.loads(run("report", "--format", "all", "--json", path("w.npy")).stdout)
    rows = {r["format"]: r for r in report["tensors"]}
    assert list(rows) == ["ant", "olive", "olaccel", "adafloat", "biscaled", "bitfusion4", "bitfusion8", "int8",
                          "int16", "spark"], list(rows)
    assert all(r["values"] == n and r["tensor"] == path("w.npy") for r in rows.values())
    half = (n + 1) // 2
    expected_bits = {"int8": 32 + 8 * n, "bitfusion8": 32 + 8 * n, "int16": 32 + 16 * n, "bitfusion4": 32 + 8 * half,
                     "olive": 32 + 8 * half, "ant": 8 * (5 + half), "adafloat": 8 * (3 + n)}
    for name, bits in expected_bits.items():
        assert rows[name]["stored_bits"] == bits, (name, rows[name]["stored_bits"], bits)
        assert abs(rows[name]["bits_per_value"] - bits / n) < 1e-12, name
    # Symmetric integers restated: scale max|x| / qmax stored as float32, round half to even.
    x64 = x.astype(np.float64).ravel()
    signal = float((x64 ** 2).sum())
    for name, qmax in [("int8", 127), ("bitfusion4", 7), ("int16", 32767)]:
        scale = float(np.float32(np.abs(x64).max() / qmax))
        q = np.clip(np.round(x64 / scale), -qmax, qmax)
        decoded = (q * scale).astype(np.float32).astype(np.float64)
        noise = float(((x64 - decoded) ** 2).sum())
        assert abs(rows[name]["sqnr_db"] - 10 * np.log10(signal / noise)) < 1e-9, name
        assert abs(rows[name]["max_abs_error"] - float(np.abs(x64 - decoded).max())) < 1e-12, name
    # spark: the INT8 values through the code; bits from the packed stream (a mode byte and the scale first).
    scale = float(np.float32(np.abs(x64).max() / 127))
    q = np.clip(np.round(x64 / scale), -127, 127).astype(np.int64)
    nibbles = n + int((~is_short(q & 0xFF, True)).sum())
    assert rows["spark"]["stored_bits"] == 8 * (5 + (nibbles + 1) // 2), rows["spark"]
    assert rows["spark"]["outliers"] == nibbles - n
    # olaccel: |x| above the 97th percentile (30 of 1001 distinct values), 3 bytes each plus escapes.
    threshold = np.float32(np.percentile(np.abs(x64), 97.0))
    positions = np.flatnonzero(np.abs(x.ravel()) > threshold)
    assert rows["olaccel"]["outliers"] == len(positions) == 30, rows["olaccel"]
    gaps = np.diff(np.concatenate([[-1], positions])) - 1
    escapes = int((gaps // 255).sum())
    assert rows["olaccel"]["stored_bits"] == 8 * (12 + half + 3 * len(positions) + escapes), rows["olaccel"]
    assert 6.0 < rows["biscaled"]["bits_per_value"] < 7.0
    for r in rows.values():
        assert r["sqnr_db"] is not None and r["sqnr_db"] > 0, r
    totals = {t["format"]: t for t in report["totals"]}
    assert totals["int8"]["tensors"] == 1 and totals["int8"]["stored_bits"] == 32 + 8 * n
    assert report["settings"]["olaccel_percentile"] == 97.0
    # CSV and text: one row per format, then the totals.
    csv = run("report", "--format", "olive,int8", "--csv", path("w.npy")).stdout.splitlines()
    assert csv[0].startswith("tensor,origin,dtype,shape,format,values,stored_bits"), csv[0]
    assert len(csv) == 1 + 2 + 2 and csv[3].startswith("TOTAL,,,,olive,"), csv
    text = run("report", "--format", "ant", path("w.npy")).stdout
    assert "TOTAL (1 tensors)" in text and " ant " in text, text
    # Options reach the codecs.
    lower = json.loads(run("report", "--format", "olaccel", "--olaccel-percentile", "90", "--json",
                           path("w.npy")).stdout)
    assert lower["tensors"][0]["outliers"] == int((np.abs(x64) > np.float32(np.percentile(np.abs(x64), 90))).sum())
    # Integer input is measured as its integers (a bare .npy has no scale) and says so.
    np.save(path("i8.npy"), np.array([-3, 0, 5, 100], dtype=np.int8))
    result = run("report", "--format", "int8", "--json", path("i8.npy"))
    assert "measured as the float values" in result.stderr and path("i8.npy") in result.stderr, result.stderr
    assert json.loads(result.stdout)["tensors"][0]["max_abs_error"] < 0.5
    # Bad input and bad command lines.
    bad = x.copy()
    bad[0, 5] = np.nan
    np.save(path("nan.npy"), bad)
    expect_error(["report", "--format", "int8", path("nan.npy")], [path("nan.npy"), "element 5 is NaN"])
    expect_error(["report", "--format", "ant,fp8", path("w.npy")], ["unknown format 'fp8'", "known: ant"], code=2)
    expect_error(["report", "--format", "int8", "--variant", "nearest", path("w.npy")], ["--variant"], code=2)
    expect_error(["report", "--olaccel-percentile", "90", path("w.npy")], ["needs --format"], code=2)
    expect_error(["report", "--format", "olaccel", "--olaccel-percentile", "20", path("w.npy")],
                 ["outside 50 < p <= 100"], code=2)


def main():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    globals()["case_" + CASE]()
    print(f"{CASE}: ok")


if __name__ == "__main__":
    main()
