#!/usr/bin/python3
"""Returns of Afghans from Pakistan in the flagship against calibration.md.

Runs `durand run` for replications 0..N-1 (default 20) of a scenario
(default scenarios/pak_afg.cfg) through 31 Oct 2024, or reads result files
given on the command line (one replication each), and prints the cumulative
returns since 15 Sep 2023 at each date of the calibration.md series
(UNHCR/IOM: 22 Oct 2023 59,561; 8 Nov 2023 203,639; 10 Dec 2023 421,101;
15 Jan 2024 501,242; 31 Oct 2024 > 758,000) next to the target: the mean
over replications, their range, the relative error of the mean and whether
it lies within +-25 % (the acceptance band of the displacement issue).

What is counted (output/SCHEMA.md, civilian series; persons = agents x
agent_scale):

  Afghans leaving PAK   the fall, since the start of 15 Sep 2023, of the
                        Afghans at Pakistani locations: `civilians` of
                        status `refugee` or `in_transit` summed over the
                        locations whose `location_country` is PAK. An agent
                        at a Pakistani location is a refugee only when its
                        origin is Afghan (a displaced Pakistani is an idp)
                        and in transit only when deported, so this stock
                        is exactly the Afghans in Pakistan (those on a
                        route at the end of the day are not in it). Its
                        fall is the net number of Afghans who left
                        Pakistan: the returns from Pakistan that UNHCR and
                        IOM count at the border. This is the measure
                        compared with the targets.
  arrivals home in AFG  `returns` summed over Afghan locations (the measure
                        of the first version of this script, shown for
                        comparison). It is NOT restricted to Afghans coming
                        from Pakistan: it also holds the Afghans displaced
                        by the violence inside Afghanistan (Nangarhar,
                        Kunar, Paktika) who go home again, a few hundred a
                        day in the flagship, a churn that the UNHCR/IOM
                        series does not contain. Over the 413 days of the
                        window it adds about 400,000 persons, more than
                        half of the last target.
  net PAK->AFG crossings  persons entering a border route (crossings and
                        informal routes: `route_flow`) at its Pakistani end
                        minus those entering at its Afghan end. The net
                        movement across the border of everyone, Pakistani
                        citizens fleeing into Afghanistan included (shown
                        for comparison). The gross flows are not used: in
                        the model displaced agents on the border shuttle
                        between the two ends of a crossing (thousands a
                        day each way), which the net cancels.
  deportations          `deportations` summed over Pakistani locations (of
                        the returns: those deported; the rest left of their
                        own accord, for fear of arrest or spontaneously).

Below the table: each measure's rate per day before the plan, in Apr-Jun
2023 (the quarter of the documented baseline, 24,822 spontaneous returns,
about 270 a day) and from 15 Sep to 2 Oct 2023. The Apr-Jun rate of the
Afghans leaving Pakistan is lower: in the first half of 2023 the model's
start-up displacement brings Afghans of the border districts into Pakistan
(about 150 a day), which this net measure subtracts.

Exit status 0 when the mean of every target date reached lies within
+-25 % of its target, 1 otherwise, 2 on a usage or run error.

Usage: /usr/bin/python3 scripts/returns_check.py [--durand build/durand]
           [--scenario scenarios/pak_afg.cfg] [--replications 20]
           [--jobs N] [--threads 1] [-s PATH=VALUE]... [RESULT.h5 ...]
"""
import argparse
import datetime
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

import h5py
import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# calibration.md, "Afghans in Pakistan": returns to Afghanistan from
# Pakistan, cumulative since 15 Sep 2023 (UNHCR/IOM). The last is a lower
# bound ("> 758,000"); it is used as the target.
SINCE = datetime.date(2023, 9, 15)
# The quarter of the documented pre-plan baseline (24,822 spontaneous returns
# in Apr-Jun 2023, about 270 a day).
BASELINE = (datetime.date(2023, 4, 1), datetime.date(2023, 6, 30))
BASELINE_PER_DAY = 24822.0 / 91.0
# The last weeks before the plan (announced 3 Oct 2023) inside the window.
PRE_PLAN = (datetime.date(2023, 9, 15), datetime.date(2023, 10, 2))
TARGETS = [
    (datetime.date(2023, 10, 22), 59561.0, ""),
    (datetime.date(2023, 11, 8), 203639.0, ""),
    (datetime.date(2023, 12, 10), 421101.0, ""),
    (datetime.date(2024, 1, 15), 501242.0, ""),
    (datetime.date(2024, 10, 31), 758000.0, "> 758,000"),
]
# Relative tolerance of the mean.
TOLERANCE = 0.25
# Host and home countries (actor ids).
HOST, HOME = "PAK", "AFG"


