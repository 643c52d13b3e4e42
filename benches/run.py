#!/usr/bin/env python3
"""Benchmark make-feed on synthetic corpora: wall time and peak memory.

Usage: benches/run.py [--sizes 1000,10000,50000,100000] [--runs 5] [--work DIR]
                      [--configs default,feeds,newest50,archive] [--no-peers]

For each size N it writes a corpus of N articles with ../shared/bench/make-corpus
(about 6.8 KB each; set MAKE_CORPUS to use another copy) and measures, with a
warm page cache, the median of --runs (after one warm-up run) of:

  cat      reading every article file once (`find … | xargs -0 cat > /dev/null`): the floor
  first    `make-feed build` into a new, empty output folder: every page, feed and
           asset written
  rebuild  `make-feed build` again after one new article is added: the everyday case
           (pages whose input did not change are kept without rendering)
  same     `make-feed build` again with nothing changed, right after the first build
           (the files the first build renamed into place are checked against the
           pending stamps it recorded)
  again    and once more with nothing changed: the everyday rebuild, where the build
           index is left as it is
  cp       `cp -r` of the default configuration's output into a new folder, then `sync`:
           what the file system alone takes to create that many files (the floor for a
           first build)

and, when they are installed, the peers on the same corpus:

  hugo     Debian's `hugo` building the corpus (benches/peers/hugo/: a page per article,
           list pages, RSS with the full content for the site and each category)
  npm feed npm's `feed` with `marked` (benches/peers/npm-feed.mjs, locked by
           benches/peers/package-lock.json; `npm ci` there installs it): the newest 20
           of the site and of each category, in RSS, Atom and JSON Feed

for each configuration of feed.toml:

  default  the defaults: the newest 20 entries in the main feeds and each category's
  feeds    `pages = false`: the feeds alone, as for a site whose generator makes the pages
  newest50 the same with `limit = 50`
  archive  `archives = true`: every entry written, in RFC 5005 archive pages

Every build but `feeds` writes a page per article, the index, and the feeds.

Then it prints each ratio the speed targets are stated in (make-feed's time over
the other's: below 1 is faster): whole site first build against Hugo and against
`cp -r` + `sync` of its own output; feeds only against npm feed and against `cat`;
a rebuild with nothing changed against `cat`.

First builds go into new folders that are only deleted when the whole run is over:
on ext4 without a journal (this machine's), creating files within a minute of
deleting many others is several times slower (the allocator skips inodes freed in
the last 60 seconds, 300 while their table is not written back), which would
measure `rm -rf`, not make-feed; so a run that finds a previous run's outputs
deletes them, syncs and waits a minute first. Every command runs after a `sync`
that is not timed, so that no command pays for writing back what the one before
it left in memory (a build ends with `syncfs`, `cp` with `sync`). The run needs
free disk space for (runs + 1) outputs per size and configuration (about 12 KB per
article).

At 1,000,000 articles (`--sizes 1000000 --configs feeds --no-peers`) the corpus is
7.7 GB: the page cache must hold it for the runs to be warm, and a whole site's
output would need another 12 GB of disk per run.

Peak memory is the maximum resident set size reported by GNU time. The table it
prints is the one in the README.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAKE_CORPUS = os.environ.get("MAKE_CORPUS", os.path.join(ROOT, "..", "shared", "bench", "make-corpus"))
BINARY = os.path.join(ROOT, "target", "release", "make-feed")
TIME = "/usr/bin/time"
CONFIGS = {
    "default": "",
    "feeds": "pages = false\n",
    "newest50": "limit = 50\n",
    "archive": "archives = true\n",
}
PEERS = os.path.join(ROOT, "benches", "peers")
NEW_ARTICLE = """+++
title = "Benchmark: one more article ({n})"
published = 2030-01-01T00:00:{n:02}+08:00
categories = ["承德"]
+++

