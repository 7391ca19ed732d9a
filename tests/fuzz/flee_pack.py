#!/usr/bin/env python3
"""flee_pack.py — FLEE case directories to and from the container format
of the FLEE fuzz harness (tests/fuzz/fuzz_flee.c).

    flee_pack.py pack DIR [--days N] [--rows N] [--hasten N] > INPUT
    flee_pack.py unpack INPUT DIR

pack writes every file of the case (DIR/*, DIR/input_csv/*,
DIR/source_data/*, DIR/refugee_data/*) as a section "=== PATH". With
--days N the case is cut to its first N days: sim_period.csv's Length
becomes N, conflicts.csv keeps its header and N rows, and the rows of
registration_corrections.csv dated after the data kept are dropped. With
--rows N every other CSV keeps its first N lines (data files: their rows up
to the last date that a kept correction names, when that is later).
--hasten N writes the preamble "hasten=N".

unpack writes an input's sections into DIR (which must not exist), so that
`durand flee DIR` can be run on a crashing input.
"""
import argparse
import os
import re
import sys

SUBDIRS = ("input_csv", "source_data", "refugee_data")
# Files the reader never opens and that are large: left out of seeds.
SKIP = ("flare-out.csv", "example_flare_output.csv")


def case_files(case):
    out = []
    for name in sorted(os.listdir(case)):
        p = os.path.join(case, name)
        if os.path.isfile(p) and name not in SKIP and name != "EXPECT":
            out.append(name)
    for sub in SUBDIRS:
        d = os.path.join(case, sub)
        if os.path.isdir(d):
            out.append(sub + "/")
            for name in sorted(os.listdir(d)):
                if os.path.isfile(os.path.join(d, name)) and name not in SKIP:
                    out.append(sub + "/" + name)
    return out


def read(case, rel):
    with open(os.path.join(case, rel), "rb") as f:
        return f.read().decode("utf-8", "surrogateescape")


def pack(args):
    case = args.dir
    files = case_files(case)
    texts = {rel: read(case, rel) for rel in files if not rel.endswith("/")}
    base = {os.path.basename(r): r for r in texts}
    keep_until = None  # last date (text) a kept correction needs
    if args.days is not None:
        n = args.days
        if "sim_period.csv" in base:
            rel = base["sim_period.csv"]
            lines = texts[rel].splitlines()
            start = None
            for i, line in enumerate(lines):
                key = line.split(",")[0].strip().lower()
                if key == "length":
                    lines[i] = "Length,%d" % n
                elif key == "startdate":
                    start = line.split(",")[1].strip()
            texts[rel] = "\n".join(lines) + "\n"
        if "conflicts.csv" in base:
            rel = base["conflicts.csv"]
            lines = texts[rel].splitlines()
            texts[rel] = "\n".join(lines[: n + 1]) + "\n"
        if "registration_corrections.csv" in base and start:
            import datetime

            d0 = datetime.date.fromisoformat(start)
            last = (d0 + datetime.timedelta(days=n)).isoformat()
            rel = base["registration_corrections.csv"]
            kept = []
            for line in texts[rel].splitlines():
                m = re.search(r"(\d{4}-\d{2}-\d{2})", line)
                if m and m.group(1) <= last:
                    kept.append(line)
                    keep_until = max(keep_until or "", m.group(1))
            texts[rel] = "\n".join(kept) + ("\n" if kept else "")
    if args.rows is not None:
        for rel, text in texts.items():
            name = os.path.basename(rel)
            if not name.endswith(".csv") or name in (
                "conflicts.csv",
                "sim_period.csv",
                "registration_corrections.csv",
                "locations.csv",
                "routes.csv",
                "data_layout.csv",
            ):
                continue
            lines = text.splitlines()
            cut = args.rows
            if keep_until and rel.split("/")[0] in ("source_data", "refugee_data"):
                for i, line in enumerate(lines):
                    m = re.match(r"\s*(\d{4}-\d{2}-\d{2})", line)
                    if m and m.group(1) <= keep_until:
                        cut = max(cut, i + 1)
            texts[rel] = "\n".join(lines[:cut]) + "\n"
    out = []
    if args.hasten:
        out.append("hasten=%d\n" % args.hasten)
    for rel in files:
        if rel.endswith("/"):
            out.append("=== %s\n" % rel)
        else:
            body = texts[rel]
            out.append("=== %s\n%s" % (rel, body if body.endswith("\n") or not body else body + "\n"))
    sys.stdout.buffer.write("".join(out).encode("utf-8", "surrogateescape"))


HEADER = re.compile(rb"^=== (.*)$", re.M)


def unpack(args):
    with open(args.input, "rb") as f:
        data = f.read()
    os.makedirs(args.dir)
    marks = [m for m in HEADER.finditer(data)]
    for k, m in enumerate(marks):
        name = m.group(1).decode("utf-8", "replace")
        body_start = m.end() + 1
        body_end = marks[k + 1].start() - 1 if k + 1 < len(marks) else len(data)
        body = data[body_start:max(body_start, body_end)]
        parts = name.split("/")
        ok = 1 <= len(parts) <= 2 and all(
            re.fullmatch(r"[A-Za-z0-9_.-]{1,64}", p) and p not in (".", "..")
            for p in (parts if parts[-1] else parts[:-1])
        )
        if not ok:
            print("unpack: skipping section %r" % name, file=sys.stderr)
            continue
        if len(parts) == 2:
            os.makedirs(os.path.join(args.dir, parts[0]), exist_ok=True)
            if not parts[1]:
                continue
        with open(os.path.join(args.dir, name), "wb") as f:
            f.write(body)
    pre = data[: marks[0].start()] if marks else data
    m = re.search(rb"^hasten=(\d+)$", pre, re.M)
    if m:
        print("unpack: the input asks for --hasten %s" % m.group(1).decode(), file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("pack")
    p.add_argument("dir")
    p.add_argument("--days", type=int)
    p.add_argument("--rows", type=int)
    p.add_argument("--hasten", type=int)
    u = sub.add_parser("unpack")
    u.add_argument("input")
    u.add_argument("dir")
    args = ap.parse_args()
    pack(args) if args.cmd == "pack" else unpack(args)


if __name__ == "__main__":
    main()