def text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


def read_run(path):
    """Cumulative series since SINCE of one result file, per day, and the
    dates: {"dates": [...], "left": Afghans leaving PAK, "returns":
    arrivals home in AFG, "net": net PAK->AFG crossings, "deported": ...,
    "baseline": {measure: persons per day in BASELINE}}."""
    with h5py.File(path, "r") as f:
        for name in ("returns", "deportations", "location_country", "civilians",
                     "status"):
            if name not in f:
                raise ValueError("%s has no `%s` (written by a durand without "
                                 "civilian series?)" % (path, name))
        start = datetime.date.fromisoformat(text(f.attrs["start_date"]))
        days = f["time"][:]
        actors = [text(a) for a in f["actor"][:]]
        if HOST not in actors or HOME not in actors:
            raise ValueError("%s: no actors %s and %s" % (path, HOST, HOME))
        host, home = actors.index(HOST), actors.index(HOME)
        country = f["location_country"][:]
        statuses = [text(s) for s in f["status"][:]]
        civ = f["civilians"][:]                   # (t, l, status)
        returns = f["returns"][:]                 # (t, l)
        deported = f["deportations"][:]           # (t, l)
        if "route_flow" in f:
            flow = f["route_flow"][:]             # (t, r, direction)
            a, b = f["route_from"][:], f["route_to"][:]
        else:
            flow = f["crossing_flow"][:]
            a, b = f["crossing_from"][:], f["crossing_to"][:]
    dates = [start + datetime.timedelta(days=int(d)) for d in days]
    in_window = np.array([d >= SINCE for d in dates])
    at_home, at_host = country == home, country == host
    # Afghans at Pakistani locations at the end of each day.
    stock = sum(civ[:, at_host, statuses.index(s)].sum(axis=1)
                for s in ("refugee", "in_transit")).astype(float)
    # Leaving per day: yesterday's stock minus today's (day 0: none).
    left = np.concatenate(([0.0], stock[:-1] - stock[1:]))
    # Net persons moving from the host to the home country, per day.
    ca, cb = country[a], country[b]
    net = np.zeros(len(days))
    for r in range(flow.shape[1]):
        if ca[r] == host and cb[r] == home:
            net += flow[:, r, 0] - flow[:, r, 1]
        elif ca[r] == home and cb[r] == host:
            net += flow[:, r, 1] - flow[:, r, 0]
    ret = returns[:, at_home].sum(axis=1).astype(float)
    dep = deported[:, at_host].sum(axis=1).astype(float)
    quarter = np.array([BASELINE[0] <= d <= BASELINE[1] for d in dates])
    pre = np.array([PRE_PLAN[0] <= d <= PRE_PLAN[1] for d in dates])
    quarter[0] = pre[0] = False                   # no flow on day 0
    run = {"dates": dates, "baseline": {}, "pre_plan": {}}
    for key, daily in (("left", left), ("returns", ret), ("net", net),
                       ("deported", dep)):
        run[key] = np.cumsum(np.where(in_window, daily, 0.0))
        run["baseline"][key] = daily[quarter].mean() if quarter.any() else np.nan
        run["pre_plan"][key] = daily[pre].mean() if pre.any() else np.nan
    return run


def value_at(run, key, date):
    """The cumulative value of `key` at the end of `date`, or None when the
    run does not reach it."""
    if date < run["dates"][0] or date > run["dates"][-1]:
        return None
    return float(run[key][(date - run["dates"][0]).days])


def scenario_start(path):
    """start_date of a scenario file (a plain search; None if not found)."""
    try:
        with open(path, encoding="utf-8") as f:
            m = re.search(r'start_date\s*=\s*"(\d{4}-\d{2}-\d{2})"', f.read())
    except OSError:
        return None
    return datetime.date.fromisoformat(m.group(1)) if m else None


def run_one(args, tmp, rep):
    path = os.path.join(tmp, "rep%03d.h5" % rep)
    cmd = [args.durand, "run", args.scenario, "-q", "-o", path,
           "--replication", str(rep)]
    if args.days:
        cmd += ["-s", "scenario.days=%d" % args.days]
    for s in args.set or []:
        cmd += ["-s", s]
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads))
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True, env=env)
    if r.returncode != 0:
        raise RuntimeError("%s\n%s" % (" ".join(cmd), r.stderr.strip()))
    try:
        return read_run(path)
    finally:
        os.remove(path)


