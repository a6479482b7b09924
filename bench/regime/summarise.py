#!/usr/bin/env python3
"""Regime table of bench/regime/run.sh: one row per configuration, mean ± sd over its seeds.

    /usr/bin/python3 bench/regime/summarise.py DIR [DIR ...] [--runs] [--curve 20,40,60]
        [--paired-with NAME] [--match REGEX] > table.md

Reads every <name>-s<seed>/epochs.csv under the directories (standard library only). Columns:
final = test accuracy after the last epoch; last-5 = mean over the last five epochs (the test
accuracy of a constant-LR epoch swings by several points, so this is the steadier figure);
best = the highest epoch (optimistic: picked on the test set); for SFA runs also the last
epoch's selection (both networks' mean): selected count, AUC of the clean probability,
precision and recall of the selected set; final many / medium / few = the last epoch's mean test
accuracy over classes 0-1 / 2-6 / 7-9 (the head, middle and tail of the long tail); train CE = net 1's mean CE on the noisy labels in
the last warm-up epoch (how far CE is from fitting the flipped labels).
--paired-with NAME adds a table of each configuration minus NAME on the seeds both have (same seed =
same subset, flips, initialisation and warm-up), mean ± sd of the per-seed differences: the seed-to-
seed spread of the data largely cancels, so a paired difference shows smaller effects than the
unpaired means. --match keeps only the configurations whose name matches REGEX (re.search).
"""
import csv
import math
import os
import re
import statistics
import sys


GROUPS = {"many": range(0, 2), "medium": range(2, 7), "few": range(7, 10)}


