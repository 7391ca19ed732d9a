#!/usr/bin/python3
"""Calibration check of the flagship scenario against the 2023-2024 targets.

Runs `durand run` for replications 0..N-1 (default 20) of a scenario (default
scenarios/pak_afg.cfg), reads every result file (output/SCHEMA.md) and prints,
per calendar year of the run, the mean and the 90 % range (5th-95th
percentile over replications) of

  - conflict deaths in Pakistan: every death at a location whose country is
    PAK (security forces, militants, civilians, scheduled shock fatalities),
  - the KP + Balochistan share of them (locations by `location_region`),
  - the militant share of them (fighters of militant groups killed at
    Pakistani locations),
  - security-force deaths (personnel of states killed at Pakistani
    locations) and civilian deaths in Pakistan,
  - interstate PAK-AFG clash deaths and incidents (clash and retaliation
    rows of the event log between the two states, both sides and
    civilians, wherever they fell),

plus plausibility checks of the interstate dynamics (PAK-AFG tension,
postures, Pakistani cross-border strikes), next to the targets of
scenarios/CALIBRATION.md, each marked inside or outside. A target is met
when the mean over replications lies in its range. Exit status 0 when every
target holds, 1 otherwise (2 on a usage or run error).

Sources of the targets (see scenarios/CALIBRATION.md): calibration.md
(CRSS, PICSS, PIPS); the 2023 lower bound (PIPS 2023: 693 killed) is from
outside calibration.md and marked so.

Usage: /usr/bin/python3 scripts/calibrate.py [--durand build/durand]
           [--scenario scenarios/pak_afg.cfg] [--replications 20]
           [--jobs 2] [-s PATH=VALUE]...
"""
import argparse
import datetime
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

import h5py
import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Regions whose deaths make up the "KP + Balochistan" share.
KP_BAL = ("KP", "Balochistan")

# Posture and event-kind names are read from the file's flag_meanings.

# Targets per year: (key, label, low, high, source). None = open bound.
# Keys are computed per year by year_metrics(); "growth" is across years.
TARGETS = {
    2023: [
        ("deaths_pak", "deaths in Pakistan", 693.0, 1524.0,
         "PIPS 2023 693 (outside calibration.md) - CRSS 2023 1,524"),
        ("kpb_share", "KP + Balochistan share", 0.90, 1.0,
         "CRSS/PICSS/PIPS: 90-96 %"),
        ("militant_share", "militant share of deaths", 0.30, 0.55,
         "CRSS 2024 37 %, PICSS 2024 49 % (same order)"),
        ("interstate_deaths", "PAK-AFG clash deaths", 1.0, 100.0,
         "handful of incidents, tens of deaths"),
        ("interstate_clashes", "PAK-AFG clash incidents", 1.0, 20.0,
         "a handful a year"),
        ("tension_pinned", "days PAK-AFG tension >= 0.99 (share)", 0.0, 0.05,
         "tension not pinned at 1"),
        ("pak_afg_strike", "days PAK->AFG in strike (share)", 0.0, 0.10,
         "postures mostly hold/pressure"),
        ("pak_afg_holdpress", "days PAK->AFG hold/pressure (share)", 0.80, 1.0,
         "postures mostly hold/pressure"),
        ("pak_ttp_strike", "days PAK->TTP in strike (share)", 0.0, 0.15,
         "strikes episodic"),
        ("pak_strikes", "Pakistani cross-border strikes", 0.0, 10.0,
         "none reported for 2023; episodic"),
    ],
    2024: [
        ("deaths_pak", "deaths in Pakistan", 852.0, 2546.0,
         "PIPS 2024 852 - CRSS 2024 2,546"),
        ("kpb_share", "KP + Balochistan share", 0.90, 1.0,
         "CRSS/PICSS/PIPS: 90-96 %"),
        ("militant_share", "militant share of deaths", 0.30, 0.55,
         "CRSS 2024 37 %, PICSS 2024 49 %"),
        ("security_deaths", "security-force deaths", 528.0, 685.0,
         "PICSS 2024 528 - CRSS 2024 685"),
        ("civilian_deaths", "civilian deaths", 468.0, 927.0,
         "PICSS 2024 468 - CRSS 2024 927 (1,612 - 685)"),
        ("interstate_deaths", "PAK-AFG clash deaths", 1.0, 100.0,
         "handful of incidents, tens of deaths"),
        ("interstate_clashes", "PAK-AFG clash incidents", 1.0, 20.0,
         "a handful a year"),
        ("tension_pinned", "days PAK-AFG tension >= 0.99 (share)", 0.0, 0.05,
         "tension not pinned at 1"),
        ("pak_afg_strike", "days PAK->AFG in strike (share)", 0.0, 0.10,
         "postures mostly hold/pressure"),
        ("pak_afg_holdpress", "days PAK->AFG hold/pressure (share)", 0.80, 1.0,
         "postures mostly hold/pressure"),
        ("pak_ttp_strike", "days PAK->TTP in strike (share)", 0.0, 0.15,
         "strikes episodic"),
        ("pak_strikes", "Pakistani cross-border strikes", 1.0, 20.0,
         "Mar and Dec 2024 strikes; episodic"),
    ],
}
# 2024 deaths in Pakistan relative to 2023 (ratio of the means).
GROWTH = ("growth", "2024 / 2023 deaths in Pakistan", 1.20, 2.00,
          "PIPS +23 % (693 -> 852), CRSS +67 % (1,524 -> 2,546)")

