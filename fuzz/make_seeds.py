#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Writes the seed corpora in fuzz/corpus/ (committed; rerun after a format change):
    /usr/bin/python3 fuzz/make_seeds.py [BUILD_DIR]
Seeds are small valid inputs of each format, taken from the shipped files where the project has them (traces,
DRAM presets, energy table) and built here otherwise, plus a few near-misses. The accelerator_image seeds are
memory images laid out by the project's program builder: with BUILD_DIR (a configured normal build) its target
make_accelerator_seeds is built and rewrites them; without it they are kept as they are."""
import io
import pathlib
import shutil
import struct
import subprocess
import sys
import zlib

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus"


def put(target, name, data):
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data if isinstance(data, bytes) else data.encode())


def encode(v, signed):
    """The spec's encoder (section 2), returning nibbles."""
    raw = v & 0xFF
    top = raw >> 2
    if (not signed and raw < 8) or (signed and top in (0, 0x3F)):
        return [raw & 7]
    b0, b3 = raw >> 7, (raw >> 4) & 1
    if b0 != b3:
        raw = (raw & 0xE0) | (0x10 if b0 else 0x0F)
    code = raw | 0x80
    return [code >> 4, code & 0xF]


def pack(values, signed):
    nibbles = [n for v in values for n in encode(v, signed)]
    padded = nibbles + [0] * (len(nibbles) % 2)
    return bytes(padded[i] << 4 | padded[i + 1] for i in range(0, len(padded), 2)), len(nibbles)


