#!/usr/bin/python3
"""plot_run.py — PNGs of one durand result file.

Usage:
    /usr/bin/python3 scripts/plot_run.py RESULT.h5 [-o OUTDIR]

Writes, into OUTDIR (default: next to the result file; created if missing):
    <stem>_fatalities.png    cumulative fatalities per actor (security forces
                             of states, fighters of militant groups and other
                             personnel), civilians killed in violence and all
                             deaths; below, deaths per week
    <stem>_relations.png     tension and trust over time for the dyads with a
                             state on both sides (all dyads when there are
                             none; at most 12, the most tense at the end)
    <stem>_displacement.png  displaced stock by status (idp, refugee,
                             in_transit, travelling) over time; below,
                             cumulative returns home and deportations
    <stem>_map.png           locations at their lon/lat, marker area
                             proportional to the civilians present on the
                             last day, coloured by country; border routes
                             (crossings solid, informal routes dashed) drawn
                             with a width proportional to the persons who
                             crossed over the whole run, an arrow pointing
                             the way most of them went
    <stem>_interventions.png external powers' involvement (solid) and the
                             threat to their interests (dashed) over time;
                             when the file has interventions, below it their
                             cumulative cost (with the total) and the days of
                             mediated ceasefire left on each pair of states

A result without civilians (no civilian series in the file, as in files
written before they existed, or nobody in them) gets the first two figures
only; the others are skipped with a note on stderr. The interventions
figure is drawn when the file has external powers or interventions (files
written before they existed have neither) and skipped with a note
otherwise. The names of the files written are printed, one a line.

Needs h5py, numpy and matplotlib (Debian's python3-h5py, python3-numpy,
python3-matplotlib: run it with /usr/bin/python3). Draws with the Agg backend,
so no display is needed. The file layout is output/SCHEMA.md.
"""
import argparse
import datetime
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402  (after choosing the backend)
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker as mticker  # noqa: E402
import numpy as np  # noqa: E402

try:
    import h5py  # noqa: E402
except ImportError:  # pragma: no cover - reported to the user
    h5py = None

# At most this many dyads in the relations figure (legend stays readable).
MAX_DYADS = 12
# Marker area (points^2) of the most populated location on the map.
MAX_MARKER = 900.0
# Line width (points) of the border route with the largest flow.
MAX_WIDTH = 12.0
# Shortest arrow drawn for a border route on the map (degrees).
ARROW_DEG = 0.6


def persons(v):
    """A count of persons, short: 1,234 / 12.3 k / 1.23 M."""
    v = float(v)
    if abs(v) >= 1e6:
        return "%.2f M" % (v / 1e6)
    if abs(v) >= 1e4:
        return "%.1f k" % (v / 1e3)
    return "{:,.0f}".format(v)


def thousands(ax):
    ax.yaxis.set_major_formatter(mticker.FuncFormatter(
        lambda v, _: "{:,.0f}".format(v)))


def note(msg):
    print("plot_run.py: " + msg, file=sys.stderr)


def text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


def strings(ds):
    return [text(s) for s in ds[:]]


def flag_names(var):
    return text(var.attrs["flag_meanings"]).split()


