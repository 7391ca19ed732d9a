#!/usr/bin/python3
"""compare_plot.py — PNGs of a durand comparison file (`durand compare`).

Usage:
    /usr/bin/python3 scripts/compare_plot.py COMPARE.h5 [-o OUTDIR]
                                             [--indicator NAME ...]

Writes, into OUTDIR (default: next to the comparison file), and prints the
path of each:
    <stem>_effects.png  forest plot: per main indicator one panel, per
                        strategy the mean paired difference from the baseline
                        (dot) with its 95% interval (thick bar) and, thin and
                        grey, the interval independent seeds would have given
                        (estimated; measured too when the file has the
                        independent-seed check), and a zero line
    <stem>_series.png   fan charts: per daily series one panel, per strategy
                        the 5-95% band over replications and the median line

The main indicators are deaths_total, civilian_deaths_total, clashes_total,
attacks_total, tension_final and, when the file has them, displaced_peak,
returns_total and cost_total; --indicator NAME (repeatable) chooses others.

Needs h5py, numpy and matplotlib (Debian's python3-h5py, python3-numpy,
python3-matplotlib: run it with /usr/bin/python3). Draws with the Agg backend,
so no display is needed. The file layout is in output/SCHEMA.md ("Comparison
files"). Exit status 0, 2 for a file that is not a comparison file.
"""
import argparse
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)
import numpy as np  # noqa: E402

try:
    import h5py  # noqa: E402
except ImportError:  # pragma: no cover - depends on the machine
    sys.exit("compare_plot.py: needs h5py (apt-get install python3-h5py; "
             "run with /usr/bin/python3)")

MAIN_INDICATORS = ["deaths_total", "civilian_deaths_total", "clashes_total",
                   "attacks_total", "tension_final", "displaced_peak",
                   "returns_total", "cost_total"]
QUANTILES = ("q05", "q50", "q95")


def text(v):
    """A string from an HDF5 string value (bytes or str)."""
    return v.decode("utf-8") if isinstance(v, bytes) else str(v)


def strings(ds):
    return [text(v) for v in ds[()]]


def attr(f, name, default=""):
    v = f.attrs.get(name, default)
    if isinstance(v, np.ndarray) and v.shape == ():
        v = v[()]
    return text(v) if isinstance(v, (bytes, str)) else v


def grid(n):
    cols = min(n, 3)
    rows = (n + cols - 1) // cols
    return rows, cols