def main():
    ap = argparse.ArgumentParser(
        description=__doc__.split("\nUsage:")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("results", nargs="*", metavar="RESULT.h5",
                    help="read these result files instead of running")
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
                    help="override passed to every run, after the run length")
    args = ap.parse_args()

    if args.results:
        try:
            runs = [read_run(p) for p in args.results]
        except (OSError, KeyError, ValueError) as e:
            print("returns_check.py: %s" % e, file=sys.stderr)
            return 2
        source = "%d result file%s" % (len(runs), "" if len(runs) == 1 else "s")
    else:
        if not os.path.isfile(args.durand) and not os.path.isabs(args.durand):
            alt = os.path.join(REPO, args.durand)
            if os.path.isfile(alt):
                args.durand = alt
        if not (os.path.isfile(args.durand) and os.access(args.durand, os.X_OK)):
            print("returns_check.py: no durand binary at %s (--durand)" % args.durand,
                  file=sys.stderr)
            return 2
        if args.scenario is None:
            args.scenario = os.path.join(REPO, "scenarios", "pak_afg.cfg")
        if args.replications < 1:
            print("returns_check.py: --replications must be >= 1", file=sys.stderr)
            return 2
        # Run only as far as the last target date.
        start = scenario_start(args.scenario)
        args.days = (TARGETS[-1][0] - start).days + 1 if start else None
        tmp = tempfile.mkdtemp(prefix="durand-returns-")
        try:
            with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
                runs = list(pool.map(lambda r: run_one(args, tmp, r),
                                     range(args.replications)))
        except (RuntimeError, OSError, KeyError, ValueError) as e:
            print("returns_check.py: a run failed:\n%s" % e, file=sys.stderr)
            return 2
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        shown = os.path.abspath(args.scenario)
        if shown.startswith(REPO + os.sep):
            shown = os.path.relpath(shown, REPO)
        source = "%s, replications 0-%d%s" % (
            shown, args.replications - 1,
            (", " + " ".join("-s " + s for s in args.set)) if args.set else "")

    n = len(runs)
    print("Returns of Afghans from Pakistan, cumulative since %s (persons)" % SINCE)
    print("source: %s; mean over %d replication%s, range = min - max"
          % (source, n, "" if n == 1 else "s"))
    print("measure: Afghans leaving Pakistan (fall of the Afghans at Pakistani "
          "locations, see --help);\ntarget: calibration.md (UNHCR/IOM); last three "
          "columns: means of the other measures\n")
    head = "%-11s %10s %10s %-21s %8s  %-7s %11s %11s %10s" % (
        "date", "target", "mean", "range", "error", "+-25 %", "home in AFG",
        "net PAK>AFG", "deported")
    print(head)
    print("-" * len(head))
    all_ok, reached = True, 0
    for date, target, label in TARGETS:
        v = [value_at(r, "left", date) for r in runs]
        if any(x is None for x in v):
            print("%-11s %10s %10s  (not reached by every run)"
                  % (date, label or "{:,.0f}".format(target), "-"))
            continue
        reached += 1
        v = np.array(v)
        mean = v.mean()
        err = (mean - target) / target
        ok = abs(err) <= TOLERANCE
        all_ok &= ok
        other = ["{:,.0f}".format(np.mean([value_at(r, k, date) for r in runs]))
                 for k in ("returns", "net", "deported")]
        print("%-11s %10s %10s %-21s %+7.1f%%  %-7s %11s %11s %10s" % (
            date, label or "{:,.0f}".format(target), "{:,.0f}".format(mean),
            "{:,.0f} - {:,.0f}".format(v.min(), v.max()), 100.0 * err,
            "inside" if ok else "OUTSIDE", *other))
    print("\npersons a day before the plan (calibration.md: 24,822 spontaneous "
          "returns in Apr-Jun 2023, %.0f a day)" % BASELINE_PER_DAY)
    for label, key, (d0, d1) in (("Apr-Jun 2023", "baseline", BASELINE),
                                 ("15 Sep-2 Oct 2023", "pre_plan", PRE_PLAN)):
        rate = {k: np.nanmean([r[key][k] for r in runs])
                for k in ("left", "returns", "net")}
        if np.isfinite(rate["left"]):
            print("  %-18s Afghans leaving Pakistan %5s, arrivals home in AFG %5s, "
                  "net PAK->AFG %5s" % (label + ":",
                                        "{:,.0f}".format(rate["left"]),
                                        "{:,.0f}".format(rate["returns"]),
                                        "{:,.0f}".format(rate["net"])))
    if reached == 0:
        print("\nno target date reached: run the scenario through %s"
              % TARGETS[-1][0], file=sys.stderr)
        return 2
    print("\n%s" % ("every target date within +-25 %" if all_ok
                    else "some target dates outside +-25 %"))
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