class Run:
    """What the figures need from one result file, read once."""

    def __init__(self, path):
        with h5py.File(path, "r") as f:
            self.title = text(f.attrs.get("title", os.path.basename(path)))
            start = datetime.date.fromisoformat(text(f.attrs["start_date"]))
            days = f["time"][:].astype("int64")
            self.dates = (np.datetime64(start.isoformat(), "D") +
                          days.astype("timedelta64[D]"))
            self.scale = int(f.attrs.get("agent_scale", 1))
            self.actors = strings(f["actor"])
            kinds = flag_names(f["actor_kind"])
            self.actor_kind = [kinds[k] for k in f["actor_kind"][:]]
            self.dyads = strings(f["dyad"])
            self.dyad_a = f["dyad_a"][:]
            self.dyad_b = f["dyad_b"][:]
            self.tension = f["tension"][:]
            self.trust = f["trust"][:]
            self.locations = strings(f["location"])
            self.location_name = strings(f["location_name"])
            self.lat = f["lat"][:]
            self.lon = f["lon"][:]
            self.country = f["location_country"][:]
            self.deaths = f["deaths"][:]
            self.fatalities = f["fatalities"][:]
            self.civilian_deaths = f["civilian_deaths"][:]
            self.crossings = strings(f["crossing"])
            self.crossing_from = f["crossing_from"][:]
            self.crossing_to = f["crossing_to"][:]
            names = ("civilians", "civilians_on_route", "crossing_flow",
                     "returns_cumulative", "deportations_cumulative", "displaced")
            self.has_civilians = all(n in f for n in names)
            if self.has_civilians:
                self.status = strings(f["status"])
                self.civilians = f["civilians"][:]            # (t, l, s)
                self.on_route = f["civilians_on_route"][:]    # (t, r)
                self.crossing_flow = f["crossing_flow"][:]    # (t, c, dir)
                self.returns_cum = f["returns_cumulative"][:]
                self.deportations_cum = f["deportations_cumulative"][:]
                self.displaced = f["displaced"][:]
                everyone = self.civilians.sum(axis=(1, 2)) + self.on_route.sum(axis=1)
                self.has_civilians = bool(everyone.max() > 0)
            # External powers (phase 9) and interventions (MODEL.md section
            # 3); absent from files written before they existed.
            self.powers = []
            if "involvement" in f and "threat" in f:
                self.powers = [a for a, k in enumerate(self.actor_kind)
                               if k == "power"]
                self.involvement = f["involvement"][:]        # (t, actor)
                self.threat = f["threat"][:]
            self.interventions = []
            names = ("intervention", "intervention_type", "intervention_cost",
                     "intervention_active", "ceasefire")
            if all(n in f for n in names) and f["intervention"].shape[0] > 0:
                self.interventions = strings(f["intervention"])
                it = flag_names(f["intervention_type"])
                self.intervention_type = [it[k] for k in f["intervention_type"][:]]
                self.intervention_cost = f["intervention_cost"][:]    # (t, k)
                self.intervention_active = f["intervention_active"][:]
                self.ceasefire = f["ceasefire"][:]                    # (t, dyad)
            self.has_routes = all(n in f for n in ("route", "route_from", "route_to",
                                                   "route_kind", "route_flow"))
            if self.has_routes:
                self.routes = strings(f["route"])
                self.route_from = f["route_from"][:]
                self.route_to = f["route_to"][:]
                rk = flag_names(f["route_kind"])
                self.route_kind = [rk[k] for k in f["route_kind"][:]]
                self.route_flow = f["route_flow"][:].sum(axis=0)  # (r, dir)


def date_axis(ax):
    loc = mdates.AutoDateLocator()
    ax.xaxis.set_major_locator(loc)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(loc))
    ax.set_xlabel("date")
    ax.grid(True, alpha=0.3)


def actor_label(run, a):
    kind = run.actor_kind[a]
    if kind == "state":
        return "%s security forces" % run.actors[a]
    if kind == "militant":
        return "%s fighters" % run.actors[a]
    return "%s personnel" % run.actors[a]


def plot_fatalities(run, out):
    fig, (ax, bx) = plt.subplots(2, 1, figsize=(11, 8), sharex=True,
                                 gridspec_kw={"height_ratios": [3, 2]})
    total = run.deaths.sum(axis=1)
    cum = np.cumsum(run.fatalities, axis=0)
    order = np.argsort(-cum[-1])
    for a in order:
        if cum[-1, a] > 0:
            ax.plot(run.dates, cum[:, a], label="%s (%.0f)" % (actor_label(run, a),
                                                               cum[-1, a]))
    civ = np.cumsum(run.civilian_deaths.sum(axis=1))
    ax.plot(run.dates, civ, color="tab:gray", lw=2,
            label="civilians killed in violence (%.0f)" % civ[-1])
    ax.plot(run.dates, np.cumsum(total), color="black", lw=2.5,
            label="all deaths (%.0f)" % total.sum())
    ax.set_ylabel("deaths since the start (persons)")
    ax.set_title("%s\ncumulative fatalities by actor, civilians and all deaths"
                 % run.title)
    ax.legend(fontsize=8, loc="upper left")
    ax.grid(True, alpha=0.3)

    # Deaths per week (7-day blocks from the first day).
    n = len(total)
    starts = np.arange(0, n, 7)
    weekly = np.add.reduceat(total, starts) if n else total
    bx.bar(run.dates[starts], weekly, width=6, align="edge", color="tab:red",
           alpha=0.7)
    bx.set_ylabel("deaths per week (persons)")
    bx.set_title("all deaths per week (security forces, fighters, civilians)",
                 fontsize=10)
    date_axis(bx)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


