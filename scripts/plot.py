#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Turns a spark-sim output folder (layers.csv, summary.json) into PNG plots:
speedup per layer, energy split DRAM / buffers / core for SPARK and the INT8 baseline, and bits per value per layer.
With --compare (compare.json in the folder): SPARK's speedup over every design and each design's energy split
(static, DRAM, buffers, core), as bars.

usage: scripts/plot.py OUT_DIR [--to PLOT_DIR]"""
import argparse
import csv
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def load(out_dir):
    try:
        rows = list(csv.DictReader(open(os.path.join(out_dir, "layers.csv"))))
        summary = json.load(open(os.path.join(out_dir, "summary.json")))
    except (OSError, ValueError) as e:
        sys.exit(f"error: {out_dir}: {e}")
    runs = {}
    for r in rows:
        runs.setdefault(r["config"], []).append(r)
    if "spark" not in runs:
        sys.exit(f"error: {out_dir}/layers.csv has no 'spark' rows")
    return runs, summary


def layers_of(rows):
    return [r for r in rows if r["layer"] != "total" and r["stand_in"] == "0"]


def plot_speedup(runs, summary, path):
    spark, base = layers_of(runs["spark"]), layers_of(runs["baseline"])
    names = [r["layer"] for r in spark]
    speedup = [int(b["cycles"]) / max(1, int(s["cycles"])) for s, b in zip(spark, base)]
    fig, ax = plt.subplots(figsize=(max(8, len(names) * 0.18), 4))
    ax.bar(range(len(names)), speedup, color="tab:blue")
    ax.axhline(1.0, color="black", linewidth=0.8)
    ax.axhline(summary.get("speedup", 1.0), color="tab:red", linestyle="--",
               label=f"network: {summary.get('speedup', 0):.3f}x")
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels(names, rotation=90, fontsize=6)
    ax.set_ylabel("speedup over INT8 baseline (cycles)")
    ax.set_title(f"{summary['network']}: SPARK speedup per layer")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def plot_energy(runs, summary, path):
    parts = [("energy_dram_pj", "DRAM"), ("energy_buffer_pj", "buffers"), ("energy_core_pj", "core")]
    configs = [c for c in ("spark", "baseline") if c in runs]
    totals = {c: next(r for r in runs[c] if r["layer"] == "total") for c in configs}
    fig, ax = plt.subplots(figsize=(5, 4))
    bottom = [0.0] * len(configs)
    for key, label in parts:
        vals = [float(totals[c][key]) / 1e6 for c in configs]
        ax.bar(configs, vals, bottom=bottom, label=label)
        bottom = [b + v for b, v in zip(bottom, vals)]
    ax.set_ylabel("energy (uJ)")
    ratio = summary.get("energy_ratio")
    ax.set_title(f"{summary['network']}: energy" + (f" (SPARK = {ratio:.3f}x baseline)" if ratio else ""))
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def plot_bits(runs, summary, path):
    spark = layers_of(runs["spark"])
    names = [r["layer"] for r in spark]
    fig, ax = plt.subplots(figsize=(max(8, len(names) * 0.18), 4))
    ax.bar(range(len(names)), [float(r["bits_per_value"]) for r in spark], color="tab:green")
    ax.axhline(8.0, color="black", linewidth=0.8, label="INT8")
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels(names, rotation=90, fontsize=6)
    ax.set_ylim(0, 8.5)
    ax.set_ylabel("mean stored bits per value moved")
    ax.set_title(f"{summary['network']}: SPARK bits per value per layer")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def load_compare(out_dir):
    path = os.path.join(out_dir, "compare.json")
    if not os.path.exists(path):
        return None
    try:
        return json.load(open(path))
    except (OSError, ValueError) as e:
        sys.exit(f"error: {path}: {e}")


def plot_compare_speedup(c, path):
    rows = c["designs"][1:]
    names = [r["design"]["name"] for r in rows]
    speedup = [r["spark_speedup"] for r in rows]
    fig, ax = plt.subplots(figsize=(max(5, len(names) * 0.8), 4))
    bars = ax.bar(names, speedup, color="tab:blue")
    ax.bar_label(bars, fmt="%.2f", fontsize=7)
    ax.axhline(1.0, color="black", linewidth=0.8)
    ax.set_ylabel("SPARK speedup (design cycles / SPARK cycles)")
    ax.set_title(f"{c['network']}, {c['mode']} mode: SPARK against each design")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def plot_compare_energy(c, path):
    rows = c["designs"]
    names = [r["design"]["name"] for r in rows]
    parts = [("static", "static"), ("dram", "DRAM"), ("buffer", "buffers"), ("core", "core")]
    # Normalised to SPARK's total, as the paper's energy figure normalises to one design.
    ref = rows[0]["energy_pj"]["total"] or 1.0
    fig, ax = plt.subplots(figsize=(max(5, len(names) * 0.8), 4))
    bottom = [0.0] * len(rows)
    for key, label in parts:
        vals = [r["energy_pj"][key] / ref for r in rows]
        ax.bar(names, vals, bottom=bottom, label=label)
        bottom = [b + v for b, v in zip(bottom, vals)]
    ax.set_ylabel("energy / SPARK's total")
    ax.set_title(f"{c['network']}, {c['mode']} mode: energy split")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out_dir", help="a spark-sim --out folder")
    p.add_argument("--to", help="folder for the PNGs (default: OUT_DIR)")
    args = p.parse_args()
    runs, summary = load(args.out_dir)
    to = args.to or args.out_dir
    os.makedirs(to, exist_ok=True)
    written = []
    if "baseline" in runs:
        plot_speedup(runs, summary, os.path.join(to, "speedup.png"))
        written.append("speedup.png")
    plot_energy(runs, summary, os.path.join(to, "energy.png"))
    plot_bits(runs, summary, os.path.join(to, "bits_per_value.png"))
    written += ["energy.png", "bits_per_value.png"]
    comparison = load_compare(args.out_dir)
    if comparison:
        plot_compare_speedup(comparison, os.path.join(to, "compare_speedup.png"))
        plot_compare_energy(comparison, os.path.join(to, "compare_energy.png"))
        written += ["compare_speedup.png", "compare_energy.png"]
    print("plots: " + ", ".join(os.path.join(to, w) for w in written))


if __name__ == "__main__":
    main()
