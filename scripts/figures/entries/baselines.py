# SPDX-License-Identifier: Apache-2.0
"""docs/baselines.md: SPARK against the paper's baselines (`spark-sim --compare`), in calibration mode against the
ANT simulator's published results and against the paper's claims, and in platform mode."""

import csv
import json
import os
import subprocess
import sys

_runs = {}
NETWORKS = ("vgg16", "resnet18", "resnet50", "vit_b16", "bert_base")  # the paper's five (docs/baselines.md)
DESIGNS = "all,int8,ant-ws"


def compare(spark_sim, root, work, net, mode, model="measured"):
    """compare.json of `spark-sim -w traces/<net>.yaml --compare all,int8,ant-ws --compare-mode <mode> --no-check`,
    with --spark-model <model> in calibration mode and --arch platforms/spark/config/paper-setup.json in platform
    mode."""
    key = (net, mode, model)
    if key not in _runs:
        out = os.path.join(work, f"{net}-{mode}-{model}")
        cmd = [spark_sim, "--workload", os.path.join(root, "traces", net + ".yaml"), "--compare", DESIGNS,
               "--compare-mode", mode, "--no-progress", "--no-check", "--max-rows", "1", "--out", out]
        if mode == "calibration":
            cmd += ["--spark-model", model]
        else:  # the paper's setup: 5 MB of buffers, 200 MHz, DDR4-3200 for every design
            cmd += ["--arch", os.path.join(root, "platforms", "spark", "config", "paper-setup.json")]
        p = subprocess.run(cmd, capture_output=True, text=True,
                           env=dict(os.environ, SYSTEMC_DISABLE_COPYRIGHT_MESSAGE="1"))
        if p.returncode != 0:
            sys.exit(f"figures: {' '.join(cmd)} failed ({p.returncode}):\n{p.stderr}")
        with open(os.path.join(out, "compare.json")) as f:
            _runs[key] = {d["design"]["name"]: d for d in json.load(f)["designs"]}
    return _runs[key]


def ant_simulator(root):
    path = os.path.join(root, "tests", "data", "compare", "ant_simulator_results.csv")
    with open(path) as f:
        rows = [l for l in f if not l.startswith("#")]
    return {(r["network"], r["design"]): r for r in csv.DictReader(rows)}


def ant_rows(tools, root, everything, work):
    """Time and energy split normalised to AdaFloat's, the project's calibration mode beside the ANT simulator's."""
    ref = ant_simulator(root)
    rows = []
    for net, cheap in (("resnet18", True), ("resnet50", False)):
        if not (cheap or everything):
            continue
        run = compare(tools["spark-sim"], root, work, net, "calibration")
        ada = run["adafloat"]
        for design in ("ant", "ant-ws", "bitfusion", "olaccel", "biscaled", "adafloat"):
            if (net, design) not in ref:
                continue
            d, r = run[design], ref[(net, design)]
            e = d["energy_pj"]
            cells = [f"{net} {design}", f"{d['cycles'] / ada['cycles']:.3f} / {r['time']}"]
            for key in ("static", "dram", "buffer", "core"):
                cells.append(f"{e[key] / ada['energy_pj']['total']:.3f} / {r[key]}")
            rows.append(cells)
    return rows


def paper_rows(tools, root, everything, work):
    if not everything:
        return []
    sim = tools["spark-sim"]
    columns = [lambda net: compare(sim, root, work, net, "calibration", "measured"),
               lambda net: compare(sim, root, work, net, "calibration", "paper"),
               lambda net: compare(sim, root, work, net, "platform")]

    def spark_key(run):
        return "spark" if "spark" in run else "spark-paper"

    def mean_speedup(design):
        out = []
        for col in columns:
            values = []
            for net in NETWORKS:
                run = col(net)
                values.append(run[design]["cycles"] / run[spark_key(run)]["cycles"])
            out.append(f"{sum(values) / len(values):.2f}x")
        return out

    def net_speedup(net, design):
        return [f"{col(net)[design]['cycles'] / col(net)[spark_key(col(net))]['cycles']:.2f}x" for col in columns]

    def energy(net, design):
        out = []
        for col in columns:
            run = col(net)
            s, d = run[spark_key(run)]["energy_pj"], run[design]["energy_pj"]
            out.append(f"{100 * (1 - s['total_without_static'] / d['total_without_static']):.1f} % "
                       f"({100 * (1 - s['total'] / d['total']):.1f} %)")
        return out

    rows = [["mean speedup over AdaFloat", "4.65x", *mean_speedup("adafloat")],
            ["mean speedup over OLAccel", "3.76x", *mean_speedup("olaccel")],
            ["mean speedup over ANT", "1.12x", *mean_speedup("ant")],
            ["ViT speedup over AdaFloat", "3.3x", *net_speedup("vit_b16", "adafloat")],
            ["ViT speedup over ANT", "1.16x", *net_speedup("vit_b16", "ant")]]
    for design, paper in (("adafloat", "70.0 %"), ("olaccel", "21.2 %"), ("ant", "21.0 %"), ("bitfusion", "51.5 %"),
                          ("biscaled", "33.7 %"), ("eyeriss", "74.7 %")):
        rows.append([f"ResNet-50 energy below {design}", paper, *energy("resnet50", design)])
    for design, paper in (("adafloat", "69.9 %"), ("ant", "36.3 %")):
        rows.append([f"ViT energy below {design}", paper, *energy("vit_b16", design)])
    return rows


def platform_rows(tools, root, everything, work):
    if not everything:
        return []
    run = compare(tools["spark-sim"], root, work, "resnet50", "platform")
    rows = []
    for name, d in run.items():
        e = d["energy_pj"]
        rows.append([name, str(d["cycles"]), f"{d['spark_speedup']:.3f}", f"{e['static'] / 1e6:.1f}",
                     f"{e['dram'] / 1e6:.1f}", f"{e['buffer'] / 1e6:.1f}", f"{e['core'] / 1e6:.1f}",
                     f"{e['total'] / 1e6:.1f}", f"{d['stored_bits_per_value']:.2f}"])
    return rows


ENTRIES = {
    "baselines-ant-simulator": ("docs/baselines.md", ant_rows),
    "baselines-paper": ("docs/baselines.md", paper_rows),
    "baselines-platform": ("docs/baselines.md", platform_rows),
}