# Reported without a target (diagnostics).
DIAGNOSTICS = [
    ("security_deaths", "security-force deaths"),
    ("civilian_deaths", "civilian deaths"),
    ("militant_deaths", "militant deaths"),
    ("attacks_pak", "militant attacks in Pakistan"),
    ("clashes_pak", "clashes with deaths in Pakistan"),
    ("tension_mean", "mean PAK-AFG tension"),
]


def strings(ds):
    return [s.decode() if isinstance(s, bytes) else s for s in ds[:]]


def flag_index(var, name):
    meanings = var.attrs["flag_meanings"]
    if isinstance(meanings, bytes):
        meanings = meanings.decode()
    return meanings.split().index(name)


def read_run(path):
    """Per-year metrics of one result file: {year: {key: value}}."""
    with h5py.File(path, "r") as f:
        start = f.attrs["start_date"]
        if isinstance(start, bytes):
            start = start.decode()
        start = datetime.date.fromisoformat(start)
        actors = strings(f["actor"])
        kinds = f["actor_kind"][:]
        dyads = strings(f["dyad"])
        country = f["location_country"][:]
        region = strings(f["location_region"])
        days = f["time"][:]
        deaths = f["deaths"][:]                      # (t, l)
        fat_loc = f["fatalities_by_location"][:]     # (t, a, l)
        civ = f["civilian_deaths"][:]                # (t, l)
        attacks = f["attacks"][:]
        clashes = f["clashes"][:]
        tension = f["tension"][:]
        posture = f["posture"][:]
        ev_day = f["event_day"][:]
        ev_kind = f["event_kind"][:]
        ev_a = f["event_actor_a"][:]
        ev_b = f["event_actor_b"][:]
        ev_val = f["event_value"][:]
        k_militant = flag_index(f["actor_kind"], "militant")
        k_state = flag_index(f["actor_kind"], "state")
        p_strike = flag_index(f["posture"], "strike")
        p_hold = flag_index(f["posture"], "hold")
        p_press = flag_index(f["posture"], "pressure")
        e_clash = flag_index(f["event_kind"], "clash")
        e_retal = flag_index(f["event_kind"], "retaliation")
        e_strike = flag_index(f["event_kind"], "strike")

    pak, afg = actors.index("PAK"), actors.index("AFG")
    d_pa, d_ap = dyads.index("PAK-AFG"), dyads.index("AFG-PAK")
    d_pt = dyads.index("PAK-TTP")
    in_pak = country == pak
    in_kpb = in_pak & np.isin(np.array(region), KP_BAL)
    militant = kinds == k_militant
    state = kinds == k_state
    years = np.array([(start + datetime.timedelta(days=int(d))).year for d in days])
    ev_year = np.array([(start + datetime.timedelta(days=int(d))).year
                        for d in ev_day], dtype=int)
    interstate = (((ev_a == pak) & (ev_b == afg)) | ((ev_a == afg) & (ev_b == pak))) \
        & np.isin(ev_kind, (e_clash, e_retal))
    strikes_by_pak = (ev_kind == e_strike) & (ev_a == pak)

    out = {}
    for y in np.unique(years):
        t = years == y
        total = deaths[t][:, in_pak].sum()
        mil = fat_loc[t][:, militant][:, :, in_pak].sum()
        sec = fat_loc[t][:, state][:, :, in_pak].sum()
        m = {
            "deaths_pak": total,
            "kpb_share": deaths[t][:, in_kpb].sum() / total if total > 0 else np.nan,
            "militant_share": mil / total if total > 0 else np.nan,
            "security_deaths": sec,
            "civilian_deaths": civ[t][:, in_pak].sum(),
            "militant_deaths": mil,
            "attacks_pak": attacks[t][:, in_pak].sum(),
            "clashes_pak": clashes[t][:, in_pak].sum(),
            "interstate_deaths": ev_val[interstate & (ev_year == y)].sum(),
            "interstate_clashes": float((interstate & (ev_year == y)).sum()),
            "tension_mean": tension[t][:, d_pa].mean(),
            "tension_pinned": np.mean((tension[t][:, d_pa] >= 0.99) |
                                      (tension[t][:, d_ap] >= 0.99)),
            "pak_afg_strike": np.mean(posture[t][:, d_pa] == p_strike),
            "pak_afg_holdpress": np.mean(np.isin(posture[t][:, d_pa],
                                                 (p_hold, p_press))),
            "pak_ttp_strike": np.mean(posture[t][:, d_pt] == p_strike),
            "pak_strikes": float((strikes_by_pak & (ev_year == y)).sum()),
            "days": int(t.sum()),
        }
        out[int(y)] = m
    return out