def plot_relations(run, out):
    state = [k == "state" for k in run.actor_kind]
    pick = [d for d in range(len(run.dyads))
            if state[run.dyad_a[d]] and state[run.dyad_b[d]]]
    what = "dyads with a state on both sides"
    if not pick:
        pick = list(range(len(run.dyads)))
        what = "all dyads"
    if not pick:
        note("no dyads: relations figure skipped")
        return False
    pick.sort(key=lambda d: -run.tension[-1, d])
    shown = pick[:MAX_DYADS]
    if len(pick) > len(shown):
        what += ", the %d most tense at the end of %d" % (len(shown), len(pick))
    fig, (ax, bx) = plt.subplots(2, 1, figsize=(12, 8), sharex=True)
    cmap = plt.get_cmap("tab20")
    for i, d in enumerate(shown):
        style = "-" if i % 2 == 0 else "--"
        ax.plot(run.dates, run.tension[:, d], style, color=cmap(i % 20), lw=1.2,
                label=run.dyads[d])
        bx.plot(run.dates, run.trust[:, d], style, color=cmap(i % 20), lw=1.2,
                label=run.dyads[d])
    ax.set_ylabel("tension of A toward B (0-1)")
    bx.set_ylabel("trust of A in B (0-1)")
    ax.set_title("%s\ntension and trust, %s (dyad A-B: A's view of B)"
                 % (run.title, what))
    for x in (ax, bx):
        x.set_ylim(-0.02, 1.02)
        x.grid(True, alpha=0.3)
    ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5),
              title="dyad")
    date_axis(bx)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return True


def plot_displacement(run, out):
    s = {name: i for i, name in enumerate(run.status)}
    fig, (ax, bx) = plt.subplots(2, 1, figsize=(11, 8), sharex=True)
    at = run.civilians.sum(axis=1)  # (t, s)
    ax.plot(run.dates, run.displaced, color="black", lw=2.5,
            label="displaced, all (%s at the end)" % persons(run.displaced[-1]))
    for name, colour in (("refugee", "tab:blue"), ("idp", "tab:orange"),
                         ("in_transit", "tab:red")):
        if name in s:
            ax.plot(run.dates, at[:, s[name]], color=colour, label=name)
    ax.plot(run.dates, run.on_route.sum(axis=1), color="tab:green",
            label="travelling on a route")
    ax.set_ylabel("persons")
    thousands(ax)
    ax.set_title("%s\ndisplaced stock at the end of each day (agent_scale %d)"
                 % (run.title, run.scale))
    ax.legend(fontsize=8, loc="best")
    ax.grid(True, alpha=0.3)
    bx.plot(run.dates, run.returns_cum, color="tab:green", lw=2,
            label="returns home (%s)" % persons(run.returns_cum[-1]))
    bx.plot(run.dates, run.deportations_cum, color="tab:red", lw=2,
            label="deportations (%s)" % persons(run.deportations_cum[-1]))
    bx.set_ylabel("persons since the start")
    thousands(bx)
    bx.set_title("cumulative returns and deportations", fontsize=10)
    bx.legend(fontsize=8, loc="upper left")
    date_axis(bx)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