def forest(f, stem, outdir, names, strategies, baseline):
    indicators = strings(f["indicator"])
    units = strings(f["indicator_units"])
    chosen = [n for n in names if n in indicators]
    for n in names:
        if n not in indicators and n not in MAIN_INDICATORS:
            print(f"compare_plot.py: {stem}: no indicator {n}; skipped",
                  file=sys.stderr)
    if not chosen:
        print(f"compare_plot.py: {stem}: none of the indicators is in the file",
              file=sys.stderr)
        return None
    effect, lo, hi = f["effect"][()], f["effect_lo"][()], f["effect_hi"][()]
    hw_ind = f["effect_halfwidth_independent"][()]
    hw_meas = (f["effect_halfwidth_independent_measured"][()]
               if "effect_halfwidth_independent_measured" in f else None)
    rows = [s for s in range(len(strategies)) if s != baseline]
    if not rows:
        print(f"compare_plot.py: {stem}: only the baseline; no effects to plot",
              file=sys.stderr)
        return None
    nr, nc = grid(len(chosen))
    fig, axes = plt.subplots(nr, nc, figsize=(4.0 * nc + 1.5, 0.45 * len(rows) * nr + 1.6 * nr + 0.8),
                             squeeze=False, sharey=True)
    y = np.arange(len(rows))[::-1]
    for ax, name in zip(axes.flat, chosen):
        k = indicators.index(name)
        for j, s in zip(y, rows):
            m = effect[s, k]
            ax.plot([m - hw_ind[s, k], m + hw_ind[s, k]], [j + 0.18, j + 0.18],
                    color="0.6", lw=1.2,
                    label="independent seeds (est.)" if j == y[0] else None)
            if hw_meas is not None:
                ax.plot([m - hw_meas[s, k], m + hw_meas[s, k]], [j + 0.3, j + 0.3],
                        color="0.75", lw=1.2, ls=":",
                        label="independent seeds (measured)" if j == y[0] else None)
            ax.plot([lo[s, k], hi[s, k]], [j, j], color="C0", lw=3,
                    label="95% interval, CRN" if j == y[0] else None)
            ax.plot([m], [j], "o", color="C3" if m != 0 else "C0", ms=5)
        ax.axvline(0.0, color="k", lw=0.8)
        ax.set_yticks(y)
        ax.set_yticklabels([strategies[s] for s in rows])
        ax.set_ylim(y[-1] - 0.6, y[0] + 0.6)
        u = units[k]
        ax.set_title(name + ("" if u == "1" else f" ({u})"), fontsize=10)
        ax.set_xlabel(f"strategy - {strategies[baseline]}")
        ax.grid(axis="x", alpha=0.3)
    for ax in list(axes.flat)[len(chosen):]:
        ax.set_visible(False)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=len(labels), fontsize=8,
               frameon=False)
    fig.suptitle(f"{attr(f, 'title')}: effects vs {strategies[baseline]}, "
                 f"{attr(f, 'replications')} paired replications", fontsize=11)
    fig.tight_layout(rect=(0, 0.04, 1, 0.96))
    path = os.path.join(outdir, f"{stem}_effects.png")
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def fans(f, stem, outdir, strategies):
    series = [name[len("series_"):-len("_mean")] for name in f
              if name.startswith("series_") and name.endswith("_mean")]
    series = [s for s in series
              if all(f"series_{s}_{q}" in f for q in QUANTILES)]
    # The main series first, the rest in name order.
    first = ["deaths", "tension_mean", "trust_mean", "displaced", "danger_max"]
    series.sort(key=lambda s: (first.index(s) if s in first else len(first), s))
    if not series or "time" not in f:
        print(f"compare_plot.py: {stem}: no daily series; fan charts skipped",
              file=sys.stderr)
        return None
    t = f["time"][()]
    nr, nc = grid(len(series))
    fig, axes = plt.subplots(nr, nc, figsize=(5.0 * nc, 3.3 * nr), squeeze=False)
    for ax, name in zip(axes.flat, series):
        q05, q50, q95 = (f[f"series_{name}_{q}"][()] for q in QUANTILES)
        for s, label in enumerate(strategies):
            c = f"C{s % 10}"
            ax.fill_between(t, q05[s], q95[s], color=c, alpha=0.18, lw=0)
            ax.plot(t, q50[s], color=c, lw=1.3, label=label)
        ds = f[f"series_{name}_mean"]
        u = text(ds.attrs.get("units", "1"))
        ax.set_title(name + ("" if u == "1" else f" ({u})"), fontsize=10)
        ax.set_xlabel(text(f["time"].attrs.get("units", "day")))
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(series):]:
        ax.set_visible(False)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=min(len(labels), 5), fontsize=8,
               frameon=False)
    fig.suptitle(f"{attr(f, 'title')}: median and 5-95% band over "
                 f"{attr(f, 'replications')} replications", fontsize=11)
    rows_of_legend = (len(labels) + 4) // 5
    fig.tight_layout(rect=(0, 0.035 * rows_of_legend + 0.01, 1, 0.96))
    path = os.path.join(outdir, f"{stem}_series.png")
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file", help="comparison file written by `durand compare`")
    ap.add_argument("-o", "--outdir", help="directory for the PNGs "
                    "(default: next to the file)")
    ap.add_argument("--indicator", action="append", metavar="NAME",
                    help="indicator of the forest plot (repeatable; default: "
                    "the main indicators)")
    a = ap.parse_args(argv)
    outdir = a.outdir or os.path.dirname(os.path.abspath(a.file))
    os.makedirs(outdir, exist_ok=True)
    stem = os.path.splitext(os.path.basename(a.file))[0]
    try:
        f = h5py.File(a.file, "r")
    except OSError as e:
        print(f"compare_plot.py: {a.file}: cannot open: {e}", file=sys.stderr)
        return 2
    with f:
        if attr(f, "durand_file") != "compare" or "strategy" not in f:
            print(f"compare_plot.py: {a.file}: not a durand comparison file "
                  f"(durand_file = {attr(f, 'durand_file')!r})", file=sys.stderr)
            return 2
        strategies = strings(f["strategy"])
        baseline = int(attr(f, "baseline_index", 0))
        paths = [forest(f, stem, outdir, a.indicator or MAIN_INDICATORS,
                        strategies, baseline),
                 fans(f, stem, outdir, strategies)]
    for p in paths:
        if p:
            print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