def load(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def num(row, key):
    v = row.get(key, "")
    return float(v) if v not in ("", None) else math.nan


def planned_epochs(run_txt, default):
    """numEpochs from the run's config line, so that unfinished runs stay out of the table."""
    try:
        with open(run_txt) as f:
            m = re.search(r"numEpochs=(\d+)", f.read())
        return int(m.group(1)) if m else default
    except OSError:
        return default


def run_figures(rows):
    acc = [num(r, "test_accuracy") for r in rows]
    last = rows[-1]
    warm = [r for r in rows if r["phase"] == "warmup"]
    fig = {
        "epochs": len(rows),
        "final": acc[-1],
        "last5": statistics.fmean(acc[-5:]),
        "best": max(acc),
        "train_ce": num(warm[-1], "net1_ce") if warm else math.nan,
        "seconds": sum(num(r, "seconds") for r in rows),
    }
    # test accuracy per shot group after the last epoch, the groups of the trainer's CSV (classes 0-1, 2-6, 7-9)
    for group, classes in GROUPS.items():
        fig["test_" + group] = statistics.fmean(num(last, f"test_accuracy_class_{k}") for k in classes)
    if last["phase"] != "warmup":
        nets = [n for n in ("net1", "net2") if last.get(f"{n}_selected")]
        for key in ("selected", "auc", "precision", "recall"):
            fig[key] = statistics.fmean(num(last, f"{n}_{key}") for n in nets)
    return fig


def mean_sd(values):
    values = [v for v in values if not math.isnan(v)]
    if not values:
        return "–"
    if len(values) == 1:
        return f"{values[0]:.3f}"
    return f"{statistics.fmean(values):.3f} ± {statistics.stdev(values):.3f}"


def main():
    args = sys.argv[1:]
    paired = None
    if "--paired-with" in args:
        paired = args[args.index("--paired-with") + 1]
    if "--curve" in args:
        del args[args.index("--curve") + 1]
    if paired:
        args.remove(paired)
    match = None
    if "--match" in args:
        match = args[args.index("--match") + 1]
        args.remove(match)
    roots = [a for a in args if not a.startswith("--")] or ["/tmp/sfa-regime"]
    per_run = "--runs" in sys.argv
    curve = []
    if "--curve" in sys.argv:
        curve = [int(e) for e in sys.argv[sys.argv.index("--curve") + 1].split(",")]
    groups, curves = {}, {}
    dirs = sorted((d, root) for root in roots for d in os.listdir(root))
    for d, root in dirs:
        m = re.fullmatch(r"(.+)-s(\d+)", d)
        path = os.path.join(root, d, "epochs.csv")
        if not m or not os.path.isfile(path):
            continue
        if match and not re.search(match, m.group(1)):
            continue
        rows = load(path)
        if rows and len(rows) < planned_epochs(os.path.join(root, d, "run.txt"), len(rows)):
            print(f"(skipped {d}: {len(rows)} epochs so far, still running or stopped)", file=sys.stderr)
            continue
        if rows:
            groups.setdefault(m.group(1), []).append((int(m.group(2)), run_figures(rows)))
            curves.setdefault(m.group(1), []).append(rows)
    cols = ["final", "last5", "best", "test_many", "test_medium", "test_few",
            "selected", "auc", "precision", "recall", "train_ce"]
    print("| configuration | seeds | epochs | test acc final | test acc last-5 | test acc best "
          "| final many | final medium | final few "
          "| selected | AUC | precision | recall | train CE (last warm-up) | minutes per run |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, runs in groups.items():
        seeds = ",".join(str(s) for s, _ in sorted(runs))
        cells = [mean_sd([f.get(c, math.nan) for _, f in runs]) for c in cols]
        if cells[6] != "–":  # counts read better without three decimals
            sel = [f["selected"] for _, f in runs]
            cells[6] = f"{statistics.fmean(sel):.0f}" + (f" ± {statistics.stdev(sel):.0f}" if len(sel) > 1 else "")
        minutes = statistics.fmean(f["seconds"] for _, f in runs) / 60
        epochs = "/".join(sorted({str(f["epochs"]) for _, f in runs}))
        print(f"| {name} | {seeds} | {epochs} | " + " | ".join(cells) + f" | {minutes:.1f} |")
    if curve:
        # test accuracy (mean over seeds) at the given epochs, and net 1's training loss on the noisy labels
        # (CE in warm-up epochs, the mixed labelled loss Lx after), to see when a run starts to fit the flips
        print()
        print("| configuration | " + " | ".join(f"epoch {e}" for e in curve) + " |")
        print("|---|" + "---:|" * len(curve))
        for name, runs in curves.items():
            cells = []
            for e in curve:
                at = [r[e - 1] for r in runs if len(r) >= e]
                if not at:
                    cells.append("–")
                    continue
                acc = statistics.fmean(num(r, "test_accuracy") for r in at)
                loss = statistics.fmean(
                    num(r, "net1_ce") if r["phase"] == "warmup" else num(r, "net1_lx") for r in at)
                cells.append(f"{acc:.3f} ({loss:.2f})")
            print(f"| {name} | " + " | ".join(cells) + " |")
    if paired and paired in groups:
        base = dict(groups[paired])
        print()
        print(f"| configuration minus {paired} (paired by seed) | seeds | Δ final | Δ last-5 | Δ best "
              "| Δ final few | Δ AUC | Δ precision |")
        print("|---|---|---:|---:|---:|---:|---:|---:|")
        for name, runs in groups.items():
            if name == paired:
                continue
            common = sorted((s, f) for s, f in runs if s in base)
            if not common:
                continue
            cells = []
            for c in ("final", "last5", "best", "test_few", "auc", "precision"):
                d = [f.get(c, math.nan) - base[s].get(c, math.nan) for s, f in common]
                cells.append(mean_sd(d).replace("-", "−"))
            seeds = ",".join(str(s) for s, _ in common)
            print(f"| {name} | {seeds} | " + " | ".join(cells) + " |")
    if per_run:
        print()
        print("| run | seed | final | last-5 | best | AUC |")
        print("|---|---:|---:|---:|---:|---:|")
        for name, runs in groups.items():
            for seed, f in sorted(runs):
                auc = f.get("auc", math.nan)
                print(f"| {name} | {seed} | {f['final']:.4f} | {f['last5']:.4f} | {f['best']:.4f} | "
                      + ("–" if math.isnan(auc) else f"{auc:.4f}") + " |")


if __name__ == "__main__":
    main()