def plot_map(run, out):
    s = {name: i for i, name in enumerate(run.status)}
    alive = [i for name, i in s.items() if name != "dead"]
    present = run.civilians[-1][:, alive].sum(axis=1).astype(float)  # (l)
    fig, ax = plt.subplots(figsize=(11, 10))

    # Border routes: crossings (solid) and, when the file has routes,
    # informal routes between countries (dashed); roads faint for context.
    lines = []  # (from, to, flow from->to, flow to->from, style, label)
    for c in range(len(run.crossings)):
        tot = run.crossing_flow[:, c, :].sum(axis=0)
        lines.append((run.crossing_from[c], run.crossing_to[c], tot[0], tot[1], "-",
                      run.crossings[c]))
    if run.has_routes:
        for r in range(len(run.routes)):
            a, b = run.route_from[r], run.route_to[r]
            kind = run.route_kind[r]
            if kind == "informal" and run.country[a] != run.country[b]:
                lines.append((a, b, run.route_flow[r, 0], run.route_flow[r, 1], "--",
                              run.routes[r]))
            elif kind == "road":
                ax.plot([run.lon[a], run.lon[b]], [run.lat[a], run.lat[b]],
                        color="0.85", lw=0.6, zorder=1)
    biggest = max([f + g for _, _, f, g, _, _ in lines] + [1])
    # The two ends of a crossing are often a kilometre apart: each border
    # route is drawn as an arrow of at least ARROW_DEG through the middle
    # of its ends, pointing the way most crossed (net flow), its width
    # proportional to everyone who crossed, both ways.
    labelled = sorted(lines, key=lambda x: -(x[2] + x[3]))[:5]
    for a, b, fwd, back, style, label in lines:
        total = fwd + back
        x0, y0, x1, y1 = run.lon[a], run.lat[a], run.lon[b], run.lat[b]
        if back > fwd:
            x0, y0, x1, y1 = x1, y1, x0, y0
        length = np.hypot(x1 - x0, y1 - y0)
        ux, uy = ((x1 - x0) / length, (y1 - y0) / length) if length > 0 else (1.0, 0.0)
        half = max(length, ARROW_DEG) / 2
        mx, my = (x0 + x1) / 2, (y0 + y1) / 2
        if total <= 0:
            ax.plot([x0, x1], [y0, y1], style, color="0.6", lw=0.8, zorder=2)
            continue
        width = max(0.8, MAX_WIDTH * total / biggest)
        ax.plot([mx - ux * half, mx + ux * half], [my - uy * half, my + uy * half],
                style, color="tab:purple", alpha=0.5, lw=width, zorder=3.5,
                solid_capstyle="butt", dash_capstyle="butt")
        ax.annotate("", xy=(mx + ux * half, my + uy * half),
                    xytext=(mx - ux * half, my - uy * half), zorder=4,
                    arrowprops=dict(arrowstyle="-|>", color="indigo", lw=1.0,
                                    shrinkA=0, shrinkB=0))
        if any(label == x[5] for x in labelled):
            ax.annotate("%s: %s crossed\n(net %s)" % (label, persons(total),
                                                     persons(abs(fwd - back))),
                        (mx, my), fontsize=7, color="indigo", xytext=(6, -14),
                        textcoords="offset points", zorder=5)

    countries = sorted(set(int(c) for c in run.country))
    cmap = plt.get_cmap("tab10")
    top = present.max() if present.size and present.max() > 0 else 1.0
    for i, c in enumerate(countries):
        m = run.country == c
        name = run.actors[c] if 0 <= c < len(run.actors) else "none"
        size = np.maximum(6.0, MAX_MARKER * present[m] / top)
        ax.scatter(run.lon[m], run.lat[m], s=size, color=cmap(i % 10), alpha=0.6,
                   edgecolors="black", linewidths=0.4, zorder=3,
                   label="locations in %s" % name)
    # Names of the most populated places.
    for l in np.argsort(-present)[:10]:
        if present[l] > 0:
            ax.annotate(run.locations[l],
                        (run.lon[l], run.lat[l]), fontsize=7, xytext=(5, 5),
                        textcoords="offset points", zorder=5)
    # Legend entries for the sizes and widths.
    for frac in (1.0, 0.25):
        ax.scatter([], [], s=MAX_MARKER * frac, color="white", edgecolors="black",
                   label="%s persons present" % persons(top * frac))
    ax.plot([], [], "-", color="tab:purple", lw=MAX_WIDTH, alpha=0.6,
            label="crossing: %s persons crossed" % persons(biggest))
    if run.has_routes:
        ax.plot([], [], "--", color="tab:purple", lw=2, alpha=0.6,
                label="informal border route")
    ax.set_xlabel("longitude (degrees east)")
    ax.set_ylabel("latitude (degrees north)")
    ax.set_aspect(1.0 / max(0.2, np.cos(np.radians(np.nanmean(run.lat)))))
    last = str(run.dates[-1]) if len(run.dates) else ""
    ax.set_title("%s\ncivilians present on %s (marker area) and persons crossing "
                 "the border over the run (line width, arrow: main direction)"
                 % (run.title, last), fontsize=10)
    ax.legend(fontsize=8, loc="best", labelspacing=1.5, borderpad=1.0)
    ax.grid(True, alpha=0.3)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


def usd(v):
    """An amount of US dollars, short: 1,234 / 12.3 k / 1.23 M USD."""
    return persons(v) + " USD"