A new article, added to measure a rebuild.
"""


def timed(command):
    """Wall seconds and peak KB of one run of `command`, after a `sync`."""
    subprocess.run(["sync"], check=True)
    result = subprocess.run(
        [TIME, "-f", "%e %M", "sh", "-c", command],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    if result.returncode != 0:
        sys.exit(f"{command} failed:\n{result.stderr}")
    wall, peak = result.stderr.strip().splitlines()[-1].split()
    return float(wall), int(peak)


def median(samples):
    """Median wall time and largest peak of samples, the first (warm-up) left out."""
    samples = samples[1:]
    return statistics.median(w for w, _ in samples), max(p for _, p in samples)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,50000,100000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", default="/tmp/make-feed-bench")
    parser.add_argument("--configs", default=",".join(CONFIGS))
    parser.add_argument("--no-peers", action="store_true", help="measure make-feed and the floors only")
    args = parser.parse_args()
    if not os.path.exists(TIME):
        sys.exit(f"{TIME} (GNU time) is needed: apt-get install time")
    subprocess.run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=ROOT, check=True)
    os.makedirs(args.work, exist_ok=True)
    outputs = os.path.join(args.work, "outputs")
    if os.path.exists(outputs):
        shutil.rmtree(outputs, ignore_errors=True)
        subprocess.run(["sync"], check=True)
        print("deleted a previous run's outputs: waiting 61 s, until ext4 reuses their inodes",
              file=sys.stderr)
        time.sleep(61)
    configs = args.configs.split(",")

    rows = []
    try:
        for size in [int(s) for s in args.sizes.split(",")]:
            data = os.path.join(args.work, f"corpus-{size}")
            if not os.path.exists(os.path.join(data, "feed.toml")):
                subprocess.run([sys.executable, MAKE_CORPUS, str(size), data], check=True)
            feed_toml = os.path.join(data, "feed.toml")
            with open(feed_toml, encoding="utf-8") as f:
                base_config = "".join(l for l in f if not l.startswith(("archives", "limit", "pages")))
            new_article = os.path.join(data, "articles", "zz-benchmark-new.md")
            cat = median([timed(f"find {data}/articles -name '*.md' -print0 | xargs -0 cat > /dev/null")
                          for _ in range(args.runs + 1)])
            row = {"size": size, "cat": cat}
            for config in configs:
                with open(feed_toml, "w", encoding="utf-8") as f:
                    f.write(base_config + CONFIGS[config])
                firsts, rebuilds, sames, agains = [], [], [], []
                for run in range(args.runs + 1):
                    out = os.path.join(outputs, f"{size}-{config}-{run}")
                    firsts.append(timed(f"{BINARY} build --data {data} --out {out}"))
                    sames.append(timed(f"{BINARY} build --data {data} --out {out}"))
                    agains.append(timed(f"{BINARY} build --data {data} --out {out}"))
                    with open(new_article, "w", encoding="utf-8") as f:
                        f.write(NEW_ARTICLE.format(n=run))
                    rebuilds.append(timed(f"{BINARY} build --data {data} --out {out}"))
                    os.remove(new_article)
                row[config] = (median(firsts), median(rebuilds), median(sames), median(agains))
                if config == "default":
                    source = os.path.join(outputs, f"{size}-{config}-0")
                    row["cp"] = median([timed(f"cp -r {source} {source}-copy-{run} && sync")
                                        for run in range(args.runs + 1)])
                print(f"{size} {config}: first {show(row[config][0])}; rebuild {show(row[config][1])};"
                      f" nothing changed {show(row[config][2])}, again {show(row[config][3])}",
                      file=sys.stderr)
            if not args.no_peers:
                row.update(peers(data, outputs, size, args.runs))
            with open(feed_toml, "w", encoding="utf-8") as f:
                f.write(base_config)
            rows.append(row)
    finally:
        shutil.rmtree(outputs, ignore_errors=True)

    print("| articles | `cat` input | `cp -r` + `sync` output | hugo | npm feed | " + " | ".join(f"{c}: first build | {c}: rebuild | {c}: nothing changed | {c}: nothing changed, again" for c in configs) + " |")
    print("| ---: | ---: | ---: | ---: | ---: | " + " | ".join("---: | ---: | ---: | ---:" for _ in configs) + " |")
    for row in rows:
        cells = [f"{row['size']:,}", f"{row['cat'][0]:.2f} s", show(row["cp"]) if "cp" in row else "",
                 show(row["hugo"]) if "hugo" in row else "", show(row["npm"]) if "npm" in row else ""]
        for config in configs:
            cells += [show(result) for result in row[config]]
        print("| " + " | ".join(cells) + " |")
    print()
    print("| articles | whole site / hugo (target ≤ 0.1) | whole site / `cp -r` + `sync` (≤ 1.5) | feeds only / npm feed (≤ 0.17) | feeds only / `cat` (≤ 0.8) | nothing changed / `cat` (≤ 0.3) | nothing changed, again / `cat` (≤ 0.3) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        def ratio(config, index, other):
            if config not in row or other not in row:
                return ""
            return f"{row[config][index][0] / row[other][0]:.2f}"
        print(f"| {row['size']:,} | {ratio('default', 0, 'hugo')} | {ratio('default', 0, 'cp')} | "
              f"{ratio('feeds', 0, 'npm')} | {ratio('feeds', 0, 'cat')} | {ratio('default', 2, 'cat')} | "
              f"{ratio('default', 3, 'cat')} |")


def peers(data, outputs, size, runs):
    """Median time and peak memory of Hugo and npm feed on the corpus, if installed."""
    found = {}
    if shutil.which("hugo"):
        found["hugo"] = median([timed(f"hugo --quiet --source {PEERS}/hugo --contentDir {data}/articles"
                                      f" --destination {outputs}/{size}-hugo-{run}")
                                for run in range(runs + 1)])
        print(f"{size} hugo: {show(found['hugo'])}", file=sys.stderr)
    else:
        print("hugo is not installed (apt-get install hugo): not measured", file=sys.stderr)
    if shutil.which("node") and os.path.isdir(os.path.join(PEERS, "node_modules", "feed")):
        found["npm"] = median([timed(f"node {PEERS}/npm-feed.mjs {data} {outputs}/{size}-npm-{run}")
                               for run in range(runs + 1)])
        print(f"{size} npm feed: {show(found['npm'])}", file=sys.stderr)
    else:
        print("npm feed is not installed (cd benches/peers && npm ci): not measured", file=sys.stderr)
    return found


def show(result):
    wall, peak_kb = result
    return f"{wall:.2f} s, {peak_kb / 1024:.0f} MB"


if __name__ == "__main__":
    main()
