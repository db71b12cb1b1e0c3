#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Pareto fronts of a spark-sweep folder (results.csv): per network, energy against latency and energy against the
area proxy (PEs x PE area + buffer bytes). Every point is drawn in grey, the front (no other point is better in
both) in colour and labelled, the reference point as a ring. Runs of several seeds are averaged per point.

usage: spark-sweep plot DIR [--to PLOT_DIR]     (default PLOT_DIR: DIR/plots)"""
import argparse
import csv
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def load(out_dir):
    path = os.path.join(out_dir, "results.csv")
    try:
        with open(path, newline="") as f:
            rows = list(csv.DictReader(f))
    except OSError as e:
        sys.exit(f"error: {path}: {e}")
    if not rows or "network" not in rows[0]:
        sys.exit(f"error: {path}: no rows, or not a spark-sweep results.csv")
    return rows


def front(points):
    """The points no other point beats in both coordinates (smaller is better), sorted by the first."""
    best, out = float("inf"), []
    for p in sorted(points, key=lambda p: (p[0], p[1])):
        if p[1] < best:
            out.append(p)
            best = p[1]
    return out


def per_point(rows, axes):
    """(label, latency ms, energy uJ, area, the point's axis values) per point, the seeds' mean."""
    acc = {}
    for r in rows:
        if r["status"] != "ok":
            continue
        a = acc.setdefault(r["point"], {"t": [], "e": [], "area": float(r["area_proxy"]),
                                        "what": ", ".join(r[k] for k in axes)})
        a["t"].append(float(r["time_us"]) / 1000)
        a["e"].append(float(r["energy_pj"]) / 1e6)
    return [(k, sum(v["t"]) / len(v["t"]), sum(v["e"]) / len(v["e"]), v["area"], v["what"]) for k, v in acc.items()]


def plot_network(net, pts, reference, axis_names, path):
    fig, axes = plt.subplots(1, 2, figsize=(12, 5))
    for ax, (xi, xlabel) in zip(axes, ((1, "latency (ms)"), (3, "area proxy (PEs x PE area + buffer bytes)"))):
        ax.scatter([p[xi] for p in pts], [p[2] for p in pts], color="0.7", s=14, label="sweep points", zorder=1)
        f = front([(p[xi], p[2], p) for p in pts])
        ax.plot([q[0] for q in f], [q[1] for q in f], color="tab:red", marker="o", markersize=5, linewidth=1.2,
                label="Pareto front", zorder=3)
        for q in f:
            ax.annotate(q[2][4] or q[2][0], (q[0], q[1]), fontsize=6, xytext=(4, 3), textcoords="offset points")
        ref = [p for p in pts if p[0] == reference]
        if ref:
            ax.scatter([ref[0][xi]], [ref[0][2]], facecolors="none", edgecolors="black", s=80, linewidths=1.2,
                       label=f"reference (point {reference})", zorder=4)
        ax.set_xlabel(xlabel)
        ax.set_ylabel("energy (uJ)")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle(f"{net}: energy against latency and area, {len(pts)} points (labels: {', '.join(axis_names)})")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dir")
    ap.add_argument("--to", help="folder for the PNG files (default: DIR/plots)")
    args = ap.parse_args()
    rows = load(args.dir)
    header = list(rows[0].keys())
    axes = header[header.index("reference") + 1:header.index("network")]
    reference = next((r["point"] for r in rows if r["reference"] == "1"), None)
    out = args.to or os.path.join(args.dir, "plots")
    os.makedirs(out, exist_ok=True)
    nets = []
    for r in rows:
        if r["network"] not in nets:
            nets.append(r["network"])
    for net in nets:
        pts = per_point([r for r in rows if r["network"] == net], axes)
        if not pts:
            print(f"{net}: no finished runs, no plot", file=sys.stderr)
            continue
        path = os.path.join(out, f"pareto_{net}.png")
        plot_network(net, pts, reference, axes, path)
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