def run_one(args, tmp, rep):
    path = os.path.join(tmp, "rep%03d.h5" % rep)
    cmd = [args.durand, "run", args.scenario, "-q", "-o", path,
           "--replication", str(rep)]
    for s in args.set or []:
        cmd += ["-s", s]
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads))
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, env=env)
    if r.returncode != 0:
        raise RuntimeError("%s\n%s" % (" ".join(cmd), r.stderr.strip()))
    metrics = read_run(path)
    os.remove(path)
    return metrics


def fmt(key, v):
    if key.endswith("share") or key in ("tension_pinned", "pak_afg_strike",
                                        "pak_afg_holdpress", "pak_ttp_strike"):
        return "%.1f %%" % (100.0 * v)
    if key in ("tension_mean", "growth"):
        return "%.2f" % v
    return "%.0f" % v


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--durand", default="build/durand",
                    help="durand binary (default build/durand, relative to the "
                         "current directory, else to the repository)")
    ap.add_argument("--scenario", default=None,
                    help="scenario file (default scenarios/pak_afg.cfg)")
    ap.add_argument("--replications", type=int, default=20)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                    help="runs in parallel (default: CPU count)")
    ap.add_argument("--threads", type=int, default=1,
                    help="OMP_NUM_THREADS of each run (default 1; results "
                         "do not depend on it)")
    ap.add_argument("-s", dest="set", action="append", metavar="PATH=VALUE",
                    help="override passed to every run (exploration)")
    args = ap.parse_args()

    if not os.path.isfile(args.durand) and not os.path.isabs(args.durand):
        alt = os.path.join(REPO, args.durand)
        if os.path.isfile(alt):
            args.durand = alt
    if not (os.path.isfile(args.durand) and os.access(args.durand, os.X_OK)):
        print("calibrate.py: no durand binary at %s (--durand)" % args.durand,
              file=sys.stderr)
        return 2
    if args.scenario is None:
        args.scenario = os.path.join(REPO, "scenarios", "pak_afg.cfg")
    if args.replications < 1:
        print("calibrate.py: --replications must be >= 1", file=sys.stderr)
        return 2

    tmp = tempfile.mkdtemp(prefix="durand-calibrate-")
    try:
        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            runs = list(pool.map(lambda r: run_one(args, tmp, r),
                                 range(args.replications)))
    except RuntimeError as e:
        print("calibrate.py: a run failed:\n%s" % e, file=sys.stderr)
        return 2
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    years = sorted(set.intersection(*[set(r) for r in runs]))
    shown = os.path.abspath(args.scenario)
    if shown.startswith(REPO + os.sep):
        shown = os.path.relpath(shown, REPO)
    print("durand calibration: %s, %d replications (%s)"
          % (shown, args.replications,
             ", ".join("-s " + s for s in args.set) if args.set else "no overrides"))
    print("mean and 90 % range (5th-95th percentile) over replications; a target "
          "holds when the mean is inside it")
    all_ok = True
    means = {}
    for y in years:
        full = all(r[y]["days"] >= 365 for r in runs)
        print("\n%d%s" % (y, "" if full else "  (partial year: %d days)" % runs[0][y]["days"]))
        print("  %-38s %10s  %-21s %-19s %s" % ("quantity", "mean", "90 % range",
                                                 "target", ""))
        rows = [(k, lab, lo, hi, src) for k, lab, lo, hi, src in TARGETS.get(y, [])]
        targeted = {k for k, *_ in rows}
        rows += [(k, lab, None, None, "") for k, lab in DIAGNOSTICS if k not in targeted]
        for key, label, lo, hi, src in rows:
            v = np.array([r[y][key] for r in runs], dtype=float)
            mean = float(np.nanmean(v))
            p5, p95 = np.nanpercentile(v, [5, 95])
            means[(y, key)] = mean
            rng = "%s - %s" % (fmt(key, p5), fmt(key, p95))
            if lo is None or not full:
                tgt, mark = "-", ""
            else:
                ok = lo <= mean <= hi
                all_ok &= ok
                tgt = "%s - %s" % (fmt(key, lo), fmt(key, hi))
                mark = "inside " if ok else "OUTSIDE"
            print("  %-38s %10s  %-21s %-19s %s%s" % (
                label, fmt(key, mean), rng, tgt, mark,
                ("  [%s]" % src) if src else ""))
    if 2023 in years and 2024 in years:
        key, label, lo, hi, src = GROWTH
        g = means[(2024, "deaths_pak")] / means[(2023, "deaths_pak")]
        per = np.array([r[2024]["deaths_pak"] / r[2023]["deaths_pak"] for r in runs])
        p5, p95 = np.percentile(per, [5, 95])
        ok = lo <= g <= hi
        all_ok &= ok
        print("\n  %-38s %10s  %-21s %-19s %s  [%s]" % (
            label, fmt(key, g), "%s - %s" % (fmt(key, p5), fmt(key, p95)),
            "%s - %s" % (fmt(key, lo), fmt(key, hi)), "inside " if ok else "OUTSIDE", src))
    print("\nall targets %s" % ("hold" if all_ok else "do NOT hold"))
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