def main():
    build = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else None
    if CORPUS.exists():
        for d in CORPUS.iterdir():
            if build or d.name != "accelerator_image":
                shutil.rmtree(d)
    if build:
        subprocess.run(["cmake", "--build", str(build), "--target", "make_accelerator_seeds"], check=True,
                       stdout=subprocess.DEVNULL)
        subprocess.run([str(build / "tests" / "fuzz" / "make_accelerator_seeds"), str(CORPUS / "accelerator_image")],
                       check=True)
    else:
        print("make_seeds: fuzz/corpus/accelerator_image kept (pass a build folder to rewrite it)")
    rng = np.random.default_rng(1)
    samples = {
        "ramp_unsigned": (list(range(256)), False),
        "ramp_signed": (list(range(-128, 128)), True),
        "small": ([0, 1, 7, 3, 5], False),
        "laplace_signed": (np.clip(np.round(rng.laplace(0, 6, 64)), -128, 127).astype(int).tolist(), True),
        "odd": ([200, 3, 4], False),
    }
    for name, (values, signed) in samples.items():
        stream, nibbles = pack(values, signed)
        odd = nibbles % 2
        put("stream_unpack", name, bytes([int(signed) | odd << 1]) + struct.pack("<H", len(values)) + stream)
        put("decode_chunk", name, bytes([int(signed) << 1]) + struct.pack("<H", len(values)) + stream)
        put("nibble_decoder", name,
            bytes([int(signed)]) + bytes(n | (0x10 if i % 2 == 1 and len(encode(v, signed)) == 2 else 0)
                                         for v in values for i, n in enumerate(encode(v, signed))))
    put("decode_chunk", "raw", bytes([1]) + struct.pack("<H", 4) + bytes([1, 2, 250, 128]))
    put("stream_unpack", "truncated_long", bytes([0]) + struct.pack("<H", 1) + bytes([0x08]))

    for dtype in ("i1", "u1", "<i4", "<f4", "<f8"):
        buf = io.BytesIO()
        np.save(buf, (np.arange(12) - 4).astype(dtype).reshape(3, 4))
        put("npy_reader", f"arange_{dtype.strip('<')}.npy", buf.getvalue())
    buf = io.BytesIO()
    np.save(buf, np.int8(5))
    put("npy_reader", "scalar.npy", buf.getvalue())
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.zeros((2, 0, 3), dtype=np.uint8), version=(2, 0))
    put("npy_reader", "empty_v2.npy", buf.getvalue())

    def spk(values, shape, signed, quant=0, scale=0.0, zero_point=0):
        stream, nibbles = pack(values, signed)
        head = struct.pack("<4sHBBBBHidQQ", b"\x89SPK", 1, int(signed), 1 if signed else 2, quant, len(shape), 0,
                           zero_point, scale, len(values), nibbles)
        body = head + b"".join(struct.pack("<Q", d) for d in shape) + stream
        return body + struct.pack("<I", zlib.crc32(body))
    put("spk_reader", "signed.spk", spk(list(range(-8, 8)), [4, 4], True))
    put("spk_reader", "unsigned_quant.spk", spk([0, 9, 200, 17, 255], [5], False, 2, 0.05, 3))
    put("spk_reader", "symmetric.spk", spk([1, -1, 100], [1, 3], True, 1, 0.01, 0))

    for trace in ("smoke", "vgg16", "resnet18", "mobilenet_v1"):
        put("workload_yaml", f"{trace}.yaml", (ROOT / "traces" / f"{trace}.yaml").read_bytes())
    put("workload_csv", "conv.csv",
        "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n"
        "Conv1, 224, 224, 7, 7, 3, 64, 2,\nConv2, 109, 109, 3, 3, 64, 64, 1,\nCB2a_DP, 56, 56, 3, 3, 32, 1, 1,\n")
    put("workload_csv", "gemm.csv", "Layer, M, N, K,\nfc1, 16, 128, 256,\nfc2, 16, 10, 128,\n")

    for preset in sorted((ROOT / "models" / "dram" / "presets").glob("*.json")):
        put("dram_config", preset.name, preset.read_bytes())
    put("dram_trace", "tile_fetch.trace", (ROOT / "traces" / "dram" / "tile_fetch.trace").read_bytes())
    put("dram_trace", "one_line.trace", "0 R 0 64\n")
    put("dram_trace", "limits.trace", "1e3\tw\t18446744073709551615\t0x1000000\r\n")
    put("dram_config", "override.json", '{"base_preset": "DDR4-3200", "controller": {"scheduler": "fcfs"}}')
    put("energy_config", "core-28nm.json", (ROOT / "models" / "energy" / "config" / "core-28nm.json").read_bytes())
    put("sram_config", "weight.json",
        '{"name": "weight_buffer", "capacity_bytes": 2097152, "word_bits": 64, "banks": 8, "ports": 1,'
        ' "read_latency_cycles": 1, "write_latency_cycles": 1, "clock_mhz": 500, "double_buffered": true,'
        ' "energy_table": [{"bank_bytes": 32768, "read_pj": 5.0, "write_pj": 6.0}]}')
    put("sram_config", "minimal.json", '{"capacity_bytes": 1024}')
    put("arch_config", "small.json",
        '{"name": "small", "storage": "spark", "clock_mhz": 500, "vector_lanes": 16,'
        ' "array": {"pe": "mixed", "rows": 8, "cols": 8, "dataflow": "os"},'
        ' "buffers": {"weight": {"capacity_bytes": 65536}, "output": {"capacity_bytes": 16384}},'
        ' "dma": {"burst_bytes": 64, "max_outstanding": 4, "issue_interval_cycles": 1},'
        ' "dram": "HBM2", "energy": {"mac_4x4_pj": 0.1}}')
    put("arch_config", "int8.json", '{"storage": "int8", "array": {"pe": "int8", "rows": 16, "cols": 16}}')
    put("arch_config", "empty.json", '{}')

    def tensor(rank, dims, layout=2, signed=1, chunk_rank=0, scale=1.0):
        return struct.pack("<QQ4IBBBBid", 0x1000, 0x2000, *dims, rank, layout, signed, chunk_rank, 0, scale)
    def descriptor(opcode, tensors, flags=1, kernel=(3, 3, 1, 1, 1, 1, 1, 1), groups=1):
        head = struct.pack("<IHHII8HI4BB7x", 0x444C5053, 1, opcode, 7, flags, *kernel, groups, 0, 1, 2, 3, 0)
        body = head + b"".join(tensors)
        return body + bytes(256 - len(body))
    put("layer_descriptor", "conv2d", descriptor(1, [tensor(4, (1, 8, 16, 16), 1), tensor(0, (0, 0, 0, 0)),
                                                     tensor(2, (16, 72, 0, 0)), tensor(4, (1, 16, 16, 16), 1)]))
    put("layer_descriptor", "linear", descriptor(2, [tensor(2, (1, 16, 0, 0)), tensor(0, (0, 0, 0, 0)),
                                                     tensor(2, (10, 16, 0, 0)), tensor(2, (1, 10, 0, 0))],
                                                 kernel=(1,) * 8))
    put("layer_descriptor", "matmul", descriptor(3, [tensor(3, (2, 4, 8, 0)), tensor(3, (2, 8, 4, 0)),
                                                     tensor(0, (0, 0, 0, 0)), tensor(3, (2, 4, 4, 0))], flags=5,
                                                 kernel=(1,) * 8))


if __name__ == "__main__":
    main()
