#!/usr/bin/env python3
"""Benchmark make-feed on synthetic corpora: wall time and peak memory.

Usage: benches/run.py [--sizes 1000,10000,50000,100000] [--runs 5] [--work DIR]

For each size N it writes a corpus of N articles with ../shared/bench/make-corpus
(about 6.8 KB each; set MAKE_CORPUS to use another copy), then measures, with a
warm page cache, the median of --runs builds into a fresh output folder:

  cat      reading every article file once (`find … | xargs -0 cat > /dev/null`): the floor
  default  `make-feed build` with feed.toml's defaults: the newest 20 entries in the
           main feeds and in each category's feeds
  newest50 the same with `limit = 50`
  archive  the same with `archives = true`: every entry written, in RFC 5005 archive pages

Peak memory is the maximum resident set size reported by GNU time. The table it
prints is the one in the README.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAKE_CORPUS = os.environ.get("MAKE_CORPUS", os.path.join(ROOT, "..", "shared", "bench", "make-corpus"))
BINARY = os.path.join(ROOT, "target", "release", "make-feed")
TIME = "/usr/bin/time"


def measure(command, runs, before=None):
    """Median wall seconds and peak KB of `command` over `runs`, after a warm-up."""
    walls, peaks = [], []
    for i in range(runs + 1):
        if before:
            before()
        result = subprocess.run(
            [TIME, "-f", "%e %M", "sh", "-c", command],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True,
        )
        wall, peak = result.stderr.strip().splitlines()[-1].split()
        if i > 0:  # the first run warms the cache
            walls.append(float(wall))
            peaks.append(int(peak))
    return statistics.median(walls), max(peaks)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,50000,100000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", default="/tmp/make-feed-bench")
    args = parser.parse_args()
    if not os.path.exists(TIME):
        sys.exit(f"{TIME} (GNU time) is needed: apt-get install time")
    subprocess.run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=ROOT, check=True)
    os.makedirs(args.work, exist_ok=True)

    rows = []
    for size in [int(s) for s in args.sizes.split(",")]:
        data = os.path.join(args.work, f"corpus-{size}")
        if not os.path.exists(os.path.join(data, "feed.toml")):
            subprocess.run([sys.executable, MAKE_CORPUS, str(size), data], check=True)
        with open(os.path.join(data, "feed.toml"), encoding="utf-8") as f:
            base_config = "".join(l for l in f if not l.startswith(("archives", "limit")))
        out = os.path.join(args.work, f"out-{size}")
        fresh = lambda: shutil.rmtree(out, ignore_errors=True)

        def with_config(extra):
            with open(os.path.join(data, "feed.toml"), "w", encoding="utf-8") as f:
                f.write(base_config + extra)

        cat = measure(f"find {data}/articles -name '*.md' -print0 | xargs -0 cat > /dev/null", args.runs)
        with_config("")
        default = measure(f"{BINARY} build --data {data} --out {out}", args.runs, fresh)
        with_config("limit = 50\n")
        newest50 = measure(f"{BINARY} build --data {data} --out {out}", args.runs, fresh)
        with_config("archives = true\n")
        archive = measure(f"{BINARY} build --data {data} --out {out}", args.runs, fresh)
        with_config("")
        rows.append((size, cat, default, newest50, archive))
        print(f"{size}: cat {cat[0]:.2f} s; default {show(default)}; newest 50 {show(newest50)}; "
              f"archive {show(archive)}", file=sys.stderr)

    print("| articles | `cat` (floor) | default (newest 20) | `limit = 50` | every entry written (`archives = true`) |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for size, cat, default, newest50, archive in rows:
        print(f"| {size:,} | {cat[0]:.2f} s | {show(default)} | {show(newest50)} | {show(archive)} |")


def show(result):
    wall, peak_kb = result
    return f"{wall:.2f} s, {peak_kb / 1024:.0f} MB"


if __name__ == "__main__":
    main()