def plot_interventions(run, out):
    """Powers' involvement and threat; interventions' cost and ceasefires."""
    has_iv = len(run.interventions) > 0
    rows = (1 if run.powers else 0) + (2 if has_iv else 0)
    fig, axes = plt.subplots(rows, 1, figsize=(11, 3.6 * rows + 0.6), sharex=True,
                             squeeze=False)
    axes = list(axes[:, 0])
    cmap = plt.get_cmap("tab10")
    first = True
    if run.powers:
        ax = axes.pop(0)
        for i, a in enumerate(run.powers):
            c = cmap(i % 10)
            ax.plot(run.dates, run.involvement[:, a], "-", color=c, lw=1.5,
                    label="%s involvement" % run.actors[a])
            ax.plot(run.dates, run.threat[:, a], "--", color=c, lw=1.0,
                    label="%s threat" % run.actors[a])
        ax.set_ylim(-0.02, 1.02)
        ax.set_ylabel("0-1")
        ax.set_title("%s\nexternal powers: involvement (solid) and threat to their "
                     "interests (dashed)" % run.title, fontsize=10)
        ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5), ncol=1)
        ax.grid(True, alpha=0.3)
        first = False
    if has_iv:
        ax = axes.pop(0)
        cost = run.intervention_cost
        total = cost[-1].sum()
        for k, name in enumerate(run.interventions):
            days = int(run.intervention_active[:, k].sum())
            ax.plot(run.dates, cost[:, k], color=cmap(k % 10), lw=1.5,
                    label="%s (%s): %s, %d days active"
                    % (name, run.intervention_type[k], usd(cost[-1, k]), days))
        ax.plot(run.dates, cost.sum(axis=1), color="black", lw=2.5,
                label="all interventions (%s)" % usd(total))
        ax.set_ylabel("cost since the start (USD)")
        # Nothing spent yet (adaptive interventions never triggered): keep
        # the axis at 0..1 rather than a degenerate range around 0.
        ax.set_ylim(0, max(1.0, cost.sum(axis=1).max()) * 1.05)
        ax.yaxis.set_major_locator(
            mticker.MaxNLocator(integer=True, steps=[1, 2, 2.5, 5, 10]))
        thousands(ax)
        title = "cumulative cost of the interventions"
        ax.set_title(("%s\n%s" % (run.title, title)) if first else title,
                     fontsize=10)
        ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5))
        ax.grid(True, alpha=0.3)

        bx = axes.pop(0)
        # One line per pair of states: A-B and B-A carry the same days.
        state = [k == "state" for k in run.actor_kind]
        seen, shown = set(), 0
        for d in range(len(run.dyads)):
            a, b = int(run.dyad_a[d]), int(run.dyad_b[d])
            if not (state[a] and state[b]) or (min(a, b), max(a, b)) in seen:
                continue
            seen.add((min(a, b), max(a, b)))
            days = int((run.ceasefire[:, d] > 0).sum())
            bx.step(run.dates, run.ceasefire[:, d], where="post",
                    color=cmap(shown % 10), lw=1.5,
                    label="%s: %d days under ceasefire" % (run.dyads[d], days))
            shown += 1
        bx.set_ylabel("ceasefire days left")
        bx.set_ylim(0, max(1, int(run.ceasefire.max())) * 1.05)
        bx.yaxis.set_major_locator(mticker.MaxNLocator(integer=True))
        bx.set_title("mediated ceasefires between states (days left at the end "
                     "of each day)", fontsize=10)
        if shown:
            bx.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5))
        else:
            bx.text(0.5, 0.5, "no pair of states", transform=bx.transAxes,
                    ha="center", va="center", color="0.4")
        bx.grid(True, alpha=0.3)
    date_axis(fig.axes[-1])
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("result", help="result file of `durand run` (HDF5)")
    ap.add_argument("-o", "--outdir", default=None,
                    help="directory for the PNGs (default: the result's)")
    args = ap.parse_args()
    if h5py is None:
        note("needs h5py (Debian: python3-h5py)")
        return 2
    if not os.path.isfile(args.result):
        note("no such file: %s" % args.result)
        return 2
    try:
        run = Run(args.result)
    except (OSError, KeyError, ValueError) as e:
        note("%s: not a durand result file (%s)" % (args.result, e))
        return 2
    if len(run.dates) == 0:
        note("%s: no days" % args.result)
        return 2
    outdir = args.outdir or os.path.dirname(os.path.abspath(args.result))
    os.makedirs(outdir, exist_ok=True)
    stem = os.path.splitext(os.path.basename(args.result))[0]
    path = lambda what: os.path.join(outdir, "%s_%s.png" % (stem, what))  # noqa: E731

    written = []
    plot_fatalities(run, path("fatalities"))
    written.append(path("fatalities"))
    if plot_relations(run, path("relations")):
        written.append(path("relations"))
    if run.has_civilians:
        plot_displacement(run, path("displacement"))
        plot_map(run, path("map"))
        written += [path("displacement"), path("map")]
    else:
        note("%s has no civilians: displacement and map figures skipped"
             % args.result)
    if run.powers or run.interventions:
        plot_interventions(run, path("interventions"))
        written.append(path("interventions"))
    else:
        note("%s has no external powers and no interventions: interventions "
             "figure skipped" % args.result)
    for p in written:
        print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
