#!/usr/bin/env python3
"""Time limits on hostile input: make-feed's bounded work, measured by the clock.

Usage: benches/limits.py [--binary PATH] [--work DIR] [--slack FACTOR]

The test suite checks what these inputs produce (tests/hostile.rs) but never
how long they take: a clock in a test passes or fails with the machine's load.
This script times the same inputs with a release build (or --binary) and fails
when one takes longer than its limit (times --slack, for slow machines):

  huge        an 8 MB article of long CJK paragraphs and one with two 1 MB lines:
              built within 60 s
  nested      three bodies nesting 50,000-100,000 levels deep (block quotes,
              <div>s, quotes of lists): each refused within 30 s
  categories  2,000 articles with two categories each (4,000 category feeds):
              built within 60 s

It prints one line per case: its time, its limit, and ok or TOO SLOW.
"""
import argparse
import os
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FEED_TOML = """title = "Test channel"
description = "A channel for tests"
base_url = "https://feeds.example.org/"
language = "en"
timezone = "Asia/Shanghai"
"""


def article(title, published, body, extra=""):
    return f'+++\ntitle = "{title}"\npublished = {published}\n{extra}+++\n\n{body}\n'


def site(work, name, articles):
    """A data folder `name` under `work` holding `articles` (file name -> text)."""
    data = os.path.join(work, name, "data")
    shutil.rmtree(os.path.join(work, name), ignore_errors=True)
    os.makedirs(os.path.join(data, "articles"))
    with open(os.path.join(data, "feed.toml"), "w", encoding="utf-8") as f:
        f.write(FEED_TOML)
    for file_name, text in articles.items():
        with open(os.path.join(data, "articles", file_name), "w", encoding="utf-8") as f:
            f.write(text)
    return data


def huge(work):
    paragraph = "这是一个很长的段落,用来测试很大的文章。" * 200
    return [site(work, "huge", {
        "huge.md": article("huge", "2022-01-01 00:00:00", f"{paragraph}\n\n" * 1500),
        "line.md": article("line", "2022-01-02 00:00:00", "a" * 1_000_000 + " *x* " + "b" * 1_000_000),
    })]


def nested(work):
    bodies = [">" * 100_000, "<div>" * 50_000 + "x" + "</div>" * 50_000, "> - " * 50_000]
    return [site(work, f"nested-{n}", {"deep.md": article("deep", "2022-01-01 00:00:00", body)})
            for n, body in enumerate(bodies)]


def categories(work):
    return [site(work, "categories", {
        f"a{n}.md": article(f"t{n}", "2022-01-01 00:00:00", "x",
                            f'categories = ["分类 {n}", "Tag/{n}"]\n')
        for n in range(2000)
    })]


# name -> (the data folders, the limit in seconds, the exit status expected)
CASES = {"huge": (huge, 60, 0), "nested": (nested, 30, 1), "categories": (categories, 60, 0)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", help="the make-feed to time (default: a release build of this tree)")
    parser.add_argument("--work", default="/tmp/make-feed-limits")
    parser.add_argument("--slack", type=float, default=1.0, help="multiply every limit by this")
    args = parser.parse_args()
    binary = args.binary
    if binary is None:
        subprocess.run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=ROOT, check=True)
        binary = os.path.join(ROOT, "target", "release", "make-feed")
    os.makedirs(args.work, exist_ok=True)
    failed = False
    try:
        for name, (make, limit, status) in CASES.items():
            limit *= args.slack
            for data in make(args.work):
                out = os.path.join(os.path.dirname(data), "out")
                started = time.monotonic()
                result = subprocess.run([binary, "build", "--data", data, "--out", out],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                took = time.monotonic() - started
                if result.returncode != status:
                    sys.exit(f"{name}: exit status {result.returncode}, not {status}:\n{result.stderr}")
                verdict = "ok" if took <= limit else "TOO SLOW"
                failed |= took > limit
                print(f"{name} ({os.path.basename(os.path.dirname(data))}): {took:.2f} s, limit {limit:.0f} s: {verdict}")
    finally:
        shutil.rmtree(args.work, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
