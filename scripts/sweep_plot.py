#!/usr/bin/python3
"""sweep_plot.py — PNGs of a durand sweep file.

Usage:
    /usr/bin/python3 scripts/sweep_plot.py SWEEP.h5 [-o OUTDIR] [--indicator NAME ...]

Writes, into OUTDIR (default: next to the sweep file):
    <stem>_<indicator>.png              the indicator against each parameter
                                        (one panel per parameter; one dot per
                                        design point, the mean over its
                                        replications that did not fail)
    <stem>_sensitivity_<indicator>.png  from the file's `sensitivity` group,
                                        when present: Sobol S1 and ST with
                                        their bootstrap intervals, or Morris
                                        mu* and sigma, per parameter

Needs h5py, numpy and matplotlib (Debian's python3-h5py, python3-numpy,
python3-matplotlib: run it with /usr/bin/python3). Draws with the Agg backend,
so no display is needed.

The sweep file is HDF5 that reads as netCDF-4/CF (output/SCHEMA.md, section
on sweep files). The reader finds variables by their dimension scales, not by
fixed positions: the design matrix is the float variable along (point, param);
an indicator is a float variable along point (optionally with replication),
along run (run = point * replications + replication), or a column of a
variable along an `indicator` dimension. Where a file has no dimension scales
the same roles are inferred from shapes. Anything it cannot place is skipped
with a note on stderr, so a newer layout degrades to fewer plots, not a crash.
"""
import argparse
import os
import re
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)
import numpy as np  # noqa: E402

try:
    import h5py  # noqa: E402
except ImportError:  # pragma: no cover - depends on the interpreter
    sys.exit("sweep_plot.py: h5py is missing: run it with /usr/bin/python3 "
             "(Debian's python3-h5py)")

# Names a dimension (or its coordinate variable) may have, per role.
POINT_DIMS = ("point", "points", "design_point")
PARAM_DIMS = ("param", "params", "parameter", "parameters")
REP_DIMS = ("replication", "replications", "rep")
RUN_DIMS = ("run", "runs")
INDICATOR_DIMS = ("indicator", "indicators")
# Names of the design matrix, in order of preference, where dims are absent.
DESIGN_NAMES = ("x", "design", "design_x", "design_matrix", "points")
# Variables that are never indicators.
NOT_INDICATORS = set(POINT_DIMS + PARAM_DIMS + REP_DIMS + RUN_DIMS +
                     ("indicator",) + DESIGN_NAMES +
                     ("status", "run_status", "lo", "hi", "levels", "integer",
                      "param_lo", "param_hi", "param_levels", "param_integer"))


def note(msg):
    print("sweep_plot.py: " + msg, file=sys.stderr)


def safe_name(s):
    """A file-name-safe version of s."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", str(s)).strip("_") or "unnamed"


def as_text(v):
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    return str(v)


def read_strings(ds):
    """A 1-d dataset of strings as a list of str (None if not strings)."""
    if ds.ndim != 1:
        return None
    if h5py.check_string_dtype(ds.dtype) is not None:
        return [as_text(v) for v in ds.asstr()[()]]
    if ds.dtype.kind in "SU":
        return [as_text(v) for v in ds[()]]
    return None


def dim_names(ds):
    """The dimension name of each axis of ds, from attached dimension scales
    (None for an axis without one)."""
    names = []
    for i in range(ds.ndim):
        name = None
        try:
            scales = ds.dims[i]
            if len(scales) > 0:
                name = scales[0].name.rsplit("/", 1)[-1]
        except (RuntimeError, KeyError, ValueError, TypeError):
            name = None
        names.append(name)
    return names


def is_float(ds):
    return isinstance(ds, h5py.Dataset) and ds.dtype.kind == "f"


def attr_text(obj, key, default=""):
    v = obj.attrs.get(key, default)
    if isinstance(v, np.ndarray) and v.size == 1:
        v = v.item()
    return as_text(v)


def find_coordinate(group, names):
    """The first dataset in group whose name is one of names."""
    for n in names:
        if n in group and isinstance(group[n], h5py.Dataset):
            return group[n]
    return None


class Sweep:
    """What the plots need from a sweep file, found defensively."""

    def __init__(self, f):
        self.f = f
        self.params = None     # list of parameter names
        self.x = None          # float array [n_points][n_params]
        self.n_reps = None
        self.indicators = {}   # name -> float array [n_points][n_reps]
        self.units = {}        # name -> units text
        self._find_design()
        if self.x is not None:
            self._find_indicators()

    def _find_design(self):
        f = self.f
        pc = find_coordinate(f, PARAM_DIMS)
        names = read_strings(pc) if pc is not None else None
        cands = []
        for key, ds in f.items():
            if not is_float(ds) or ds.ndim != 2:
                continue
            dims = dim_names(ds)
            if dims[1] in PARAM_DIMS and dims[0] in POINT_DIMS:
                cands.insert(0, (ds[()], key))
            elif dims[0] in PARAM_DIMS and dims[1] in POINT_DIMS:
                cands.insert(0, (ds[()].T, key))
            elif key in DESIGN_NAMES:
                cands.append((ds[()], key))
        if not cands:
            note("no design matrix (a float variable along point and param) "
                 "found; nothing to plot against")
            return
        x, key = cands[0]
        if names is not None and x.shape[1] != len(names) and \
                x.shape[0] == len(names):
            x = x.T
        if names is None:
            attr = f[key].attrs.get("param_names")
            if attr is not None:
                names = [as_text(v) for v in np.atleast_1d(attr)]
        if names is None or len(names) != x.shape[1]:
            names = ["param %d" % j for j in range(x.shape[1])]
        self.x = np.asarray(x, dtype=float)
        self.params = names
        rc = find_coordinate(f, REP_DIMS)
        if rc is not None and rc.ndim == 1:
            self.n_reps = rc.shape[0]
        elif "replications" in f.attrs:
            self.n_reps = int(np.atleast_1d(f.attrs["replications"])[0])

    def _status_mask(self, n_points):
        """Array [n_points][n_reps] of True where a run is done, or None."""
        ds = find_coordinate(self.f, ("status", "run_status"))
        if ds is None or ds.dtype.kind not in "iu":
            return None
        s = self._to_point_rep(ds[()], dim_names(ds), n_points)
        if s is None:
            return None
        meanings = attr_text(ds, "flag_meanings").split()
        values = np.atleast_1d(ds.attrs.get("flag_values", []))
        done = 1
        if "done" in meanings and len(values) == len(meanings):
            done = int(values[meanings.index("done")])
        return s == done

    def _to_point_rep(self, a, dims, n_points):
        """Reshape a 1-d or 2-d array along point/run/replication to
        [n_points][n_reps]; None if its shape does not fit."""
        a = np.asarray(a)
        if a.ndim == 2:
            if dims[0] in REP_DIMS or (dims[0] not in POINT_DIMS and
                                       a.shape[1] == n_points and
                                       a.shape[0] != n_points):
                a = a.T
            return a if a.shape[0] == n_points else None
        if a.ndim == 1:
            if a.shape[0] == n_points and dims[0] not in RUN_DIMS:
                return a.reshape(n_points, 1)
            if a.shape[0] % n_points == 0:
                reps = a.shape[0] // n_points
                if self.n_reps is None or self.n_reps == reps:
                    return a.reshape(n_points, reps)  # run = point * R + rep
        return None

    def _find_indicators(self):
        f = self.f
        n_points = self.x.shape[0]
        ic = find_coordinate(f, INDICATOR_DIMS)
        ind_names = read_strings(ic) if ic is not None else None
        for key, ds in f.items():
            if not is_float(ds) or key in NOT_INDICATORS or \
                    key.startswith("series"):
                continue
            dims = dim_names(ds)
            arr = ds[()]
            units = attr_text(ds, "units")
            if ind_names is not None and ds.ndim >= 2 and \
                    (any(d in INDICATOR_DIMS for d in dims) or
                     (dims[-1] is None and arr.shape[-1] == len(ind_names))):
                axis = next((i for i, d in enumerate(dims)
                             if d in INDICATOR_DIMS), ds.ndim - 1)
                if arr.shape[axis] != len(ind_names):
                    continue
                arr = np.moveaxis(arr, axis, -1)
                other = [d for i, d in enumerate(dims) if i != axis]
                for k, name in enumerate(ind_names):
                    v = self._to_point_rep(arr[..., k], other, n_points)
                    if v is not None:
                        self.indicators[name] = v
                        self.units.setdefault(name, "")
                continue
            if ds.ndim > 2 or any(d in PARAM_DIMS for d in dims):
                continue
            if dims and dims[0] is not None and \
                    dims[0] not in POINT_DIMS + RUN_DIMS:
                continue
            v = self._to_point_rep(arr, dims, n_points)
            if v is not None:
                self.indicators[key] = v
                self.units[key] = units
        units = find_coordinate(f, ("indicator_units",))
        unit_names = read_strings(units) if units is not None else None
        if ind_names is not None and unit_names is not None and \
                len(unit_names) == len(ind_names):
            for name, u in zip(ind_names, unit_names):
                if name in self.units and not self.units[name]:
                    self.units[name] = u
        mask = self._status_mask(n_points)
        if mask is not None:
            for name, v in self.indicators.items():
                if v.shape == mask.shape:
                    v = v.astype(float).copy()
                    v[~mask] = np.nan
                    self.indicators[name] = v


def plot_scatter(sweep, name, values, path):
    k = len(sweep.params)
    with np.errstate(all="ignore"):
        y = np.nanmean(values, axis=1) if values.shape[1] > 0 else values
    ncol = min(k, 3)
    nrow = (k + ncol - 1) // ncol
    fig, axes = plt.subplots(nrow, ncol, figsize=(4.2 * ncol, 3.4 * nrow),
                             squeeze=False)
    units = sweep.units.get(name, "")
    for j in range(nrow * ncol):
        ax = axes[j // ncol][j % ncol]
        if j >= k:
            ax.set_visible(False)
            continue
        ok = np.isfinite(y) & np.isfinite(sweep.x[:, j])
        ax.scatter(sweep.x[ok, j], y[ok], s=8, alpha=0.6, edgecolors="none")
        ax.set_xlabel(sweep.params[j], fontsize=8)
        ax.set_ylabel(name + (" [%s]" % units if units and units != "1" else ""),
                      fontsize=8)
        ax.tick_params(labelsize=7)
    reps = values.shape[1]
    fig.suptitle("%s against each parameter (%d points, mean of %d replication%s)"
                 % (name, values.shape[0], reps, "" if reps == 1 else "s"),
                 fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def _lookup(group, *names):
    """The first member of group whose lower-cased name is in names."""
    lower = {k.lower(): k for k in group.keys()}
    for n in names:
        if n.lower() in lower:
            obj = group[lower[n.lower()]]
            if isinstance(obj, h5py.Dataset):
                return obj
    return None


def _sensitivity_tables(group, params, indicators):
    """Yield (indicator, {quantity: array [n_params]}) from a sensitivity
    group laid out as variables along (indicator, param) or (param,), or as
    one subgroup per indicator."""
    quantities = {
        "S1": ("S1", "s1", "first_order"),
        "S1_lo": ("S1_lo", "s1_lo", "S1_low", "S1_lower", "first_order_lo"),
        "S1_hi": ("S1_hi", "s1_hi", "S1_high", "S1_upper", "first_order_hi"),
        "ST": ("ST", "st", "total", "total_order"),
        "ST_lo": ("ST_lo", "st_lo", "ST_low", "ST_lower", "total_lo"),
        "ST_hi": ("ST_hi", "st_hi", "ST_high", "ST_upper", "total_hi"),
        "mu_star": ("mu_star", "mustar", "mu*"),
        "sigma": ("sigma", "morris_sigma"),
    }
    k = len(params)
    sub = [g for g in group.values() if isinstance(g, h5py.Group)]
    if sub:
        for g in sub:
            table = {}
            for q, names in quantities.items():
                ds = _lookup(g, *names)
                if ds is not None and ds.ndim == 1 and ds.shape[0] == k:
                    table[q] = ds[()]
            if table:
                yield attr_text(g, "indicator", g.name.rsplit("/", 1)[-1]), table
        return
    ic = find_coordinate(group, INDICATOR_DIMS)
    if ic is None:
        ic = find_coordinate(group.file, INDICATOR_DIMS)
    names = read_strings(ic) if ic is not None else None
    if names is None:
        names = [n for n in indicators] if indicators else None
    arrays = {}
    for q, cands in quantities.items():
        ds = _lookup(group, *cands)
        if ds is None:
            continue
        a = ds[()]
        dims = dim_names(ds)
        if a.ndim == 1 and a.shape[0] == k:
            a = a.reshape(1, k)
        elif a.ndim == 2 and (dims[0] in PARAM_DIMS or
                              (a.shape[1] != k and a.shape[0] == k)):
            a = a.T
        if a.ndim == 2 and a.shape[1] == k:
            arrays[q] = a
    if not arrays:
        return
    n = min(a.shape[0] for a in arrays.values())
    for i in range(n):
        label = names[i] if names is not None and i < len(names) else \
            "indicator %d" % i
        yield label, {q: a[i] for q, a in arrays.items()}


def plot_sensitivity(params, indicator, table, path):
    k = len(params)
    pos = np.arange(k)
    fig, ax = plt.subplots(figsize=(max(5.0, 1.1 * k + 2.5), 4.0))
    if "S1" in table or "ST" in table:
        width = 0.38
        for off, q, color in ((-width / 2, "S1", "tab:blue"),
                              (width / 2, "ST", "tab:orange")):
            if q not in table:
                continue
            v = np.asarray(table[q], dtype=float)
            err = None
            lo, hi = table.get(q + "_lo"), table.get(q + "_hi")
            if lo is not None and hi is not None:
                lo = np.asarray(lo, dtype=float)
                hi = np.asarray(hi, dtype=float)
                err = np.vstack([np.clip(v - lo, 0, None),
                                 np.clip(hi - v, 0, None)])
                err[~np.isfinite(err)] = 0.0
            ax.bar(pos + off, np.nan_to_num(v), width, color=color,
                   label={"S1": "first order S1", "ST": "total ST"}[q],
                   yerr=err, capsize=3, ecolor="black")
        ax.set_ylabel("Sobol index (95% bootstrap interval)")
        ax.axhline(0.0, color="grey", linewidth=0.6)
        title = "Sobol indices of %s" % indicator
    else:
        width = 0.38
        for off, q, color, label in ((-width / 2, "mu_star", "tab:green", "mu*"),
                                     (width / 2, "sigma", "tab:red", "sigma")):
            if q in table:
                ax.bar(pos + off, np.nan_to_num(np.asarray(table[q], float)),
                       width, color=color, label=label)
        ax.set_ylabel("effect per unit of normalised range")
        title = "Morris screening of %s" % indicator
    ax.set_xticks(pos)
    ax.set_xticklabels(params, rotation=30, ha="right", fontsize=8)
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(argv=None):
    ap = argparse.ArgumentParser(description="PNGs of a durand sweep file")
    ap.add_argument("sweep", help="sweep file (HDF5) from durand sweep/merge")
    ap.add_argument("-o", "--outdir", default=None,
                    help="directory for the PNGs (default: the file's)")
    ap.add_argument("--indicator", action="append", default=None,
                    help="plot only this indicator (repeatable)")
    args = ap.parse_args(argv)

    outdir = args.outdir or os.path.dirname(os.path.abspath(args.sweep))
    os.makedirs(outdir, exist_ok=True)
    stem = safe_name(os.path.splitext(os.path.basename(args.sweep))[0])
    written = []
    try:
        f = h5py.File(args.sweep, "r")
    except OSError as e:
        print("sweep_plot.py: %s: cannot open: %s" % (args.sweep, e),
              file=sys.stderr)
        return 1
    with f:
        sweep = Sweep(f)
        wanted = set(args.indicator) if args.indicator else None
        if sweep.x is not None:
            if not sweep.indicators:
                note("no indicator variables found")
            for name, values in sweep.indicators.items():
                if wanted is not None and name not in wanted:
                    continue
                path = os.path.join(outdir, "%s_%s.png" % (stem, safe_name(name)))
                plot_scatter(sweep, name, values, path)
                written.append(path)
        if "sensitivity" in f and isinstance(f["sensitivity"], h5py.Group):
            g = f["sensitivity"]
            params = sweep.params
            if params is None:
                pc = find_coordinate(g, PARAM_DIMS)
                params = read_strings(pc) if pc is not None else None
            if params is None:
                note("sensitivity group without parameter names; skipped")
            else:
                for name, table in _sensitivity_tables(g, params,
                                                       list(sweep.indicators)):
                    if wanted is not None and name not in wanted:
                        continue
                    path = os.path.join(outdir, "%s_sensitivity_%s.png"
                                        % (stem, safe_name(name)))
                    plot_sensitivity(params, name, table, path)
                    written.append(path)
    for p in written:
        print(p)
    if not written:
        note("%s: nothing plotted" % args.sweep)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
